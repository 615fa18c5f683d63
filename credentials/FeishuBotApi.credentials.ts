import type {
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, feishuAuth } from '../nodes/SchoolNotify/robotAuth';
import { baseUrlField, codeRule, robotAuthenticate, keywordField, secretField, signingSecretField } from './robotParts';

const rule = (code: number, message: string) => codeRule('code', code, message);

/**
 * Feishu / Lark (飞书) custom bot. The hook id, and the signing secret when the bot uses
 * "签名校验", are added to each request by `authenticate`; they never reach items or logs.
 */
export class FeishuBotApi implements ICredentialType {
	name = 'feishuBotApi';

	displayName = 'Feishu Custom Bot API';

	icon = { light: 'file:feishuBot.svg', dark: 'file:feishuBot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/school-notify.md#feishu-custom-bot';

	properties: INodeProperties[] = [
		secretField(
			'Hook ID',
			'hookId',
			'Group settings > Bots (群机器人) > the custom bot > Webhook address. Paste the part after "/hook/" (the whole address also works).',
		),
		signingSecretField(
			'Only if the bot\'s security setting "Set signature verification" (签名校验) is on: its secret. Leave empty otherwise.',
		),
		keywordField('bot'),
		baseUrlField(
			DEFAULT_BASE_URL.feishu,
			'Use https://open.larksuite.com for Lark. Otherwise change only for a private deployment or a test server.',
		),
	];

	authenticate = robotAuthenticate(feishuAuth);

	// Posts a body with no message: Feishu checks the hook, the signature and the IP first, then
	// answers that msg_type is missing (19002), so nothing is posted into the group.
	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '/open-apis/bot/v2/hook', body: {}, json: true },
		rules: [
			rule(19001, 'The hook id is not valid (Feishu error 19001). Copy the part after "/hook/" again.'),
			rule(
				19021,
				'Feishu refused the signature or timestamp (error 19021). Check the signing secret, or clear it if the bot does not use signature verification, and check the server clock.',
			),
			rule(19022, 'Feishu refused this server\'s IP address (error 19022). Check the bot\'s IP allowlist.'),
		],
	};
}
