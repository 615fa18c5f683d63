/** The parts of a link (nodes/shared/linkClaims.ts): a bounded validity and a purpose label. */
import { MAX_VALID_HOURS, checkPurpose, readValidity } from '../../nodes/shared/linkClaims';
import { issueLink } from '../../nodes/shared/linkSign';
import { NOW, secrets, thrown } from '../helpers/links';

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

	it('refuses a purpose that is not a short lowercase label, and a link with no person', () => {
		for (const bad of ['', 'Check In', 'checkin!', '1st', 'x'.repeat(41), undefined]) {
			expect(thrown(() => checkPurpose(bad)).field).toBe('purpose');
		}
		expect(checkPurpose('leave-approval')).toBe('leave-approval');
		expect(thrown(() => issueLink(secrets, { purpose: 'checkin', person: ' ' }, NOW, 24)).field).toBe('id');
	});
});
