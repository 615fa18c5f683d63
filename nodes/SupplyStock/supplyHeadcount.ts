/**
 * Supply Stock: the headcount table and the headcount on any day, behind (to measure use per
 * person) and ahead (to forecast it). Pure TypeScript: no n8n import.
 */
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import { colName, columnsFor, firstNonEmpty, nonNegative, type SupplyColumnMap } from './supplyColumns';
import type { DateReader } from './supplyDates';
import type { Parsed } from './supplyInventory';

export interface HeadcountEntry {
	row: number;
	day: number;
	headcount: number;
}

/**
 * Headcount: date and expected headcount. A row holds from its date until the next row's date,
 * so "2026-02-01: 80" then "2026-03-09: 1200" reads as staff only, then full reopening.
 */
export function parseHeadcount(rows: Row[], map: SupplyColumnMap, dates: DateReader): Parsed<HeadcountEntry> {
	const out: HeadcountEntry[] = [];
	const problems: RowProblem[] = [];
	const sample = firstNonEmpty(rows);
	if (!sample) return { rows: out, problems };
	const cols = columnsFor(map, ['date', 'headcount'], 'headcount rows');
	cols.resolve(sample, ['date', 'headcount']);
	const hcCol = colName(cols, map, 'headcount');
	rows.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const day = dates.day(cols.raw(r, 'date'), colName(cols, map, 'date'), i);
			const headcount = nonNegative(cols.raw(r, 'headcount'), hcCol, i);
			if (headcount === undefined) throw new InputError('Headcount is empty', { row: i, field: hcCol });
			out.push({ row: i, day, headcount });
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	});
	out.sort((a, b) => a.day - b.day || a.row - b.row);
	return { rows: out, problems };
}

/**
 * Headcount on a day: the latest row on or before it; before the first row, the headcount
 * parameter when set, else the first row. Undefined only when there is neither.
 */
export class Headcounts {
	private readonly days: number[];
	private readonly values: number[];
	readonly known: boolean;
	/** The last day the headcount changes (it stays the same after). */
	readonly lastChangeDay: number;

	constructor(rows: HeadcountEntry[], private readonly fallback?: number) {
		this.days = rows.map((r) => r.day);
		this.values = rows.map((r) => r.headcount);
		this.known = rows.length > 0 || fallback !== undefined;
		this.lastChangeDay = rows.length ? rows[rows.length - 1].day : -Infinity;
	}

	at(day: number): number | undefined {
		const days = this.days;
		if (days.length === 0 || day < days[0]) {
			if (this.fallback !== undefined) return this.fallback;
			return days.length ? this.values[0] : undefined;
		}
		let lo = 0;
		let hi = days.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (days[mid] <= day) lo = mid;
			else hi = mid - 1;
		}
		return this.values[lo];
	}
}

/**
 * Headcount summed over the days after `a` up to `b`, from prefix sums over [lo, hi] (one pass
 * for all items); b - a when the headcount is unknown (use is then per day).
 */
export function headcountSums(headcounts: Headcounts, lo: number, hi: number): (a: number, b: number) => number {
	if (!headcounts.known) return (a, b) => b - a;
	const slow = (a: number, b: number) => {
		let w = 0;
		for (let d = a + 1; d <= b; d++) w += headcounts.at(d) as number;
		return w;
	};
	if (!(hi >= lo) || hi - lo > 40000) return slow;
	const prefix = new Float64Array(hi - lo + 1);
	for (let k = 1; k <= hi - lo; k++) prefix[k] = prefix[k - 1] + (headcounts.at(lo + k) as number);
	return (a, b) => (a >= lo && b <= hi ? prefix[b - lo] - prefix[a - lo] : slow(a, b));
}
