import { exportFiles, safeCell, type ExportFile } from '../../nodes/TeachingAccounts/export';
import { initialPassword, settingsThatKeepPasswords } from '../../nodes/TeachingAccounts/passwords';
import { planAccounts } from '../../nodes/TeachingAccounts/plan';

const domain = 'school.edu.cn';
const roster = [
	{ 姓名: '张伟', 学号: '20230101', 班级: '一(1)班', 角色: '学生' },
	{ 姓名: '王芳', 学号: '20230102', 班级: '一(1)班', 角色: '学生' },
	{ 姓名: '李娜', 学号: '20230201', 班级: '一(2)班', 角色: '学生' },
	{ 姓名: '刘老师', 工号: 'T01', 班级: '一(1)班', 角色: '班主任' },
	{ 姓名: '陈老师', 工号: 'T02', 角色: '教师' },
];
const accounts = () => planAccounts(roster, [], { domain }).accounts as unknown as Array<Record<string, unknown>>;
const fileOf = (files: ExportFile[], name: string) => files.find((f) => f.file === name) as ExportFile;
const ids = (f: ExportFile) => f.rows.map((r) => r.sourcedId);

describe('OneRoster export: never a duplicate sourcedId, every course row accounted for', () => {
	it('a class listed twice: the second row is reported, not exported again', () => {
		const courses = [
			{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' },
			{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T02' },
		];
		const r = exportFiles(accounts(), courses, { format: 'oneRoster', schoolYear: '2026' });
		expect(r.courseProblems).toEqual([{ row: 1, field: '科目', message: '一(1)班 数学 is already on course row 1; this row is not exported' }]);
		expect(r.usedCourseRows).toEqual([0]);
		for (const f of r.files) if (f.columns.includes('sourcedId')) expect(new Set(ids(f)).size).toBe(f.rows.length);
		expect(fileOf(r.files, 'classes.csv').rows.map((c) => c.title)).toEqual(['一(1)班', '一(2)班', '一(1)班 数学']);
	});

	it('a teacher named twice in one course (twice, or by id and by name) is enrolled once, as primary', () => {
		const r = exportFiles(accounts(), [{ 班级: '一(1)班', 科目: '语文', 任课教师: 'T02, T02、陈老师' }], { format: 'oneRoster', schoolYear: '2026' });
		const enrol = fileOf(r.files, 'enrollments.csv').rows;
		expect(new Set(ids(fileOf(r.files, 'enrollments.csv'))).size).toBe(enrol.length);
		const teacherRows = enrol.filter((e) => e.role === 'teacher' && e.userSourcedId === 'u-T02');
		expect(teacherRows).toHaveLength(1);
		expect(teacherRows[0].primary).toBe('true');
		expect(r.courseProblems).toEqual([]);
	});

	it('a subject named like the homeroom gets its own course', () => {
		const r = exportFiles(accounts(), [{ 班级: '一(1)班', 科目: 'homeroom', 任课教师: 'T01' }], { format: 'oneRoster', schoolYear: '2026' });
		const courses = fileOf(r.files, 'courses.csv');
		expect(courses.rows.map((c) => c.title)).toEqual(['Homeroom', 'homeroom']);
		expect(new Set(ids(courses)).size).toBe(2);
	});

	it('reports course rows without a class or subject, and teachers that are not in the accounts', () => {
		const r = exportFiles(accounts(), [{ 班级: '一(1)班', 科目: '', 任课教师: 'T01' }, {}, { 班级: '一(2)班', 科目: '英语', 任课教师: 'T01, T99' }], { format: 'oneRoster', schoolYear: '2026' });
		expect(r.courseProblems).toEqual([
			{ row: 0, field: '科目', message: '"科目" is empty: the course row is not exported' },
			{ row: 2, field: '任课教师', message: 'teachers not in the accounts, not enrolled in 一(2)班 英语: T99' },
		]);
		expect(r.usedCourseRows).toEqual([2]);
	});

	it('one person, one row: a second row with the same personId or email is reported', () => {
		const a = accounts();
		const r = exportFiles([...a, { ...a[0] }, { ...a[1], personId: 'OTHER' }], [], { format: 'oneRoster', schoolYear: '2026' });
		expect(r.problems).toEqual([
			{ row: 5, field: 'personId', message: 'personId 20230101 is also on row 1' },
			{ row: 6, field: 'primaryEmail', message: 'wangfang2023@school.edu.cn is also on row 2' },
		]);
		expect(new Set(ids(fileOf(r.files, 'users.csv'))).size).toBe(5);
	});
});

describe('exported cells that a spreadsheet would run as formulas', () => {
	it.each([
		['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
		['+cmd|/c calc', `'+cmd|/c calc`],
		['-2+3+cmd', `'-2+3+cmd`],
		['@SUM(A1)', `'@SUM(A1)`],
		['\t=1', `'\t=1`],
		['+86 138 0000 0000', '+86 138 0000 0000'],
		['-5', '-5'],
		['张伟', '张伟'],
		['a=b', 'a=b'],
	])('%j -> %j', (input, output) => {
		expect(safeCell(input)).toBe(output);
	});

	it('are neutralised in every format', () => {
		const rows = planAccounts([{ 姓名: '张伟', 学号: '20230101', 班级: '=cmd|x', 角色: '学生', 家长手机: '@evil' }], [], { domain }).accounts as unknown as Array<Record<string, unknown>>;
		for (const format of ['oneRoster', 'dingtalk', 'wecom', 'passwords'] as const) {
			const { files } = exportFiles(rows, [], { format, schoolYear: '2026', passwordSecret: 's3cret-s3cret' });
			const cells = files.flatMap((f) => f.rows.flatMap((r) => Object.values(r)));
			expect(cells.filter((c) => /^[=+@]/.test(c) || /^-[^\d]/.test(c))).toEqual([]);
			expect(cells).toEqual(expect.arrayContaining([`'=cmd|x`]));
		}
	});
});

describe('initial passwords and the execution history', () => {
	it('password sheets leave the password column out when asked', () => {
		const { files } = exportFiles(accounts(), [], { format: 'passwords', passwordSecret: 'secret', includePasswords: false });
		expect(files[0].columns).toEqual(['姓名', '学号', '班级', '账号']);
		expect(JSON.stringify(files)).not.toContain(initialPassword('secret', '20230101'));
		const withThem = exportFiles(accounts(), [], { format: 'passwords', passwordSecret: 'secret' });
		expect(JSON.stringify(withThem.files)).toContain(initialPassword('secret', '20230101'));
	});

	it('names the workflow settings that would keep them', () => {
		expect(settingsThatKeepPasswords({}, 'manual')).toEqual(['Save manual executions', 'Save failed production executions']);
		expect(settingsThatKeepPasswords({ saveDataSuccessExecution: 'DEFAULT' }, 'trigger')).toEqual(['Save successful production executions', 'Save failed production executions']);
		expect(settingsThatKeepPasswords({ saveManualExecutions: false, saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none' }, 'manual')).toEqual([]);
		expect(settingsThatKeepPasswords({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none' }, 'webhook')).toEqual([]);
	});
});
