import type { ICredentialTestRequest, ICredentialType } from 'n8n-workflow';
import { appAuthentication, appProperties, appRules } from './appParts';

const auth = appAuthentication('feishu');

/**
 * Feishu / Lark (飞书) custom app with the bot ability, for app messages. The tenant access token
 * is fetched with the app id and secret by preAuthentication and kept, hidden, with the
 * credential, so every n8n worker shares it; School Notify renews it once when Feishu refuses it.
 */
export class FeishuAppApi implements ICredentialType {
	name = 'feishuAppApi';

	displayName = 'Feishu App (Bot Messages) API';

	icon = { light: 'file:feishuBot.svg', dark: 'file:feishuBot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/direct-messages.md#feishu-app-messages';

	properties = appProperties({
		platform: 'feishu',
		tokenLabel: 'Tenant Access Token',
		id: ['App ID', 'appId', 'Feishu developer console > the custom app > Credentials & Basic Info: App ID', 'cli_a1b2c3d4e5f6'],
		secret: ['appSecret', 'The same page: App Secret'],
		baseUrlDescription: 'https://open.larksuite.com for Lark; change otherwise only for a test server',
	});

	preAuthentication = auth.preAuthentication;

	authenticate = auth.authenticate;

	// The bot's own information: proves the token and that the app has the bot ability.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/open-apis/bot/v3/info', json: true },
		rules: appRules('code', [
			[99991663, 'Feishu refused the tenant access token (99991663). Check the app id and secret.'],
			[230006, 'The app has no bot ability (230006): add the Bot feature and publish a version.'],
		]),
	};
}
