/**
 * Supply Stock, Evaluate: reorder triggers from measured use. Reads the four tables, evaluates
 * every inventory item (supplyItem.ts) and reports every row it could not use, with its reason.
 * Days of cover, the date stock runs out, the reorder point with safety stock at a service
 * level, and an order that tops up to a target cover in whole packs. The formulas and rounding
 * rules are in docs/nodes/supply-stock.md. Pure TypeScript: no n8n import.
 */
import { toIsoDate } from '../shared/calendar';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { columnMap, excerpt, type SupplyColumnKey } from './supplyColumns';
import { DateReader, dayOfIso, isoDate, isoOfDay } from './supplyDates';
import { Headcounts, headcountSums, parseHeadcount, type HeadcountEntry } from './supplyHeadcount';
import { emptyHistory, parseHistory, type ParsedHistory } from './supplyHistory';
import { parseInventory, type InventoryTable, type Parsed } from './supplyInventory';
import { evaluateItem, type ItemEvaluation } from './supplyItem';
import { parseOrders, type OpenOrder } from './supplyOrders';
import { zForServiceLevel } from './supplyPlan';

export type { ItemEvaluation } from './supplyItem';
export type { StockStatus } from './supplyPlan';

export interface EvaluateOptions {
	/** The evaluation date (YYYY-MM-DD): counts up to it are used, the forecast starts the day after. */
	asOf: string;
	/** Cycle service level, a fraction (0.95) or a percentage (95). */
	serviceLevel: number;
	/** Days of count history to measure use over; 0 = all. Default 30. */
	historyDays?: number;
	/** Headcount used when no headcount rows cover a day. */
	headcount?: number;
	/** Day-to-day variation (standard deviation / mean) assumed when it cannot be measured. Default 0.25. */
	assumedVariation?: number;
	columns?: Partial<Record<SupplyColumnKey, string>>;
	/** Today (YYYY-MM-DD), to say so when the evaluation date is after it. */
	today?: string;
}

export interface SupplyTables {
	inventory: Row[];
	history?: Row[];
	headcount?: Row[];
	orders?: Row[];
}

export interface EvaluateResult {
	items: ItemEvaluation[];
	problems: {
		inventory: RowProblem[];
		history: RowProblem[];
		headcount: RowProblem[];
		orders: RowProblem[];
	};
	/** Expected headcount tomorrow (null when unknown). */
	headcountAhead: number | null;
	/** The evaluation date, YYYY-MM-DD. */
	asOf: string;
	/** What holds for every item (a future evaluation date); empty when none. */
	notes: string[];
	/** Set when the evaluation date is after today. */
	afterToday: { today: string; days: number } | null;
}

export function checkOptions(options: EvaluateOptions): {
	asOfDay: number;
	asOf: string;
	z: number;
	level: number;
	historyDays: number;
	cv: number;
	todayDay?: number;
} {
	const asOf = isoDate(String(options.asOf ?? ''), 'asOf');
	const z = zForServiceLevel(options.serviceLevel);
	const level = options.serviceLevel > 1 ? options.serviceLevel / 100 : options.serviceLevel;
	const historyDays = options.historyDays ?? 30;
	if (!Number.isInteger(historyDays) || historyDays < 0) {
		throw new InputError(`History days ${historyDays} must be a whole number, 0 or more`, { field: 'historyDays' });
	}
	const cv = options.assumedVariation ?? 0.25;
	if (!Number.isFinite(cv) || cv < 0 || cv > 5) {
		throw new InputError(`Assumed variation ${cv} is out of range (0 to 5)`, { field: 'assumedVariation' });
	}
	if (options.headcount !== undefined && (!Number.isFinite(options.headcount) || options.headcount < 0)) {
		throw new InputError(`Headcount ${options.headcount} must be 0 or more`, { field: 'headcount' });
	}
	let todayDay: number | undefined;
	if (options.today) {
		try {
			todayDay = dayOfIso(toIsoDate(String(options.today)));
		} catch {
			todayDay = undefined;
		}
	}
	return { asOfDay: dayOfIso(asOf), asOf, z, level, historyDays, cv, todayDay };
}

/** The four tables, read (the part of Evaluate that grows with the history rows). */
export interface ReadTables {
	inventory: InventoryTable;
	history: ParsedHistory;
	headcount: Parsed<HeadcountEntry>;
	orders: Parsed<OpenOrder>;
}


export function readTables(tables: SupplyTables, columns?: Partial<Record<SupplyColumnKey, string>>): ReadTables {
	const map = columnMap(columns);
	const dates = new DateReader();
	return {
		inventory: parseInventory(tables.inventory, map),
		history: parseHistory(tables.history ?? [], map, dates),
		headcount: parseHeadcount(tables.headcount ?? [], map, dates),
		orders: parseOrders(tables.orders ?? [], map),
	};
}

/**
 * Evaluates every inventory item: one result per item, or a problem naming its row. Rows of the
 * other tables that cannot be read, and rows for an item the inventory does not list, are
 * problems of their own table; the rest still counts. A table without a required column throws
 * (the whole dataset fails).
 */
export function evaluate(tables: SupplyTables, options: EvaluateOptions): EvaluateResult {
	checkOptions(options);
	return evaluateTables(readTables(tables, options.columns), options);
}

/** Evaluate on tables already read (readTables). */
export function evaluateTables(read: ReadTables, options: EvaluateOptions): EvaluateResult {
	const opt = checkOptions(options);
	const map = columnMap(options.columns);
	const { inventory: inv, history: hist, headcount: hc, orders: ord } = read;
	const headcounts = new Headcounts(hc.rows, options.headcount);
	const ordersByItem = new Map<string, OpenOrder[]>();
	for (const o of ord.rows) {
		const list = ordersByItem.get(o.key);
		if (list) list.push(o);
		else ordersByItem.set(o.key, [o]);
	}
	const fromDay = opt.historyDays > 0 ? opt.asOfDay - opt.historyDays : -Infinity;
	let firstDay = opt.asOfDay;
	for (const h of hist.byItem.values()) if (h.day.length && h.day[0] < firstDay) firstDay = h.day[0];
	const weight = headcountSums(headcounts, Math.max(firstDay, fromDay) - 1, opt.asOfDay);
	const steadyFrom = Math.max(0, headcounts.lastChangeDay - opt.asOfDay);
	const ahead = headcounts.known ? (headcounts.at(opt.asOfDay + 1) as number) : null;
	const notes: string[] = [];
	let afterToday: EvaluateResult['afterToday'] = null;
	if (opt.todayDay !== undefined && opt.asOfDay > opt.todayDay) {
		afterToday = { today: isoOfDay(opt.todayDay), days: opt.asOfDay - opt.todayDay };
		notes.push(
			`The evaluation date ${opt.asOf} is ${afterToday.days} day${afterToday.days === 1 ? '' : 's'} after today (${afterToday.today}): no count can exist for the days between`,
		);
	}
	const items: ItemEvaluation[] = [];
	const problems: RowProblem[] = [...inv.problems];
	for (const it of inv.rows) {
		try {
			items.push(
				evaluateItem(it, hist.byItem.get(it.key) ?? emptyHistory(), ordersByItem.get(it.key) ?? [], {
					...opt,
					fromDay,
					weight,
					headcounts,
					steadyFrom,
					ahead,
					notes,
					perPersonField: map.perPerson.split(/[,，|]/)[0].trim(),
				}),
			);
		} catch (e) {
			problems.push(problemFrom(e, it.row));
		}
	}
	problems.sort((a, b) => a.row - b.row);
	return {
		items,
		problems: {
			inventory: problems,
			history: [...hist.problems, ...unlistedHistory(hist, inv.keys, map.item)].sort(byRow),
			headcount: hc.problems,
			orders: [...ord.problems, ...unlistedOrders(ord.rows, inv.keys, map.item)].sort(byRow),
		},
		headcountAhead: ahead,
		asOf: opt.asOf,
		notes,
		afterToday,
	};
}

function byRow(a: RowProblem, b: RowProblem): number {
	return a.row - b.row;
}

function firstName(mapping: string): string {
	return mapping.split(/[,，|]/)[0].trim();
}

/** History rows for an item the inventory does not list: each a problem (never used silently). */
function unlistedHistory(hist: ParsedHistory, listed: Set<string>, itemMapping: string): RowProblem[] {
	const out: RowProblem[] = [];
	const field = hist.itemColumn ?? firstName(itemMapping);
	for (const [key, h] of hist.byItem) {
		if (listed.has(key)) continue;
		const name = hist.names.get(key) ?? key;
		for (let k = 0; k < h.row.length; k++) {
			out.push({ row: h.row[k], field, message: `"${excerpt(name)}" is not in the inventory: this count is not used` });
		}
	}
	return out;
}

/** Open orders for an item the inventory does not list. */
function unlistedOrders(orders: OpenOrder[], listed: Set<string>, itemMapping: string): RowProblem[] {
	return orders
		.filter((o) => !listed.has(o.key))
		.map((o) => ({
			row: o.row,
			field: o.itemColumn ?? firstName(itemMapping),
			message: `"${excerpt(o.item)}" is not in the inventory: this order is not counted`,
		}));
}
