/**
 * Direct messages for one run: group identical messages into calls (as many recipients as the
 * platform takes), pace them within the app's and each member's limits, and give every
 * recipient an outcome. Pure TypeScript: the clock, the sleep and the call are passed in, and
 * nothing is kept between runs (a deferred person carries their retryAfter time instead).
 */
import { backoffMs } from '../pacing';
import type { CallAnswer } from './answers';
import type { AppBody } from './messages';
import { APP_LIMITS, MEMBER_LIMITS, RECIPIENTS, platformLabel, type AppPlatform, type RateLimit, type RecipientType } from './platforms';

/** One person (one input item) to message. */
export interface Delivery {
	row: number;
	recipientType: RecipientType;
	recipient: string;
	body: AppBody;
}

/** One send call: one message body to one or more recipients. */
export interface Batch {
	recipientType: RecipientType;
	body: AppBody;
	recipients: string[];
	/** Input rows per recipient (the same person may be asked for twice). */
	rows: Map<string, number[]>;
}

export type Outcome =
	| { status: 'sent'; at: number; taskId?: string; messageId?: string }
	| { status: 'deferred'; kind: 'throttled' | 'budget' | 'server'; reason: string; retryAfter: number }
	| { status: 'failed'; kind: 'recipient' | 'invalid' | 'auth'; reason: string; code?: number };

/** Recipient key as the platforms compare them (WeCom lower-cases user ids). */
export function recipientKey(type: RecipientType, id: string): string {
	return `${type === 'userId' ? 'user' : type}:${type === 'userId' ? id.toLowerCase() : id}`;
}

/** Identical bodies to the same kind of recipient share calls, in input order. */
export function planBatches(platform: AppPlatform, deliveries: Delivery[]): Batch[] {
	const open = new Map<string, Batch>();
	const batches: Batch[] = [];
	for (const d of deliveries) {
		const max = RECIPIENTS[platform][d.recipientType] ?? 1;
		const key = `${d.recipientType}\u0000${JSON.stringify(d.body)}`;
		let b = open.get(key);
		if (b && !b.rows.has(d.recipient) && b.recipients.length >= max) b = undefined;
		if (!b) {
			b = { recipientType: d.recipientType, body: d.body, recipients: [], rows: new Map() };
			open.set(key, b);
			batches.push(b);
		}
		const rows = b.rows.get(d.recipient);
		if (rows) rows.push(d.row);
		else {
			b.rows.set(d.recipient, [d.row]);
			b.recipients.push(d.recipient);
		}
	}
	return batches;
}

/** A sliding window of one limit. */
export class Window {
	private readonly times: number[] = [];

	constructor(readonly limit: RateLimit) {}

	record(at: number, n = 1): void {
		for (let i = 0; i < n; i++) this.times.push(at);
	}

	/** Earliest time at or after now when n more fit (n above the limit never fits: Infinity). */
	nextSlot(now: number, n = 1): number {
		if (n > this.limit.count) return Infinity;
		const keep = this.limit.count - n;
		if (this.times.length <= keep) return now;
		const pivot = this.times[this.times.length - keep - 1];
		return Math.max(now, pivot + this.limit.windowMs + 50);
	}
}

export interface DispatchOptions {
	platform: AppPlatform;
	/** No waiting past this time: what is left is deferred. */
	deadline: number;
	maxRetries: number;
	backoffBaseMs: number;
	/** Lower (never raise) the calls-a-minute budget, e.g. when other workflows share the app. */
	callsPerMinute?: number;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	call: (batch: Batch) => Promise<CallAnswer>;
}

/** Sends every batch; returns one outcome per recipient key of each batch. */
export async function dispatch(batches: Batch[], o: DispatchOptions): Promise<Array<Map<string, Outcome>>> {
	const name = platformLabel(o.platform);
	const limits = APP_LIMITS[o.platform].map((l) =>
		l.unit === 'calls' && l.windowMs === 60_000 && o.callsPerMinute ? { ...l, count: Math.min(l.count, o.callsPerMinute) } : l,
	);
	if (o.callsPerMinute && !limits.some((l) => l.unit === 'calls' && l.windowMs === 60_000)) {
		limits.push({ unit: 'calls', count: o.callsPerMinute, windowMs: 60_000, source: 'Messages per Minute option' });
	}
	const app = limits.map((l) => new Window(l));
	const members = new Map<string, Window[]>();
	const memberWindows = (id: string) => {
		let w = members.get(id);
		if (!w) members.set(id, (w = MEMBER_LIMITS[o.platform].map((l) => new Window(l))));
		return w;
	};
	let closedUntil = 0;
	let closedReason = '';
	let stop: Outcome | undefined;
	const results: Array<Map<string, Outcome>> = [];

	for (const batch of batches) {
		const out = new Map<string, Outcome>();
		results.push(out);
		if (stop) {
			for (const r of batch.recipients) out.set(r, stop);
			continue;
		}
		const all = (x: Outcome) => batch.recipients.forEach((r) => out.set(r, x));
		const personal = batch.recipientType !== 'department' && batch.recipientType !== 'tag';
		let failures = 0;
		let throttles = 0;
		for (;;) {
			const now = o.now();
			let slot = Math.max(now, closedUntil);
			for (const w of app) slot = Math.max(slot, w.nextSlot(now, w.limit.unit === 'recipients' ? batch.recipients.length : 1));
			if (personal) for (const r of batch.recipients) for (const w of memberWindows(r)) slot = Math.max(slot, w.nextSlot(now));
			if (slot > now) {
				if (slot <= o.deadline) {
					await o.sleep(slot - now);
					continue;
				}
				const throttled = closedUntil > now;
				all({
					status: 'deferred',
					kind: throttled ? 'throttled' : 'budget',
					reason: throttled ? closedReason : `${name} rate limits: the wait would pass Max Wait, so this goes to the next run`,
					retryAfter: Number.isFinite(slot) ? slot : now + 60_000,
				});
				break;
			}
			const answer = await o.call(batch);
			const at = o.now();
			for (const w of app) w.record(at, w.limit.unit === 'recipients' ? batch.recipients.length : 1);
			if (answer.kind === 'ok') {
				const refused = new Map((answer.refused ?? []).map((r) => [r.id, r.reason]));
				for (const r of batch.recipients) {
					const why = refused.get(recipientKey(batch.recipientType, r));
					if (why) out.set(r, { status: 'failed', kind: 'recipient', reason: why, code: answer.code });
					else {
						out.set(r, { status: 'sent', at, taskId: answer.taskId, messageId: answer.messageId });
						if (personal) for (const w of memberWindows(r)) w.record(at);
					}
				}
				break;
			}
			if (answer.kind === 'recipients') {
				const refused = new Map((answer.refused ?? []).map((r) => [r.id, r.reason]));
				for (const r of batch.recipients) {
					const why = refused.get(recipientKey(batch.recipientType, r)) ?? answer.message;
					out.set(r, { status: 'failed', kind: 'recipient', reason: why, code: answer.code });
				}
				break;
			}
			if (answer.kind === 'auth' || answer.kind === 'expired') {
				stop = { status: 'failed', kind: 'auth', reason: `${name} refused the app credentials: ${answer.message}`, code: answer.code };
				all(stop);
				break;
			}
			if (answer.kind === 'invalid') {
				all({ status: 'failed', kind: 'invalid', reason: `${name} refused the message: ${answer.message}`, code: answer.code });
				break;
			}
			if (answer.kind === 'throttled') {
				throttles++;
				const until = at + (answer.retryAfterMs ?? 60_000);
				if (until > closedUntil) {
					closedUntil = until;
					closedReason = `${name} is rate limiting this app (${answer.code ?? ''} ${answer.message}); retry after the limit resets`.replace(/\s+/g, ' ');
				}
				if (throttles > o.maxRetries || until > o.deadline) {
					all({ status: 'deferred', kind: 'throttled', reason: closedReason, retryAfter: until });
					break;
				}
				continue;
			}
			failures++;
			const wait = backoffMs(failures, o.backoffBaseMs);
			if (failures > o.maxRetries || o.now() + wait > o.deadline) {
				all({
					status: 'deferred',
					kind: 'server',
					reason: `${name} did not take the message after ${failures} attempt(s): ${answer.message}`,
					retryAfter: o.now() + Math.max(wait, 60_000),
				});
				break;
			}
			await o.sleep(wait);
		}
	}
	return results;
}
