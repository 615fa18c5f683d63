/** Signing links (nodes/shared/linkSign.ts): the key per purpose, the signed text, the URL. */
import { createHmac } from 'crypto';
import type { LinkClaims } from '../../nodes/shared/linkClaims';
import { canonicalClaims, issueLink, purposeKey, signWith } from '../../nodes/shared/linkSign';
import { verifyLink } from '../../nodes/shared/linkVerify';
import { KEY, NOW, issued, secrets, thrown } from '../helpers/links';

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

	it('names the field holding half of a character instead of failing with "URI malformed"', () => {
		const e = thrown(() => issueLink(secrets, { purpose: 'checkin', person: 'T1', slot: 'M\uD800' }, NOW, 1));
		expect(e).toMatchObject({ field: 'slot', message: 'The slot "M\uFFFD" holds a broken character (half of a UTF-16 pair)' });
		expect(thrown(() => issueLink(secrets, { purpose: 'checkin', person: 'T\uDC00' }, NOW, 1)).field).toBe('id');
		expect(issueLink(secrets, { purpose: 'checkin', person: '张\u{20BB7}' }, NOW, 1).claims.person).toBe('张\u{20BB7}');
	});
});
