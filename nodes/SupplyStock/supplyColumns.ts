/**
 * Supply Stock: the columns of the four tables (inventory, count history, headcount, open
 * orders) and how one cell is read: the mapping with Chinese and English defaults, item names
 * compared as keys, numbers written as text. Pure TypeScript: no n8n import.
 */
import { InputError } from '../shared/errors';
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

export function columnsFor<K extends SupplyColumnKey>(map: SupplyColumnMap, keys: K[], dataset: string): Columns<K> {
	const picked = {} as Record<K, string>;
	for (const k of keys) picked[k] = map[k];
	return new Columns<K>(picked, dataset);
}

/** Item names match ignoring case, full/half width and surrounding spaces. */
export function itemKey(name: string): string {
	return name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
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
	if (!Number.isFinite(n)) throw new InputError(`"${excerpt(String(value))}" is not a number`, { field, row });
	return n;
}

export function nonNegative(value: unknown, field: string, row: number): number | undefined {
	const n = readNumber(value, field, row);
	if (n !== undefined && n < 0) throw new InputError(`${n} is negative`, { field, row });
	return n;
}

/** Column name actually used for a key, for error messages. */
export function colName<K extends SupplyColumnKey>(cols: Columns<K>, map: SupplyColumnMap, key: K): string {
	return cols.column(key) ?? map[key].split(/[,，|]/)[0].trim();
}

/** isEmptyRow without building the key list (the history loop runs 182,500 times). */
export function hasKeys(row: Row | undefined | null): boolean {
	if (!row) return false;
	for (const k in row) if (Object.prototype.hasOwnProperty.call(row, k)) return true;
	return false;
}

export function firstNonEmpty(rows: Row[]): Row | undefined {
	return rows.find((r) => !isEmptyRow(r));
}

/** At most `max` characters of a value (whole code points), for messages: a 1 MB cell is not echoed. */
export function excerpt(text: string, max = 40): string {
	if (text.length <= max) return text;
	// 2 max + 1 code units hold more than max code points unless they are the whole text.
	const chars = Array.from(text.slice(0, 2 * max + 1));
	return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
