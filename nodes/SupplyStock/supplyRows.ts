/**
 * Supply Stock: reading the four tables (inventory, count history, headcount, open orders) into
 * plain records. Column names come from the mapping (Chinese and English defaults). Pure
 * TypeScript: no n8n import.
 */
import { toIsoDate } from '../shared/calendar';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';

/** Every column the node reads, across its tables. */
export interface SupplyColumnMap {
	item: string;
	unit: string;
	onHand: string;
	packSize: string;
	leadTime: string;
	targetCover: string;
	perPerson: string;
	date: string;
	count: string;
	received: string;
	headcount: string;
	quantity: string;
	status: string;
	orderId: string;
}

export type SupplyColumnKey = keyof SupplyColumnMap;

/** Defaults: the Chinese name first, then English (spaces, case and underscores are ignored). */
export const DEFAULT_COLUMNS: SupplyColumnMap = {
	item: '物品, item',
	unit: '单位, unit',
	onHand: '库存, on hand',
	packSize: '每包数量, pack size',
	leadTime: '到货天数, lead time days, lead time',
	targetCover: '目标天数, target cover days, target days of cover, target cover',
	perPerson: '人均日用量, per person daily use',
	date: '日期, date',
	count: '盘点数, count',
	received: '入库数, received',
	headcount: '人数, headcount',
	quantity: '数量, quantity',
	status: '状态, status',
	orderId: '订单号, order id',
};

export function columnMap(overrides: Partial<Record<SupplyColumnKey, string>> = {}): SupplyColumnMap {
	const out = { ...DEFAULT_COLUMNS };
	for (const key of Object.keys(overrides) as SupplyColumnKey[]) {
		const v = overrides[key];
		if (typeof v === 'string' && v.trim()) out[key] = v;
	}
	return out;
}

function columnsFor<K extends SupplyColumnKey>(map: SupplyColumnMap, keys: K[], dataset: string): Columns<K> {
	const picked = {} as Record<K, string>;
	for (const k of keys) picked[k] = map[k];
	return new Columns<K>(picked, dataset);
}

/** Item names match ignoring case, full/half width and surrounding spaces. */
export function itemKey(name: string): string {
	return name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

const MS_DAY = 86_400_000;

/** Day number (days since 1970-01-01) to YYYY-MM-DD. */
export function isoOfDay(day: number): string {
	return new Date(day * MS_DAY).toISOString().slice(0, 10);
}

/** YYYY-MM-DD to its day number. */
export function dayOfIso(iso: string): number {
	return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / MS_DAY;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * "YYYY-MM-DD", alone or followed by "T" or a space (a timestamp's date part), read straight
 * from its characters; undefined for anything else (the general reader then handles it).
 */
export function fastDay(text: string): number | undefined {
	if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
	if (text.length > 10) {
		const c = text.charCodeAt(10);
		if (c !== 84 && c !== 32) return undefined;
	}
	let y = 0;
	for (let k = 0; k < 4; k++) {
		const c = text.charCodeAt(k) - 48;
		if (c < 0 || c > 9) return undefined;
		y = y * 10 + c;
	}
	const m1 = text.charCodeAt(5) - 48;
	const m2 = text.charCodeAt(6) - 48;
	const d1 = text.charCodeAt(8) - 48;
	const d2 = text.charCodeAt(9) - 48;
	if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
	const m = m1 * 10 + m2;
	const d = d1 * 10 + d2;
	if (m < 1 || m > 12 || d < 1) return undefined;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (d > (m === 2 && leap ? 29 : MONTH_DAYS[m - 1])) return undefined;
	// Days from civil (Howard Hinnant's algorithm).
	const yy = m <= 2 ? y - 1 : y;
	const era = Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/**
 * Reads dates fast: each distinct text is parsed once per call (365 days of history for 500 items
 * is 182,500 cells but only 365 texts). A timestamp's own date part is used as written; a Date
 * object gives its UTC date. Local to one execution: no state is kept between runs.
 */
export class DateReader {
	private readonly cache = new Map<string, number>();

	day(value: unknown, field: string, row: number): number {
		if (typeof value === 'string') {
			const fast = fastDay(value);
			if (fast !== undefined) return fast;
		} else if (value instanceof Date) {
			if (isNaN(value.getTime())) throw new InputError('Invalid date', { field, row });
			return Math.floor(value.getTime() / MS_DAY);
		}
		const text = value === undefined || value === null ? '' : String(value).trim();
		const hit = this.cache.get(text);
		if (hit !== undefined) return hit;
		if (!text) throw new InputError('The date is empty', { field, row });
		let iso: string;
		try {
			iso = toIsoDate(text);
		} catch (e) {
			throw new InputError(e instanceof Error ? e.message : String(e), {
				field,
				row,
				hint: 'Write dates as YYYY-MM-DD, for example 2026-03-02',
			});
		}
		const day = dayOfIso(iso);
		this.cache.set(text, day);
		return day;
	}
}

/** A number cell: numbers, or text such as "1,500" / "1，500". undefined when blank. */
export function readNumber(value: unknown, field: string, row: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InputError(`${value} is not a number`, { field, row });
		return value;
	}
	const text = String(value).trim().replace(/[,，\s]/g, '');
	if (!text) return undefined;
	const n = Number(text);
	if (!Number.isFinite(n)) throw new InputError(`"${String(value)}" is not a number`, { field, row });
	return n;
}

function nonNegative(value: unknown, field: string, row: number): number | undefined {
	const n = readNumber(value, field, row);
	if (n !== undefined && n < 0) throw new InputError(`${n} is negative`, { field, row });
	return n;
}

export interface InventoryItem {
	/** 0-based index of the inventory input item. */
	row: number;
	key: string;
	item: string;
	unit: string;
	onHand: number;
	packSize: number;
	leadTimeDays: number;
	targetCoverDays: number;
	perPersonDailyUse?: number;
}

export interface Parsed<T> {
	rows: T[];
	problems: RowProblem[];
}

/** Column name actually used for a key, for error messages. */
function colName<K extends SupplyColumnKey>(cols: Columns<K>, map: SupplyColumnMap, key: K): string {
	return cols.column(key) ?? map[key].split(/[,，|]/)[0].trim();
}

/** isEmptyRow without building the key list (the history loop runs 182,500 times). */
function hasKeys(row: Row | undefined | null): boolean {
	if (!row) return false;
	for (const k in row) if (Object.prototype.hasOwnProperty.call(row, k)) return true;
	return false;
}

function firstNonEmpty(rows: Row[]): Row | undefined {
	return rows.find((r) => !isEmptyRow(r));
}

/**
 * Inventory: item, unit, on hand, pack size, lead time in days, target days of cover, and
 * optionally per-person daily use. Pack size defaults to 1. A lead time with a fraction counts as
 * the next whole day. The same item twice is an error on the second row.
 */
export function parseInventory(rows: Row[], map: SupplyColumnMap): Parsed<InventoryItem> {
	const out: InventoryItem[] = [];
	const problems: RowProblem[] = [];
	const sample = firstNonEmpty(rows);
	if (!sample) return { rows: out, problems };
	const cols = columnsFor(map, ['item', 'unit', 'onHand', 'packSize', 'leadTime', 'targetCover', 'perPerson'],
		'inventory rows',
	);
	try {
		cols.resolve(sample, ['item', 'onHand', 'leadTime', 'targetCover']);
	} catch (e) {
		return { rows: out, problems: [problemFrom(e, rows.indexOf(sample))] };
	}
	const seen = new Set<string>();
	rows.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const item = cols.requiredText(r, 'item', i);
			const key = itemKey(item);
			if (seen.has(key)) {
				throw new InputError(`"${item}" is listed twice in the inventory`, {
					row: i,
					field: colName(cols, map, 'item'),
				});
			}
			const onHandCol = colName(cols, map, 'onHand');
			const onHand = readNumber(cols.raw(r, 'onHand'), onHandCol, i);
			if (onHand === undefined) throw new InputError('On hand is empty', { row: i, field: onHandCol });
			const packCol = colName(cols, map, 'packSize');
			const packSize = nonNegative(cols.raw(r, 'packSize'), packCol, i) ?? 1;
			if (packSize <= 0) throw new InputError('Pack size must be above 0', { row: i, field: packCol });
			const leadCol = colName(cols, map, 'leadTime');
			const lead = nonNegative(cols.raw(r, 'leadTime'), leadCol, i);
			if (lead === undefined) throw new InputError('Lead time is empty', { row: i, field: leadCol });
			const targetCol = colName(cols, map, 'targetCover');
			const target = nonNegative(cols.raw(r, 'targetCover'), targetCol, i);
			if (target === undefined || target <= 0) {
				throw new InputError('Target days of cover must be above 0', { row: i, field: targetCol });
			}
			const perPerson = nonNegative(cols.raw(r, 'perPerson'), colName(cols, map, 'perPerson'), i);
			seen.add(key);
			out.push({
				row: i,
				key,
				item,
				unit: cols.text(r, 'unit'),
				onHand,
				packSize,
				leadTimeDays: Math.ceil(lead - 1e-9),
				targetCoverDays: Math.ceil(target - 1e-9),
				perPersonDailyUse: perPerson,
			});
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	});
	return { rows: out, problems };
}

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

/**
 * Count history: date, item, count, received. A row may hold a count, a receipt or both; a
 * receipt on a date arrives before that date's count. Rows are grouped by item key and sorted
 * by date (the later row wins when one item has two counts on one date).
 *
 * Two passes over flat typed arrays (no growing array per item): read every row, then place
 * each item's rows side by side and hand out views.
 */
export function parseHistory(
	rows: Row[],
	map: SupplyColumnMap,
	dates: DateReader,
): { byItem: Map<string, ItemHistory>; problems: RowProblem[] } {
	const byItem = new Map<string, ItemHistory>();
	const problems: RowProblem[] = [];
	const sample = firstNonEmpty(rows);
	if (!sample) return { byItem, problems };
	const cols = columnsFor(map, ['date', 'item', 'count', 'received'], 'count history rows');
	try {
		cols.resolve(sample, ['date', 'item']);
		if (!cols.has('count') && !cols.has('received')) {
			throw new InputError(`The count history rows have no column "${map.count}" or "${map.received}"`, {
				field: map.count.split(/[,，]/)[0],
			});
		}
	} catch (e) {
		return { byItem, problems: [problemFrom(e, rows.indexOf(sample))] };
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
	return { byItem, problems };
}

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
	try {
		cols.resolve(sample, ['date', 'headcount']);
	} catch (e) {
		return { rows: out, problems: [problemFrom(e, rows.indexOf(sample))] };
	}
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

export interface OpenOrder {
	row: number;
	key: string;
	quantity: number;
	orderId: string;
}

/** Statuses that close an order (received, or never going to arrive). Compared lower-case. */
export const CLOSED_STATUSES = [
	'received',
	'cancelled',
	'canceled',
	'declined',
	'rejected',
	'expired',
	'已到货',
	'已收货',
	'已入库',
	'已取消',
	'已拒绝',
	'未批准',
	'已过期',
];

/** Statuses of an order still to arrive. A blank status counts as open. */
export const OPEN_STATUSES = [
	'ordered',
	'open',
	'pending',
	'approved',
	'in transit',
	'已下单',
	'待审批',
	'已批准',
	'待到货',
	'在途',
];

/**
 * Orders: item, quantity, status, order id. Only open orders are returned: an open order blocks a
 * new trigger for its item until it is received. An unknown status is an error on its row, so
 * a typo cannot silently re-open buying.
 */
export function parseOrders(rows: Row[], map: SupplyColumnMap): Parsed<OpenOrder> {
	const out: OpenOrder[] = [];
	const problems: RowProblem[] = [];
	const sample = firstNonEmpty(rows);
	if (!sample) return { rows: out, problems };
	const cols = columnsFor(map, ['item', 'quantity', 'status', 'orderId'], 'open-order rows');
	try {
		cols.resolve(sample, ['item', 'status']);
	} catch (e) {
		return { rows: out, problems: [problemFrom(e, rows.indexOf(sample))] };
	}
	const statusCol = colName(cols, map, 'status');
	rows.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const item = cols.requiredText(r, 'item', i);
			const status = cols.text(r, 'status').toLowerCase();
			if (CLOSED_STATUSES.includes(status)) return;
			if (status && !OPEN_STATUSES.includes(status)) {
				throw new InputError(`Unknown order status "${cols.text(r, 'status')}"`, {
					row: i,
					field: statusCol,
					hint: `Use ${OPEN_STATUSES.join(', ')} for an open order, ${CLOSED_STATUSES.join(', ')} for a closed one`,
				});
			}
			const quantity = nonNegative(cols.raw(r, 'quantity'), colName(cols, map, 'quantity'), i) ?? 0;
			out.push({ row: i, key: itemKey(item), quantity, orderId: cols.text(r, 'orderId') });
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	});
	return { rows: out, problems };
}
