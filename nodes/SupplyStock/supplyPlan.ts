/**
 * Supply Stock: the plan for one item from its forecast use: safety stock at a service level,
 * reorder point, order-up-to level in whole packs, days of cover and status. The formulas and
 * rounding rules are in docs/nodes/supply-stock.md. Pure TypeScript: no n8n import.
 */
import { InputError } from '../shared/errors';

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
