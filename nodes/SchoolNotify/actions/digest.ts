/**
 * Send Digest: all input items (e.g. one per absent reporter) in as few messages as the size
 * limit allows, grouped by target group, mentioning each person.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { toNodeError } from '../../shared/n8n';
import { deliver, readChannel, readKeyword, readOptions, showFor } from '../deliver';
import { packDigest } from '../digest';
import { readLinkPolicy } from '../mapped';
import { DEFAULT_DIGEST_FIELDS, readDigestRows, type DigestFields } from '../digestRows';
import { DIGEST_ORDERS, orderPeople, type DigestOrder } from '../fairOrder';
import { InputError } from '../../shared/errors';
import { NEXT_FIELD, heldRunFor, settledOf } from '../handOver';
import type { HandOver } from '../deliver';

export const description: INodeProperties[] = [
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
	{
		displayName: 'Extra Mention User IDs Field',
		name: 'alsoUserIdsField',
		type: 'string',
		default: 'mentionUserIds',
		displayOptions: showFor(['digest']),
		description:
			'Item field with more user IDs to @mention with the person (escalations: the group leader, the administrator on duty), as Check-In Watch outputs. Feishu mentions only by user ID (open_id or user_id).',
	},
	{
		displayName: 'Extra Mention Mobiles Field',
		name: 'alsoMobilesField',
		type: 'string',
		default: 'mentionMobiles',
		displayOptions: showFor(['digest']),
		description: 'Item field with more mobiles to @mention with the person (WeCom, DingTalk); never printed',
	},
	{
		displayName: 'Order',
		name: 'order',
		type: 'options',
		default: 'input',
		displayOptions: showFor(['digest']),
		options: [
			{ name: 'As Input', value: 'input', description: 'Groups in the order their people come in' },
			{
				name: 'Rotate Each Run',
				value: 'rotate',
				description: 'Start at a different place each run, so that a run cut short by Max Wait does not always leave the same people last',
			},
			{
				name: 'Least Recently Reminded First',
				value: 'leastRecent',
				description: 'People never reminded first, then by the Last Reminded field, oldest first',
			},
		],
		description: 'Which people go first when not all can be sent in this run',
	},
	{
		displayName: 'Last Reminded Field',
		name: 'lastRemindedField',
		type: 'string',
		default: 'lastRemindedAt',
		displayOptions: showFor(['digest'], { order: ['leastRecent'] }),
		description: 'Item field with when the person was last reminded (an ISO date-time); empty means never',
	},
	{
		displayName: 'Hand Over Each Message',
		name: 'handOverEachMessage',
		type: 'boolean',
		default: false,
		displayOptions: showFor(['digest']),
		description:
			'Whether to send one message per call, keeping the people still to send in the execution, with one item on a fourth output, Next. Connect Next back to this node (through a No Operation node placed below the recording node) and record the Sent output: each message is then recorded as soon as the robot accepts it, so a crash resends at most the message in flight. Max Wait and the rate limit hold for the whole loop.',
	},
];

export async function execute(this: IExecuteFunctions, input: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const handOver = Boolean(this.getNodeParameter('handOverEachMessage', 0, false));
	if (!handOver) return await sendDigest.call(this, input);
	// A later call of a run: its people are in the node's context, not in the one item on Next.
	const context = this.getContext('node') as IDataObject;
	const held = heldRunFor(
		input.map((i) => i.json),
		context,
	);
	if (held === 'foreign') {
		throw new NodeOperationError(this.getNode(), 'The item on Next belongs to a run this node no longer holds', {
			description: 'Connect Next back to this same node (through a No Operation node), and nothing else to Next.',
		});
	}
	const items = held ? held.items.map((json) => ({ json: json as IDataObject })) : input;
	const run: HandOver = { carry: held ? held.carry : undefined, settled: [] };
	const [sent, deferred, failed, next] = await sendDigest.call(this, items, run);
	// Everything a later call sends pairs with the one item it was given.
	const pair = <T extends INodeExecutionData>(list: T[]) => (held ? list.map((it) => ({ ...it, pairedItem: { item: 0 } })) : list);
	if (next.length === 0 || !run.next) {
		delete context.handOver;
		return [pair(sent), pair(deferred), pair(failed), []];
	}
	const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
	context.handOver = { token, carry: run.next, items: next.map((it) => it.json) } as unknown as IDataObject;
	const waiting = next.filter((it) => !settledOf(it.json)).length;
	return [pair(sent), [], [], [{ json: { [NEXT_FIELD]: token, peopleToSend: waiting, peopleHeld: next.length }, pairedItem: { item: 0 } }]];
}

/** Packs and sends; with `run`, one accepted message per call (deliver() sets run.next). */
async function sendDigest(this: IExecuteFunctions, items: INodeExecutionData[], run?: HandOver): Promise<INodeExecutionData[][]> {
	const channel = readChannel(this);
	const keyword = await readKeyword(this, channel);
	const param = (name: string, fallback = '') => String(this.getNodeParameter(name, 0, fallback) ?? fallback);
	const fields: DigestFields = {
		targetGroup: param('targetGroupField', DEFAULT_DIGEST_FIELDS.targetGroup),
		name: param('nameField', DEFAULT_DIGEST_FIELDS.name),
		mobile: param('mobileField', DEFAULT_DIGEST_FIELDS.mobile),
		userId: param('userIdField', DEFAULT_DIGEST_FIELDS.userId),
		line: param('lineField', DEFAULT_DIGEST_FIELDS.line),
		alsoUserIds: param('alsoUserIdsField', DEFAULT_DIGEST_FIELDS.alsoUserIds),
		alsoMobiles: param('alsoMobilesField', DEFAULT_DIGEST_FIELDS.alsoMobiles),
		lastReminded: param('lastRemindedField', DEFAULT_DIGEST_FIELDS.lastReminded),
	};
	// Only the people not yet settled in this run are packed; rows are mapped back to the input.
	if (run) run.settled = items.map((_, i) => i).filter((i) => settledOf(items[i].json) !== undefined);
	const settled = new Set(run?.settled ?? []);
	const open = items.map((_, i) => i).filter((i) => !settled.has(i));
	const back = (row: number) => open[row];
	const read = readDigestRows(
		open.map((i) => items[i].json),
		fields,
	);
	// A later call of a hand-over run keeps the order the first call chose.
	const order = (run?.carry ? 'input' : param('order', 'input')) as DigestOrder;
	if (!DIGEST_ORDERS.includes(order)) {
		throw new InputError(`"${order.slice(0, 20)}" is not an order`, { field: 'order', hint: `Use one of: ${DIGEST_ORDERS.join(', ')}` });
	}
	let plan;
	try {
		plan = packDigest(orderPeople(read.people, order, Date.now()), {
			channel,
			header: param('header', ''),
			footer: param('footer', ''),
			maskNames: Boolean(this.getNodeParameter('maskNames', 0, false)),
			mentionPeople: Boolean(this.getNodeParameter('mentionPeople', 0, true)),
			keyword,
			maxBytes: Number(readOptions(this).maxBytes ?? 0),
			links: readLinkPolicy(this),
		});
	} catch (error) {
		throw toNodeError(this, error);
	}
	return await deliver(
		this,
		items,
		channel,
		{
			messages: plan.messages.map((m) => ({ ...m, rows: m.rows.map(back) })),
			problems: read.problems.map((p) => ({ ...p, row: back(p.row) })),
			rejected: plan.rejected.map((r) => ({ ...r, row: back(r.row), field: fields.name })),
			shortened: plan.shortened.map(back),
		},
		run,
	);
}
