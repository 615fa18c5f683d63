/**
 * The order in which a digest lists people, so that when a run is cut short (Max Wait, the
 * robot's per-minute limit) the same people are not always the ones left for later.
 * Pure TypeScript: no n8n import.
 */
import type { DigestPerson } from './digestRows';

export type DigestOrder = 'input' | 'rotate' | 'leastRecent';

export const DIGEST_ORDERS: DigestOrder[] = ['input', 'rotate', 'leastRecent'];

const GOLDEN = 0.6180339887498949;

/**
 * Where a rotated list starts for a run at `nowMs`: a different place each minute, spread over
 * the list (the golden-ratio sequence), the same for every run within one minute.
 */
export function rotationOffset(nowMs: number, n: number): number {
	if (n <= 1) return 0;
	const minute = Math.floor(nowMs / 60_000);
	const frac = (minute * GOLDEN) % 1;
	return Math.min(n - 1, Math.floor(frac * n));
}

function time(p: DigestPerson): number {
	const t = p.lastReminded ? Date.parse(p.lastReminded) : Number.NaN;
	return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function rotate<T>(list: T[], k: number): T[] {
	return k ? [...list.slice(k), ...list.slice(0, k)] : list;
}

/**
 * People in the chosen order:
 * - `input`: as they came;
 * - `rotate`: digests list people by target group, so the groups (in order of first
 *   appearance) start at a place that moves from run to run (see rotationOffset), and so do the
 *   people within each group;
 * - `leastRecent`: those never reminded first, then the least recently reminded (ties keep the
 *   input order).
 */
export function orderPeople(people: DigestPerson[], order: DigestOrder, nowMs: number): DigestPerson[] {
	if (order === 'rotate') {
		const groups = new Map<string, DigestPerson[]>();
		for (const p of people) {
			const g = groups.get(p.target);
			if (g) g.push(p);
			else groups.set(p.target, [p]);
		}
		const list = [...groups.values()];
		return rotate(list, rotationOffset(nowMs, list.length)).flatMap((g) => rotate(g, rotationOffset(nowMs, g.length)));
	}
	if (order === 'leastRecent') {
		return people
			.map((p, i) => ({ p, i, t: time(p) }))
			.sort((a, b) => a.t - b.t || a.i - b.i)
			.map((x) => x.p);
	}
	return people;
}
