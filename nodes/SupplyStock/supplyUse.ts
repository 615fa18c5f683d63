/**
 * Supply Stock: daily use measured from consecutive counts. Pure TypeScript: no n8n import.
 */
import type { ItemHistory } from './supplyHistory';

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
	/**
	 * Counts replaced by a later count of the same day in the window (history rows, 0-based, and
	 * their days); absent when there are none.
	 */
	recounts?: Array<{ row: number; day: number }>;
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
	let recounts: UseStats['recounts'];
	while (i < n) {
		const day = dayAt[i];
		if (day > toDay) break;
		let received = 0;
		let count = NaN;
		let countIndex = -1;
		while (i < n && dayAt[i] === day) {
			received += receivedAt[i];
			if (countAt[i] === countAt[i]) {
				if (countIndex >= 0) (recounts ??= []).push({ row: history.row[countIndex], day });
				count = countAt[i];
				countIndex = i;
			}
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
	if (recounts) stats.recounts = recounts;
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
