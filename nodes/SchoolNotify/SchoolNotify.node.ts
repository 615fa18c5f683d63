/**
 * School Notify: the node's identity and its router. Each operation is a module in actions/
 * (its parameters and its execute); delivery (pacing, retries, outputs) is in deliver.ts.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { operationProperties, route, type OperationMap } from '../shared/router';
import * as digest from './actions/digest';
import * as send from './actions/send';
import * as sendCard from './actions/sendCard';
import { deliveryProperties, FAILED_OUTPUT, OUTPUT_NAMES } from './deliver';

const operations: OperationMap = { send, sendCard, digest };

export class SchoolNotify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'School Notify',
		name: 'schoolNotify',
		icon: { light: 'file:schoolNotify.svg', dark: 'file:schoolNotify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ {"wecom": "WeCom", "dingtalk": "DingTalk", "feishu": "Feishu"}[$parameter["channel"]] + ": " + {"send": "Send message", "sendCard": "Send card", "digest": "Send digest"}[$parameter["operation"]] }}',
		description:
			'Sends messages, link cards and digests to WeCom, DingTalk and Feishu group robots within their rate limits. Sent: what the platform accepted; Deferred: what the rate limit left for the next run; Failed: what was refused, with the reason.',
		defaults: { name: 'School Notify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: OUTPUT_NAMES,
		credentials: [
			{ name: 'weComRobotApi', required: true, displayOptions: { show: { channel: ['wecom'] } } },
			{ name: 'dingTalkRobotApi', required: true, displayOptions: { show: { channel: ['dingtalk'] } } },
			{ name: 'feishuBotApi', required: true, displayOptions: { show: { channel: ['feishu'] } } },
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
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'send',
				options: [
					{
						name: 'Send Message',
						value: 'send',
						action: 'Send a text or markdown message',
						description: 'One message per input item, with optional @mentions',
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
				],
			},
			...operationProperties(operations),
			...deliveryProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, operations, { errorOutput: FAILED_OUTPUT });
	}
}
