/** Teaching Accounts through the property suite, Google calls against the local fake (see harness.ts). */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { TeachingAccounts } from '../../nodes/TeachingAccounts/TeachingAccounts.node';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google';
import { HUGE } from './arbitraries';
import { describeNode, type NodeSpec } from './harness';

const roster = [
	{ 姓名: '单雄信', 学号: '20230101', 班级: '一(1)班', 角色: '学生', 家长手机: '13800000001' },
	{ 姓名: '吕小明', 学号: '20230102', 班级: '一(1)班', 角色: '学生' },
	{ 姓名: '刘老师', 学号: 'T01', 班级: '一(1)班', 角色: '班主任' },
	{ name: 'Anna Müller', id: 'S9', class: 'Grade 1', role: 'student' },
];
const accounts = [
	{ action: 'create', personId: '20230101', name: '单雄信', familyName: '单', givenName: '雄信', role: 'student', isClassTeacher: false, class: '一(1)班', username: 'shanxiongxin2023', primaryEmail: 'shanxiongxin2023@school.example.cn', orgUnitPath: '/Students/一(1)班', guardianPhone: '13800000001', lastLoginTime: '2026-03-01T08:00:00Z' },
	{ action: 'create', personId: 'T01', name: '刘老师', familyName: '刘', givenName: '老师', role: 'teacher', isClassTeacher: true, class: '一(1)班', username: 'liulaoshi', primaryEmail: 'liulaoshi@school.example.cn', orgUnitPath: '/Teachers', guardianPhone: '', lastLoginTime: 'never' },
];
const courses = [{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }];
const answers = [
	{ 姓名: '单雄信', 班级: '一(1)班', 家中设备: '手机' },
	{ 姓名: '吕小明', 班级: '一(1)班', 家中设备: '无' },
	{ 姓名: '王芳', 班级: '一(2)班', 电脑: '有', 手机: '有' },
];

let fake: FakeGoogle;

async function http(o: IHttpRequestOptions): Promise<unknown> {
	const res = await fetch(o.url, { method: o.method, body: o.body as string, headers: o.headers as Record<string, string> });
	const json = await res.json();
	if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { body: json } });
	return json;
}

export const accountsSpec: NodeSpec = {
	title: 'Teaching Accounts',
	node: new TeachingAccounts(),
	credentials: () => ({ googleWorkspaceSchoolApi: { ...fake.credentials, passwordSecret: 'node-secret-for-tests' } as IDataObject }),
	http: () => http,
	remoteError: /Google|HTTP \d{3}|quota|rate/i,
	params: (operation) =>
		({
			plan: { domain: 'school.example.cn' },
			provision: { options: { directoryPerMinute: 60000, classroomPerMinute: 60000, baseDelayMs: 5, maxRetries: 1 } },
			export: { schoolId: 'sch1', schoolName: '实验小学', schoolYear: '2026' },
			audit: { days: 7 },
		})[operation] ?? {},
	defects: [
		{
			operation: 'audit',
			check: 'shortText',
			defect: 'an unreadable lastLoginTime echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { params: { loginSource: 'input' }, inputs: [[{ ...accounts[0], lastLoginTime: HUGE }]] },
		},
		{
			operation: 'plan',
			check: 'shortText',
			defect: 'an unknown role (角色) echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt), with continue-on-fail on and off',
			repro: { inputs: [[{ ...roster[0], 角色: HUGE }], []] },
		},
		{
			operation: 'provision',
			check: 'shortText',
			defect: 'the error item for a duplicate account holds a 1 MB name whole',
			repro: { inputs: [[accounts[1], { ...accounts[1], name: HUGE }], []] },
		},
		{
			operation: 'deviceSurvey',
			check: 'shortText',
			defect: 'an unknown device answer echoes a 1 MB value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { params: { surveyOutput: 'classes' }, inputs: [[{ ...answers[0], 家中设备: HUGE }], []] },
		},
		{
			operation: 'deviceSurvey',
			check: 'rowAndField',
			defect: 'a device answer that is a number gives an error item naming the row but not the field ("Row 2: \\"0\\" names no device this summary knows")',
			repro: { params: { surveyOutput: 'classes' }, inputs: [[answers[2], { 姓名: '单雄信', 班级: '一(1)班', 家中设备: 0 }], []] },
		},
		{
			operation: 'deviceSurvey',
			check: 'accounted',
			defect: 'with "One Item per Student to Follow Up", an answer needing no follow-up comes out in no output and nothing is paired with it (a filter by design; issue 16 point 3)',
			repro: { params: { surveyOutput: 'followUps', followUpPhoneOnly: false }, inputs: [[answers[2]], []] },
		},
		{
			operation: 'provision',
			check: 'rowAndField',
			defect: 'the error item for a duplicate account names the row but not the field ("x@school is also on row 1", no primaryEmail)',
			repro: { inputs: [[accounts[0], accounts[0]], []] },
		},
	],
	samples: (operation) =>
		({
			plan: [roster, accounts],
			provision: [accounts, courses],
			export: [accounts, courses],
			audit: [accounts],
			deviceSurvey: [answers, roster],
		})[operation] ?? [],
};

describeNode(accountsSpec, {
	beforeAll: async () => {
		fake = await startFakeGoogle({ creationDelayMs: 0 });
	},
	afterAll: async () => {
		await fake.close();
	},
});
