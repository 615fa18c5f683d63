/**
 * The fast first roster: greedy in time order (lightest suitable person first, duties spread out,
 * preferred days honoured), then moves from heavier to lighter people, then a repair that frees a
 * person for an open seat when someone else can take their slot, then exchanges of equal-weight
 * seats that honour preferred and undesired days. The exact solver (solver.ts) starts from it.
 * Pure TypeScript: no n8n import.
 */
import { DAY_MS } from './model';
import { matches } from './people';
import { assign, blockOf, roleLoad, stableHash, unassign, type Limits, type State } from './constraints';
import type { Slot } from './slots';

export interface Problem {
	slots: Slot[];
	states: Map<number, State>;
	/** The people of each role key. */
	pools: Map<string, State[]>;
	lim: Limits;
	days: number;
}

/** ISO weekday (1 = Monday) of a YYYY-MM-DD date. */
export function weekday(d: string): number {
	return ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** Preference cost of a person on a slot: undesired costs, preferred gains (soft). */
export function prefCost(st: State, slot: Slot): number {
	let pref = 0;
	let undes = 0;
	for (const d of slot.days) {
		if (matches(st.person.preferred, d, weekday(d))) pref = 1;
		if (matches(st.person.undesired, d, weekday(d))) undes = 1;
	}
	return 0.6 * undes - 0.3 * pref;
}

export function solveHeuristic(pb: Problem): void {
	const { slots, states, pools, lim } = pb;
	const seatsByRole = new Map<string, number>();
	for (const s of slots) seatsByRole.set(s.duty.roleKey, (seatsByRole.get(s.duty.roleKey) ?? 0) + s.need);
	const idealGap = new Map<string, number>();
	for (const [role, pool] of pools) {
		const seats = seatsByRole.get(role) ?? 0;
		idealGap.set(role, Math.min(7 * DAY_MS, seats > 0 ? (pb.days * DAY_MS * pool.length) / seats : 7 * DAY_MS));
	}
	const score = (st: State, slot: Slot): number => {
		const gapMs = idealGap.get(slot.duty.roleKey) ?? 7 * DAY_MS;
		let nearest = Infinity;
		const s = slot.intervals[0].s;
		const e = slot.intervals[slot.intervals.length - 1].e;
		for (const h of st.held) {
			const dist = h.e <= s ? s - h.e : h.s >= e ? h.s - e : 0;
			if (dist < nearest) nearest = dist;
		}
		const spread = nearest === Infinity ? 0 : Math.max(0, 1 - nearest / gapMs);
		const tie = stableHash(`${st.person.id}|${slot.key}`) / 2 ** 32;
		return roleLoad(st, slot.duty.roleKey) + slot.weight * (0.3 * spread + prefCost(st, slot)) + tie * 1e-6;
	};
	const fill = (slot: Slot): void => {
		const cands: Array<[number, State]> = [];
		for (const st of pools.get(slot.duty.roleKey) ?? []) {
			if (!st.slots.has(slot.index) && blockOf(st, slot, lim) === undefined) cands.push([score(st, slot), st]);
		}
		cands.sort((a, b) => a[0] - b[0]);
		for (const [, st] of cands) {
			if (slot.assigned.length >= slot.need) break;
			// Two seats of one slot are one time: re-check after each pick (caps, overlap).
			if (blockOf(st, slot, lim) === undefined) assign(st, slot);
		}
	};

	// 1. Greedy, in time order (weekly slots first in their week).
	for (const slot of slots) fill(slot);

	// 2. Balance: move a seat from a heavier person to a lighter one of its role whenever that
	//    narrows their gap. Each move lowers the sum of squared loads, so this ends.
	const balance = (): void => {
		for (let pass = 0; pass < 60; pass++) {
			let moved = 0;
			for (const heavy of [...states.values()].filter((st) => st.slots.size > 0)) {
				const mine = [...heavy.slots].sort((a, b) => slots[b].weight - slots[a].weight || a - b);
				for (const si of mine) {
					const slot = slots[si];
					const role = slot.duty.roleKey;
					let best: State | undefined;
					let bestScore = Infinity;
					for (const light of pools.get(role) ?? []) {
						if (light === heavy || light.slots.has(si)) continue;
						if (roleLoad(light, role) + slot.weight >= roleLoad(heavy, role) - 1e-9) continue;
						if (blockOf(light, slot, lim) !== undefined) continue;
						const sc = score(light, slot);
						if (sc < bestScore) {
							bestScore = sc;
							best = light;
						}
					}
					if (best) {
						unassign(heavy, slot);
						assign(best, slot);
						moved++;
						break;
					}
				}
			}
			if (moved === 0) break;
		}
	};
	balance();

	// 3. Refill, then repair: a person blocked from an open seat only by one of their own slots
	//    takes the open seat when someone else can take that slot. Then balance once more.
	let changed = false;
	for (const slot of slots) {
		if (slot.assigned.length < slot.need) {
			const before = slot.assigned.length;
			fill(slot);
			changed = changed || slot.assigned.length > before;
		}
	}
	for (const open of slots) {
		for (const p of pools.get(open.duty.roleKey) ?? []) {
			if (open.assigned.length >= open.need) break;
			if (p.slots.has(open.index)) continue;
			const b = blockOf(p, open, lim);
			if (b === undefined || b === 'leave') continue;
			const rivals = [...p.slots].filter((si) => {
				const sl = slots[si];
				return (
					sl.intervals.some((iv) => open.intervals.some((ov) => ov.s < iv.e + lim.restMs && iv.s < ov.e + lim.restMs)) ||
					sl.date === open.date ||
					sl.weekKey === open.weekKey
				);
			});
			for (const si of rivals) {
				const other = slots[si];
				unassign(p, other);
				if (blockOf(p, open, lim) === undefined) {
					assign(p, open);
					const q = (pools.get(other.duty.roleKey) ?? [])
						.filter((c) => c !== p && !c.slots.has(si) && blockOf(c, other, lim) === undefined)
						.sort((x, y) => score(x, other) - score(y, other))[0];
					if (q) {
						assign(q, other);
						changed = true;
						break;
					}
					unassign(p, open);
				}
				assign(p, other);
			}
		}
	}
	if (changed) balance();
	honourPreferences(pb);
}

/**
 * Exchanges seats of equal weight and role between two people when that honours more preferred
 * days or avoids more undesired ones and breaks no hard rule. Loads do not change, so neither
 * does the spread.
 */
export function honourPreferences(pb: Problem): void {
	const { slots, states, lim } = pb;
	const fussy = [...states.values()].filter(
		(st) => st.person.preferred.weekdays.size || st.person.preferred.ranges.length || st.person.undesired.weekdays.size || st.person.undesired.ranges.length,
	);
	if (!fussy.length) return;
	for (let pass = 0; pass < 3; pass++) {
		let improved = false;
		for (const p of fussy) {
			for (const ai of [...p.slots]) {
				const a = slots[ai];
				for (const b of slots) {
					if (b === a || b.duty.roleKey !== a.duty.roleKey || Math.abs(b.weight - a.weight) > 1e-9 || p.slots.has(b.index)) continue;
					for (const qRow of [...b.assigned]) {
						const q = states.get(qRow) as State;
						if (q.slots.has(ai)) continue;
						const gain = prefCost(p, a) + prefCost(q, b) - prefCost(p, b) - prefCost(q, a);
						if (gain <= 1e-9) continue;
						unassign(p, a);
						unassign(q, b);
						if (blockOf(p, b, lim) === undefined) {
							assign(p, b);
							if (blockOf(q, a, lim) === undefined) {
								assign(q, a);
								improved = true;
								break;
							}
							unassign(p, b);
						}
						assign(p, a);
						assign(q, b);
					}
					if (!p.slots.has(ai)) break;
				}
			}
		}
		if (!improved) break;
	}
}
