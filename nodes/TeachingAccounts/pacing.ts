/**
 * Pacing within Google's per-user quotas and backing off when Google says to.
 * Every object here is created per execution (no module-level state: n8n queue mode).
 * Pure TypeScript: no n8n import; `sleep` and `now` are handed in.
 */

export type Sleep = (ms: number) => Promise<void>;
export type Now = () => number;

/** A Google API failure in plain data (the transport maps gaxios errors onto it). */
export class ApiError extends Error {
	constructor(
		message: string,
		readonly status: number,
		/** errors[0].reason (userRateLimitExceeded, quotaExceeded, duplicate, conditionNotMet...) or the gRPC status. */
		readonly reason: string = '',
		/** Node's network error code (ECONNRESET...) when there was no HTTP answer. */
		readonly code: string = '',
		readonly retryAfterMs?: number,
	) {
		super(message);
		this.name = 'ApiError';
	}
}

const RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'RESOURCE_EXHAUSTED']);

export function isRateLimit(e: unknown): boolean {
	return e instanceof ApiError && (e.status === 429 || (e.status === 403 && RATE_REASONS.has(e.reason)));
}

/** "User creation is not complete" (412 conditionNotMet): Google is still making the user. */
export function isCreationPending(e: unknown): boolean {
	return e instanceof ApiError && (e.status === 412 || /user creation is not complete/i.test(e.message));
}

export function isTransient(e: unknown): boolean {
	if (!(e instanceof ApiError)) return false;
	if (e.status === 0) return true; // no answer: reset, refused, timed out
	return e.status >= 500 || e.status === 408;
}

export function isConflict(e: unknown): boolean {
	return e instanceof ApiError && e.status === 409;
}

export function isNotFound(e: unknown): boolean {
	return e instanceof ApiError && e.status === 404;
}

/**
 * Spaces the start of requests so that no more than `perMinute` start in any minute (times a
 * safety share, 0.97 by default, for clock skew between us and Google).
 */
export class Pacer {
	private next = 0;
	readonly intervalMs: number;

	constructor(
		perMinute: number,
		private readonly sleep: Sleep,
		private readonly now: Now,
		share = 0.97,
	) {
		this.intervalMs = perMinute > 0 ? 60000 / (perMinute * share) : 0;
	}

	async take(): Promise<void> {
		if (this.intervalMs === 0) return;
		const t = this.now();
		const at = Math.max(t, this.next);
		this.next = at + this.intervalMs;
		if (at > t) await this.sleep(at - t);
	}

	/** After a rate-limit answer: nobody starts before `ms` from now. */
	pause(ms: number): void {
		this.next = Math.max(this.next, this.now() + ms);
	}
}

export interface RetryOptions {
	/** Retries after the first try, for rate limits, 5xx, 429 and no answer. */
	maxRetries: number;
	/** First backoff; doubles each time (with jitter), capped at 64 s. */
	baseDelayMs: number;
	/** Retries of "User creation is not complete" and of a just-created user not yet found. */
	creationRetries: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 6, baseDelayMs: 1000, creationRetries: 8 };

export interface CallStats {
	requests: number;
	rateLimited: number;
	retried: number;
}

/**
 * Runs one API call under a pacer, retrying what Google says to retry. `retryNotFound` also
 * retries 404 (a user created seconds ago can be "not found" for a while).
 */
export async function paced<T>(
	pacer: Pacer,
	fn: () => Promise<T>,
	opts: { retry: RetryOptions; sleep: Sleep; stats: CallStats; retryNotFound?: boolean; random?: () => number },
): Promise<T> {
	const random = opts.random ?? Math.random;
	let failures = 0;
	let creationFailures = 0;
	for (;;) {
		await pacer.take();
		opts.stats.requests++;
		try {
			return await fn();
		} catch (e) {
			const creation = isCreationPending(e) || (opts.retryNotFound === true && isNotFound(e));
			const again = creation ? creationFailures++ < opts.retry.creationRetries : (isRateLimit(e) || isTransient(e)) && failures++ < opts.retry.maxRetries;
			if (!again) throw e;
			opts.stats.retried++;
			const attempt = creation ? creationFailures : failures;
			const backoff = Math.min(64000, opts.retry.baseDelayMs * 2 ** (attempt - 1));
			const wait = Math.max((e as ApiError).retryAfterMs ?? 0, backoff / 2 + random() * (backoff / 2));
			if (isRateLimit(e)) {
				opts.stats.rateLimited++;
				pacer.pause(wait);
			}
			await opts.sleep(wait);
		}
	}
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
	return results;
}
