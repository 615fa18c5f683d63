/**
 * Supply Stock, Record Count: checks a daily count row before it is stored. A negative count,
 * an unknown item or a unit that does not match the inventory is rejected; a rise with no
 * matching receipt is flagged. Pure TypeScript: no n8n import.
 */
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { columnMap, excerpt, itemKey, readNumber, type SupplyColumnKey } from './supplyColumns';
import { DateReader, isoDate, isoOfDay } from './supplyDates';
import { emptyHistory, insertEntry, parseHistory, type ItemHistory } from './supplyHistory';

/** Units that all mean "single pieces" (个, 只, 件, 支, 片, pcs, piece, ea). */
const PIECE_UNITS = ['个', '只', '件', '支', '片', 'pc', 'pcs', 'piece', 'pieces', 'ea', 'each'];

/**
 * The unit compared: case, width and spaces ignored, an English plural "s" dropped, and the
 * words for single pieces taken as one unit. Anything else must match exactly (盒 is not 只).
 */
export function unitKey(unit: string): string {
	const u = unit.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
	if (PIECE_UNITS.includes(u)) return 'piece';
	if (/^[a-z]{3,}(es)$/.test(u) && /(x|ch|sh|s)es$/.test(u)) return u.slice(0, -2);
	if (/^[a-z]{3,}s$/.test(u) && !u.endsWith('ss')) return u.slice(0, -1);
	return u;
}

export interface RecordOptions {
	/** The date of a count row that has no date column (YYYY-MM-DD). */
	date: string;
	columns?: Partial<Record<SupplyColumnKey, string>>;
	/** Keep the row's other columns (not mapped) in the output. Default true. */
	keepOtherColumns?: boolean;
}

export interface CountRecord {
	/** 0-based index of the count input item. */
	row: number;
	date: string;
	item: string;
	unit: string;
	count: number;
	received: number;
	/** The count this one follows (the last before its date, else the inventory's on hand). */
	previousCount: number | null;
	/** The date of that count; null when it is the inventory's on hand. */
	previousDate: string | null;
	/** Receipts recorded after the previous count, this row's included. */
	receivedSince: number;
	/** previous + received - count, never below 0 (null when there is no previous count). */
	impliedUse: number | null;
	flagged: boolean;
	/** Why the row is flagged; empty when it is not. */
	flag: string;
	/** The row's other columns, when kept. */
	other: Row;
}

export interface RecordResult {
	records: CountRecord[];
	problems: { counts: RowProblem[]; inventory: RowProblem[]; history: RowProblem[] };
}

interface KnownItem {
	item: string;
	unit: string;
	onHand?: number;
}

export function recordCounts(
	tables: { counts: Row[]; inventory: Row[]; history?: Row[] },
	options: RecordOptions,
): RecordResult {
	const defaultDate = isoDate(String(options.date ?? ''), 'date');
	const map = columnMap(options.columns);
	const dates = new DateReader();
	const problems: RecordResult['problems'] = { counts: [], inventory: [], history: [] };

	// The inventory: only item, unit and on hand matter here.
	const known = new Map<string, KnownItem>();
	const invSample = tables.inventory.find((r) => !isEmptyRow(r));
	if (invSample) {
		const inv = new Columns({ item: map.item, unit: map.unit, onHand: map.onHand }, 'inventory rows');
		// A missing item column fails the whole dataset (thrown).
		inv.resolve(invSample, ['item']);
		tables.inventory.forEach((r, i) => {
			if (isEmptyRow(r)) return;
			try {
				const item = inv.requiredText(r, 'item', i);
				const onHandCol = inv.column('onHand') ?? 'onHand';
				const onHand = readNumber(inv.raw(r, 'onHand'), onHandCol, i);
				if (onHand !== undefined && onHand < 0) {
					throw new InputError(`On hand cannot be negative (${onHand})`, { row: i, field: onHandCol });
				}
				known.set(itemKey(item), { item, unit: inv.text(r, 'unit'), onHand });
			} catch (e) {
				problems.inventory.push(problemFrom(e, i));
			}
		});
	}
	const hist = parseHistory(tables.history ?? [], map, dates);
	problems.history = hist.problems;

	const records: CountRecord[] = [];
	const sample = tables.counts.find((r) => !isEmptyRow(r));
	if (!sample) return { records, problems };
	const cols = new Columns(
		{ date: map.date, item: map.item, count: map.count, received: map.received, unit: map.unit },
		'count rows',
	);
	cols.resolve(sample, ['item', 'count']);
	const mapped = new Set(
		(['date', 'item', 'count', 'received', 'unit'] as const).map((k) => cols.column(k)).filter((c): c is string => !!c),
	);
	const itemCol = cols.column('item') as string;
	const countCol = cols.column('count') as string;
	const recCol = cols.column('received') ?? map.received.split(/[,，]/)[0];
	const unitCol = cols.column('unit') ?? map.unit.split(/[,，]/)[0];
	const dateCol = cols.column('date') ?? map.date.split(/[,，]/)[0];

	tables.counts.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const name = cols.requiredText(r, 'item', i);
			const key = itemKey(name);
			const inv = known.get(key);
			if (!inv) {
				throw new InputError(`Unknown item "${excerpt(name)}": it is not in the inventory`, {
					row: i,
					field: itemCol,
					hint: 'Add the item to the inventory table first, or correct its name',
				});
			}
			const count = readNumber(cols.raw(r, 'count'), countCol, i);
			if (count === undefined) throw new InputError('The count is empty', { row: i, field: countCol });
			if (count < 0) throw new InputError(`A count cannot be negative (${count})`, { row: i, field: countCol });
			const received = readNumber(cols.raw(r, 'received'), recCol, i) ?? 0;
			if (received < 0) throw new InputError(`Received cannot be negative (${received})`, { row: i, field: recCol });
			const unit = cols.text(r, 'unit');
			if (unit && inv.unit && unitKey(unit) !== unitKey(inv.unit)) {
				throw new InputError(`Unit "${excerpt(unit)}" does not match the inventory unit "${inv.unit}" of ${inv.item}`, {
					row: i,
					field: unitCol,
					hint: `Count ${inv.item} in ${inv.unit}`,
				});
			}
			const rawDate = cols.raw(r, 'date');
			const hasDate = !(rawDate === undefined || rawDate === null || String(rawDate).trim() === '');
			const day = hasDate ? dates.day(rawDate, dateCol, i) : dates.day(defaultDate, 'date', i);

			let list = hist.byItem.get(key);
			if (!list) {
				list = emptyHistory();
				hist.byItem.set(key, list);
			}
			const prev = previousCount(list, day);
			let receivedSince = received;
			let previous: number | null = null;
			let previousDate: string | null = null;
			if (prev) {
				previous = prev.count;
				previousDate = isoOfDay(prev.day);
				for (let k = 0; k < list.day.length; k++) {
					if (list.day[k] > prev.day && list.day[k] <= day) receivedSince += list.received[k];
				}
			} else if (inv.onHand !== undefined) {
				previous = inv.onHand;
			}
			let impliedUse: number | null = null;
			let flag = '';
			if (previous !== null) {
				const expected = previous + receivedSince;
				impliedUse = Math.max(0, expected - count);
				if (count > expected) {
					const from = previousDate ? `the count of ${previousDate}` : 'the inventory on hand';
					flag = `Count rose by ${round2(count - expected)} ${inv.unit} over ${from} (${previous}) with no matching receipt`;
				}
			}
			const other: Row = {};
			if (options.keepOtherColumns ?? true) {
				for (const k of Object.keys(r)) if (!mapped.has(k)) other[k] = r[k];
			}
			records.push({
				row: i,
				date: isoOfDay(day),
				item: inv.item,
				unit: inv.unit || unit,
				count,
				received,
				previousCount: previous,
				previousDate,
				receivedSince,
				impliedUse: impliedUse === null ? null : round2(impliedUse),
				flagged: flag !== '',
				flag,
				other,
			});
			// Later rows of the same batch follow this count.
			hist.byItem.set(key, insertEntry(list, -1 - i, day, count, received));
		} catch (e) {
			problems.counts.push(problemFrom(e, i));
		}
	});
	return { records, problems };
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

/** The last count strictly before `day` (a count on the same day is a recount it replaces). */
function previousCount(list: ItemHistory, day: number): { day: number; count: number } | undefined {
	for (let k = list.day.length - 1; k >= 0; k--) {
		if (list.day[k] < day && !Number.isNaN(list.count[k])) return { day: list.day[k], count: list.count[k] };
	}
	return undefined;
}
