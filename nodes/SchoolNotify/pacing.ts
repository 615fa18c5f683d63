/**
 * Per-robot pacing for one run, pure TypeScript (no n8n import, no timers: the clock, the
 * sleep and the post are passed in). A run keeps its own budget; nothing is kept between runs
 * (queue mode may run the next one on another worker), which is why a deferred item carries
 * its retryAfter time with it.
 */
import { channelLabel, type Channel, type JsonBody, type OutMessage } from './channels';
import type { Answer } from './answers';

export interface Limit {
	count: number;
	windowMs: number;
}

/** Each channel's documented limits per robot. */
export const CHANNEL_LIMITS: Record<Channel, Limit[]> = {
	dingtalk: [{ count: 20, windowMs: 60_000 }],
	wecom: [{ count: 20, windowMs: 60_000 }],
	feishu: [
		{ count: 5, windowMs: 1_000 },
		{ count: 100, windowMs: 60_000 },
	],
};

/** The limits to keep to, lowered (never raised) by the user's messages-a-minute setting. */
export function limitsFor(channel: Channel, perMinute?: number): Limit[] {
	const limits = CHANNEL_LIMITS[channel].map((l) => ({ ...l }));
	if (perMinute && perMinute > 0) {
		for (const l of limits) if (l.windowMs === 60_000) l.count = Math.min(l.count, Math.floor(perMinute));
	}
	return limits;
}

/** Safety margin added to each window, for clock and network jitter. */
export const WINDOW_MARGIN_MS = 50;

/** A budget's sends and throttle, carried from one call of a hand-over digest to the next. */
export interface BudgetState {
	sent: number[];
	closedUntil: number;
	closedReason: string;
}

/** Sliding-window budget of one robot. Sends are recorded when their answer arrives. */
export class Budget {
	private readonly sent: number[] = [];

	private closedUntil = 0;

	private closedReason = '';

	constructor(readonly limits: Limit[]) {}

	record(at: number): void {
		this.sent.push(at);
	}

	/** The robot is throttled until this time. */
	close(until: number, reason = 'the robot is throttled'): void {
		if (until > this.closedUntil) {
			this.closedUntil = until;
			this.closedReason = reason;
		}
	}

	/** Why the robot is closed at `now`, or undefined when it is open. */
	closedAt(now: number): string | undefined {
		return this.closedUntil > now ? this.closedReason : undefined;
	}

	get used(): number {
		return this.sent.length;
	}

	/** What the next call of a hand-over digest needs to keep within the limits. */
	snapshot(): BudgetState {
		const keep = Math.max(...this.limits.map((l) => l.count));
		return { sent: this.sent.slice(-keep), closedUntil: this.closedUntil, closedReason: this.closedReason };
	}

	/** Takes over the sends and the throttle of an earlier call of the same run. */
	restore(state: BudgetState): void {
		for (const at of state.sent) if (Number.isFinite(at)) this.sent.push(at);
		this.sent.sort((a, b) => a - b);
		if (state.closedUntil) this.close(state.closedUntil, state.closedReason);
	}

	/** The earliest time at or after `now` when one more message keeps within every limit. */
	nextSlot(now: number): number {
		let t = Math.max(now, this.closedUntil);
		for (const l of this.limits) {
			if (this.sent.length < l.count) continue;
			// the count-th most recent send must have left the window
			const pivot = this.sent[this.sent.length - l.count];
			t = Math.max(t, pivot + l.windowMs + WINDOW_MARGIN_MS);
		}
		return t;
	}
}

export type Decision = { action: 'send' } | { action: 'wait'; ms: number } | { action: 'defer'; retryAfter: number };

/** Send now, wait (only while the wait ends by the deadline), or defer to the next run. */
export function decide(budget: Budget, now: number, deadline: number): Decision {
	const slot = budget.nextSlot(now);
	if (slot <= now) return { action: 'send' };
	if (slot <= deadline) return { action: 'wait', ms: slot - now };
	return { action: 'defer', retryAfter: slot };
}

/** Exponential backoff: base, 2 x base, 4 x base ..., capped at 30 s. */
export function backoffMs(attempt: number, baseMs: number): number {
	return Math.min(30_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

export type Outcome =
	| { status: 'sent'; sentAt: number; attempts: number }
	| { status: 'deferred'; kind: 'budget' | 'throttled' | 'busy' | 'server'; reason: string; retryAfter: number }
	| { status: 'failed'; kind: 'auth' | 'invalid'; reason: string; code?: number };

export interface DispatchOptions {
	channel: Channel;
	budget: Budget;
	/** No waiting past this time (ms since epoch): what is left is deferred. */
	deadline: number;
	maxRetries: number;
	backoffBaseMs: number;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** One attempt. Network errors must come back as an Answer of kind 'server'. */
	post: (body: JsonBody) => Promise<Answer>;
}

/**
 * Sends messages in order within the budget. Every message gets an outcome: sent, deferred
 * (with when to retry) or failed (bad credentials stop the run; an invalid message fails alone).
 */
export async function dispatch(messages: OutMessage[], o: DispatchOptions): Promise<Outcome[]> {
	const outcomes: Outcome[] = [];
	let stop: Outcome | undefined;
	const name = channelLabel(o.channel);
	for (const message of messages) {
		if (stop) {
			outcomes.push(stop);
			continue;
		}
		outcomes.push(await sendOne(message.body));
	}
	return outcomes;

	async function sendOne(body: JsonBody): Promise<Outcome> {
		let failures = 0;
		let throttles = 0;
		for (;;) {
			const d = decide(o.budget, o.now(), o.deadline);
			if (d.action === 'wait') {
				await o.sleep(d.ms);
				continue;
			}
			if (d.action === 'defer') {
				const closed = o.budget.closedAt(o.now());
				if (closed) return { status: 'deferred', kind: 'throttled', reason: closed, retryAfter: d.retryAfter };
				return { status: 'deferred', kind: 'budget', reason: budgetReason(o.channel, o.budget), retryAfter: d.retryAfter };
			}
			const answer = await o.post(body);
			const at = o.now();
			o.budget.record(at);
			switch (answer.kind) {
				case 'ok':
					return { status: 'sent', sentAt: at, attempts: failures + throttles + 1 };
				case 'auth':
					stop = { status: 'failed', kind: 'auth', reason: `${name} refused the credentials: ${answer.message}`, code: answer.code };
					return stop;
				case 'invalid':
					return { status: 'failed', kind: 'invalid', reason: `${name} refused the message: ${answer.message}`, code: answer.code };
				case 'throttled': {
					throttles++;
					const until = at + (answer.retryAfterMs ?? 60_000);
					const reason = `${name} is throttling this robot (${answer.code ?? ''} ${answer.message}); retry after the throttle ends`.replace(/\s+/g, ' ');
					o.budget.close(until, reason);
					if (throttles > o.maxRetries || until > o.deadline) {
						return { status: 'deferred', kind: 'throttled', reason, retryAfter: until };
					}
					continue;
				}
				default: {
					failures++;
					const wait = backoffMs(failures, o.backoffBaseMs);
					if (failures > o.maxRetries || o.now() + wait > o.deadline) {
						return {
							status: 'deferred',
							kind: answer.kind === 'busy' ? 'busy' : 'server',
							reason: `${name} did not take the message after ${failures} attempt(s): ${answer.message}`,
							retryAfter: o.now() + Math.max(wait, 60_000),
						};
					}
					await o.sleep(wait);
				}
			}
		}
	}
}

function budgetReason(channel: Channel, budget: Budget): string {
	const perMinute = budget.limits.find((l) => l.windowMs === 60_000)?.count;
	return `${channelLabel(channel)} budget: ${perMinute ?? '?'} messages a minute per robot; the wait would pass Max Wait, so this goes to the next run`;
}
