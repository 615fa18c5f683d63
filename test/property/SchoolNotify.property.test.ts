/** School Notify through the property suite, against the local fake robots (see harness.ts). */
import type { IDataObject } from 'n8n-workflow';
import { SchoolNotify } from '../../nodes/SchoolNotify/SchoolNotify.node';
import { n8nHttp } from '../fakes/n8nHttp';
import { FAKE_ROBOTS, startFakeRobots, type FakeRobots } from '../fakes/robots';
import { describeNode, type NodeSpec } from './harness';

let fake: FakeRobots;

const credentials = (): Record<string, IDataObject> => ({
	dingTalkRobotApi: { ...FAKE_ROBOTS.dingtalk.signed, baseUrl: fake.baseUrl },
	weComRobotApi: { webhookKey: FAKE_ROBOTS.wecom.plain.key, baseUrl: fake.baseUrl },
	feishuBotApi: { ...FAKE_ROBOTS.feishu.signed, baseUrl: fake.baseUrl },
});

const reminders = [
	{ text: '晨检提醒：请于 09:00 前填报', targetGroup: '一年级', recipientName: '张三', recipientMobile: '13900000001', recipientUserId: 'zhang3', message: '张三 尚未填报' },
	{ text: 'Reminder', targetGroup: 'Grade 1', recipientName: 'Li Na', recipientMobile: '13900000002', message: 'Li Na has not checked in' },
];

export const notifySpec: NodeSpec = {
	title: 'School Notify',
	node: new SchoolNotify(),
	credentials,
	http: () => n8nHttp(credentials()),
	beforeCase: () => fake.reset(),
	remoteError: /DingTalk|WeCom|Feishu|errcode|robot|HTTP \d{3}/i,
	params: (operation) => ({
		maxWaitSeconds: 0,
		options: { retryDelayMs: 5 },
		...(operation === 'send' ? { content: '晨检提醒 {{ $json.text }}' } : {}),
		...(operation === 'sendCard' ? { cardTitle: '晨检', cardText: '请填报', buttonUrl: 'https://n8n.example.edu/form/check-in' } : {}),
	}),
	defects: [
		{
			operation: 'digest',
			check: 'crash',
			defect:
				'one line over the platform limit throws a NodeOperationError for the whole digest even with continue-on-fail on (issue 16: "one oversize line blocks a whole digest"); every other line is lost',
			repro: { params: { channel: 'dingtalk' }, inputs: [[reminders[1], { ...reminders[0], message: 'x'.repeat(30000) }]] },
		},
	],
	samples: () => [reminders],
};

describeNode(notifySpec, {
	beforeAll: async () => {
		fake = await startFakeRobots();
	},
	afterAll: async () => {
		await fake.close();
	},
});
