import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { APP_BASE_URL } from '../nodes/SchoolNotify/apps/platforms';
import { authenticateFor, bodyRule, preAuthenticationFor, tokenProperties } from '../nodes/SchoolNotify/apps/token';

const rule = (code: number, message: string) => bodyRule('errcode', code, message);

/**
 * WeCom (企业微信) self-built app for app messages (应用消息). The access token is fetched with the
 * corp id and the app's secret by preAuthentication and kept, hidden, with the credential, so
 * every n8n worker shares it; School Notify renews it once when WeCom says it expired.
 */
export class WeComAppApi implements ICredentialType {
	name = 'weComAppApi';

	displayName = 'WeCom App (App Messages) API';

	icon = { light: 'file:weComRobot.svg', dark: 'file:weComRobot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/direct-messages.md#wecom-app-messages';

	properties: INodeProperties[] = [
		...tokenProperties('Access Token'),
		{
			displayName: 'Corp ID',
			name: 'corpId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ww0123456789abcdef',
			description: 'WeCom admin console > My Company (我的企业) > Company Information: 企业ID',
		},
		{
			displayName: 'App Secret',
			name: 'corpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'App Management (应用管理) > the self-built app > Secret. Each app has its own.',
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1000002',
			description: 'The same page: AgentId',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: APP_BASE_URL.wecom,
			description: 'Change only for a private deployment or a test server',
		},
	];

	preAuthentication = preAuthenticationFor('wecom');

	authenticate = authenticateFor('wecom');

	// Reads the app's own settings: proves the token, and that the agent id is this secret's app.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/cgi-bin/agent/get', qs: { agentid: '={{$credentials.agentId}}' }, json: true },
		rules: [
			rule(40014, 'WeCom refused the access token (40014). Check the corp id and the app secret.'),
			rule(301002, 'The agent id belongs to another app than this secret (301002).'),
			rule(40056, 'WeCom does not know this agent id (40056).'),
			rule(60020, 'WeCom refused this server\'s IP address (60020). Add it to the app\'s trusted IPs.'),
		],
	};
}
