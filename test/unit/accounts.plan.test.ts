import { planAccounts, type PlannedAccount } from '../../nodes/TeachingAccounts/plan';

const domain = 'school.edu.cn';
const student = (姓名: string, 学号: string, 班级 = '一(1)班') => ({ 姓名, 学号, 班级, 角色: '学生' });
const by = (accounts: PlannedAccount[], id: string) => accounts.find((a) => a.personId === id) as PlannedAccount;

describe('Plan Accounts', () => {
	it('creates new people with usernames, emails and class org units', () => {
		const { accounts, problems } = planAccounts(
			[student('单雄信', '20230101'), { 姓名: '仇老师', 学号: 'T01', 角色: '班主任', 班级: '一(1)班' }],
			[],
			{ domain },
		);
		expect(problems).toEqual([]);
		expect(by(accounts, '20230101')).toMatchObject({
			action: 'create',
			username: 'shanxiongxin2023',
			primaryEmail: 'shanxiongxin2023@school.edu.cn',
			orgUnitPath: '/Students/一(1)班',
			familyName: '单',
			givenName: '雄信',
			role: 'student',
		});
		expect(by(accounts, 'T01')).toMatchObject({ action: 'create', username: 'qiulaoshi', orgUnitPath: '/Teachers', isClassTeacher: true, role: 'teacher' });
	});

	it('finds the ID per row and per role: 学号 for students, 工号 for teachers, whatever comes first', () => {
		const rows = [
			{ 姓名: '张伟', 学号: '20230101', 班级: '一(1)班', 角色: '学生' },
			{ 姓名: '刘芳', 工号: 'T001', 班级: '一(1)班', 角色: '班主任' },
			{ 姓名: '陈静', 工号: 'T002', 角色: '教师' },
			{ 姓名: '王强', 学号: '', 工号: 'T003', 角色: '教师' },
			{ 姓名: '李娜', 学号: '20230102', 工号: 'X9', 班级: '一(1)班', 角色: '学生' },
		];
		for (const order of [rows, [...rows].reverse()]) {
			const { accounts, problems } = planAccounts(order, [], { domain });
			expect(problems).toEqual([]);
			expect(accounts.map((a) => a.personId).sort()).toEqual(['20230101', '20230102', 'T001', 'T002', 'T003']);
		}
		const { problems } = planAccounts([...rows, { 姓名: '赵云', 角色: '教师' }], [], { domain });
		expect(problems).toEqual([{ row: 5, field: '工号', message: '"工号" is empty' }]); // a teacher: named by the staff number
		expect(() => planAccounts([{ 姓名: '赵云', 编码: 'x' }], [], { domain })).toThrow(/no column "学号" or "工号"/);
	});

	it('keeps names as written in familyName and givenName (dots, Latin capitals and accents, astral characters)', () => {
		const { accounts } = planAccounts(
			[student('买买提·艾力', '20230201'), student('José Núñez', '20230202'), student('𠮷野家', '20230203'), { ...student('阿沛·阿旺晋美', '20230204'), 姓: '阿沛' }],
			[],
			{ domain },
		);
		expect(accounts.map((a) => [a.familyName, a.givenName, a.username, a.action])).toEqual([
			['艾力', '买买提', 'ailimaimaiti2023', 'create'],
			['Núñez', 'José', 'nunezjose2023', 'create'],
			['𠮷', '野家', '', 'conflict'],
			['阿沛', '阿旺晋美', 'apeiawangjinmei2023', 'create'],
		]);
		expect(accounts[2].reason).toBe('Cannot read "𠮷" as pinyin; give this person a username in a 用户名 (username) column');
	});

	it('quotes at most a short excerpt of a bad value, never cutting a character in half', () => {
		const huge = `${'𠮷'.repeat(39)}${'x'.repeat(1_000_000)}`;
		const { problems, accounts } = planAccounts([{ 姓名: '张伟', 学号: '1', 角色: huge }, { 姓名: '李娜', 学号: '2', 班级: '一(1)班', 角色: '学生', 用户名: huge }], [], { domain });
		expect(problems[0].message).toBe(`"${'𠮷'.repeat(39)}x…" is not a role`);
		expect(accounts[0].reason.length).toBeLessThan(200);
		expect(() => planAccounts([], [], { domain: huge })).toThrow(/^"𠮷{39}x…" is not a domain$/u);
	});

	it('gives clashing names a suffix from the id, whatever the row order', () => {
		const rows = [student('张伟', '20230117'), student('张伟', '20230242'), student('张伟', '20239917')];
		const a = planAccounts(rows, [], { domain }).accounts;
		const b = planAccounts([...rows].reverse(), [], { domain }).accounts;
		expect(a.map((x) => x.username).sort()).toEqual(['zhangwei202317', 'zhangwei202342', 'zhangwei2023917']);
		for (const x of a) expect(by(b, x.personId).username).toBe(x.username);
		expect(by(a, '20230117').reason).toMatch(/3 people would be zhangwei2023/);
	});

	it('never takes a username an existing account holds', () => {
		const { accounts } = planAccounts([student('张伟', '20230117')], [{ primaryEmail: 'zhangwei2023@school.edu.cn', personId: 'OTHER' }], { domain });
		expect(accounts[0]).toMatchObject({ action: 'create', username: 'zhangwei202317' });
		expect(accounts[0].reason).toMatch(/zhangwei2023 is taken/);
	});

	it('keeps the username of a person who has an account (stable across runs)', () => {
		const first = planAccounts([student('张伟', '20230117'), student('张伟', '20230242')], [], { domain }).accounts;
		const existing = first.map((a) => ({ primaryEmail: a.primaryEmail, personId: a.personId, orgUnitPath: a.orgUnitPath, name: a.name }));
		// A third 张伟 joins: the first two keep their names.
		const second = planAccounts([student('张伟', '20230117'), student('张伟', '20230242'), student('张伟', '20230300')], existing, { domain }).accounts;
		expect(by(second, '20230117')).toMatchObject({ action: 'keep', username: first[0].username });
		expect(by(second, '20230242')).toMatchObject({ action: 'keep', username: first[1].username });
		expect(by(second, '20230300').action).toBe('create');
		expect(new Set(second.map((a) => a.username)).size).toBe(3);
	});

	it('updates a student who changed class, with the reason', () => {
		const { accounts } = planAccounts([student('李雷', '20230105', '一(2)班')], [{ primaryEmail: 'lilei2023@school.edu.cn', externalIds: [{ type: 'organization', value: '20230105' }], orgUnitPath: '/Students/一(1)班', name: { fullName: '李雷' } }], { domain });
		expect(accounts[0]).toMatchObject({ action: 'update', username: 'lilei2023', previousOrgUnitPath: '/Students/一(1)班', orgUnitPath: '/Students/一(2)班' });
		expect(accounts[0].reason).toMatch(/org unit \/Students\/一\(1\)班 -> \/Students\/一\(2\)班/);
	});

	it('matches an account without an id by username and name', () => {
		const { accounts } = planAccounts([student('李雷', '20230105')], [{ email: 'lilei2023', 姓名: '李雷' }], { domain });
		expect(accounts[0]).toMatchObject({ action: 'keep', primaryEmail: 'lilei2023@school.edu.cn' });
	});

	it('marks conflicts with the reason', () => {
		const { accounts } = planAccounts(
			[
				student('王芳', '20230001'),
				student('王芳', '20230001'),
				{ ...student('陈静', '20230002'), 用户名: 'taken' },
				{ ...student('赵云', '20230003'), 用户名: 'Bad Name!' },
				student('𠀋明', '20230004'),
				student('周杰', '20230005'),
			],
			[
				{ primaryEmail: 'taken@school.edu.cn', personId: 'X1' },
				{ primaryEmail: 'a@school.edu.cn', personId: '20230005' },
				{ primaryEmail: 'b@school.edu.cn', personId: '20230005' },
			],
			{ domain },
		);
		expect(accounts[1]).toMatchObject({ action: 'conflict' });
		expect(accounts[1].reason).toMatch(/Duplicate id 20230001.*row 1/);
		expect(accounts[2].reason).toMatch(/belongs to another account \(taken@school.edu.cn, id X1\)/);
		expect(accounts[3].reason).toMatch(/is not valid/);
		expect(accounts[4].reason).toMatch(/Cannot read "𠀋" as pinyin/);
		expect(accounts[5].reason).toMatch(/has 2 existing accounts/);
		expect(accounts.filter((a) => a.action === 'conflict')).toHaveLength(5);
	});

	it('reports unreadable rows as problems naming row and field, and skips empty items', () => {
		const r = planAccounts([student('王芳', '20230001'), {}, { 姓名: '', 学号: '2', 班级: 'x' }, { 姓名: '李四', 学号: '3', 班级: 'x', 角色: 'parent' }, { 姓名: '刘五', 学号: 'A9', 角色: '学生' }], [], { domain, studentPattern: '{surname}{given}{year}' });
		expect(r.accounts).toHaveLength(1);
		expect(r.problems.map((p) => [p.row, p.field])).toEqual([
			[2, '姓名'],
			[3, '角色'],
			[4, '入学年份'],
		]);
		expect(r.existingProblems).toEqual([]);
	});

	it('names a missing roster column and a bad domain', () => {
		expect(() => planAccounts([{ name: 'x' }], [], { domain })).toThrow(/no column "学号"/);
		expect(() => planAccounts([], [], { domain: 'not a domain' })).toThrow(/is not a domain/);
	});

	it('plans 5,000 people with unique valid usernames', () => {
		const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗单仇尉迟欧阳';
		const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英';
		const rows = Array.from({ length: 5000 }, (_, i) => ({
			姓名: surnames[i % surnames.length] + given[(i * 7) % given.length] + (i % 3 ? given[(i * 13) % given.length] : ''),
			学号: String(20230000 + i),
			班级: `${(i % 6) + 1}年级${(i % 8) + 1}班`,
			角色: '学生',
		}));
		const { accounts } = planAccounts(rows, [], { domain });
		expect(accounts).toHaveLength(5000);
		expect(new Set(accounts.map((a) => a.username)).size).toBe(5000);
		for (const a of accounts) expect(a.username).toMatch(/^[a-z0-9][a-z0-9._'-]{0,63}$/);
	});
});
