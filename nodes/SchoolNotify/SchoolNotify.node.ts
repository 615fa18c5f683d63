/**
 * School Notify: the node's identity and its router. Each operation is a module in actions/
 * (its parameters and its execute); delivery (pacing, retries, outputs) is in deliver.ts.
 */
import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { operationProperties, type OperationMap } from '../shared/router';
import * as digest from './actions/digest';
import * as send from './actions/send';
import * as sendCard from './actions/sendCard';
import * as sendDirect from './actions/sendDirect';
import * as directResult from './actions/sendDirectResult';
import { deliveryProperties, FAILED_OUTPUT } from './deliver';

const operations: OperationMap = { send, sendCard, digest, sendDirect, directResult };

/** The group-robot operations; Send Direct Message and Check DingTalk Read Status use the apps. */
const ROBOT_OPERATIONS = ['send', 'sendCard', 'digest'];
const forRobots = { show: { operation: ROBOT_OPERATIONS } };

const DISPLAY = 'School Notify';

export class SchoolNotify implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'schoolNotify',
		icon: { light: 'file:schoolNotify.svg', dark: 'file:schoolNotify.dark.svg' },
		...nodeBasics(DISPLAY, 'output'),
		subtitle:
			'={{ $parameter["operation"] === "sendDirect" ? {"wecom": "WeCom app", "dingtalk": "DingTalk app", "feishu": "Feishu app"}[$parameter["platform"]] + ": Send direct message" : $parameter["operation"] === "directResult" ? "DingTalk: Check read status" : {"wecom": "WeCom", "dingtalk": "DingTalk", "feishu": "Feishu"}[$parameter["channel"]] + ": " + {"send": "Send message", "sendCard": "Send card", "digest": "Send digest"}[$parameter["operation"]] }}',
		description:
			'Sends messages, link cards and digests to WeCom, DingTalk and Feishu group robots within their rate limits. Sent: what the platform accepted; Deferred: what the rate limit left for the next run; Failed: what was refused, with the reason.',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Sent, Deferred, Failed; Check DingTalk Read Status names them Read, Unread, Failed.
		outputs: `={{(${sendDirect.schoolNotifyOutputs})($parameter)}}`,
		credentials: [
			{ name: 'weComRobotApi', required: true, displayOptions: { show: { channel: ['wecom'], operation: ROBOT_OPERATIONS } } },
			{ name: 'dingTalkRobotApi', required: true, displayOptions: { show: { channel: ['dingtalk'], operation: ROBOT_OPERATIONS } } },
			{ name: 'feishuBotApi', required: true, displayOptions: { show: { channel: ['feishu'], operation: ROBOT_OPERATIONS } } },
			// One entry per credential type: n8n checks only the first entry of a name when a node reads
			// its credential, so a second "dingTalkAppApi" entry (for Check DingTalk Read Status) was
			// never consulted and that operation failed with "Credentials not found".
			{
				name: 'dingTalkAppApi',
				required: true,
				displayOptions: { show: { operation: ['sendDirect', 'directResult'] }, hide: { platform: ['wecom', 'feishu'] } },
			},
			{ name: 'weComAppApi', required: true, displayOptions: { show: { operation: ['sendDirect'], platform: ['wecom'] } } },
			{ name: 'feishuAppApi', required: true, displayOptions: { show: { operation: ['sendDirect'], platform: ['feishu'] } } },
		],
		properties: [
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'options',
				noDataExpression: true,
				default: 'dingtalk',
				options: [
					{ name: 'DingTalk Custom Robot', value: 'dingtalk' },
					{ name: 'Feishu Custom Bot', value: 'feishu' },
					{ name: 'WeCom Group Robot', value: 'wecom' },
				],
				description: 'Which app the group is in; each needs its own robot credential',
				displayOptions: forRobots,
			},
			operationProperty('send', [
				{
					name: 'Check DingTalk Read Status',
					value: 'directResult',
					action: 'Check who has read a work notification',
					description: 'For items sent on DingTalk: Read, Unread or Failed per person',
				},
				{
					name: 'Send Card',
					value: 'sendCard',
					action: 'Send a card with a button link',
					description: 'One card per input item, e.g. a "fill in your check now" link',
				},
				{
					name: 'Send Digest',
					value: 'digest',
					action: 'Send a digest of many items',
					description:
						'All input items (e.g. one per absent reporter) in as few messages as the size limit allows, grouped by target group, mentioning each person',
				},
				{
					name: 'Send Direct Message',
					value: 'sendDirect',
					action: 'Send a direct message to one person',
					description:
						'One private message per input item through the school\'s DingTalk, WeCom or Feishu app; outputs Sent, Deferred and Failed',
				},
				{
					name: 'Send Message',
					value: 'send',
					action: 'Send a text or markdown message',
					description: 'One message per input item, with optional @mentions',
				},
			]),
			...operationProperties(operations),
			// the robots' pacing parameters; the direct operations have their own Options
			...deliveryProperties.map((p) => ({ ...p, displayOptions: forRobots })),
		],
	};

	execute = routedExecute(operations, { errorOutput: FAILED_OUTPUT });
}
