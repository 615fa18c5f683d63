import type { ICredentialTestRequest, ICredentialType } from 'n8n-workflow';
import { appAuthentication, appProperties, appRules } from './appParts';

const auth = appAuthentication('wecom');

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

	properties = appProperties({
		platform: 'wecom',
		tokenLabel: 'Access Token',
		id: ['Corp ID', 'corpId', 'WeCom admin console > My Company (我的企业) > Company Information: 企业ID', 'ww0123456789abcdef'],
		secret: ['corpSecret', 'App Management (应用管理) > the self-built app > Secret. Each app has its own.'],
		more: [['Agent ID', 'agentId', 'The same page: AgentId', '1000002']],
		baseUrlDescription: 'Change only for a private deployment or a test server',
	});

	preAuthentication = auth.preAuthentication;

	authenticate = auth.authenticate;

	// Reads the app's own settings: proves the token, and that the agent id is this secret's app.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/cgi-bin/agent/get', qs: { agentid: '={{$credentials.agentId}}' }, json: true },
		rules: appRules('errcode', [
			[40014, 'WeCom refused the access token (40014). Check the corp id and the app secret.'],
			[301002, 'The agent id belongs to another app than this secret (301002).'],
			[40056, 'WeCom does not know this agent id (40056).'],
			[60020, 'WeCom refused this server\'s IP address (60020). Add it to the app\'s trusted IPs.'],
		]),
	};
}
