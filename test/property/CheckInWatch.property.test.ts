/** Check-In Watch through the property suite (see harness.ts for what is checked). */
import { CheckInWatch } from '../../nodes/CheckInWatch/CheckInWatch.node';
import { HUGE } from './arbitraries';
import { describeNode, type NodeSpec } from './harness';

const roster = [
	{ 工号: 'T1', 姓名: '张三', 班级: '一年级1班', 手机: '13900000001', 班主任: '王老师', 班主任手机: '13800000009' },
	{ 工号: 'T2', 姓名: '李四', 班级: '一年级1班', 手机: '13900000002' },
	{ reporterId: 'S1', name: 'Li Na', group: 'Grade 1', mobile: '13900000004' },
];
const submissions = [
	{ 工号: 'T1', 提交时间: '2026-03-02 08:30', 体温: '36.5', 症状: '无' },
	{ 工号: 'T2', 提交时间: '2026-03-02 09:20', 体温: '38.1', 症状: '咳嗽' },
	{ reporterId: 'S1', submittedAt: '2026-03-02T08:31:00+08:00', temperature: 36.6, symptoms: '' },
];
const onDuty = [{ name: '赵六', mobile: '13800000005', userId: 'zhao6', duty: 'Administrator on duty' }];
const slots = {
	slot: [
		{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
		{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
	],
};
const linkItems = [{ reporterId: 'T1', name: '张三' }, { id: 'S1' }];
const signed = [{ reporterId: 'T1', slot: 'Morning', date: '2026-03-02', expires: '1893456000', sig: 'abc' }];

export const checkInSpec: NodeSpec = {
	title: 'Check-In Watch',
	node: new CheckInWatch(),
	credentials: () => ({ campusLinkSecretApi: { secret: 'a long test key for links only' } }),
	params: (operation) => ({
		asOf: '2026-03-02 09:40',
		timezone: 'Asia/Shanghai',
		slots,
		...(operation === 'signLink' || operation === 'findMissing' ? { formUrl: 'https://n8n.example.edu/form/check-in' } : {}),
	}),
	defects: [
		{
			operation: 'dailySummary',
			check: 'shortText',
			defect: 'an unreadable submission time echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { inputs: [[roster[0]], [{ ...submissions[0], 提交时间: HUGE }]] },
		},
		{
			operation: 'findMissing',
			check: 'shortText',
			defect: 'an unreadable submission time echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { inputs: [[], [{ ...submissions[0], 提交时间: HUGE }], []] },
		},
		{
			operation: 'flagAbnormal',
			check: 'shortText',
			defect: 'an unreadable submission time echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt), with continue-on-fail on and off',
			repro: { inputs: [[{ ...submissions[0], 提交时间: HUGE }], []] },
		},
		{
			operation: 'findMissing',
			check: 'accounted',
			defect:
				'a roster row of someone who has checked in comes out in no output and no item is paired with it (a filter by design, but issue 16 point 3 asks every item be accounted for: document the exemption or pair it)',
			repro: { inputs: [[roster[0]], [submissions[0]], []] },
		},
		{
			operation: 'flagAbnormal',
			check: 'accounted',
			defect: 'a normal reading comes out in no output and no item is paired with it (a filter by design; same question as Find Missing)',
			repro: { inputs: [[submissions[0]], []] },
		},
		{
			operation: 'verifySignature',
			check: 'rowAndField',
			defect: 'the error item for a bad signature names the row but not the field (sig)',
			repro: { inputs: [[{ reporterId: 'T1', slot: 'Morning', date: '2026-03-02', expires: '', sig: 'abc' }]] },
		},
	],
	samples: (operation) =>
		({
			dailySummary: [roster, submissions],
			findMissing: [roster, submissions, onDuty],
			flagAbnormal: [submissions, roster],
			signLink: [linkItems],
			verifySignature: [signed],
		})[operation] ?? [],
};

describeNode(checkInSpec);
