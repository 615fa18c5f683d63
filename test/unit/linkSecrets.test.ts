/** The link secret (nodes/shared/linkSecrets.ts): its floor and the rotation rules. */
import { checkSecretFloor, readSecrets } from '../../nodes/shared/linkSecrets';
import { issueLink } from '../../nodes/shared/linkSign';
import { KEY, NEW_KEY, NOW, thrown } from '../helpers/links';

describe('signed links: the secret', () => {
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

	const grace = NOW + 7 * 24 * 3600;

	it('needs an end date for the previous secret, a different value, and the same floor', () => {
		expect(thrown(() => readSecrets(NEW_KEY, KEY)).field).toBe('rotationGraceUntil');
		expect(thrown(() => readSecrets(NEW_KEY, KEY, 'next week')).field).toBe('rotationGraceUntil');
		expect(thrown(() => readSecrets(KEY, KEY, grace)).field).toBe('previousSecret');
		expect(thrown(() => readSecrets(NEW_KEY, 'short', grace)).field).toBe('previousSecret');
		expect(readSecrets(NEW_KEY, '', '')).toEqual({ current: NEW_KEY });
		expect(readSecrets(NEW_KEY, KEY, String(grace)).previousUntil).toBe(grace);
	});
});
