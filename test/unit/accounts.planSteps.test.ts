/** The steps of Plan Accounts, each on its own: the roster read, the existing accounts, the derived usernames. */
import { assignDerived } from '../../nodes/TeachingAccounts/planDerived';
import { readExisting } from '../../nodes/TeachingAccounts/planExisting';
import { readRosterPeople } from '../../nodes/TeachingAccounts/planRoster';

const tokens = { student: ['surname', 'given', 'year'], teacher: ['surname', 'given'] };

describe('Plan Accounts: reading the roster', () => {
	it('reads each person with the ID of their role, the reading of the name and the entry year', () => {
		const { people, problems } = readRosterPeople(
			[
				{ 姓名: '单雄信', 学号: '20230101', 班级: '一(1)班', 角色: '学生' },
				{ 姓名: '刘芳', 工号: 'T001', 班级: '一(1)班', 角色: '班主任' },
			],
			{ tokens },
		);
		expect(problems).toEqual([]);
		expect(people[0]).toMatchObject({ row: 0, id: '20230101', role: 'student', year: '2023', className: '一(1)班' });
		expect(people[0].reading.surname).toBe('单');
		expect(people[1]).toMatchObject({ row: 1, id: 'T001', role: 'teacher', isClassTeacher: true });
	});

	it('names the row and the field of a bad row, and reads the others', () => {
		const { people, problems } = readRosterPeople(
			[
				{ 姓名: '张伟', 学号: '20230101', 班级: '一(1)班', 角色: '学生' },
				{ 姓名: '李娜', 学号: '20230102', 角色: '学生' },
				{ 姓名: '王强', 学号: 'x', 班级: '一(1)班', 角色: '学生' },
			],
			{ tokens },
		);
		expect(people.map((p) => p.row)).toEqual([0]);
		expect(problems).toEqual([
			expect.objectContaining({ row: 1, field: '班级', message: 'A student needs a class' }),
			expect.objectContaining({ row: 2, field: '入学年份' }),
		]);
	});

	it('takes the default role for an empty role, and refuses an unknown one with a short excerpt', () => {
		const long = '角'.repeat(5000);
		const { people, problems } = readRosterPeople(
			[
				{ 姓名: '张伟', 工号: 'T1' },
				{ 姓名: '李娜', 工号: 'T2', 角色: long },
			],
			{ tokens, defaultRole: 'teacher' },
		);
		expect(people).toHaveLength(1);
		expect(people[0].role).toBe('teacher');
		expect(problems[0]).toMatchObject({ row: 1, field: '角色' });
		expect(problems[0].message.length).toBeLessThan(100);
	});
});

describe('Plan Accounts: reading the existing accounts', () => {
	it('indexes by id and by username in the domain; a bare username takes the domain', () => {
		const { byId, byUsername, problems } = readExisting(
			[
				{ primaryEmail: 'ZhangWei@school.edu.cn', personId: 'S1', orgUnitPath: '/Students/1' },
				{ primaryEmail: 'liuna', personId: 'S2' },
				{ primaryEmail: 'other@elsewhere.cn', personId: 'S1' },
				{ personId: 'S3' },
			],
			'school.edu.cn',
		);
		expect([...byUsername.keys()]).toEqual(['zhangwei', 'liuna']);
		expect(byId.get('S1')?.map((e) => e.email)).toEqual(['zhangwei@school.edu.cn', 'other@elsewhere.cn']);
		expect(problems).toEqual([expect.objectContaining({ row: 3, field: 'primaryEmail', message: 'The account has no email' })]);
	});

	it('reads Google-shaped nested fields (name.fullName, externalIds)', () => {
		const { byId } = readExisting([{ primaryEmail: 'a@s.cn', externalIds: [{ value: 'S9' }], name: { fullName: '张三' } }], 's.cn');
		expect(byId.get('S9')?.[0]).toMatchObject({ name: '张三', username: 'a' });
	});
});

describe('Plan Accounts: derived usernames', () => {
	const run = (pending: Array<{ id: string; base: string }>, taken: string[] = []) => {
		const got = new Map<string, [string, string]>();
		assignDerived(
			pending.map((p) => ({ ...p, target: p.id })),
			new Set(taken),
			(id, username, reason) => got.set(id, [username, reason]),
		);
		return got;
	};

	it('gives a lone person a free base name as it is', () => {
		expect(run([{ id: 'S1', base: 'zhangwei' }]).get('S1')).toEqual(['zhangwei', 'New account']);
	});

	it('gives everyone on a shared base a suffix from the ID, in ID order, whatever the input order', () => {
		const a = run([
			{ id: '20230102', base: 'zhangwei' },
			{ id: '20230101', base: 'zhangwei' },
		]);
		const b = run([
			{ id: '20230101', base: 'zhangwei' },
			{ id: '20230102', base: 'zhangwei' },
		]);
		expect(a).toEqual(b);
		expect(a.get('20230101')?.[0]).not.toBe('zhangwei');
		expect(a.get('20230101')?.[0]).not.toBe(a.get('20230102')?.[0]);
		expect(a.get('20230101')?.[1]).toMatch(/2 people would be zhangwei/);
	});

	it('suffixes a base that an existing account holds, and never hands out a taken name', () => {
		const got = run([{ id: '20230105', base: 'liuna' }], ['liuna']);
		const [username, reason] = got.get('20230105') ?? ['', ''];
		expect(username).toMatch(/^liuna.+/);
		expect(reason).toMatch(/liuna is taken/);
	});
});
