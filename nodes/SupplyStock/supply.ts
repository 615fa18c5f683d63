/**
 * Supply Stock: reorder triggers from measured use. Days of cover, the date stock runs out, the
 * reorder point with safety stock at a service level, and an order that tops up to a target
 * cover in whole packs. The formulas and rounding rules are in docs/nodes/supply-stock.md.
 * Pure TypeScript: no n8n import.
 */
import { toIsoDate } from '../shared/calendar';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import {
	DateReader,
	columnMap,
	emptyHistory,
	dayOfIso,
	isoOfDay,
	parseHeadcount,
	parseHistory,
	parseInventory,
	parseOrders,
	type HeadcountEntry,
	type ItemHistory,
	type InventoryItem,
	type OpenOrder,
	type Parsed,
	type SupplyColumnKey,
} from './supplyRows';

/**
 * The inverse of the standard normal distribution (Acklam's rational approximation, relative
 * error below 1.15e-9). p = 0.95 gives 1.6449.
 */
export function inverseNormal(p: number): number {
	if (!(p > 0 && p < 1)) throw new RangeError(`Probability ${p} is not between 0 and 1`);
	const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
	const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
	const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
	const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
	const low = 0.02425;
	if (p < low) {
		const q = Math.sqrt(-2 * Math.log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	if (p > 1 - low) {
		const q = Math.sqrt(-2 * Math.log(1 - p));
		return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	const q = p - 0.5;
	const r = q * q;
	return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** z for a cycle service level given as a fraction (0.95) or a percentage (95). */
export function zForServiceLevel(level: number, field = 'serviceLevel'): number {
	const p = level > 1 ? level / 100 : level;
	if (!Number.isFinite(p) || p < 0.5 || p > 0.9999) {
		throw new InputError(`Service level ${level} is out of range (50% to 99.99%)`, {
			field,
			hint: 'A usual service level is 95% (z = 1.645)',
		});
	}
	return inverseNormal(p);
}

/** Floors to one decimal (a cover of 9.375 days is reported as 9.3: never more than there is). */
export function floor1(x: number): number {
	return Math.floor(x * 10 + 1e-9) / 10;
}

function ceilUnits(x: number): number {
	return Math.ceil(x - 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Measured use

export interface UseStats {
	/** Intervals between two counts (usually one a day). */
	intervals: number;
	/** Days those intervals span. */
	days: number;
	totalUse: number;
	/** Headcount-days over the same days (equal to `days` when headcount is unknown). */
	personDays: number;
	/** Use per person-day (per day when headcount is unknown); undefined when nothing measured. */
	rate?: number;
	/** Standard deviation of a day's use per person (per day when headcount is unknown). */
	sd?: number;
	/** Units that appeared without a recorded receipt (a rise in a count). */
	inferredReceipts: number;
	/** How many counts fell in the window. */
	counts: number;
	firstCountDay?: number;
	lastCountDay?: number;
}

/**
 * Daily use between consecutive counts: previous count + received - count. A rise in a count
 * beyond the recorded receipts is an unrecorded receipt, never negative use (that use is 0).
 * An interval of k days between counts is one observation of the mean use over those days,
 * weighted by k in the variance (the mean of k days has 1/k of one day's variance).
 * `weight(a, b)` is the headcount summed over the days after a up to b (b - a when unknown).
 */
export function useStats(
	history: ItemHistory,
	fromDay: number,
	toDay: number,
	weight: (fromExclusive: number, toInclusive: number) => number,
): UseStats {
	const dayAt = history.day;
	const countAt = history.count;
	const receivedAt = history.received;
	const n = dayAt.length;
	// Skip to the window's first day.
	let i = 0;
	let hi = n;
	while (i < hi) {
		const mid = (i + hi) >> 1;
		if (dayAt[mid] < fromDay) i = mid + 1;
		else hi = mid;
	}
	let inferred = 0;
	let counts = 0;
	let prevDay = NaN;
	let prevCount = 0;
	let pending = 0;
	let firstCountDay = NaN;
	let intervals = 0;
	let totalUse = 0;
	let days = 0;
	let personDays = 0;
	// Running k-weighted mean and sum of squares of use per person-day (West's algorithm).
	let used = 0;
	let weightK = 0;
	let mean = 0;
	let m2 = 0;
	while (i < n) {
		const day = dayAt[i];
		if (day > toDay) break;
		let received = 0;
		let count = NaN;
		while (i < n && dayAt[i] === day) {
			received += receivedAt[i];
			if (countAt[i] === countAt[i]) count = countAt[i];
			i++;
		}
		if (count !== count) {
			pending += received;
			continue;
		}
		counts++;
		if (prevDay !== prevDay) {
			prevDay = day;
			firstCountDay = day;
			prevCount = count;
			pending = 0;
			continue;
		}
		let use = prevCount + pending + received - count;
		if (use < 0) {
			inferred -= use;
			use = 0;
		}
		const k = day - prevDay;
		const w = weight(prevDay, day);
		intervals++;
		totalUse += use;
		days += k;
		personDays += w;
		if (w > 0) {
			const p = use / w;
			weightK += k;
			const delta = p - mean;
			mean += (k / weightK) * delta;
			m2 += k * delta * (p - mean);
			used++;
		}
		prevDay = day;
		prevCount = count;
		pending = 0;
	}
	const stats: UseStats = {
		intervals,
		days,
		totalUse,
		personDays,
		inferredReceipts: inferred,
		counts,
		firstCountDay: firstCountDay === firstCountDay ? firstCountDay : undefined,
		lastCountDay: prevDay === prevDay ? prevDay : undefined,
	};
	if (personDays > 0) {
		const rate = totalUse / personDays;
		stats.rate = rate;
		// Variance of one day's use per person: an interval of k days is the mean of k days, whose
		// variance is 1/k of a day's, so sum k (p - rate)^2 over the n intervals, over n - 1.
		// That sum is m2 (around the k-weighted mean) + K (mean - rate)^2.
		if (used >= 2) {
			const ss = Math.max(0, m2 + weightK * (mean - rate) * (mean - rate));
			stats.sd = Math.sqrt(ss / (used - 1));
		}
	}
	return stats;
}

// ---------------------------------------------------------------------------------------------
// Headcount ahead and behind

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

// ---------------------------------------------------------------------------------------------
// The plan for one item

export type StockStatus = 'ok' | 'reorder' | 'critical' | 'stockout';

export interface PlanInput {
	onHand: number;
	onOrder: number;
	packSize: number;
	leadTimeDays: number;
	targetCoverDays: number;
	z: number;
	/** Forecast use on day k after the evaluation date (k = 1, 2, ...). */
	use: (k: number) => number;
	/** Forecast standard deviation of use on day k. */
	sd: (k: number) => number;
	/** From this day on, use(k) no longer changes (the last headcount change). */
	steadyFrom: number;
}

export interface Plan {
	/** Days the stock on hand lasts at the forecast use; Infinity when nothing is used. */
	cover: number;
	leadTimeDemand: number;
	safetyStock: number;
	reorderPoint: number;
	targetDemand: number;
	/** The level an order tops up to: the target cover's use, or the reorder point if higher. */
	orderUpTo: number;
	status: StockStatus;
	topUpQuantity: number;
	topUpPacks: number;
	/** The target cover does not reach past the lead time. */
	leadTimeOverTarget: boolean;
}

/**
 * The formulas, with their rounding rules:
 * - lead-time demand D_L = sum of forecast use over the lead time, rounded up to a whole unit;
 * - safety stock SS = z * sqrt(sum of daily variances over the lead time), to the nearest unit
 *   (constant use: z * sd * sqrt(L));
 * - reorder point ROP = D_L + SS;
 * - order-up-to level S = forecast use over the target cover (rounded up), or ROP if higher;
 * - top-up = S - on hand - on order, rounded up to whole packs;
 * - days of cover: how many days the stock on hand lasts at the forecast use, day by day.
 * Status: stockout (on hand <= 0), critical (cover < lead time: runs out before an order could
 * arrive), reorder (on hand <= ROP), else ok.
 */
export function plan(input: PlanInput): Plan {
	const { onHand, leadTimeDays: L, targetCoverDays: T } = input;
	let dl = 0;
	let varL = 0;
	for (let k = 1; k <= L; k++) {
		dl += input.use(k);
		const s = input.sd(k);
		varL += s * s;
	}
	let dt = 0;
	for (let k = 1; k <= T; k++) dt += input.use(k);
	const leadTimeDemand = ceilUnits(dl);
	const safetyStock = Math.round(input.z * Math.sqrt(varL));
	const reorderPoint = leadTimeDemand + safetyStock;
	const targetDemand = ceilUnits(dt);
	const orderUpTo = Math.max(targetDemand, reorderPoint);
	const cover = coverDays(onHand, input.use, Math.max(L, T, input.steadyFrom) + 1);
	let status: StockStatus = 'ok';
	if (onHand <= 0) status = 'stockout';
	else if (cover < L) status = 'critical';
	else if (onHand <= reorderPoint) status = 'reorder';
	const topUpQuantity = Math.max(0, orderUpTo - Math.max(0, onHand) - input.onOrder);
	const topUpPacks = Math.ceil(topUpQuantity / input.packSize - 1e-9);
	return {
		cover,
		leadTimeDemand,
		safetyStock,
		reorderPoint,
		targetDemand,
		orderUpTo,
		status,
		topUpQuantity,
		topUpPacks,
		leadTimeOverTarget: L > T,
	};
}

/**
 * Days of cover: walks the forecast day by day; the day the stock runs out counts by the part
 * used (150 left on a 160 day is 0.9375 of a day). After `steadyDays` the use is constant.
 */
export function coverDays(onHand: number, use: (k: number) => number, steadyDays: number): number {
	if (onHand <= 0) return 0;
	let left = onHand;
	const limit = Math.max(1, Math.min(steadyDays, 3660));
	for (let k = 1; k <= limit; k++) {
		const u = use(k);
		if (u >= left) return k - 1 + (u > 0 ? left / u : 0);
		left -= u;
	}
	const tail = use(limit + 1);
	return tail > 0 ? limit + left / tail : Infinity;
}

// ---------------------------------------------------------------------------------------------
// Evaluate

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
}

export interface SupplyTables {
	inventory: Row[];
	history?: Row[];
	headcount?: Row[];
	orders?: Row[];
}

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
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

function fmt(x: number): string {
	return String(round2(x));
}

export function checkOptions(options: EvaluateOptions): {
	asOfDay: number;
	asOf: string;
	z: number;
	level: number;
	historyDays: number;
	cv: number;
} {
	let asOf: string;
	try {
		asOf = toIsoDate(String(options.asOf ?? ''));
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field: 'asOf', hint: 'Use YYYY-MM-DD' });
	}
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
	return { asOfDay: dayOfIso(asOf), asOf, z, level, historyDays, cv };
}

/** The four tables, read (the part of Evaluate that grows with the history rows). */
export interface ReadTables {
	inventory: Parsed<InventoryItem>;
	history: { byItem: Map<string, ItemHistory>; problems: RowProblem[] };
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
 * other tables that cannot be read are problems of their own table; the rest still counts.
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
		problems: { inventory: problems, history: hist.problems, headcount: hc.problems, orders: ord.problems },
		headcountAhead: ahead,
		asOf: opt.asOf,
	};
}

interface ItemContext {
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
	perPersonField: string;
}

function evaluateItem(it: InventoryItem, history: ItemHistory, orders: OpenOrder[], c: ItemContext): ItemEvaluation {
	const warnings: string[] = [];
	const stats = useStats(history, c.fromDay, c.asOfDay, c.weight);
	const perPersonKnown = c.headcounts.known;
	let rate: number;
	let sd: number;
	let source: ItemEvaluation['useSource'] = 'measured';
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
		if (it.perPersonDailyUse === undefined) {
			throw new InputError(
				stats.counts === 0
					? 'No count history for this item and no per-person daily use: cannot forecast its use'
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
			`${stats.counts === 0 ? 'No count history' : `Only one count (${isoOfDay(stats.firstCountDay as number)})`}: forecast uses the per-person rate of ${fmt(rate)} a day with ${Math.round(c.cv * 100)}% assumed variation`,
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
		runOutDate: finite ? isoOfDay(c.asOfDay + Math.ceil(p.cover - 1e-9)) : null,
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
