/** The steps of Provision, each on its own against the fake Google server: ledger, org units, users, courses. */
import { readAccounts } from '../../nodes/TeachingAccounts/provisionInput';
import { ensureCourses } from '../../nodes/TeachingAccounts/provisionCourses';
import { Ledger, type Call } from '../../nodes/TeachingAccounts/provisionLedger';
import { ensureOrgUnits, orgUnitChain } from '../../nodes/TeachingAccounts/provisionOrgUnits';
import { ensureUsers, userPatch } from '../../nodes/TeachingAccounts/provisionUsers';
import { googleThroughN8n } from '../fakes/google';
import { useFakeGoogle } from '../helpers/fakeGoogleServer';

const call: Call = (fn) => fn();
const account = (personId: string, username: string, cls: string, role = 'student') => ({
	action: 'create',
	personId,
	name: '张伟',
	familyName: '张',
	givenName: '伟',
	role,
	class: cls,
	primaryEmail: `${username}@school.example.cn`,
	orgUnitPath: role === 'student' ? `/Students/${cls}` : '/Teachers',
});

describe('Provision: the ledger', () => {
	it('keeps the first failure and adds later ones; a success turned failure keeps only the failure', () => {
		const ledger = new Ledger();
		const p = readAccounts([account('S1', 'a', '1班')]).people[0];
		ledger.succeed(p, 'created');
		expect(ledger.ok(p)).toBe(true);
		ledger.fail(p, 'first');
		ledger.fail(p, 'second');
		expect(ledger.get(0)).toMatchObject({ ok: false, error: 'first; second', result: 'created' });
		expect(ledger.ok(undefined)).toBe(true);
	});

	it('records the field of a row failure', () => {
		const ledger = new Ledger();
		ledger.fail({ row: 3, account: {} }, 'x@s is also on row 1', 'primaryEmail');
		expect(ledger.get(3)).toMatchObject({ row: 3, ok: false, field: 'primaryEmail' });
	});
});

describe('Provision: org units, users and courses (fake Google)', () => {
	const fakeGoogle = useFakeGoogle({ creationDelayMs: 0 });
	const google = () => googleThroughN8n({ ...fakeGoogle().credentials });

	it('lists the chain of an org unit parents first', () => {
		expect(orgUnitChain('/Students/一(1)班/')).toEqual(['/Students', '/Students/一(1)班']);
		expect(orgUnitChain('/')).toEqual([]);
	});

	it('creates the missing org units parents first, and nothing on a second run', async () => {
		const { people } = readAccounts([account('S1', 'a', '1班'), account('S2', 'b', '2班'), account('T1', 't', '', 'teacher')]);
		const first = await ensureOrgUnits(google(), call, people, new Ledger(), 2);
		expect(first.created.sort()).toEqual(['/Students', '/Students/1班', '/Students/2班', '/Teachers']);
		expect(first.created.indexOf('/Students')).toBeLessThan(first.created.indexOf('/Students/1班'));
		const again = await ensureOrgUnits(google(), call, people, new Ledger(), 2);
		expect(again).toEqual({ created: [], failed: new Map() });
	});

	it('creates users once, then finds them; patches what moved', async () => {
		const rows = [account('S1', 'a', '1班'), account('S2', 'b', '1班')];
		const { people } = readAccounts(rows);
		await ensureOrgUnits(google(), call, people, new Ledger(), 2);
		const ledger = new Ledger();
		const made = await ensureUsers(google(), call, people, ledger, { passwordSecret: 's', concurrency: 2, failedUnits: new Map() });
		expect([...made].sort()).toEqual(['a@school.example.cn', 'b@school.example.cn']);
		expect([...ledger.outcomes.values()].map((o) => o.result)).toEqual(['created', 'created']);
		expect(fakeGoogle().state().users.every((u) => u.hashFunction === 'SHA-1' && u.changePasswordAtNextLogin)).toBe(true);
		const found = { primaryEmail: 'a@school.example.cn', orgUnitPath: '/Students/1班', name: { familyName: '张', givenName: '伟' }, externalIds: [{ value: 'S1' }] };
		expect(userPatch(found, people[0])).toBeUndefined();
		expect(userPatch({ ...found, orgUnitPath: '/Students/9班' }, people[0])).toEqual({ orgUnitPath: '/Students/1班' });
		const second = new Ledger();
		await ensureUsers(google(), call, people, second, { passwordSecret: 's', concurrency: 2, failedUnits: new Map() });
		expect([...second.outcomes.values()].map((o) => o.result)).toEqual(['exists', 'exists']);
	});

	it('fails the people of an org unit that could not be created, naming it', async () => {
		const { people } = readAccounts([account('S1', 'a', '1班')]);
		const ledger = new Ledger();
		await ensureUsers(google(), call, people, ledger, { passwordSecret: 's', concurrency: 1, failedUnits: new Map([['/Students', 'HTTP 403']]) });
		expect(ledger.get(0)).toMatchObject({ ok: false, error: 'Org unit /Students/1班 could not be created: HTTP 403' });
		expect(fakeGoogle().state().users).toHaveLength(0);
	});

	it('creates a course per class and subject with its teacher as owner and the students as members', async () => {
		const { people } = readAccounts([account('S1', 'a', '1班'), account('S2', 'b', '1班'), account('T1', 't', '', 'teacher')]);
		const ledger = new Ledger();
		await ensureOrgUnits(google(), call, people, ledger, 2);
		const createdNow = await ensureUsers(google(), call, people, ledger, { passwordSecret: 's', concurrency: 2, failedUnits: new Map() });
		const courses = await ensureCourses(google(), call, [{ 班级: '1班', 科目: '数学', 任课教师: 'T1' }, { 班级: '1班', 科目: '' }], people, ledger, {
			concurrency: 2,
			createdNow,
		});
		expect(courses).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ row: 0, ok: true, result: 'created', teachers: 1, students: 2 }),
				expect.objectContaining({ row: 1, ok: false, error: expect.stringMatching(/^Row 2, field /) }),
			]),
		);
		expect(courses).toHaveLength(2);
		const name = courses.find((c) => c.ok)?.courseName;
		expect(ledger.get(0)?.courses).toEqual([name]);
		expect(ledger.get(2)?.courses).toEqual([name]);
	});
});
