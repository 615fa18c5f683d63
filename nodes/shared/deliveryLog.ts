/**
 * The delivery log: exactly once where the platforms allow it. Before a run sends to anyone it
 * claims each person's dedupe key in a table every worker shares; of two overlapping runs the
 * earlier claim wins (the claim with the lower row id, so both runs agree whatever the
 * interleaving), and a claim older than `staleMinutes` no longer counts (its run died), so the
 * next run retries. Each message is recorded as sent the moment the platform accepts it, so a
 * crash resends at most the one message in flight.
 *
 * Pure TypeScript: the table is reached through the small RowStore interface (an n8n Data Table
 * in the node, an array in the tests).
 */

export interface StoredRow {
	id: number;
	[column: string]: unknown;
}

export interface RowFilter {
	column: string;
	condition: 'eq' | 'like' | 'gte';
	value: string;
}

/** What the log needs from a table. */
export interface RowStore {
	insert(rows: Array<Record<string, string>>): Promise<void>;
	/** Rows matching every filter. */
	find(filters: RowFilter[]): Promise<StoredRow[]>;
}

export interface ClaimResult {
	/** Keys this run holds: send to these. */
	mine: string[];
	/** Keys another run holds or has already sent, with why. */
	taken: Array<{ key: string; reason: string }>;
}

export interface DeliveryLogOptions {
	/** This run (the n8n execution id). */
	runId: string;
	/** Minutes after which another run's unconfirmed claim is ignored. */
	staleMinutes: number;
	/** The time now (ms since the epoch). */
	now: () => number;
}

export const CLAIM_COLUMNS = ['dedupeKey', 'runId', 'claimedAt'] as const;

export class DeliveryLog {
	constructor(
		private readonly claims: RowStore,
		private readonly sent: RowStore,
		private readonly options: DeliveryLogOptions,
	) {
		if (!(options.staleMinutes > 0 && options.staleMinutes <= 24 * 60)) {
			throw new RangeError(`Stale claim minutes must be between 1 and 1440, not ${options.staleMinutes}`);
		}
	}

	/** Claims `keys` for this run; returns the keys it holds and those it must leave alone. */
	async claim(keys: string[], alreadySent: (key: string) => boolean = () => false): Promise<ClaimResult> {
		const unique = [...new Set(keys)];
		if (!unique.length) return { mine: [], taken: [] };
		const now = this.options.now();
		const staleMs = this.options.staleMinutes * 60_000;
		const since = new Date(now - 3 * staleMs).toISOString();
		await this.claims.insert(
			unique.map((dedupeKey) => ({ dedupeKey, runId: this.options.runId, claimedAt: new Date(now).toISOString() })),
		);
		const recent = await this.claims.find([{ column: 'claimedAt', condition: 'gte', value: since }]);
		const first = holders(recent, staleMs);
		const mine: string[] = [];
		const taken: ClaimResult['taken'] = [];
		for (const key of unique) {
			const winner = first.get(key);
			if (alreadySent(key)) taken.push({ key, reason: 'already sent' });
			else if (!winner || String(winner.runId) === this.options.runId) mine.push(key);
			else taken.push({ key, reason: `being sent by execution ${String(winner.runId)}` });
		}
		return { mine, taken };
	}

	/** Records the people of one accepted message as sent (call it as each message is accepted). */
	async recordSent(rows: Array<Record<string, string>>): Promise<void> {
		if (rows.length) await this.sent.insert(rows);
	}
}

/**
 * Who holds each key: claims are taken in row-id order; a claim becomes the holder when there is
 * none, or when the holder's claim is at least `staleMs` older (its run died). Every run that reads
 * the same rows reaches the same answer, and a run's own claim is decided by earlier rows only.
 */
export function holders(rows: StoredRow[], staleMs: number): Map<string, StoredRow> {
	const held = new Map<string, StoredRow>();
	for (const row of [...rows].sort((a, b) => a.id - b.id)) {
		const key = String(row.dedupeKey);
		const h = held.get(key);
		if (!h || Date.parse(String(row.claimedAt)) - Date.parse(String(h.claimedAt)) >= staleMs) held.set(key, row);
	}
	return held;
}

/** An in-memory RowStore (tests, and a reference for what a table must do). */
export class MemoryStore implements RowStore {
	readonly rows: StoredRow[] = [];
	private next = 1;

	async insert(rows: Array<Record<string, string>>): Promise<void> {
		for (const r of rows) this.rows.push({ ...r, id: this.next++ });
	}

	async find(filters: RowFilter[]): Promise<StoredRow[]> {
		return this.rows.filter((r) =>
			filters.every((f) => {
				const v = String(r[f.column] ?? '');
				if (f.condition === 'eq') return v === f.value;
				if (f.condition === 'gte') return v >= f.value;
				const re = new RegExp(`^${f.value.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
				return re.test(v);
			}),
		);
	}
}
