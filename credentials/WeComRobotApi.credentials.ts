import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, weComAuth } from '../nodes/SchoolNotify/robotAuth';

/**
 * WeCom (企业微信) group robot. The webhook key is the only secret; it is added to the request
 * by `authenticate` and never shown in items or logs.
 */
export class WeComRobotApi implements ICredentialType {
	name = 'weComRobotApi';

	displayName = 'WeCom Group Robot API';

	icon = { light: 'file:weComRobot.svg', dark: 'file:weComRobot.dark.svg' } as const;

	documentationUrl =
		'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/nodes/school-notify.md#wecom-group-robot';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- whoever has it can post to the group: a secret
		{
			displayName: 'Webhook Key',
			name: 'webhookKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'In the WeCom group: ··· > Group Robots (群机器人) > the robot > Webhook address. Paste the value after "key=" (pasting the whole address also works).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL.wecom,
			description: 'Change only for a private deployment or a test server',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return weComAuth(credentials, requestOptions) as IHttpRequestOptions;
	}

	// Posts an empty message: WeCom checks the key first (93000 when wrong) and then answers that
	// the message type is missing, so nothing is ever posted into the group.
	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '/cgi-bin/webhook/send', body: {}, json: true },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errcode',
					value: 93000,
					message: 'The webhook key is not valid (WeCom error 93000). Copy it again from the robot settings.',
				},
			} satisfies IAuthenticateRuleResponseSuccessBody,
		],
	};
}
