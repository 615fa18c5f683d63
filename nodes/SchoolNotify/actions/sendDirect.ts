/**
 * Operation "Send Direct Message": one message per input item to one person (or department or
 * tag) through the school's app on DingTalk (work notification), WeCom (app message) or Feishu
 * (app message). Every item comes out: Sent, Deferred (with retryAfter) or Failed (with the
 * platform's reason). Identical messages share calls where the platform takes several
 * recipients; a partial answer fails only the people it names.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { errorItem, toNodeError } from '../../shared/n8n';
import { isEmptyRow } from '../../shared/rows';
import { personVerdict, REASONS } from '../apps/answers';
import { dispatch, planBatches, type Batch, type Delivery, type Outcome } from '../apps/dispatch';
import { buildBody, type AppBody, type MessageStyle } from '../apps/messages';
import { RECIPIENTS, type AppPlatform, type RecipientType } from '../apps/platforms';
import { agentIdOf, dingTalkResults } from '../apps/results';
import { sendCall } from '../apps/sendCall';
import { callApp } from '../apps/transport';
import { retriesOption, retryDelayOption } from '../deliver';
import { isEveryone } from '../mentions';

export const SEND_DIRECT = 'sendDirect';

/** Fields this operation adds; removed from items that come back for another attempt. */
export const DIRECT_FIELDS = ['deferredReason', 'deferredKind', 'retryAfter', 'failedReason', 'failedKind', 'failedCode'];

const show = (extra: IDataObject = {}) => ({ show: { operation: [SEND_DIRECT], ...extra } });

const recipientType = (platform: AppPlatform, options: Array<{ name: string; value: RecipientType; description: string }>): INodeProperties => ({
	displayName: 'Recipient Type',
	name: 'recipientType',
	type: 'options',
	noDataExpression: true,
	default: 'userId',
	displayOptions: show({ platform: [platform] }),
	options,
});

const USER_ID = { name: 'User ID', value: 'userId' as const, description: 'The person\'s user ID in the school\'s directory' };

export const description: INodeProperties[] = [
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		noDataExpression: true,
		default: 'dingtalk',
		displayOptions: show(),
		options: [
			{ name: 'DingTalk Work Notification', value: 'dingtalk', description: 'From an internal app (工作通知)' },
			{ name: 'Feishu App Message', value: 'feishu', description: 'From a custom app with the bot ability' },
			{ name: 'WeCom App Message', value: 'wecom', description: 'From a self-built app (应用消息)' },
		],
	},
	recipientType('dingtalk', [USER_ID, { name: 'Department ID', value: 'department', description: 'Everyone in the department and its sub-departments' }]),
	recipientType('wecom', [
		USER_ID,
		{ name: 'Department ID', value: 'department', description: 'Everyone in the department' },
		{ name: 'Tag ID', value: 'tag', description: 'Everyone with the tag' },
	]),
	recipientType('feishu', [
		USER_ID,
		{ name: 'Open ID', value: 'openId', description: 'The person\'s open_id for this app (ou_...)' },
		{ name: 'Email', value: 'email', description: 'The person\'s Feishu email address' },
	]),
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '={{ $json.recipientUserId }}',
		required: true,
		displayOptions: show(),
		description:
			'Who gets this item\'s message: one ID (or email) per item. An item without one comes out on Failed with "no chat ID", e.g. to send it by email instead.',
	},
	{
		displayName: 'Message Style',
		name: 'messageStyle',
		type: 'options',
		noDataExpression: true,
		default: 'text',
		displayOptions: show(),
		options: [
			{ name: 'Text', value: 'text', description: 'Title and text, with the link at the end' },
			{ name: 'Card With a Button', value: 'card', description: 'DingTalk action card, WeCom text card, Feishu card' },
		],
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		displayOptions: show(),
		placeholder: 'Morning health check',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: show(),
		placeholder: 'Please fill in today\'s check before 09:00',
		description:
			'Shown as typed: markdown, HTML and @mentions in it are not applied, addresses are not clickable, and phone, ID and temperature numbers are hidden',
	},
	{
		displayName: 'Link',
		name: 'link',
		type: 'string',
		default: '',
		displayOptions: show(),
		placeholder: '={{ $json.link }}',
		description: 'The one clickable http(s) address (required for a card). Chat apps preview links with a GET, so the page must not act on a GET.',
	},
	{
		displayName: 'Link Text',
		name: 'linkText',
		type: 'string',
		default: 'Open',
		displayOptions: show(),
		description: 'The button or link label (WeCom cards show at most 4 characters)',
	},
	{
		displayName: 'Options',
		name: 'directOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(),
		options: [
			{
				displayName: 'Calls per Minute',
				name: 'callsPerMinute',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Lower the app\'s budget below the documented limit, e.g. when other workflows use the same app. 0 keeps the documented limit.',
			},
			retriesOption('Retries after a network error, a 5xx answer or a rate-limit answer'),
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWaitSeconds',
				type: 'number',
				default: 60,
				typeOptions: { minValue: 0, maxValue: 900 },
				description: 'How long a run may wait for rate limits. People who would need longer go to Deferred with a retryAfter time.',
			},
			retryDelayOption,
			{
				displayName: 'Wait for DingTalk Result (Seconds)',
				name: 'waitForResultSeconds',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 0, maxValue: 120 },
				description:
					'DingTalk sends asynchronously: wait this long for its per-person result, so that people it refused come out on Failed or Deferred. 0 does not wait (check later with "Check DingTalk Read Status").',
			},
		],
	},
];

const clean = (json: IDataObject): IDataObject => Object.fromEntries(Object.entries(json).filter(([k]) => !DIRECT_FIELDS.includes(k)));

/**
 * One person's (or department's, or tag's) ID: not everyone, no list separator. WeCom sends
 * "@all" to the whole company; "a|b" or "a,b" would reach two people.
 */
const oneRecipient = (id: string) => !isEveryone(id) && !/[|,，;；]/.test(id);

const NOT_ONE_RECIPIENT = 'The recipient is not one ID: it means everyone or holds a separator (| or ,)';

const SUPPORTED = (platform: AppPlatform, type: RecipientType) => RECIPIENTS[platform][type] !== undefined;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const platform = this.getNodeParameter('platform', 0) as AppPlatform;
	const type = this.getNodeParameter('recipientType', 0, 'userId') as RecipientType;
	const style = this.getNodeParameter('messageStyle', 0, 'text') as MessageStyle;
	const options = this.getNodeParameter('directOptions', 0, {}) as IDataObject;
	if (!SUPPORTED(platform, type)) {
		throw toNodeError(this, new InputError(`${type} recipients are not supported on ${platform}`, { field: 'recipientType' }));
	}
	const started = Date.now();
	const sent: INodeExecutionData[] = [];
	const deferred: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const base = (row: number) => ({ ...clean(items[row].json), directPlatform: platform, recipientType: type });
	const fail = (row: number, recipient: string, reason: string, kind: string, code?: number): void => {
		failed.push({ json: { ...base(row), recipient, failedReason: reason, failedKind: kind, ...(code === undefined ? {} : { failedCode: code }) }, pairedItem: { item: row } });
	};

	// 1. Build every message first: a bad item fails (or stops the run) before anything is sent.
	const deliveries: Delivery[] = [];
	for (let i = 0; i < items.length; i++) {
		if (isEmptyRow(items[i].json)) continue;
		try {
			const recipient = String(this.getNodeParameter('recipient', i, '') ?? '').trim();
			const retryAfter = Date.parse(String(items[i].json.retryAfter ?? ''));
			if (!recipient || !oneRecipient(recipient)) {
				fail(i, recipient.slice(0, 40), recipient ? NOT_ONE_RECIPIENT : REASONS.noChatId, 'recipient');
				continue;
			}
			if (items[i].json.deferredKind && !Number.isNaN(retryAfter) && retryAfter > started) {
				// Deferred last run for a limit that has not reset yet: do not knock again.
				deferred.push({ json: { ...items[i].json }, pairedItem: { item: i } });
				continue;
			}
			const body: AppBody = buildBody(
				platform,
				{
					style,
					title: String(this.getNodeParameter('title', i, '') ?? ''),
					text: String(this.getNodeParameter('text', i, '') ?? ''),
					link: String(this.getNodeParameter('link', i, '') ?? ''),
					linkText: String(this.getNodeParameter('linkText', i, 'Open') ?? ''),
				},
				i,
			);
			deliveries.push({ row: i, recipientType: type, recipient, body });
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			const e = errorItem(error, i);
			failed.push({ json: { ...base(i), ...e.json, failedReason: String(e.json.error), failedKind: 'input' }, pairedItem: { item: i } });
		}
	}

	// 2. Send within the limits.
	const agentId = deliveries.length && platform !== 'feishu' ? await agentIdOf(this, platform) : '';
	const batches = planBatches(platform, deliveries);
	const outcomes = await dispatch(batches, {
		platform,
		deadline: started + Math.max(0, Number(options.maxWaitSeconds ?? 60)) * 1000,
		maxRetries: Number(options.maxRetries ?? 3),
		backoffBaseMs: Number(options.retryDelayMs ?? 1000),
		callsPerMinute: Number(options.callsPerMinute ?? 0) || undefined,
		now: () => Date.now(),
		sleep: async (ms) => await sleep(ms),
		call: async (batch) => await callApp(this, platform, sendCall(platform, agentId, batch)),
	});

	// 3. DingTalk: read the asynchronous result of each task (who was refused, who has read).
	const waitMs = Number(options.waitForResultSeconds ?? 10) * 1000;
	const taskIds = outcomes.flatMap((m) => [...m.values()].flatMap((o) => (o.status === 'sent' && o.taskId ? [o.taskId] : [])));
	const tasks = platform === 'dingtalk' && taskIds.length && waitMs > 0 ? await dingTalkResults(this, taskIds, waitMs) : new Map();

	// 4. Every item comes out.
	// Refused credentials stop the run with an error only when nothing was accepted: people already
	// sent must come out on Sent, or a re-run would message them twice.
	const all = outcomes.flatMap((m) => [...m.values()]);
	const auth = all.find((o) => o.status === 'failed' && o.kind === 'auth');
	if (auth && auth.status === 'failed' && !this.continueOnFail() && !all.some((o) => o.status === 'sent')) {
		throw new NodeApiError(this.getNode(), { message: auth.reason, code: String(auth.code ?? '') } as JsonObject, {
			message: auth.reason,
			description: 'Check the app credential (key/secret, agent id, allowed IP). Nothing more was sent.',
		});
	}
	batches.forEach((batch: Batch, k: number) => {
		for (const recipient of batch.recipients) {
			const outcome = outcomes[k].get(recipient) as Outcome;
			for (const row of batch.rows.get(recipient) ?? []) {
				emit(row, recipient, outcome);
			}
		}
	});
	// Outputs follow the input order.
	const byRow = (a: INodeExecutionData, b: INodeExecutionData) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item;
	return [sent.sort(byRow), deferred.sort(byRow), failed.sort(byRow)];

	function defer(row: number, json: IDataObject, retryAt: number): void {
		deferred.push({ json: { ...base(row), ...json, retryAfter: new Date(retryAt).toISOString() }, pairedItem: { item: row } });
	}

	function emit(row: number, recipient: string, o: Outcome): void {
		if (o.status === 'failed') return fail(row, recipient, o.reason, o.kind, o.code);
		if (o.status === 'deferred') return defer(row, { recipient, deferredReason: o.reason, deferredKind: o.kind }, o.retryAfter);
		const json: IDataObject = { ...base(row), recipient, sentAt: new Date(o.at).toISOString() };
		if (o.messageId) json.messageId = o.messageId;
		if (o.taskId) {
			json.taskId = o.taskId;
			const task = tasks.get(o.taskId);
			const v = personVerdict(task?.people.get(recipient), task?.done);
			if (v.output === 'failed') return fail(row, recipient, v.reason, 'recipient');
			if (v.output === 'deferred') return defer(row, { recipient, taskId: o.taskId, deferredReason: v.reason, deferredKind: 'throttled' }, v.retryAt);
			json.deliveryStatus = v.state;
		}
		sent.push({ json, pairedItem: { item: row } });
	}
}

export { schoolNotifyOutputs } from '../outputs';
