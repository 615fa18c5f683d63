/**
 * Supply Stock: reading the count history (a count, a receipt or both per row) into one
 * column-wise history per item, in date order. Pure TypeScript: no n8n import.
 */
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import {
	colName,
	columnsFor,
	firstNonEmpty,
	hasKeys,
	itemKey,
	nonNegative,
	type SupplyColumnMap,
} from './supplyColumns';
import type { DateReader } from './supplyDates';

/**
 * One item's count history, column by column (no object per row: 182,500 rows stay cheap), in
 * date order. `count[k]` is NaN on a row with a receipt only.
 */
export interface ItemHistory {
	row: ArrayLike<number>;
	day: ArrayLike<number>;
	/** The count at the end of the day; NaN when the row has none. */
	count: ArrayLike<number>;
	/** Units received that day (before the count). */
	received: ArrayLike<number>;
}

export function emptyHistory(): ItemHistory {
	return { row: [], day: [], count: [], received: [] };
}

/** A copy of `h` with one more entry, in date order (after entries of the same day). */
export function insertEntry(h: ItemHistory, row: number, day: number, count: number, received: number): ItemHistory {
	let k = h.day.length;
	while (k > 0 && h.day[k - 1] > day) k--;
	const ins = (xs: ArrayLike<number>, v: number) => {
		const out = Array.from(xs);
		out.splice(k, 0, v);
		return out;
	};
	return { row: ins(h.row, row), day: ins(h.day, day), count: ins(h.count, count), received: ins(h.received, received) };
}

function sortHistory(h: ItemHistory): ItemHistory {
	const n = h.day.length;
	let sorted = true;
	for (let k = 1; k < n; k++) {
		if (h.day[k] < h.day[k - 1]) {
			sorted = false;
			break;
		}
	}
	if (sorted) return h;
	const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => h.day[a] - h.day[b] || h.row[a] - h.row[b]);
	const pickAll = (xs: ArrayLike<number>) => Float64Array.from(order, (k) => xs[k]);
	return { row: pickAll(h.row), day: pickAll(h.day), count: pickAll(h.count), received: pickAll(h.received) };
}

/** The count history read: one history per item key, the rows that could not be read. */
export interface ParsedHistory {
	byItem: Map<string, ItemHistory>;
	problems: RowProblem[];
	/** Each item key's name as first written, for messages. */
	names: Map<string, string>;
	/** The item column found, when the table has rows. */
	itemColumn?: string;
}

/**
 * Count history: date, item, count, received. A row may hold a count, a receipt or both; a
 * receipt on a date arrives before that date's count. Rows are grouped by item key and sorted
 * by date, rows of one date in row order (Evaluate uses the later count of a date and says so).
 * A missing required column throws: the whole table fails.
 *
 * Two passes over flat typed arrays (no growing array per item): read every row, then place
 * each item's rows side by side and hand out views.
 */
export function parseHistory(
	rows: Row[],
	map: SupplyColumnMap,
	dates: DateReader,
): ParsedHistory {
	const byItem = new Map<string, ItemHistory>();
	const problems: RowProblem[] = [];
	const names = new Map<string, string>();
	const sample = firstNonEmpty(rows);
	if (!sample) return { byItem, problems, names };
	const cols = columnsFor(map, ['date', 'item', 'count', 'received'], 'count history rows');
	cols.resolve(sample, ['date', 'item']);
	if (!cols.has('count') && !cols.has('received')) {
		throw new InputError(`The count history rows have no column "${map.count}" or "${map.received}"`, {
			field: map.count.split(/[,，]/)[0],
		});
	}
	const dateCol = colName(cols, map, 'date');
	const countCol = colName(cols, map, 'count');
	const recCol = colName(cols, map, 'received');
	const itemCol = colName(cols, map, 'item');
	const cItem = cols.column('item') as string;
	const cDate = cols.column('date') as string;
	const cCount = cols.column('count');
	const cRec = cols.column('received');
	const n = rows.length;
	const idOf = new Int32Array(n).fill(-1);
	const dayOf = new Float64Array(n);
	const countOf = new Float64Array(n);
	const recOf = new Float64Array(n);
	const keys: string[] = [];
	const sizes: number[] = [];
	const idByKey = new Map<string, number>();
	const idByName = new Map<unknown, number>();
	// Tables come item by item or (a daily count form) date by date: remember the last item and
	// the last date, so that one of the two lookups is usually skipped.
	let lastItem: unknown = undefined;
	let lastId = -1;
	let lastDateText: unknown = undefined;
	let lastDay = 0;
	for (let i = 0; i < n; i++) {
		const r = rows[i];
		const rawItem = r ? r[cItem] : undefined;
		if (rawItem === undefined && !hasKeys(r)) continue;
		try {
			let id = rawItem === lastItem && lastId >= 0 ? lastId : idByName.get(rawItem);
			if (id === undefined) {
				const key = rawItem === undefined || rawItem === null ? '' : itemKey(String(rawItem));
				if (!key) throw new InputError(`"${itemCol}" is empty`, { row: i, field: itemCol });
				id = idByKey.get(key);
				if (id === undefined) {
					id = keys.length;
					keys.push(key);
					names.set(key, String(rawItem).trim());
					sizes.push(0);
					idByKey.set(key, id);
				}
				idByName.set(rawItem, id);
			}
			lastItem = rawItem;
			lastId = id;
			const rawDate = r[cDate];
			let day: number;
			if (rawDate === lastDateText && typeof rawDate === 'string') day = lastDay;
			else {
				day = dates.day(rawDate, dateCol, i);
				lastDateText = rawDate;
				lastDay = day;
			}
			// A column missing from the first row may still be in this one (rows of mixed shape).
			const count = nonNegative(cCount === undefined ? cols.raw(r, 'count') : r[cCount], countCol, i);
			const received = nonNegative(cRec === undefined ? cols.raw(r, 'received') : r[cRec], recCol, i) ?? 0;
			idOf[i] = id;
			dayOf[i] = day;
			countOf[i] = count === undefined ? NaN : count;
			recOf[i] = received;
			sizes[id]++;
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	}
	const starts = new Int32Array(keys.length + 1);
	for (let id = 0; id < keys.length; id++) starts[id + 1] = starts[id] + sizes[id];
	const total = starts[keys.length];
	const allRow = new Float64Array(total);
	const allDay = new Float64Array(total);
	const allCount = new Float64Array(total);
	const allRec = new Float64Array(total);
	const next = starts.slice(0, keys.length);
	for (let i = 0; i < n; i++) {
		const id = idOf[i];
		if (id < 0) continue;
		const k = next[id]++;
		allRow[k] = i;
		allDay[k] = dayOf[i];
		allCount[k] = countOf[i];
		allRec[k] = recOf[i];
	}
	for (let id = 0; id < keys.length; id++) {
		const a = starts[id];
		const b = starts[id + 1];
		byItem.set(
			keys[id],
			sortHistory({
				row: allRow.subarray(a, b),
				day: allDay.subarray(a, b),
				count: allCount.subarray(a, b),
				received: allRec.subarray(a, b),
			}),
		);
	}
	return { byItem, problems, names, itemColumn: cItem };
}
