/**
 * Who counts as missing: the status of a reporter at a slot occurrence, the occurrences a check
 * looks at, and misses in a row. Reads a ledger (ledger.ts). Pure TypeScript: no n8n import.
 */
import type { Ledger } from './ledger';

export type ReportStatus = 'on time' | 'late' | 'missing';

/** Missing: no submission in the slot's window (opens to due plus the make-up grace); late: after due. */
export function statusOf(ledger: Ledger, reporter: number, k: number): ReportStatus {
	const ms = ledger.latestMs[k * ledger.roster.reporters.length + reporter];
	if (ms === 0) return 'missing';
	return ms <= ledger.occ[k].dueMs ? 'on time' : 'late';
}

/**
 * Misses in a row up to and including occurrence k, counted back over earlier school-day slots
 * (all slots, in order of their due times) within the look-back, and no further back than the
 * submission history goes (a slot that closed before the earliest submission is not counted:
 * there is no data for it). `capped` is true when the count reached that limit.
 */
export function consecutiveMisses(ledger: Ledger, reporter: number, k: number): { count: number; capped: boolean } {
	const R = ledger.roster.reporters.length;
	if (ledger.historyLoaded[reporter] === 0) ledger.loadHistory([reporter], ledger.occ[k].dueMs);
	const start = ledger.duePos[k];
	let count = 0;
	for (let p = start; p >= 0; p--) {
		const kk = ledger.byDue[p];
		if (ledger.latestMs[kk * R + reporter] !== 0) return { count, capped: false };
		if (p !== start && ledger.occ[kk].closesMs < ledger.historyFromMs) return { count, capped: true };
		count++;
	}
	return { count, capped: true };
}

/** Reads the history of every reporter missing at one of these occurrences, in one pass. */
export function loadMissingHistory(ledger: Ledger, occurrenceIndices: number[]): void {
	const R = ledger.roster.reporters.length;
	const missing: number[] = [];
	let first = Number.POSITIVE_INFINITY;
	for (const k of occurrenceIndices) first = Math.min(first, ledger.occ[k].dueMs);
	for (let r = 0; r < R; r++) {
		for (const k of occurrenceIndices) {
			if (ledger.latestMs[k * R + r] === 0) {
				missing.push(r);
				break;
			}
		}
	}
	// Runs of misses are counted back from the earliest checked slot.
	ledger.loadHistory(missing, first);
}

/** The occurrences a check looks at: due by the as-of time, on the as-of date (by date or due date). */
export function dueOccurrences(ledger: Ledger, scope: 'latest' | 'allToday', onlySlots: string[] = []): number[] {
	const picked: number[] = [];
	for (let k = 0; k < ledger.occ.length; k++) {
		const o = ledger.occ[k];
		if (o.dueMs > ledger.asOfMs) continue;
		if (o.date !== ledger.asOfDate && o.dueDate !== ledger.asOfDate) continue;
		if (onlySlots.length && !onlySlots.includes(o.slot.name)) continue;
		picked.push(k);
	}
	if (scope === 'allToday' || picked.length === 0) return picked;
	const latest = Math.max(...picked.map((k) => ledger.occ[k].dueMs));
	return picked.filter((k) => ledger.occ[k].dueMs === latest);
}
