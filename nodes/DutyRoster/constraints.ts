/**
 * The hard rules, per person: the role matches (pools), nobody works on a day of leave, no two
 * shifts overlap, at least the minimum rest lies between two shifts, at most `maxPerDay` daily
 * shifts start on one date and at most the weekly cap of assignments fall in one ISO week.
 * The earlier roster's shifts count too: they are held (for rest and overlap) and counted (per day
 * and per week) before the period starts. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import type { Person } from './people';
import type { RosterEntry } from './rosterRows';
import { weekKeyOf, type Interval, type Slot } from './slots';

export type Block = 'leave' | 'overlap' | 'restNight' | 'rest' | 'restBefore' | 'dayCap' | 'weekCap';

export interface Held extends Interval {
	/** The slot index, or -1 for a shift of the earlier roster. */
	slot: number;
	/** For a shift of the earlier roster: what it was, in words. */
	label?: string;
}

export interface State {
	person: Person;
	unavailable: Set<string>;
	/** Carried load per role key (from the earlier roster). */
	carried: Map<string, number>;
	/** Carried plus this period's load, per role key. */
	load: Map<string, number>;
	held: Held[];
	/** Shifts per date and assignments per week: the earlier roster's plus this period's. */
	dayCount: Map<string, number>;
	weekCount: Map<string, number>;
	/** The earlier roster's part of the counts above. */
	histDay: Map<string, number>;
	histWeek: Map<string, number>;
	weekCap: number;
	slots: Set<number>;
}

export interface Limits {
	restMs: number;
	maxPerDay: number;
}

export function makeState(p: Person, defaultWeekCap: number, from: string, to: string): State {
	const unavailable = new Set<string>();
	const lo = DateTime.fromISO(from).minus({ days: 1 }).toISODate() as string;
	const hi = DateTime.fromISO(to).plus({ days: 8 }).toISODate() as string;
	for (const [a, b] of p.unavailable) {
		const s = a < lo ? lo : a;
		const e = b > hi ? hi : b;
		for (let d = DateTime.fromISO(s); (d.toISODate() as string) <= e; d = d.plus({ days: 1 })) {
			unavailable.add(d.toISODate() as string);
		}
	}
	const cap = p.maxPerWeek ?? (defaultWeekCap > 0 ? defaultWeekCap : Infinity);
	return {
		person: p,
		unavailable,
		carried: new Map(),
		load: new Map(),
		held: [],
		dayCount: new Map(),
		weekCount: new Map(),
		histDay: new Map(),
		histWeek: new Map(),
		weekCap: cap,
		slots: new Set(),
	};
}

const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/**
 * The earlier roster's shifts of this person (all before the period): held when they end within
 * the rest time of the period's start, counted per date and per ISO week.
 */
export function addHistory(st: State, entries: RosterEntry[], zone: string, periodStartMs: number, restMs: number): void {
	const seen = new Set<string>();
	for (const e of entries) {
		if (seen.has(e.assignmentId)) continue;
		seen.add(e.assignmentId);
		const s = e.start.toMillis();
		const end = e.end.toMillis();
		if (end + restMs > periodStartMs) {
			const local = e.start.setZone(zone);
			const night = local.hour < 5 || e.end.setZone(zone).minus({ milliseconds: 1 }).toISODate() !== local.toISODate();
			st.held.push({ s, e: end, night, date: e.date, slot: -1, label: `${e.duty} ${e.shift} on ${e.date}`.replace(/\s+/g, ' ') });
		}
		if (e.date === e.endDate) {
			bump(st.histDay, e.date);
			bump(st.dayCount, e.date);
		}
		const week = weekKeyOf(e.date);
		bump(st.histWeek, week);
		bump(st.weekCount, week);
	}
}

/** The first hard rule that keeps this person from this slot, or undefined when none does. */
export function blockOf(st: State, slot: Slot, lim: Limits): Block | undefined {
	return blockDetail(st, slot, lim)?.block;
}

/** The rule, and the held shift that binds (for rest and overlap). */
export function blockDetail(st: State, slot: Slot, lim: Limits): { block: Block; held?: Held } | undefined {
	for (const d of slot.touches) if (st.unavailable.has(d)) return { block: 'leave' };
	let rest: { block: Block; held?: Held } | undefined;
	for (const iv of slot.intervals) {
		for (const h of st.held) {
			if (h.slot === slot.index) continue;
			if (iv.s < h.e && h.s < iv.e) return { block: 'overlap', held: h };
			if (!rest && iv.s < h.e + lim.restMs && h.s < iv.e + lim.restMs) {
				rest = { block: h.s > iv.s ? 'restBefore' : h.night ? 'restNight' : 'rest', held: h };
			}
		}
	}
	if (rest) return rest;
	if (slot.duty.cadence === 'daily' && (st.dayCount.get(slot.date) ?? 0) >= lim.maxPerDay) return { block: 'dayCap' };
	if ((st.weekCount.get(slot.weekKey) ?? 0) >= st.weekCap) return { block: 'weekCap' };
	return undefined;
}

/** Whether the person may take the slot at all, counting only leave and the earlier roster. */
export function eligible(st: State, slot: Slot, lim: Limits): boolean {
	if (!st.person.roleKeys.has(slot.duty.roleKey)) return false;
	for (const d of slot.touches) if (st.unavailable.has(d)) return false;
	for (const iv of slot.intervals) {
		for (const h of st.held) if (h.slot === -1 && iv.s < h.e + lim.restMs && h.s < iv.e + lim.restMs) return false;
	}
	if (slot.duty.cadence === 'daily' && (st.histDay.get(slot.date) ?? 0) >= lim.maxPerDay) return false;
	return (st.histWeek.get(slot.weekKey) ?? 0) < st.weekCap;
}

export function roleLoad(st: State, role: string): number {
	return st.load.get(role) ?? 0;
}

export function assign(st: State, slot: Slot): void {
	st.slots.add(slot.index);
	slot.assigned.push(st.person.row);
	for (const iv of slot.intervals) st.held.push({ ...iv, slot: slot.index });
	if (slot.duty.cadence === 'daily') bump(st.dayCount, slot.date);
	bump(st.weekCount, slot.weekKey);
	bump(st.load, slot.duty.roleKey, slot.weight);
}

export function unassign(st: State, slot: Slot): void {
	st.slots.delete(slot.index);
	slot.assigned.splice(slot.assigned.indexOf(st.person.row), 1);
	st.held = st.held.filter((h) => h.slot !== slot.index);
	if (slot.duty.cadence === 'daily') bump(st.dayCount, slot.date, -1);
	bump(st.weekCount, slot.weekKey, -1);
	bump(st.load, slot.duty.roleKey, -slot.weight);
}

/** FNV-1a: a stable tie-break, so the same input always gives the same roster. */
export function stableHash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}
