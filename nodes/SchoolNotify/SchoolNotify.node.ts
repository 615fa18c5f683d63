import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { problemItems, toNodeError } from '../shared/n8n';
import { isEmptyRow } from '../shared/rows';
import {
	cardBody,
	checkSize,
	DEFAULT_DIGEST_FIELDS,
	markdownBody,
	packDigest,
	parseMentions,
	readDigestRows,
	textBody,
	type Channel,
	type JsonBody,
	type OutMessage,
} from './notify';
import { problemFrom, type RowProblem } from '../shared/errors';
import { Budget, dispatch, limitsFor, type Outcome } from './pacing';
import { CREDENTIAL_TYPE, postOnce } from './transport';

/** Fields this node adds to items, removed again when a deferred item is sent on a later run. */
const DEFER_FIELDS = ['deferredReason', 'deferredKind', 'retryAfter'];

const showFor = (operation: string[], extra: IDataObject = {}) => ({ show: { operation, ...extra } });

const mentionFields: INodeProperties[] = [
	{
		displayName: 'Mention Mobiles',
		name: 'mentionMobiles',
		type: 'string',
		default: '',
		placeholder: '13800138000, 13900139000',
		displayOptions: showFor(['send'], { channel: ['wecom', 'dingtalk'] }),
		description:
			'Mobile numbers to @mention, separated by commas. WeCom: text messages only. Feishu cannot mention by mobile.',
	},
	{
		displayName: 'Mention User IDs',
		name: 'mentionUserIds',
		type: 'string',
		default: '',
		displayOptions: showFor(['send']),
		description:
			'User IDs to @mention, separated by commas: the WeCom userid, the DingTalk userId, or the Feishu open_id / user_id',
	},
	{
		displayName: 'Mention Everyone',
		name: 'mentionAll',
		type: 'boolean',
		default: false,
		displayOptions: showFor(['send']),
		description: 'Whether to @mention everyone in the group (@all)',
	},
];

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
			'Sends messages, link cards and digests to WeCom, DingTalk and Feishu group robots within their rate limits; what does not fit goes to the Deferred output for the next run',
		defaults: { name: 'School Notify' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Sent', 'Deferred'],
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
			// Send Message
			{
				displayName: 'Message Type',
				name: 'messageType',
				type: 'options',
				default: 'text',
				displayOptions: showFor(['send']),
				options: [
					{ name: 'Text', value: 'text' },
					{ name: 'Markdown', value: 'markdown' },
				],
				description: 'WeCom markdown cannot @mention anyone: use Text there when mentioning',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				displayOptions: showFor(['send'], { messageType: ['markdown'], channel: ['dingtalk', 'feishu'] }),
				description: 'Shown in the chat list (DingTalk) or as the card header (Feishu)',
			},
			{
				displayName: 'Content',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				displayOptions: showFor(['send']),
				placeholder: 'Reminder: please submit today\'s health check before 09:00',
				description: 'The message text. Map it from the item with an expression.',
			},
			...mentionFields,
			// Send Card
			{
				displayName: 'Card Title',
				name: 'cardTitle',
				type: 'string',
				default: '',
				required: true,
				displayOptions: showFor(['sendCard']),
				placeholder: 'Morning health check',
			},
			{
				displayName: 'Card Text',
				name: 'cardText',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				displayOptions: showFor(['sendCard']),
				placeholder: 'Please fill in today\'s check before 09:00',
			},
			{
				displayName: 'Button Text',
				name: 'buttonText',
				type: 'string',
				default: 'Fill in now',
				displayOptions: showFor(['sendCard']),
			},
			{
				displayName: 'Button Link',
				name: 'buttonUrl',
				type: 'string',
				default: '',
				required: true,
				displayOptions: showFor(['sendCard']),
				placeholder: 'https://n8n.example.edu/form/health-check',
				description:
					'The http(s) address the button opens. Chat apps fetch link previews with a GET, so the page must not act on a GET.',
			},
			{
				displayName: 'WeCom Card Style',
				name: 'weComCardStyle',
				type: 'options',
				default: 'templateCard',
				displayOptions: showFor(['sendCard'], { channel: ['wecom'] }),
				options: [
					{ name: 'Template Card (Text Notice)', value: 'templateCard' },
					{ name: 'News Article', value: 'news' },
				],
				description: 'Template cards need a recent WeCom client; news articles show everywhere',
			},
			// Digest
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				typeOptions: { rows: 2 },
				default: 'These people have not checked in yet ({count}):',
				displayOptions: showFor(['digest']),
				description: 'First line of each message. {count} is replaced by the number of people in that message.',
			},
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				displayOptions: showFor(['digest']),
				placeholder: 'Fill in now: https://n8n.example.edu/form/health-check',
				description: 'Last line of each message, e.g. the form link',
			},
			{
				displayName: 'Target Group Field',
				name: 'targetGroupField',
				type: 'string',
				default: 'targetGroup',
				displayOptions: showFor(['digest']),
				description: 'Item field naming the group (e.g. the class) a person belongs to; people are listed under it',
			},
			{
				displayName: 'Person Name Field',
				name: 'nameField',
				type: 'string',
				default: 'recipientName',
				displayOptions: showFor(['digest']),
			},
			{
				displayName: 'Mobile Field',
				name: 'mobileField',
				type: 'string',
				default: 'recipientMobile',
				displayOptions: showFor(['digest']),
				description: 'Used only to @mention (WeCom, DingTalk); never printed in the message',
			},
			{
				displayName: 'User ID Field',
				name: 'userIdField',
				type: 'string',
				default: 'recipientUserId',
				displayOptions: showFor(['digest']),
				description: 'Used to @mention: WeCom userid, DingTalk userId, Feishu open_id or user_id',
			},
			{
				displayName: 'Line Text Field',
				name: 'lineField',
				type: 'string',
				default: 'message',
				displayOptions: showFor(['digest']),
				description:
					'Optional item field with the text of the person\'s line. Phone numbers, ID numbers and temperatures in it are hidden.',
			},
			{
				displayName: 'Mask Names',
				name: 'maskNames',
				type: 'boolean',
				default: false,
				displayOptions: showFor(['digest']),
				description: 'Whether to show names masked, e.g. 张*三',
			},
			{
				displayName: 'Mention People',
				name: 'mentionPeople',
				type: 'boolean',
				default: true,
				displayOptions: showFor(['digest']),
				description: 'Whether each message @mentions the people it lists (Feishu: only those with a user ID)',
			},
			// Pacing
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWaitSeconds',
				type: 'number',
				default: 60,
				typeOptions: { minValue: 0, maxValue: 900 },
				description:
					'How long a run may wait for the rate limit. Messages that would need longer go to the Deferred output, with a retryAfter time, for the next run.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Messages per Minute',
						name: 'messagesPerMinute',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description:
							'Lower the per-robot budget below the documented limit (DingTalk 20, WeCom 20, Feishu 100), e.g. when other workflows use the same robot. 0 keeps the documented limit.',
					},
					{
						displayName: 'Max Retries',
						name: 'maxRetries',
						type: 'number',
						default: 3,
						typeOptions: { minValue: 0, maxValue: 10 },
						description: 'Retries after a network error, a 5xx answer or a busy answer, with exponential backoff',
					},
					{
						displayName: 'Retry Delay (Ms)',
						name: 'retryDelayMs',
						type: 'number',
						default: 1000,
						typeOptions: { minValue: 0 },
						description: 'The first backoff delay; it doubles after each failure',
					},
					{
						displayName: 'Size Limit (Bytes)',
						name: 'maxBytes',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description: 'Digest only: make messages smaller than the channel allows. 0 uses the channel\'s limit.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const channel = this.getNodeParameter('channel', 0) as Channel;
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const maxWaitSeconds = Number(this.getNodeParameter('maxWaitSeconds', 0, 60));
		const started = Date.now();

		let keyword = '';
		try {
			const cred = await this.getCredentials(CREDENTIAL_TYPE[channel]);
			keyword = typeof cred.keyword === 'string' ? cred.keyword : '';
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `No ${channel} robot credential is set`, {
				description: (error as Error).message,
			});
		}

		// 1. Build every message first, so that a bad item fails before anything is sent.
		const messages: OutMessage[] = [];
		const problems: RowProblem[] = [];
		if (operation === 'digest') {
			const read = readDigestRows(
				items.map((i) => i.json),
				{
					targetGroup: String(this.getNodeParameter('targetGroupField', 0, DEFAULT_DIGEST_FIELDS.targetGroup)),
					name: String(this.getNodeParameter('nameField', 0, DEFAULT_DIGEST_FIELDS.name)),
					mobile: String(this.getNodeParameter('mobileField', 0, DEFAULT_DIGEST_FIELDS.mobile)),
					userId: String(this.getNodeParameter('userIdField', 0, DEFAULT_DIGEST_FIELDS.userId)),
					line: String(this.getNodeParameter('lineField', 0, DEFAULT_DIGEST_FIELDS.line)),
				},
			);
			problems.push(...read.problems);
			try {
				messages.push(
					...packDigest(read.people, {
						channel,
						header: String(this.getNodeParameter('header', 0, '')),
						footer: String(this.getNodeParameter('footer', 0, '')),
						maskNames: Boolean(this.getNodeParameter('maskNames', 0, false)),
						mentionPeople: Boolean(this.getNodeParameter('mentionPeople', 0, true)),
						keyword,
						maxBytes: Number(options.maxBytes ?? 0),
					}).messages,
				);
			} catch (error) {
				throw toNodeError(this, error);
			}
		} else {
			for (let i = 0; i < items.length; i++) {
				if (isEmptyRow(items[i].json)) continue;
				try {
					const body = buildOne.call(this, channel, operation, i, keyword);
					const size = checkSize(channel, body, i, operation === 'send' ? 'content' : undefined);
					messages.push({ body, ...size, rows: [i] });
				} catch (error) {
					problems.push(problemFrom(error, i));
				}
			}
		}
		const errorItems = problemItems(this, problems, items);

		// 2. Send within the budget. Items deferred for a throttle carry when it ends.
		const budget = new Budget(limitsFor(channel, Number(options.messagesPerMinute ?? 0)));
		for (const m of messages) {
			for (const row of m.rows) {
				const j = items[row].json;
				if (j.deferredKind === 'throttled' && typeof j.retryAfter === 'string') {
					const t = Date.parse(j.retryAfter);
					if (!Number.isNaN(t)) budget.close(t, String(j.deferredReason ?? 'the robot is throttled'));
				}
			}
		}
		const outcomes = await dispatch(messages, {
			channel,
			budget,
			deadline: started + Math.max(0, maxWaitSeconds) * 1000,
			maxRetries: Number(options.maxRetries ?? 3),
			backoffBaseMs: Number(options.retryDelayMs ?? 1000),
			now: () => Date.now(),
			sleep: async (ms) => await sleep(ms),
			post: async (body) => await postOnce(this, channel, body),
		});

		// 3. Every item comes out: sent, deferred, or (continue on fail) as an error item.
		const sent: INodeExecutionData[] = [...errorItems];
		const deferred: INodeExecutionData[] = [];
		let messageIndex = 0;
		for (let k = 0; k < messages.length; k++) {
			const outcome: Outcome = outcomes[k];
			if (outcome.status === 'sent') {
				const sentAt = new Date(outcome.sentAt).toISOString();
				for (const row of messages[k].rows) {
					sent.push({
						json: { ...clean(items[row].json), channel, messageIndex, sentAt },
						pairedItem: { item: row },
					});
				}
				messageIndex++;
			} else if (outcome.status === 'deferred') {
				for (const row of messages[k].rows) {
					deferred.push({
						json: {
							...clean(items[row].json),
							deferredReason: outcome.reason,
							deferredKind: outcome.kind,
							retryAfter: new Date(outcome.retryAfter).toISOString(),
						},
						pairedItem: { item: row },
					});
				}
			} else {
				if (!this.continueOnFail()) {
					throw new NodeApiError(this.getNode(), { message: outcome.reason, code: outcome.code ?? '' } as JsonObject, {
						message: outcome.reason,
						description:
							outcome.kind === 'auth'
								? 'Check the robot credential: the key/token/hook id, the signing secret and the server clock. Nothing more was sent.'
								: 'The message was refused; other messages were still sent.',
						itemIndex: messages[k].rows[0],
					});
				}
				for (const row of messages[k].rows) {
					sent.push({
						json: { ...items[row].json, error: outcome.reason, errorKind: outcome.kind },
						pairedItem: { item: row },
					});
				}
			}
		}
		return [sent, deferred];
	}
}

function clean(json: IDataObject): IDataObject {
	const out = { ...json };
	for (const k of DEFER_FIELDS) delete out[k];
	return out;
}

function buildOne(this: IExecuteFunctions, channel: Channel, operation: string, i: number, keyword: string): JsonBody {
	if (operation === 'sendCard') {
		return cardBody(
			channel,
			{
				title: String(this.getNodeParameter('cardTitle', i, '')),
				text: String(this.getNodeParameter('cardText', i, '')),
				buttonText: String(this.getNodeParameter('buttonText', i, '')),
				url: String(this.getNodeParameter('buttonUrl', i, '')),
				weComStyle: this.getNodeParameter('weComCardStyle', i, 'templateCard') as 'templateCard' | 'news',
				keyword,
			},
			i,
		);
	}
	const content = String(this.getNodeParameter('content', i, '')).trim();
	const mentions = parseMentions(
		this.getNodeParameter('mentionMobiles', i, ''),
		this.getNodeParameter('mentionUserIds', i, ''),
		this.getNodeParameter('mentionAll', i, false),
		i,
	);
	const type = this.getNodeParameter('messageType', i, 'text') as string;
	if (type === 'markdown') {
		return markdownBody(channel, { title: String(this.getNodeParameter('title', i, '')), content, mentions, keyword }, i);
	}
	return textBody(channel, { content, mentions, keyword }, i);
}
