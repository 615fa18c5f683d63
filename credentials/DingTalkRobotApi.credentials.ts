import type {
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, dingTalkAuth } from '../nodes/SchoolNotify/robotAuth';
import { baseUrlField, codeRule, robotAuthenticate, keywordField, secretField, signingSecretField } from './robotParts';

const badToken = (errcode: number) =>
	codeRule(
		'errcode',
		errcode,
		`The access token is not valid (DingTalk error ${errcode}: token is not exist). Copy the value after "access_token=" again.`,
	);

/**
 * DingTalk (钉钉) custom robot. The access token, and the signing secret when the robot uses
 * "加签", are added to each request by `authenticate`; they never reach items or logs.
 */
export class DingTalkRobotApi implements ICredentialType {
	name = 'dingTalkRobotApi';

	displayName = 'DingTalk Custom Robot API';

	icon = { light: 'file:dingTalkRobot.svg', dark: 'file:dingTalkRobot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/school-notify.md#dingtalk-custom-robot';

	properties: INodeProperties[] = [
		secretField(
			'Access Token',
			'accessToken',
			'Group settings > Bots (智能群助手) > the custom robot > Webhook. Paste the value after "access_token=" (the whole address also works).',
		),
		signingSecretField(
			'Only if the robot\'s security setting is "Additional signature" (加签): the secret starting with SEC. Leave empty otherwise.',
		),
		keywordField('robot'),
		baseUrlField(DEFAULT_BASE_URL.dingtalk),
	];

	authenticate = robotAuthenticate(dingTalkAuth);

	// Posts an empty body: DingTalk checks the token and the signature before the content, then
	// answers "missing parameter" (40035), so nothing is posted into the group. The keyword is
	// only checked on real content, so this test cannot verify it.
	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '/robot/send', body: {}, json: true },
		rules: [
			badToken(300001),
			badToken(300005),
			codeRule(
				'errcode',
				310000,
				'DingTalk refused the signature or timestamp (error 310000). Check the signing secret, or clear it if the robot does not use "加签", and check the server clock.',
			),
		],
	};
}
