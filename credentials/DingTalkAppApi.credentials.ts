import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { APP_BASE_URL } from '../nodes/SchoolNotify/apps/platforms';
import { authenticateFor, bodyRule, preAuthenticationFor, tokenProperties } from '../nodes/SchoolNotify/apps/token';

const rule = (code: number, message: string) => bodyRule('errcode', code, message);

/**
 * DingTalk (钉钉) internal app for work notifications (工作通知). The access token is fetched with
 * the app key and secret by preAuthentication and kept, hidden, with the credential, so every
 * n8n worker shares it; School Notify renews it once when DingTalk says it expired.
 */
export class DingTalkAppApi implements ICredentialType {
	name = 'dingTalkAppApi';

	displayName = 'DingTalk App (Work Notifications) API';

	icon = { light: 'file:dingTalkRobot.svg', dark: 'file:dingTalkRobot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/direct-messages.md#dingtalk-work-notifications';

	properties: INodeProperties[] = [
		...tokenProperties('Access Token'),
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'DingTalk developer console > the internal app > Credentials (凭证与基础信息): AppKey (Client ID)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The same page: AppSecret (Client Secret)',
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '2345678901',
			description: 'The same page: AgentId. Work notifications are sent in the name of this app.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: APP_BASE_URL.dingtalk,
			description: 'Change only for a test server',
		},
	];

	preAuthentication = preAuthenticationFor('dingtalk');

	authenticate = authenticateFor('dingtalk');

	// A new token proves the key and secret; reading the progress of task 0 proves that DingTalk
	// takes the token for this agent id, and sends nothing to anyone.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '/topapi/message/corpconversation/getsendprogress',
			body: { agent_id: '={{$credentials.agentId}}', task_id: 0 },
			json: true,
		},
		rules: [
			rule(40014, 'DingTalk refused the access token (40014). Check the app key and secret.'),
			rule(40056, 'DingTalk does not know this agent id (40056). Copy the AgentId from the app page.'),
			rule(60020, 'DingTalk refused this server\'s IP address (60020). Add it to the app\'s allow list.'),
		],
	};
}
