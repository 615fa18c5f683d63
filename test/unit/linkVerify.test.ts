/** Checking a presented link (nodes/shared/linkVerify.ts): every refusal and its reason, and the rotation's grace. */
import { createHmac } from 'crypto';
import { useKey } from '../../nodes/shared/linkClaims';
import { readSecrets } from '../../nodes/shared/linkSecrets';
import { verifyLink } from '../../nodes/shared/linkVerify';
import { KEY, NEW_KEY, NOW, issued, secrets, without } from '../helpers/links';

describe('signed links: every refusal has its reason', () => {
	const base = issued({ purpose: 'checkin', person: 'T001', date: '2026-03-02', slot: 'Morning' });
	const check = (f: Record<string, unknown>, expect: Parameters<typeof verifyLink>[2] = { purpose: 'checkin' }, now = NOW) =>
		verifyLink(secrets, f, expect, { nowSeconds: now });

	it('tampered: a changed person, date, slot, expiry or signature, or a missing field', () => {
		expect(check({ ...base.fields, id: 'T002' }).reason).toBe('tampered');
		expect(check({ ...base.fields, date: '2026-03-03' }).reason).toBe('tampered');
		expect(check({ ...base.fields, slot: 'Afternoon' }).reason).toBe('tampered');
		expect(check({ ...base.fields, exp: String(NOW + 999_999) }).reason).toBe('tampered');
		expect(check({ ...base.fields, sig: base.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }).reason).toBe('tampered');
		expect(check({ ...base.fields, sig: '' }).reason).toBe('tampered');
		expect(check({ ...base.fields, sig: 'abc' }).reason).toBe('tampered');
		expect(check(without(base.fields, 'exp')).reason).toBe('tampered');
		expect(check(without(base.fields, 'date')).reason).toBe('tampered');
		expect(check({}).reason).toBe('tampered');
		expect(check({ ...base.fields }).message).not.toMatch(KEY);
	});

	it('tampered: a link made before purposes existed (campus-link/v1) is refused after the upgrade', () => {
		const exp = NOW + 3600;
		const v1 = ['campus-link/v1', 'T001', '', '', String(exp)].map((v) => encodeURIComponent(v)).join('\n');
		const sig = createHmac('sha256', KEY).update(v1).digest('base64url');
		expect(check({ id: 'T001', exp: String(exp), sig }).reason).toBe('tampered');
	});

	it('tampered: a link signed with another secret', () => {
		const other = issued({ purpose: 'checkin', person: 'T001' }, 24, { current: NEW_KEY });
		expect(check(other.fields).reason).toBe('tampered');
	});

	it('foreign: a link made for another form, even if its purpose field is removed', () => {
		const leave = issued({ purpose: 'leave-request', person: 'T001' });
		const v = check(leave.fields);
		expect(v.reason).toBe('foreign');
		expect(v.valid).toBe(false);
		// Without the purpose field, the form assumes its own purpose: the signature is then wrong.
		expect(check(without(leave.fields, 'purpose')).reason).toBe('tampered');
	});

	it('foreign: a link for another person, date, slot or request than the form expects', () => {
		expect(check(base.fields, { purpose: 'checkin', person: 'T002' }).reason).toBe('foreign');
		expect(check(base.fields, { purpose: 'checkin', date: '2026-03-03' }).reason).toBe('foreign');
		expect(check(base.fields, { purpose: 'checkin', slot: 'Afternoon' }).reason).toBe('foreign');
		expect(check(base.fields, { purpose: 'checkin', person: 'T001', slot: 'Morning' }).reason).toBe('valid');
		const standing = issued({ purpose: 'checkin', person: 'T001' });
		expect(check(standing.fields, { purpose: 'checkin', date: '2026-03-03', slot: 'Afternoon' }).reason).toBe('valid');
		expect(check(standing.fields, { purpose: 'checkin', person: 'T002' }).reason).toBe('foreign');
		const approval = issued({ purpose: 'leave-approval', person: 'C001', request: '17' });
		expect(check(approval.fields, { purpose: 'leave-approval', request: '18' }).reason).toBe('foreign');
		expect(check(approval.fields, { purpose: 'leave-approval', request: '17', person: 'C001' }).reason).toBe('valid');
	});

	it('expired: one second after its expiry, with the time in the message', () => {
		expect(check(base.fields, undefined, NOW + 24 * 3600).reason).toBe('valid');
		const late = check(base.fields, undefined, NOW + 24 * 3600 + 1);
		expect(late.reason).toBe('expired');
		expect(late.message).toMatch(/2026-03-03T00:00:00.000Z/);
	});

	it('used: the second use of a single-use link is refused; a standing link has no use key', () => {
		const used = new Set<string>();
		const first = verifyLink(secrets, base.fields, { purpose: 'checkin' }, { nowSeconds: NOW, used: (k) => used.has(k) });
		expect(first.reason).toBe('valid');
		used.add(first.useKey as string);
		const again = verifyLink(secrets, base.fields, { purpose: 'checkin' }, { nowSeconds: NOW, used: (k) => used.has(k) });
		expect(again.reason).toBe('used');
		const standing = issued({ purpose: 'checkin', person: 'T001' });
		const s = verifyLink(secrets, standing.fields, { purpose: 'checkin' }, { nowSeconds: NOW, used: true });
		expect(s.reason).toBe('valid');
		expect(s.useKey).toBeUndefined();
	});

	it('use keys: a request or nonce decides the key, and a "|" in a value cannot forge another key', () => {
		expect(useKey({ purpose: 'leave-approval', person: 'C001', request: '17' })).toBe('use|leave-approval|req:17');
		const n = issued({ purpose: 'supply-count', person: 'L001', nonce: true });
		expect(n.claims.nonce).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(useKey(n.claims)).toBe(`use|supply-count|nonce:${n.claims.nonce}`);
		expect(useKey({ purpose: 'checkin', person: 'a|b', date: 'c' })).not.toBe(useKey({ purpose: 'checkin', person: 'a', date: 'b|c' }));
	});
});

describe('signed links: rotating the secret', () => {
	const grace = NOW + 7 * 24 * 3600;
	const rotated = readSecrets(NEW_KEY, KEY, new Date(grace * 1000).toISOString());
	const oldLink = issued({ purpose: 'checkin', person: 'T001' }, 31 * 24);
	const newLink = issued({ purpose: 'checkin', person: 'T001' }, 24, rotated);

	it('signs with the new secret and accepts the previous one until the grace period ends', () => {
		expect(rotated).toEqual({ current: NEW_KEY, previous: KEY, previousUntil: grace });
		expect(verifyLink(rotated, newLink.fields, { purpose: 'checkin' }, { nowSeconds: NOW })).toMatchObject({
			reason: 'valid',
			signedWith: 'current',
		});
		expect(verifyLink(rotated, oldLink.fields, { purpose: 'checkin' }, { nowSeconds: grace })).toMatchObject({
			reason: 'valid',
			signedWith: 'previous',
		});
		expect(verifyLink(rotated, oldLink.fields, { purpose: 'checkin' }, { nowSeconds: grace + 1 }).reason).toBe('tampered');
		// Without the previous secret, an old link is refused at once (what to do if the secret leaked).
		expect(verifyLink({ current: NEW_KEY }, oldLink.fields, { purpose: 'checkin' }, { nowSeconds: NOW }).reason).toBe('tampered');
	});
});
