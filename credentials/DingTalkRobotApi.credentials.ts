import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, dingTalkAuth } from '../nodes/SchoolNotify/robotAuth';

const badToken = (errcode: number): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: {
		key: 'errcode',
		value: errcode,
		message: `The access token is not valid (DingTalk error ${errcode}: token is not exist). Copy the value after "access_token=" again.`,
	},
});

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
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Group settings > Bots (智能群助手) > the custom robot > Webhook. Paste the value after "access_token=" (the whole address also works).',
		},
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if the robot\'s security setting is "Additional signature" (加签): the secret starting with SEC. Leave empty otherwise.',
		},
		{
			displayName: 'Keyword',
			name: 'keyword',
			type: 'string',
			default: '',
			description:
				'Only if the robot\'s security setting is "Custom keywords" (自定义关键词): one of its keywords. School Notify adds it to messages that lack it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL.dingtalk,
			description: 'Change only for a private deployment or a test server',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return dingTalkAuth(credentials, requestOptions, Date.now()) as IHttpRequestOptions;
	}

	// Posts an empty body: DingTalk checks the token and the signature before the content, then
	// answers "missing parameter" (40035), so nothing is posted into the group. The keyword is
	// only checked on real content, so this test cannot verify it.
	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '/robot/send', body: {}, json: true },
		rules: [
			badToken(300001),
			badToken(300005),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errcode',
					value: 310000,
					message:
						'DingTalk refused the signature or timestamp (error 310000). Check the signing secret, or clear it if the robot does not use "加签", and check the server clock.',
				},
			},
		],
	};
}
