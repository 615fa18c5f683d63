/**
 * Supply Stock: reading the inventory table (one row an item). Pure TypeScript: no n8n import.
 */
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import {
	colName,
	columnsFor,
	excerpt,
	firstNonEmpty,
	itemKey,
	nonNegative,
	readNumber,
	type SupplyColumnMap,
} from './supplyColumns';

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

/** The inventory read: its items, its bad rows, and the key of every item it names (bad rows too). */
export interface InventoryTable extends Parsed<InventoryItem> {
	keys: Set<string>;
}

/** Lead time and target cover are days; beyond ten years they are typing errors. */
export const MAX_DAYS = 3660;

/**
 * Inventory: item, unit, on hand, pack size, lead time in days, target days of cover, and
 * optionally per-person daily use. Pack size defaults to 1. A lead time with a fraction counts as
 * the next whole day. The same item twice is an error on the second row, and so is a negative
 * stock. A missing required column throws: the whole table fails.
 */
export function parseInventory(rows: Row[], map: SupplyColumnMap): InventoryTable {
	const out: InventoryItem[] = [];
	const problems: RowProblem[] = [];
	const keys = new Set<string>();
	const sample = firstNonEmpty(rows);
	if (!sample) return { rows: out, problems, keys };
	const cols = columnsFor(map, ['item', 'unit', 'onHand', 'packSize', 'leadTime', 'targetCover', 'perPerson'],
		'inventory rows',
	);
	cols.resolve(sample, ['item', 'onHand', 'leadTime', 'targetCover']);
	const seen = new Set<string>();
	rows.forEach((r, i) => {
		if (isEmptyRow(r)) return;
		try {
			const item = cols.requiredText(r, 'item', i);
			const key = itemKey(item);
			keys.add(key);
			if (seen.has(key)) {
				throw new InputError(`"${excerpt(item)}" is listed twice in the inventory`, {
					row: i,
					field: colName(cols, map, 'item'),
				});
			}
			const onHandCol = colName(cols, map, 'onHand');
			const onHand = readNumber(cols.raw(r, 'onHand'), onHandCol, i);
			if (onHand === undefined) throw new InputError('On hand is empty', { row: i, field: onHandCol });
			if (onHand < 0) {
				throw new InputError(`On hand cannot be negative (${onHand})`, {
					row: i,
					field: onHandCol,
					hint: 'Enter the stock counted; a stock below 0 is a typing error',
				});
			}
			const packCol = colName(cols, map, 'packSize');
			const packSize = nonNegative(cols.raw(r, 'packSize'), packCol, i) ?? 1;
			if (packSize <= 0) throw new InputError('Pack size must be above 0', { row: i, field: packCol });
			const leadCol = colName(cols, map, 'leadTime');
			const lead = nonNegative(cols.raw(r, 'leadTime'), leadCol, i);
			if (lead === undefined) throw new InputError('Lead time is empty', { row: i, field: leadCol });
			if (lead > MAX_DAYS) throw new InputError(`Lead time ${lead} days is over ten years`, { row: i, field: leadCol });
			const targetCol = colName(cols, map, 'targetCover');
			const target = nonNegative(cols.raw(r, 'targetCover'), targetCol, i);
			if (target === undefined || target <= 0) {
				throw new InputError('Target days of cover must be above 0', { row: i, field: targetCol });
			}
			if (target > MAX_DAYS) {
				throw new InputError(`Target cover ${target} days is over ten years`, { row: i, field: targetCol });
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
	return { rows: out, problems, keys };
}
