import { createHmac } from 'crypto';
import { InputError } from '../../nodes/shared/errors';
import {
	DEFAULT_LINK_FIELDS,
	MAX_VALID_HOURS,
	canonicalClaims,
	checkPurpose,
	checkSecretFloor,
	issueLink,
	linkUrl,
	purposeKey,
	readSecrets,
	readValidity,
	signWith,
	useKey,
	verifyLink,
	type LinkClaims,
	type LinkSecrets,
} from '../../nodes/shared/links';

// Built at run time so that the lint does not take a test key for a real secret.
const KEY = ['test-secret', '0123456789'].join('-');
const NEW_KEY = ['rotated-secret', 'abcdefghij'].join('-');
const NOW = 1_772_409_600; // 2026-03-02T00:00:00Z
const secrets: LinkSecrets = { current: KEY };

/** The query parameters of a link, as the form's hidden fields receive them. */
function fieldsOf(url: string): Record<string, string> {
	return Object.fromEntries(new URL(url).searchParams.entries());
}

function issued(input: Parameters<typeof issueLink>[1], hours: unknown = 24, s = secrets) {
	const { claims, sig } = issueLink(s, input, NOW, hours);
	return { claims, sig, fields: fieldsOf(linkUrl('https://n8n.example.edu/form/x', claims, sig)) };
}

function without(fields: Record<string, string>, name: string): Record<string, string> {
	return Object.fromEntries(Object.entries(fields).filter(([k]) => k !== name));
}

/** A small seeded generator, so the property checks below are repeatable. */
function prng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function thrown(fn: () => unknown): InputError {
	try {
		fn();
	} catch (e) {
		if (e instanceof InputError) return e;
		throw e;
	}
	throw new Error('expected an InputError');
}

describe('signed links: signature and key per purpose', () => {
	it('matches a known vector: purpose key = HMAC(secret, label), signature = HMAC(purpose key, claims)', () => {
		const claims: LinkClaims = { purpose: 'checkin', person: 'T001', date: '2026-03-02', slot: 'Morning', exp: NOW + 3600 };
		expect(canonicalClaims(claims)).toBe('campus-link%2Fv2\ncheckin\nT001\n2026-03-02\nMorning\n\n\n1772413200');
		const k = createHmac('sha256', KEY).update('campus-link/v2/purpose\ncheckin').digest();
		expect(purposeKey(KEY, 'checkin').equals(k)).toBe(true);
		expect(signWith(KEY, claims)).toBe(createHmac('sha256', k).update(canonicalClaims(claims)).digest('base64url'));
	});

	it('keeps claims apart: a value cannot slide into the next field', () => {
		const a = signWith(KEY, { purpose: 'checkin', person: 'T1', date: '2026-03-02', exp: NOW });
		const b = signWith(KEY, { purpose: 'checkin', person: 'T1\n2026-03-02', exp: NOW });
		const c = signWith(KEY, { purpose: 'checkin', person: 'T1', slot: '2026-03-02', exp: NOW });
		expect(new Set([a, b, c]).size).toBe(3);
	});

	it('gives each purpose its own key: the same claims signed for two forms differ', () => {
		const a = signWith(KEY, { purpose: 'checkin', person: 'T001', exp: NOW });
		const b = signWith(KEY, { purpose: 'leave-request', person: 'T001', exp: NOW });
		expect(a).not.toBe(b);
		expect(purposeKey(KEY, 'checkin').equals(purposeKey(KEY, 'leave-request'))).toBe(false);
	});

	it('verifies the link it made', () => {
		const { fields } = issued({ purpose: 'checkin', person: 'T001', date: '2026-03-02', slot: 'Morning' });
		const v = verifyLink(secrets, fields, { purpose: 'checkin' }, { nowSeconds: NOW + 60 });
		expect(v).toMatchObject({ reason: 'valid', valid: true, signedWith: 'current' });
		expect(v.claims).toMatchObject({ person: 'T001', date: '2026-03-02', slot: 'Morning', exp: NOW + 24 * 3600 });
		expect(v.useKey).toBe('use|checkin|T001|2026-03-02|Morning');
	});
});

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

describe('signed links: validity, purposes and secrets', () => {
	it('refuses a validity of 0, a negative number, text, or more than 31 days, naming the field', () => {
		for (const bad of [0, -1, '0', '-24', 'abc', '', NaN, Infinity, MAX_VALID_HOURS + 1, '1e9', true, null]) {
			const e = thrown(() => readValidity(bad));
			expect(e.field).toBe('validHours');
		}
		expect(thrown(() => readValidity(0)).message).toMatch(/must expire/);
		expect(thrown(() => readValidity(800)).message).toMatch(/longest validity, 744 hours/);
		expect(readValidity('24')).toBe(24);
		expect(readValidity(0.5)).toBe(0.5);
		expect(readValidity(MAX_VALID_HOURS)).toBe(MAX_VALID_HOURS);
		expect(thrown(() => issueLink(secrets, { purpose: 'checkin', person: 'T1' }, NOW, 0)).field).toBe('validHours');
	});

	it('names the field holding half of a character instead of failing with "URI malformed"', () => {
		const e = thrown(() => issueLink(secrets, { purpose: 'checkin', person: 'T1', slot: 'M\uD800' }, NOW, 1));
		expect(e).toMatchObject({ field: 'slot', message: 'The slot "M\uFFFD" holds a broken character (half of a UTF-16 pair)' });
		expect(thrown(() => issueLink(secrets, { purpose: 'checkin', person: 'T\uDC00' }, NOW, 1)).field).toBe('id');
		expect(issueLink(secrets, { purpose: 'checkin', person: '张\u{20BB7}' }, NOW, 1).claims.person).toBe('张\u{20BB7}');
	});

	it('refuses a purpose that is not a short lowercase label, and a link with no person', () => {
		for (const bad of ['', 'Check In', 'checkin!', '1st', 'x'.repeat(41), undefined]) {
			expect(thrown(() => checkPurpose(bad)).field).toBe('purpose');
		}
		expect(checkPurpose('leave-approval')).toBe('leave-approval');
		expect(thrown(() => issueLink(secrets, { purpose: 'checkin', person: ' ' }, NOW, 24)).field).toBe('id');
	});

	it('has a floor for secrets: short or simple values are refused without showing them', () => {
		const short = 'abc123';
		const e = thrown(() => checkSecretFloor(short));
		expect(e.message).toBe('The link secret must be at least 16 characters long (it has 6)');
		expect(e.message).not.toContain(short);
		expect(thrown(() => checkSecretFloor('a'.repeat(40))).message).toMatch(/too simple/);
		expect(thrown(() => checkSecretFloor(undefined)).field).toBe('secret');
		const pw = thrown(() => checkSecretFloor('short', 'passwordSecret', 'The initial password secret'));
		expect(pw).toMatchObject({ field: 'passwordSecret', message: expect.stringMatching(/^The initial password secret must be/) });
		expect(checkSecretFloor(KEY)).toBe(KEY);
		expect(thrown(() => issueLink({ current: 'short' }, { purpose: 'checkin', person: 'T1' }, NOW, 1)).field).toBe('secret');
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

	it('needs an end date for the previous secret, a different value, and the same floor', () => {
		expect(thrown(() => readSecrets(NEW_KEY, KEY)).field).toBe('rotationGraceUntil');
		expect(thrown(() => readSecrets(NEW_KEY, KEY, 'next week')).field).toBe('rotationGraceUntil');
		expect(thrown(() => readSecrets(KEY, KEY, grace)).field).toBe('previousSecret');
		expect(thrown(() => readSecrets(NEW_KEY, 'short', grace)).field).toBe('previousSecret');
		expect(readSecrets(NEW_KEY, '', '')).toEqual({ current: NEW_KEY });
		expect(readSecrets(NEW_KEY, KEY, String(grace)).previousUntil).toBe(grace);
	});
});

describe('signed links: properties over many generated links (seeded)', () => {
	const rand = prng(19);
	const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
	const word = (n: number) =>
		Array.from({ length: 1 + Math.floor(rand() * n) }, () => pick([...'abcXYZ019|&=?#%+ 张王李\n'])).join('');
	const purposes = ['checkin', 'leave-request', 'leave-approval', 'swap-request', 'visit-approval'];

	it('a link verifies as made; changing any one field (or the purpose) never verifies as valid', () => {
		for (let i = 0; i < 300; i++) {
			const input = {
				purpose: pick(purposes),
				person: word(8).trim() || 'p',
				date: rand() < 0.5 ? '2026-03-0' + (1 + Math.floor(rand() * 9)) : undefined,
				slot: rand() < 0.5 ? word(6) : undefined,
				request: rand() < 0.3 ? String(Math.floor(rand() * 1000)) : undefined,
			};
			const made = issued(input, 1 + Math.floor(rand() * MAX_VALID_HOURS));
			const expectPurpose = { purpose: made.claims.purpose };
			expect(verifyLink(secrets, made.fields, expectPurpose, { nowSeconds: NOW }).reason).toBe('valid');
			for (const name of Object.keys(made.fields)) {
				if (name === 'sig') continue;
				const changed = { ...made.fields, [name]: made.fields[name] + 'x' };
				expect(verifyLink(secrets, changed, expectPurpose, { nowSeconds: NOW }).valid).toBe(false);
			}
			const elsewhere = pick(purposes.filter((p) => p !== made.claims.purpose));
			expect(verifyLink(secrets, made.fields, { purpose: elsewhere }, { nowSeconds: NOW }).reason).toBe('foreign');
			expect(verifyLink(secrets, made.fields, expectPurpose, { nowSeconds: made.claims.exp + 1 }).reason).toBe('expired');
		}
	});

	it('any random signature is refused as tampered', () => {
		const made = issued({ purpose: 'checkin', person: 'T001' });
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		for (let i = 0; i < 200; i++) {
			const sig = Array.from({ length: 43 }, () => pick([...alphabet])).join('');
			expect(verifyLink(secrets, { ...made.fields, sig }, { purpose: 'checkin' }, { nowSeconds: NOW }).reason).toBe('tampered');
		}
	});

	it('the URL carries each field under its own name', () => {
		const made = issued({ purpose: 'leave-approval', person: 'C001', request: '17' });
		expect(Object.keys(made.fields).sort()).toEqual(
			['purpose', 'id', 'request', 'exp', 'sig'].map((k) => DEFAULT_LINK_FIELDS[k as keyof typeof DEFAULT_LINK_FIELDS]).sort(),
		);
		expect(thrown(() => linkUrl('not a url', made.claims, made.sig)).field).toBe('formUrl');
		expect(thrown(() => linkUrl('javascript:alert(1)', made.claims, made.sig)).field).toBe('formUrl');
	});
});
