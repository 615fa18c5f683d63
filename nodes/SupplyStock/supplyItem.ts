/**
 * Supply Stock: one inventory item evaluated: its measured or per-person use, the plan, and the
 * warnings that say what the figures rest on. Pure TypeScript: no n8n import.
 */
import { InputError } from '../shared/errors';
import { isoOfDay } from './supplyDates';
import type { Headcounts } from './supplyHeadcount';
import type { ItemHistory } from './supplyHistory';
import type { InventoryItem } from './supplyInventory';
import type { OpenOrder } from './supplyOrders';
import { floor1, plan, type StockStatus } from './supplyPlan';
import { useStats, type UseStats } from './supplyUse';

export interface ItemEvaluation {
	/** 0-based index of the inventory input item. */
	row: number;
	item: string;
	unit: string;
	asOf: string;
	status: StockStatus;
	onHand: number;
	packSize: number;
	leadTimeDays: number;
	targetCoverDays: number;
	/** Where the forecast comes from: measured counts, or the inventory's per-person rate. */
	useSource: 'measured' | 'per-person rate';
	/** Days of use measured from the counts in the window. */
	measuredDays: number;
	/** Mean measured use a day (null when nothing measured). */
	measuredDailyUse: number | null;
	/** Use per person a day (null when headcount is unknown). */
	usePerPerson: number | null;
	/** Expected headcount tomorrow (null when unknown). */
	headcountAhead: number | null;
	/** Forecast use tomorrow. */
	forecastDailyUse: number;
	/** Forecast standard deviation of tomorrow's use. */
	dailyUseSd: number;
	/** Days the stock lasts, floored to 0.1; null when nothing is used. */
	daysOfCover: number | null;
	/** The day the last unit is expected to be used; null when nothing is used. */
	runOutDate: string | null;
	leadTimeDemand: number;
	safetyStock: number;
	reorderPoint: number;
	/** The stock level an order tops up to. */
	orderUpTo: number;
	/** Units on open (not received) orders. */
	onOrder: number;
	/** Ids of the open orders, comma-separated. */
	openOrders: string;
	/** True when an order should be placed now (not ok, and no open order). */
	shouldOrder: boolean;
	/** Units to order now (whole packs); 0 when not ordering. */
	orderQuantity: number;
	orderPacks: number;
	/** What topping up to the target would take, whether or not an order is due. */
	topUpQuantity: number;
	topUpPacks: number;
	/** A stable key for the order (item@date); empty when not ordering. Same run, same key. */
	orderKey: string;
	serviceLevel: number;
	z: number;
	/** Warnings joined with "; " (empty when none). */
	warnings: string;
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

function fmt(x: number): string {
	return String(round2(x));
}

const CENTURY_DAYS = 36525;

export interface ItemContext {
	asOf: string;
	asOfDay: number;
	z: number;
	level: number;
	cv: number;
	fromDay: number;
	weight: (fromExclusive: number, toInclusive: number) => number;
	headcounts: Headcounts;
	steadyFrom: number;
	ahead: number | null;
	/** What holds for every item (a future evaluation date): added to each item's warnings. */
	notes?: string[];
	perPersonField: string;
}

/** "rows 4, 7 and 9" (1-based) of the count history, at most five listed. */
function historyRows(rows: number[]): string {
	const shown = rows.slice(0, 5).map((r) => String(r + 1));
	const more = rows.length - shown.length;
	const list = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
	return `count history row${rows.length === 1 ? '' : 's'} ${list}`;
}

/** Why no count falls in the window, saying where the counts are when there are some. */
function noCountReason(history: ItemHistory, c: ItemContext): string {
	let before = NaN;
	let after = NaN;
	for (let k = 0; k < history.day.length; k++) {
		if (Number.isNaN(history.count[k])) continue;
		const d = history.day[k];
		if (d <= c.asOfDay) before = d;
		else if (after !== after) after = d;
	}
	if (before === before) {
		return `No count in the ${c.asOfDay - c.fromDay} days up to ${c.asOf} (the last count is from ${isoOfDay(before)})`;
	}
	if (after === after) return `No count up to ${c.asOf} (the first count is from ${isoOfDay(after)}, after it)`;
	return 'No count history';
}

/** Rows after the evaluation date (not used) and counts replaced by a later count of their day. */
function unusedRows(history: ItemHistory, stats: UseStats, c: ItemContext): string[] {
	const out: string[] = [];
	const n = history.day.length;
	// Days are sorted: the rows after the evaluation date are the tail.
	let k = n;
	while (k > 0 && history.day[k - 1] > c.asOfDay) k--;
	if (k < n) {
		const rows = Array.from(history.row).slice(k).filter((r) => r >= 0);
		if (rows.length) out.push(`${historyRows(rows)} ${rows.length === 1 ? 'is' : 'are'} dated after the evaluation date ${c.asOf}: not used`);
	}
	if (stats.recounts) {
		const rows = stats.recounts.map((r) => r.row).filter((r) => r >= 0);
		const days = [...new Set(stats.recounts.map((r) => isoOfDay(r.day)))];
		if (rows.length) {
			out.push(
				`Counted more than once on ${days.slice(0, 3).join(', ')}${days.length > 3 ? ' and more days' : ''}: the later count of the day is used, ${historyRows(rows)} not`,
			);
		}
	}
	return out;
}

export function evaluateItem(it: InventoryItem, history: ItemHistory, orders: OpenOrder[], c: ItemContext): ItemEvaluation {
	const warnings: string[] = [];
	const stats = useStats(history, c.fromDay, c.asOfDay, c.weight);
	const perPersonKnown = c.headcounts.known;
	let rate: number;
	let sd: number;
	let source: ItemEvaluation['useSource'] = 'measured';
	warnings.push(...(c.notes ?? []), ...unusedRows(history, stats, c));
	if (stats.rate !== undefined) {
		rate = stats.rate;
		if (stats.sd !== undefined) sd = stats.sd;
		else {
			sd = rate * c.cv;
			warnings.push(
				`Only ${stats.intervals} day${stats.intervals === 1 ? '' : 's'} of use measured: the spread is not measured, safety stock assumes ${Math.round(c.cv * 100)}% variation`,
			);
		}
	} else {
		const none = stats.counts === 0 ? noCountReason(history, c) : '';
		if (it.perPersonDailyUse === undefined) {
			throw new InputError(
				stats.counts === 0
					? `${none === 'No count history' ? 'No count history for this item' : none} and no per-person daily use: cannot forecast its use`
					: `Only one count (${isoOfDay(stats.firstCountDay as number)}) and no per-person daily use: cannot forecast its use`,
				{ row: it.row, field: c.perPersonField, hint: 'Give a per-person daily use, or record at least two daily counts' },
			);
		}
		if (!perPersonKnown) {
			throw new InputError('The per-person daily use needs a headcount: connect headcount rows or set the Headcount parameter', {
				row: it.row,
				field: 'headcount',
			});
		}
		source = 'per-person rate';
		rate = it.perPersonDailyUse;
		sd = rate * c.cv;
		warnings.push(
			`${stats.counts === 0 ? none : `Only one count (${isoOfDay(stats.firstCountDay as number)})`}: forecast uses the per-person rate of ${fmt(rate)} a day with ${Math.round(c.cv * 100)}% assumed variation`,
		);
	}
	if (stats.inferredReceipts > 0) {
		warnings.push(`Counts rose by ${fmt(stats.inferredReceipts)} ${it.unit} more than the recorded receipts: taken as unrecorded receipts`);
	}
	if (stats.lastCountDay !== undefined && c.asOfDay - stats.lastCountDay > 3) {
		warnings.push(`The last count is from ${isoOfDay(stats.lastCountDay)}`);
	}
	const hcAt = c.headcounts;
	const use = perPersonKnown ? (k: number) => rate * (hcAt.at(c.asOfDay + k) as number) : () => rate;
	const sdAt = perPersonKnown ? (k: number) => sd * (hcAt.at(c.asOfDay + k) as number) : () => sd;
	const onOrder = orders.reduce((s, o) => s + o.quantity, 0);
	const p = plan({
		onHand: it.onHand,
		onOrder,
		packSize: it.packSize,
		leadTimeDays: it.leadTimeDays,
		targetCoverDays: it.targetCoverDays,
		z: c.z,
		use,
		sd: sdAt,
		steadyFrom: c.steadyFrom,
	});
	if (p.leadTimeOverTarget) {
		warnings.push(
			`Lead time (${it.leadTimeDays} days) is longer than the target cover (${it.targetCoverDays} days): orders top up to the reorder point instead`,
		);
	}
	const shouldOrder = p.status !== 'ok' && orders.length === 0;
	if (p.status !== 'ok' && orders.length > 0) {
		warnings.push(`Not ordering again: ${orders.length} open order${orders.length === 1 ? '' : 's'} not yet received`);
	}
	const orderPacks = shouldOrder ? Math.max(1, p.topUpPacks) : 0;
	const finite = Number.isFinite(p.cover);
	// A run-out a century away has no calendar date worth giving (and past year 275760, none at all).
	const datable = finite && p.cover <= CENTURY_DAYS;
	if (finite && !datable) warnings.push('The stock lasts more than 100 years at the forecast use: no run-out date');
	return {
		row: it.row,
		item: it.item,
		unit: it.unit,
		asOf: c.asOf,
		status: p.status,
		onHand: it.onHand,
		packSize: it.packSize,
		leadTimeDays: it.leadTimeDays,
		targetCoverDays: it.targetCoverDays,
		useSource: source,
		measuredDays: stats.days,
		measuredDailyUse: stats.days > 0 ? round2(stats.totalUse / stats.days) : null,
		usePerPerson: perPersonKnown ? round2(rate) : null,
		headcountAhead: c.ahead,
		forecastDailyUse: round2(use(1)),
		dailyUseSd: round2(sdAt(1)),
		daysOfCover: finite ? floor1(p.cover) : null,
		runOutDate: datable ? isoOfDay(c.asOfDay + Math.ceil(p.cover - 1e-9)) : null,
		leadTimeDemand: p.leadTimeDemand,
		safetyStock: p.safetyStock,
		reorderPoint: p.reorderPoint,
		orderUpTo: p.orderUpTo,
		onOrder,
		openOrders: orders
			.map((o) => o.orderId)
			.filter(Boolean)
			.join(', '),
		shouldOrder,
		orderQuantity: orderPacks * it.packSize,
		orderPacks,
		topUpQuantity: p.topUpPacks * it.packSize,
		topUpPacks: p.topUpPacks,
		orderKey: shouldOrder ? `${it.item}@${c.asOf}` : '',
		serviceLevel: c.level,
		z: Math.round(c.z * 1000) / 1000,
		warnings: warnings.join('; '),
	};
}
