/**
 * Why a seat stayed open, in words: how many of the role were kept away by each rule (the
 * reason), and each person by name with the rule and the shift that binds (blockedBy).
 * Pure TypeScript: no n8n import.
 */
import { blockDetail, type Block, type Limits, type State } from './constraints';
import type { Slot } from './slots';

function plural(role: string, n: number): string {
	if (n === 1 || !/^[a-z][a-z ]*$/i.test(role)) return role;
	if (/(s|x|ch|sh)$/i.test(role)) return `${role}es`;
	if (/[^aeiou]y$/i.test(role)) return `${role.slice(0, -1)}ies`;
	return `${role}s`;
}

const WORDS: Array<[Block | 'free', (maxPerDay: number) => string]> = [
	['leave', () => 'on leave or unavailable'],
	['overlap', () => 'already on another duty at that time'],
	['restNight', () => 'resting after a night shift'],
	['rest', () => 'resting after another shift'],
	['restBefore', () => 'due on another shift too soon after'],
	['dayCap', (m) => `at the cap of ${m} shift${m > 1 ? 's' : ''} a day`],
	['weekCap', () => 'at their weekly cap'],
	['free', () => 'free but blocked by the rest of the roster'],
];

export function unfilledReason(slot: Slot, pool: State[], lim: Limits): string {
	const when = slot.duty.cadence === 'weekly' ? `Week of ${slot.date} (to ${slot.endDate})` : slot.date;
	const n = slot.assigned.length;
	const counts = new Map<Block | 'free', number>();
	for (const st of pool) {
		if (st.slots.has(slot.index)) continue;
		const b = blockDetail(st, slot, lim)?.block ?? 'free';
		counts.set(b, (counts.get(b) ?? 0) + 1);
	}
	const parts = WORDS.filter(([k]) => counts.get(k)).map(([k, w]) => `${counts.get(k)} ${w(lim.maxPerDay)}`);
	const role = slot.duty.role;
	const avail = n === 0 ? 'none is available' : `only ${n} ${n === 1 ? 'is' : 'are'} available`;
	const head = `${when} ${slot.duty.name} ${slot.shift.name} needs ${slot.need} ${plural(role, slot.need)}; ${avail}`;
	if (pool.length === 0) return `${head}: nobody has the role "${role}"`;
	return parts.length ? `${head}: ${parts.join(', ')}` : `${head}: only ${pool.length} staff have the role "${role}"`;
}

/**
 * Each person of the role who is not on the seat, with the binding rule: "Guard 4: on leave;
 * Guard 1: resting after Gate A Evening on 2026-03-01 (earlier roster)". A person free by every
 * rule is named as such: taking this seat would leave another seat of theirs open.
 */
export function blockedBy(slot: Slot, pool: State[], lim: Limits, slots: Slot[], proven: boolean): string {
	const parts: string[] = [];
	for (const st of pool) {
		if (st.slots.has(slot.index)) continue;
		const d = blockDetail(st, slot, lim);
		const who = st.person.name;
		if (!d) {
			parts.push(`${who}: free, but ${proven ? 'every roster that gives them this seat fills fewer seats (proven)' : 'moving them here would open another seat'}`);
			continue;
		}
		const held = d.held;
		const what = held ? (held.slot === -1 ? `${held.label} (earlier roster)` : `${slots[held.slot].duty.name} ${slots[held.slot].shift.name} on ${slots[held.slot].date}`) : '';
		if (d.block === 'leave') parts.push(`${who}: on leave or unavailable`);
		else if (d.block === 'overlap') parts.push(`${who}: on ${what} at the same time`);
		else if (d.block === 'restBefore') parts.push(`${who}: due on ${what} less than ${lim.restMs / 3_600_000} h after`);
		else if (d.block === 'rest' || d.block === 'restNight') parts.push(`${who}: resting after ${what} (minimum ${lim.restMs / 3_600_000} h)`);
		else if (d.block === 'dayCap') parts.push(`${who}: already ${lim.maxPerDay} shift${lim.maxPerDay > 1 ? 's' : ''} on ${slot.date}`);
		else parts.push(`${who}: at the weekly cap of ${st.weekCap} in ${slot.weekKey}`);
	}
	return parts.join('; ');
}
