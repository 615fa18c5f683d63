/** Signed links end to end through nodes/shared/links.ts: properties over many generated links. */
import { DEFAULT_LINK_FIELDS, MAX_VALID_HOURS, linkUrl, verifyLink } from '../../nodes/shared/links';
import { NOW, issued, prng, secrets, thrown } from '../helpers/links';

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
