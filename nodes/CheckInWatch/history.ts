/**
 * History rows of the ledger: submissions written more than two days before the as-of date.
 * They are kept aside, bucketed by the day they are written on, and read day by day (newest
 * first) only for the reporters whose run of misses is still unbroken: most runs end within a
 * day, so little history is read. Pure TypeScript: no n8n import.
 */
import { daysFromCivil } from '../shared/time';
import type { Ledger } from './ledger';

/** Reads history row i for the reporters flagged in onlyFor (the ledger's placer). */
export type PlaceRow = (i: number, onlyFor: Uint8Array) => void;

export class HistoryRows {
	/** Days (since 1970-01-01) from which a row is recent: placed at once. */
	private readonly recentFrom: number;
	private readonly recentTo: number;
	/** The first day of the look-back that history rows can matter for. */
	private readonly oldest: number;
	private readonly rows: Int32Array;
	private readonly days: Int32Array;
	private count = 0;
	/** The earliest day a kept history row is written on. */
	firstDay = Number.POSITIVE_INFINITY;

	constructor(asOfDay: number, lookBackDays: number, capacity: number) {
		this.recentFrom = asOfDay - 2;
		this.recentTo = asOfDay + 2;
		this.oldest = asOfDay - lookBackDays - 2;
		this.rows = new Int32Array(capacity);
		this.days = new Int32Array(capacity);
	}

	isRecent(day: number): boolean {
		return day >= this.recentFrom && day <= this.recentTo;
	}

	/** Keeps a history row for later; false when it is before the look-back or after the as-of date (not counted). */
	defer(i: number, day: number): boolean {
		if (day < this.oldest || day > this.recentTo) return false;
		this.days[this.count] = day - this.oldest;
		this.rows[this.count++] = i;
		if (day < this.firstDay) this.firstDay = day;
		return true;
	}

	/**
	 * The ledger's loadHistory: reads history day by day, newest first, for the reporters whose
	 * run of misses before `beforeMs` is still unbroken. A slot of date X is reported on days X-1
	 * to X+2 (a slot past midnight, a written offset).
	 */
	loader(ledger: Ledger, place: PlaceRow): Ledger['loadHistory'] {
		const R = ledger.roster.reporters.length;
		const K = ledger.occ.length;
		const loaded = new Uint8Array(R);
		ledger.historyLoaded = loaded;
		if (this.count === 0) {
			loaded.fill(1);
			return () => undefined;
		}
		const { bucketStart, bucketed } = this.buckets();
		const occDay = ledger.occ.map((o) => {
			const [y, m, d] = o.date.split('-').map(Number);
			return daysFromCivil(y, m, d);
		});
		const { latestMs } = ledger;
		const dues = ledger.occ.map((o) => o.dueMs);
		const { recentFrom, oldest } = this;
		return (reporters: Iterable<number>, beforeMs = Number.POSITIVE_INFINITY) => {
			let alive: number[] = [];
			for (const r of reporters) if (loaded[r] === 0) alive.push(r);
			if (!alive.length) return;
			const need = new Uint8Array(R);
			for (const r of alive) need[r] = 1;
			let checkedFrom = Number.POSITIVE_INFINITY;
			for (let D = recentFrom - 1; D >= oldest && alive.length; D--) {
				// Occurrences of dates D+2 and later are complete: a report in one ends the run.
				const still: number[] = [];
				for (const r of alive) {
					let broken = false;
					for (let k = 0; k < K && !broken; k++) {
						if (occDay[k] >= D + 2 && occDay[k] < checkedFrom && dues[k] < beforeMs && latestMs[k * R + r] !== 0) {
							broken = true;
						}
					}
					if (broken) {
						need[r] = 0;
						loaded[r] = 1;
					} else still.push(r);
				}
				alive = still;
				checkedFrom = D + 2;
				if (!alive.length) break;
				const b = D - oldest;
				for (let j = bucketStart[b]; j < bucketStart[b + 1]; j++) place(bucketed[j], need);
			}
			for (const r of alive) loaded[r] = 1;
		};
	}

	/** History rows bucketed by the day they are written on (a counting sort). */
	private buckets(): { bucketStart: Int32Array; bucketed: Int32Array } {
		const span = this.recentFrom - this.oldest;
		const bucketStart = new Int32Array(span + 1);
		for (let j = 0; j < this.count; j++) bucketStart[this.days[j] + 1]++;
		for (let d = 0; d < span; d++) bucketStart[d + 1] += bucketStart[d];
		const bucketed = new Int32Array(this.count);
		const fill = bucketStart.slice(0, span);
		for (let j = 0; j < this.count; j++) bucketed[fill[this.days[j]]++] = this.rows[j];
		return { bucketStart, bucketed };
	}
}
