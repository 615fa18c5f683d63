import type {
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_BASE_URL, weComAuth } from '../nodes/SchoolNotify/robotAuth';
import { baseUrlField, codeRule, robotAuthenticate, secretField } from './robotParts';

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
		secretField(
			'Webhook Key',
			'webhookKey',
			'In the WeCom group: ··· > Group Robots (群机器人) > the robot > Webhook address. Paste the value after "key=" (pasting the whole address also works).',
		),
		baseUrlField(DEFAULT_BASE_URL.wecom),
	];

	authenticate = robotAuthenticate(weComAuth);

	// Posts an empty message: WeCom checks the key first (93000 when wrong) and then answers that
	// the message type is missing, so nothing is ever posted into the group.
	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '/cgi-bin/webhook/send', body: {}, json: true },
		rules: [
			codeRule('errcode', 93000, 'The webhook key is not valid (WeCom error 93000). Copy it again from the robot settings.'),
		],
	};
}
