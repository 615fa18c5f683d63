/**
 * The n8n side of delivery, shared by every School Notify operation: the pacing parameters, the
 * robot keyword from the credential, and `deliver()`, which sends the built messages within the
 * robot's budget and sorts every input item into the node's outputs.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { problemItems } from '../shared/n8n';
import { isEmptyRow } from '../shared/rows';
import { problemFrom, type RowProblem } from '../shared/errors';
import type { Channel, JsonBody, OutMessage } from './channels';
import { checkSize } from './channels';
import { Budget, dispatch, limitsFor, type DispatchOptions, type Outcome } from './pacing';
import { SETTLED_FIELD, settledOf, withSettled, type Carry, type Settled } from './handOver';
import { CREDENTIAL_TYPE, postOnce } from './transport';

/** Fields this node adds to items, removed again when a deferred or failed item is sent on a later run. */
const ADDED_FIELDS = [SETTLED_FIELD, 'deferredReason', 'deferredKind', 'retryAfter', 'failedReason', 'failedKind', 'failedCode', 'lineShortened'];

/** The node's outputs, in order. Failed was added last, so connections made before it stay valid. */
export const OUTPUT_NAMES = ['Sent', 'Deferred', 'Failed'];
export const FAILED_OUTPUT = 2;

/** Max Retries, as the robots' and the apps' options show it. */
export function retriesOption(description: string): INodeProperties {
	return { displayName: 'Max Retries', name: 'maxRetries', type: 'number', default: 3, typeOptions: { minValue: 0, maxValue: 10 }, description };
}

export const retryDelayOption: INodeProperties = {
	displayName: 'Retry Delay (Ms)',
	name: 'retryDelayMs',
	type: 'number',
	default: 1000,
	typeOptions: { minValue: 0 },
	description: 'The first backoff delay; it doubles after each failure',
};

/** Pacing and retry parameters, shown for every operation. */
export const deliveryProperties: INodeProperties[] = [
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
			retriesOption('Retries after a network error, a 5xx answer or a busy answer, with exponential backoff'),
			retryDelayOption,
			{
				displayName: 'Link Hosts',
				name: 'linkHosts',
				type: 'string',
				default: '',
				placeholder: 'forms.school.edu.cn',
				description:
					'Hosts, separated by commas, whose http(s) addresses in mapped values and digest lines stay clickable, beside this n8n\'s own address (personal links, approval pages). Any other address in user text is shown broken, as text.',
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
];

/** `displayOptions` showing a parameter for some operations (and optionally other values). */
export const showFor = (operation: string[], extra: IDataObject = {}) => ({ show: { operation, ...extra } });

export function readChannel(ctx: IExecuteFunctions): Channel {
	return ctx.getNodeParameter('channel', 0) as Channel;
}

export function readOptions(ctx: IExecuteFunctions): IDataObject {
	return ctx.getNodeParameter('options', 0, {}) as IDataObject;
}

/** The keyword the robot requires (from its credential), checking that a credential is set. */
export async function readKeyword(ctx: IExecuteFunctions, channel: Channel): Promise<string> {
	try {
		const cred = await ctx.getCredentials(CREDENTIAL_TYPE[channel]);
		return typeof cred.keyword === 'string' ? cred.keyword : '';
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `No ${channel} robot credential is set`, {
			description: (error as Error).message,
		});
	}
}

/** Built messages and the rows that could not become one. */
export interface Built {
	messages: OutMessage[];
	/** Bad input rows: error items under continue-on-fail, else the first stops the run unsent. */
	problems: RowProblem[];
	/** People left out of every message with the reason (e.g. too long): Failed output, always. */
	rejected?: RowProblem[];
	/** Rows whose digest line was shortened to fit. */
	shortened?: number[];
}

/**
 * One message per non-empty input item (Send Message, Send Card). A bad item becomes a problem
 * with its row and field; nothing is sent before every item is built.
 */
export function onePerItem(
	channel: Channel,
	items: INodeExecutionData[],
	build: (i: number) => JsonBody,
	field?: string,
): Built {
	const messages: OutMessage[] = [];
	const problems: RowProblem[] = [];
	for (let i = 0; i < items.length; i++) {
		if (isEmptyRow(items[i].json)) continue;
		try {
			const body = build(i);
			messages.push({ body, ...checkSize(channel, body, i, field), rows: [i] });
		} catch (error) {
			problems.push(problemFrom(error, i));
		}
	}
	return { messages, problems };
}

function clean(json: IDataObject): IDataObject {
	const out = { ...json };
	for (const k of ADDED_FIELDS) delete out[k];
	return out;
}

/**
 * Sends the messages within the robot's budget and Max Wait, and sorts every input item into
 * an output: Sent (accepted by the platform, and only that), Deferred (rate limits, busy or
 * unreachable: with when to retry), or Failed (refused, or left out, with the reason). Bad input
 * rows become error items under continue-on-fail. Without it a refusal stops the run only when
 * nothing was accepted: once something was, the run ends normally so that the Sent output can
 * be recorded.
 */
export async function deliver(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	channel: Channel,
	built: Built,
	handOver?: HandOver,
): Promise<INodeExecutionData[][]> {
	const started = Date.now();
	const options = readOptions(ctx);
	const maxWaitSeconds = Number(ctx.getNodeParameter('maxWaitSeconds', 0, 60));
	const { messages } = built;
	const carry = handOver?.carry;
	const failed: INodeExecutionData[] = problemItems(ctx, built.problems, items);
	for (const r of built.rejected ?? []) {
		failed.push({
			json: { ...clean(items[r.row].json), failedReason: r.message, failedKind: 'tooLong' },
			pairedItem: { item: r.row },
		});
	}

	// Items deferred for a throttle carry when it ends.
	const budget = new Budget(limitsFor(channel, Number(options.messagesPerMinute ?? 0)));
	if (carry) budget.restore(carry);
	for (const m of messages) {
		for (const row of m.rows) {
			const j = items[row].json;
			if (j.deferredKind === 'throttled' && typeof j.retryAfter === 'string') {
				const t = Date.parse(j.retryAfter);
				if (!Number.isNaN(t)) budget.close(t, String(j.deferredReason ?? 'the robot is throttled'));
			}
		}
	}
	const deadline = carry?.deadline ?? started + Math.max(0, maxWaitSeconds) * 1000;
	const dispatchOptions: DispatchOptions = {
		channel,
		budget,
		deadline,
		maxRetries: Number(options.maxRetries ?? 3),
		backoffBaseMs: Number(options.retryDelayMs ?? 1000),
		now: () => Date.now(),
		sleep: async (ms) => await sleep(ms),
		post: async (body) => await postOnce(ctx, channel, body),
	};
	const outcomes: Array<Outcome | undefined> = handOver
		? await dispatchUntilAccepted(messages, dispatchOptions)
		: await dispatch(messages, dispatchOptions);

	const firstRefusal = outcomes.findIndex((o) => o?.status === 'failed');
	if (firstRefusal !== -1 && !ctx.continueOnFail() && !carry && !outcomes.some((o) => o?.status === 'sent')) {
		const o = outcomes[firstRefusal] as Extract<Outcome, { status: 'failed' }>;
		throw new NodeApiError(ctx.getNode(), { message: o.reason, code: o.code ?? '' } as JsonObject, {
			message: o.reason,
			description:
				o.kind === 'auth'
					? 'Check the robot credential: the key/token/hook id, the signing secret and the server clock. Nothing was sent.'
					: 'The message was refused and nothing was sent.',
			itemIndex: messages[firstRefusal].rows[0],
		});
	}

	const shortened = new Set(built.shortened ?? []);
	const sent: INodeExecutionData[] = [];
	const deferred: INodeExecutionData[] = [];
	const pending: INodeExecutionData[] = [];
	let messageIndex = carry?.messageIndex ?? 0;
	for (let k = 0; k < messages.length; k++) {
		const outcome = outcomes[k];
		for (const row of messages[k].rows) {
			const json = clean(items[row].json);
			const pairedItem = { item: row };
			if (outcome === undefined) {
				pending.push({ json, pairedItem });
			} else if (outcome.status === 'sent') {
				const extra = shortened.has(row) ? { lineShortened: true } : {};
				const sentAt = new Date(outcome.sentAt).toISOString();
				sent.push({ json: { ...json, channel, messageIndex, sentAt, ...extra }, pairedItem });
			} else if (outcome.status === 'deferred') {
				const retryAfter = new Date(outcome.retryAfter).toISOString();
				deferred.push({
					json: { ...json, deferredReason: outcome.reason, deferredKind: outcome.kind, retryAfter },
					pairedItem,
				});
			} else {
				const code = outcome.code === undefined ? {} : { failedCode: outcome.code };
				failed.push({ json: { ...json, failedReason: outcome.reason, failedKind: outcome.kind, ...code }, pairedItem });
			}
		}
		if (outcome?.status === 'sent') messageIndex++;
	}
	if (!handOver) return [sent, deferred, failed];

	// Settled in an earlier call of this run: out on their output now, or held on again.
	for (const i of handOver.settled) {
		const target = settledOf(items[i].json) === 'deferred' ? deferred : failed;
		target.push({ json: withSettled(items[i].json, undefined) as IDataObject, pairedItem: { item: i } });
	}
	if (pending.length === 0) return [sent, deferred, failed, []];
	handOver.next = { ...budget.snapshot(), deadline, messageIndex };
	const held = (list: INodeExecutionData[], settled?: Settled) =>
		list.map((it) => ({ ...it, json: withSettled(it.json, settled) as IDataObject }));
	return [sent, [], [], [...held(pending), ...held(deferred, 'deferred'), ...held(failed, 'failed')]];
}

/**
 * A Send Digest call that hands over each message: the run's state so far (none on the first
 * call), which items are already settled, and, set by deliver(), the state for the next call.
 */
export interface HandOver {
	carry?: Carry;
	settled: number[];
	next?: Carry;
}

/**
 * Sends messages in order until the robot accepts one; the rest stay undefined (for the next
 * call). A message deferred or refused does not stop the call; bad credentials settle the rest.
 */
async function dispatchUntilAccepted(messages: OutMessage[], o: DispatchOptions): Promise<Array<Outcome | undefined>> {
	const outcomes: Array<Outcome | undefined> = messages.map(() => undefined);
	for (let k = 0; k < messages.length; k++) {
		const [outcome] = await dispatch([messages[k]], o);
		outcomes[k] = outcome;
		if (outcome.status === 'sent') break;
		if (outcome.status === 'failed' && outcome.kind === 'auth') {
			for (let j = k + 1; j < messages.length; j++) outcomes[j] = outcome;
			break;
		}
	}
	return outcomes;
}
