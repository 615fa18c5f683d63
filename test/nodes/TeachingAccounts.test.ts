import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runInNewContext } from 'node:vm';
import { TeachingAccounts } from '../../nodes/TeachingAccounts/TeachingAccounts.node';
import { GoogleWorkspaceSchoolApi } from '../../credentials/GoogleWorkspaceSchoolApi.credentials';
import { n8nGoogleHttp } from '../fakes/google';
import { useFakeGoogle } from '../helpers/fakeGoogleServer';
import { makeContext } from '../helpers/context';
import { MIN_SECRET_LENGTH } from '../../nodes/shared/links';

const node = new TeachingAccounts();
const run = (ctx: IExecuteFunctions) => node.execute.call(ctx) as Promise<INodeExecutionData[][]>;

const roster = [
	{ 姓名: '单雄信', 学号: '20230101', 班级: '一(1)班', 角色: '学生', 家长手机: '13800000001' },
	{ 姓名: '吕小明', 学号: '20230102', 班级: '一(1)班', 角色: '学生' },
	{},
	{ 姓名: '', 学号: '20230103', 班级: '一(1)班', 角色: '学生' },
	{ 姓名: '刘老师', 学号: 'T01', 班级: '一(1)班', 角色: '班主任' },
];

describe('Teaching Accounts node', () => {
	it('has a complete description, and inputs that follow the operation', () => {
		const d = node.description;
		expect(d).toMatchObject({ name: 'teachingAccounts', version: 1, usableAsTool: true, group: ['transform'] });
		expect(d.icon).toEqual({ light: 'file:teachingAccounts.svg', dark: 'file:teachingAccounts.dark.svg' });
		expect(d.properties.find((p) => p.name === 'operation')?.noDataExpression).toBe(true);
		expect(d.credentials?.[0]).toMatchObject({ name: 'googleWorkspaceSchoolApi' });
		const expr = String(d.inputs);
		expect(expr.startsWith('={{(')).toBe(true);
		// The expression n8n evaluates, run in an empty context: it must need nothing outside itself.
		const fn = (p: IDataObject) => runInNewContext(expr.slice(3, -2), { $parameter: p }) as Array<{ type: string; displayName: string }>;
		expect(fn({ operation: 'plan' }).map((i) => i.displayName)).toEqual(['Roster', 'Existing Accounts']);
		expect(fn({ operation: 'provision' }).map((i) => i.displayName)).toEqual(['Accounts', 'Courses']);
		expect(fn({ operation: 'audit' })).toHaveLength(1);
		expect(fn({ operation: 'deviceSurvey' }).every((i) => i.type === 'main')).toBe(true);
	});

	it('plans from two inputs, pairs every item, and sends bad rows to the error side', async () => {
		const ctx = makeContext({
			parameters: { operation: 'plan', domain: 'school.edu.cn', studentPattern: '{surname}{given}{year}', teacherPattern: '{surname}{given}' },
			inputs: [roster, [{ primaryEmail: 'lyuxiaoming2023@school.edu.cn', personId: '20230102', orgUnitPath: '/Students/一(1)班', name: '吕小明' }]],
			continueOnFail: true,
		});
		const [out] = await run(ctx);
		const pair = (i: INodeExecutionData) => ({ item: (i.pairedItem as { item: number }).item, input: (i.pairedItem as { input?: number }).input ?? 0 });
		expect(out.map((i) => [i.json.action ?? 'error', pair(i)])).toEqual([
			['create', { item: 0, input: 0 }],
			['keep', { item: 1, input: 0 }],
			['error', { item: 3, input: 0 }],
			['create', { item: 4, input: 0 }],
		]);
		expect(out[0].json).toMatchObject({ username: 'shanxiongxin2023', guardianPhone: '13800000001' });
		expect(out[2].json.error).toMatch(/Row 4, field "姓名": "姓名" is empty/);
		for (const item of out.filter((i) => !i.json.error)) for (const [k, v] of Object.entries(item.json)) expect([k, typeof v === 'object' && v !== null]).toEqual([k, false]);
		// Error items hold only error and details, so n8n routes them to the error output.
		expect(Object.keys(out[2].json).sort()).toEqual(['details', 'error']);
		expect(out[2].json.details).toMatchObject({ row: 4, field: '姓名' });
	});

	it('throws a NodeOperationError naming the row when not continuing on fail', async () => {
		const ctx = makeContext({ parameters: { operation: 'plan', domain: 'school.edu.cn' }, inputs: [roster, []] });
		await expect(run(ctx)).rejects.toThrow(/Row 4, field "姓名"/);
		const bad = makeContext({ parameters: { operation: 'plan', domain: 'school.edu.cn', studentPattern: '{nick}' }, inputs: [roster, []] });
		await expect(run(bad)).rejects.toThrow(/Unknown placeholder/);
	});

	it('summarises a device survey per class and lists follow-ups, with the roster for non-answers', async () => {
		const answers = [
			{ 姓名: '单雄信', 班级: '一(1)班', 家中设备: '手机' },
			{ 姓名: '吕小明', 班级: '一(1)班', 家中设备: '无' },
			{ 姓名: '王芳', 班级: '一(2)班', 电脑: '有', 手机: '有' },
			{ 姓名: '李娜', 班级: '一(2)班', 家中设备: '收音机' },
		];
		const rosterRows = [...answers.map(({ 姓名, 班级 }) => ({ 姓名, 班级 })), { 姓名: '赵云', 班级: '一(2)班' }];
		const perClass = await run(makeContext({ parameters: { operation: 'deviceSurvey', surveyOutput: 'classes' }, inputs: [answers, rosterRows], continueOnFail: true }));
		const classes = perClass[0].filter((i) => !i.json.error).map((i) => i.json);
		expect(classes).toEqual([
			expect.objectContaining({ class: '一(1)班', respondents: 2, withPhone: 1, phoneOnly: 1, noDevice: 1, noDeviceStudents: '吕小明', notAnswered: 0 }),
			expect.objectContaining({ class: '一(2)班', respondents: 1, withComputer: 1, noDevice: 0, notAnswered: 2, notAnsweredStudents: '李娜、赵云' }),
		]);
		const err = perClass[0].find((i) => i.json.error);
		expect(err?.json.error).toMatch(/Row 4, field "家中设备": "收音机" names no device/);
		const follow = await run(makeContext({ parameters: { operation: 'deviceSurvey', surveyOutput: 'followUps', followUpPhoneOnly: true }, inputs: [answers, rosterRows], continueOnFail: true }));
		expect(follow[0].filter((i) => !i.json.error).map((i) => [i.json.name, i.json.issue, i.pairedItem])).toEqual([
			['单雄信', 'phone only', { item: 0, input: 0 }],
			['吕小明', 'no device', { item: 1, input: 0 }],
			['李娜', 'no answer', { item: 3, input: 1 }],
			['赵云', 'no answer', { item: 4, input: 1 }],
		]);
		// Issue 16: the answers that need no follow-up come out on "No Follow-Up", as they came in.
		expect(follow[1].map((i) => [i.json, i.pairedItem])).toEqual([[answers[2], { item: 2 }]]);
		const outputs = (p: IDataObject) => runInNewContext(String(node.description.outputs).slice(3, -2), { $parameter: p }) as Array<{ displayName?: string }>;
		expect(outputs({ operation: 'deviceSurvey', surveyOutput: 'followUps' }).map((o) => o.displayName)).toEqual(['Follow-Ups', 'No Follow-Up']);
		expect(outputs({ operation: 'deviceSurvey', surveyOutput: 'classes' })).toHaveLength(1);
		expect(outputs({ operation: 'plan' })).toHaveLength(1);
	});

	it('names the device column of a bad answer even when the first row has other columns', async () => {
		const answers = [
			{ 姓名: '王芳', 班级: '一(2)班', 电脑: '有', 手机: '有' },
			{ 姓名: '单雄信', 班级: '一(1)班', 家中设备: 0 },
		];
		const [out] = await run(makeContext({ parameters: { operation: 'deviceSurvey', surveyOutput: 'classes' }, inputs: [answers, []], continueOnFail: true }));
		const err = out.find((i) => i.json.error);
		expect(err?.json).toEqual({ error: 'Row 2, field "家中设备": "0" names no device this summary knows', details: expect.objectContaining({ row: 2, field: '家中设备' }) });
	});

	it('a whole-dataset failure under continue-on-fail gives an error item for every item of both inputs', async () => {
		const ctx = makeContext({ parameters: { operation: 'plan', domain: 'not a domain' }, inputs: [roster, [{ primaryEmail: 'a@school.edu.cn' }]], continueOnFail: true });
		const [out] = await run(ctx);
		expect(out.map((i) => i.pairedItem)).toEqual([...roster.keys()].map((item) => ({ item })).concat([{ item: 0, input: 1 } as never]));
		for (const i of out) expect(i.json.error).toMatch(/"not a domain" is not a domain/);
	});

	it('refuses a short or simple Initial Password Secret, with the link secret\'s floor and wording, never showing it', async () => {
		const accounts = [{ action: 'create', personId: 'S1', name: '张伟', familyName: '张', givenName: '伟', role: 'student', class: '一(1)班', primaryEmail: 'zhangwei@school.edu.cn', orgUnitPath: '/Students/一(1)班' }];
		const cases: Array<[string, RegExp]> = [
			['short-secret', /^Field "passwordSecret": The Initial Password Secret must be at least 16 characters long \(it has 12\)$/],
			['abababababababababab', /^Field "passwordSecret": The Initial Password Secret is too simple: it needs at least 8 different characters$/],
		];
		for (const [secret, message] of cases) {
			for (const parameters of [{ operation: 'export', exportFormat: 'passwords', exportOutput: 'files' }, { operation: 'provision' }]) {
				const ctx = makeContext({ parameters, inputs: [accounts, []], credentials: { googleWorkspaceSchoolApi: { passwordSecret: secret, serviceAccountEmail: 'x@y', privateKey: 'k' } } });
				const error = await run(ctx).then(
					() => undefined,
					(e: Error) => e,
				);
				expect(error?.message).toMatch(message);
				expect(error?.message).not.toContain(secret);
			}
		}
		expect(MIN_SECRET_LENGTH).toBe(16);
	});

	it('exports: course rows are paired or reported on input 2, and a warning says when passwords would stay in the history', async () => {
		const accounts = (await run(makeContext({ parameters: { operation: 'plan', domain: 'school.edu.cn' }, inputs: [roster.filter((r) => '姓名' in r && r.姓名), []] })))[0].map((i) => i.json);
		const courses = [{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }, { 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }, { 班级: '一(1)班', 科目: '' }];
		const [out] = await run(makeContext({ parameters: { operation: 'export', exportFormat: 'oneRoster', exportOutput: 'files', schoolYear: '2026' }, inputs: [accounts, courses], continueOnFail: true }));
		const files = out.filter((i) => !i.json.error);
		expect(files[0].pairedItem).toEqual([{ item: 0, input: 0 }, { item: 1, input: 0 }, { item: 2, input: 0 }, { item: 0, input: 1 }]);
		expect(out.filter((i) => i.json.error).map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1, input: 1 }, 'Row 2, field "科目": 一(1)班 数学 is already on course row 1; this row is not exported'],
			[{ item: 2, input: 1 }, 'Row 3, field "科目": "科目" is empty: the course row is not exported'],
		]);

		const hints: Array<{ message: string }> = [];
		const withSettings = (settings: IDataObject, includePasswords: boolean) => {
			const c: IDataObject = { ...{ passwordSecret: 'node-secret-for-tests' } };
			const ctx = makeContext({ parameters: { operation: 'export', exportFormat: 'passwords', exportOutput: 'files', includePasswords }, inputs: [accounts, []], credentials: { googleWorkspaceSchoolApi: c } });
			return Object.assign(ctx, { getWorkflowSettings: () => settings, getMode: () => 'manual', addExecutionHints: (...h: Array<{ message: string }>) => hints.push(...h) });
		};
		const kept = await run(withSettings({}, true));
		expect(JSON.stringify(kept[0])).toContain('初始密码');
		expect(hints.map((h) => h.message)).toEqual([expect.stringMatching(/\(Save manual executions, Save failed production executions\): they stay in the execution history/)]);
		hints.length = 0;
		await run(withSettings({ saveManualExecutions: false, saveDataErrorExecution: 'none', saveDataSuccessExecution: 'none' }, true));
		expect(hints).toEqual([]);
		const left = await run(withSettings({}, false));
		expect(JSON.stringify(left[0])).not.toContain('初始密码');
		expect(hints).toEqual([]);
	});

	describe('with the fake Google server', () => {
		const fakeGoogle = useFakeGoogle({ creationDelayMs: 10 }, 'all');
		// The credential as n8n holds it (the token field starts empty), and n8n's HTTP helpers.
		const google = () => {
			const c: IDataObject = { ...fakeGoogle().credentials, passwordSecret: 'node-secret-for-tests', accessToken: '' };
			return { credentials: { googleWorkspaceSchoolApi: c }, http: n8nGoogleHttp(c) };
		};
		const fastOptions = { directoryPerMinute: 60000, classroomPerMinute: 60000, baseDelayMs: 5 };

		it('provisions, then audits logins and exports password sheets and OneRoster files', async () => {
			const planned = await run(makeContext({ parameters: { operation: 'plan', domain: 'school.example.cn' }, inputs: [roster.filter((r) => '姓名' in r && r.姓名), []] }));
			const accounts = planned[0].map((i) => i.json);
			const courses = [{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }];
			const prov = await run(makeContext({ parameters: { operation: 'provision', courseState: 'ACTIVE', courseAliasPrefix: 'test', options: fastOptions }, inputs: [accounts, courses], ...google(), continueOnFail: true }));
			const users = prov[0].filter((i) => i.json.kind === 'user');
			expect(users.map((i) => [i.json.result, i.pairedItem])).toEqual([
				['created', { item: 0 }],
				['created', { item: 1 }],
				['created', { item: 2 }],
			]);
			expect(prov[0].find((i) => i.json.kind === 'course')).toMatchObject({ json: { result: 'created', students: 2, teachers: 1 }, pairedItem: { item: 0, input: 1 } });
			for (const i of prov[0]) expect(JSON.stringify(i.json)).not.toMatch(/node-secret|PRIVATE KEY/);

			const audit = await run(makeContext({ parameters: { operation: 'audit', loginSource: 'google', days: 7, includeActive: false }, inputs: [accounts], ...google() }));
			expect(audit[0].map((i) => [i.json.name, i.json.status, i.json.remindTo, i.json.classTeacherName])).toEqual([
				['单雄信', 'never', '13800000001', '刘老师'],
				['吕小明', 'never', 'lyuxiaoming2023@school.example.cn', '刘老师'],
				['刘老师', 'never', 'liulaoshi@school.example.cn', ''],
			]);

			const sheets = await run(makeContext({ parameters: { operation: 'export', exportFormat: 'passwords', exportOutput: 'files' }, inputs: [accounts, []], ...google() }));
			expect(sheets[0].map((i) => [i.json.file, i.json.recipientName, i.json.rowCount])).toEqual([
				['passwords-一(1)班.xlsx', '刘老师', 2],
				['passwords-staff.xlsx', '', 1],
			]);
			const sheetRows = sheets[0][0].json.rows as Array<Record<string, string>>;
			expect(Object.keys(sheetRows[0])).toEqual(['姓名', '学号', '班级', '账号', '初始密码']);
			const { initialPassword, sha1Hex } = await import('../../nodes/TeachingAccounts/passwords');
			expect(sheetRows[0].初始密码).toBe(initialPassword('node-secret-for-tests', '20230101'));
			const stored = fakeGoogle().state().users.find((u) => u.primaryEmail === 'shanxiongxin2023@school.example.cn');
			expect(stored?.password).toBe(sha1Hex(sheetRows[0].初始密码));

			const roster1 = await run(makeContext({ parameters: { operation: 'export', exportFormat: 'oneRoster', exportOutput: 'rows', schoolId: 'sch1', schoolName: '实验小学', schoolYear: '2026' }, inputs: [accounts, courses] }));
			const files = new Set(roster1[0].map((i) => i.json.file));
			expect([...files]).toEqual(['manifest.csv', 'orgs.csv', 'academicSessions.csv', 'courses.csv', 'classes.csv', 'users.csv', 'enrollments.csv']);
			const usersCsv = roster1[0].filter((i) => i.json.file === 'users.csv').map((i) => i.json);
			expect(usersCsv[0]).toMatchObject({ sourcedId: 'u-20230101', role: 'student', username: 'shanxiongxin2023@school.example.cn', familyName: '单', givenName: '雄信', status: '', password: '' });
			const enrol = roster1[0].filter((i) => i.json.file === 'enrollments.csv');
			expect(enrol).toHaveLength(6); // homeroom: 2 students + class teacher; 数学: teacher + 2 students
		});

		it('re-runs after a crash: every item comes out, in success or error, and nobody twice', async () => {
			fakeGoogle().reset();
			const many = Array.from({ length: 30 }, (_, i) => ({ 姓名: '张伟', 学号: String(20240000 + i), 班级: `二(${(i % 3) + 1})班`, 角色: '学生' }));
			const planned = await run(makeContext({ parameters: { operation: 'plan', domain: 'school.example.cn' }, inputs: [many, []] }));
			const accounts = planned[0].map((i) => i.json);
			fakeGoogle().fault({ crashAfter: 15 });
			const first = await run(makeContext({ parameters: { operation: 'provision', options: { ...fastOptions, maxRetries: 1 } }, inputs: [accounts, []], ...google(), continueOnFail: true }));
			expect(first[0]).toHaveLength(30);
			const failed = first[0].filter((i) => i.json.error);
			expect(failed.length).toBeGreaterThan(0);
			expect(Object.keys(failed[0].json).sort()).toEqual(['details', 'error']);
			expect(failed[0].json.details).toMatchObject({ kind: 'user' });
			await expect(run(makeContext({ parameters: { operation: 'provision', options: { ...fastOptions, maxRetries: 0 } }, inputs: [accounts, []], ...google() }))).rejects.toThrow(/items failed/);
			fakeGoogle().recover();
			const second = await run(makeContext({ parameters: { operation: 'provision', options: fastOptions }, inputs: [accounts, []], ...google(), continueOnFail: true }));
			expect(second[0].every((i) => !i.json.error)).toBe(true);
			expect(second[0].map((i) => (i.pairedItem as { item: number }).item)).toEqual([...Array(30).keys()]);
			const emails = fakeGoogle().state().users.map((u) => u.primaryEmail);
			expect(emails).toHaveLength(30);
			expect(new Set(emails).size).toBe(30);
		});

		it('a duplicate account fails on its own row naming primaryEmail, and quotes only a short excerpt', async () => {
			fakeGoogle().reset();
			const account = { action: 'create', personId: 'T01', name: '刘老师', familyName: '刘', givenName: '老师', role: 'teacher', class: '', primaryEmail: 'liulaoshi@school.example.cn', orgUnitPath: '/Teachers' };
			const [out] = await run(makeContext({ parameters: { operation: 'provision', options: fastOptions }, inputs: [[account, { ...account, name: '刘'.repeat(1_000_000) }], []], ...google(), continueOnFail: true }));
			expect(out).toHaveLength(2);
			expect(out[1].json.error).toBe('Row 2, field "primaryEmail": liulaoshi@school.example.cn is also on row 1');
			expect(out[1].json.details).toMatchObject({ row: 2, field: 'primaryEmail', kind: 'user' });
			expect(JSON.stringify(out[1].json).length).toBeLessThan(500);
		});

		it("tests the credential as n8n does: a token for all four scopes (preAuthentication), then one Directory read", async () => {
			const type = new GoogleWorkspaceSchoolApi();
			// n8n resolves the test request's expressions against the credential, then sends it authenticated.
			const credentialTest = async (data: IDataObject) => {
				const c: IDataObject = { ...data, accessToken: '' };
				const req = type.test!.request;
				const resolve = (v: unknown) => (typeof v === 'string' && v.startsWith('={{') ? runInNewContext(v.slice(3, -2), { $credentials: c }) : v);
				const qs = Object.fromEntries(Object.entries(req.qs ?? {}).map(([k, v]) => [k, resolve(v)]));
				try {
					await n8nGoogleHttp(c)({ method: 'GET', url: `${String(resolve(req.baseURL))}${req.url}`, qs, json: true }, 'googleWorkspaceSchoolApi');
					return { status: 'OK', message: '', token: String(c.accessToken) };
				} catch (e) {
					return { status: 'Error', message: (e as Error).message, token: String(c.accessToken) };
				}
			};
			const ok = await credentialTest({ ...fakeGoogle().credentials });
			expect(ok).toMatchObject({ status: 'OK', token: expect.stringMatching(/^ya29\./) });
			expect(type.test!.request.url).toBe('admin/directory/v1/users');
			const bad = await credentialTest({ ...fakeGoogle().credentials, delegatedUser: '' });
			expect(bad.status).toBe('Error');
			expect(bad.message).toMatch(/Google refused the service account token: .*domain-wide delegation/);
			expect(bad.message).not.toMatch(/PRIVATE KEY/);
			const before = fakeGoogle().state().counters.tokens;
			await expect(type.preAuthentication.call({ helpers: { httpRequest: async () => ({ error: 'unauthorized_client' }) } } as never, { ...fakeGoogle().credentials })).rejects.toThrow(/unauthorized_client/);
			expect(fakeGoogle().state().counters.tokens).toBe(before);
		});
	});
});
