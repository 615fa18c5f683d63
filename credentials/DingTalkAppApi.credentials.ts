import type { ICredentialTestRequest, ICredentialType } from 'n8n-workflow';
import { appAuthentication, appProperties, appRules } from './appParts';

const auth = appAuthentication('dingtalk');

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

	properties = appProperties({
		platform: 'dingtalk',
		tokenLabel: 'Access Token',
		id: ['App Key', 'appKey', 'DingTalk developer console > the internal app > Credentials (凭证与基础信息): AppKey (Client ID)'],
		secret: ['appSecret', 'The same page: AppSecret (Client Secret)'],
		more: [['Agent ID', 'agentId', 'The same page: AgentId. Work notifications are sent in the name of this app.', '2345678901']],
		baseUrlDescription: 'Change only for a test server',
	});

	preAuthentication = auth.preAuthentication;

	authenticate = auth.authenticate;

	// A new token proves the key and secret; reading the progress of task 0 proves that DingTalk
	// takes the token for this agent id, and sends nothing to anyone.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '/topapi/message/corpconversation/getsendprogress',
			body: { agent_id: '={{$credentials.agentId}}', task_id: 0 },
			json: true,
		},
		rules: appRules('errcode', [
			[40014, 'DingTalk refused the access token (40014). Check the app key and secret.'],
			[40056, 'DingTalk does not know this agent id (40056). Copy the AgentId from the app page.'],
			[60020, 'DingTalk refused this server\'s IP address (60020). Add it to the app\'s allow list.'],
		]),
	};
}
