/**
 * Check slots: a daily window in which a report is due ("morning check, 07:00 to 09:00, 30
 * minutes' grace"). A slot may cross midnight (opens 22:00, due 01:00). Pure TypeScript.
 */
import type { DateTime } from 'luxon';
import { InputError } from './errors';
import { atClock, formatClock, parseClock } from './time';

export interface SlotInput {
	name: string;
	/** When reports start to count for this slot, HH:mm. */
	opens: string;
	/** When the report is due, HH:mm. Earlier than `opens` means the next day. */
	due: string;
	/** Minutes after `due` during which a report counts as late rather than missing. */
	graceMinutes?: number;
}

export interface Slot {
	name: string;
	opensMin: number;
	/** Minutes after the slot date's midnight; over 1440 when it crosses midnight. */
	dueMin: number;
	graceMinutes: number;
}

export type SlotStatus = 'on time' | 'late';

export interface SlotWindow {
	slot: Slot;
	/** The school date the slot belongs to (the date it opens). */
	date: string;
	opens: DateTime;
	due: DateTime;
	closes: DateTime;
}

export function parseSlots(inputs: SlotInput[]): Slot[] {
	if (inputs.length === 0) {
		throw new InputError('No check slot is set', {
			field: 'slots',
			hint: 'Add at least one slot, for example "Morning" opening 07:00, due 09:00',
		});
	}
	const seen = new Set<string>();
	return inputs.map((s, i) => {
		const name = (s.name ?? '').trim() || `Slot ${i + 1}`;
		if (seen.has(name)) throw new InputError(`Two slots are named "${name}"`, { field: 'slots' });
		seen.add(name);
		const opensMin = parseClock(s.opens, `slots.${name}.opens`);
		let dueMin = parseClock(s.due, `slots.${name}.due`);
		if (dueMin <= opensMin) dueMin += 1440;
		const grace = s.graceMinutes ?? 0;
		if (!Number.isFinite(grace) || grace < 0 || grace > 1440) {
			throw new InputError(`Grace of ${s.graceMinutes} minutes is out of range (0 to 1440)`, {
				field: `slots.${name}.graceMinutes`,
			});
		}
		return { name, opensMin, dueMin, graceMinutes: grace };
	});
}

export function windowOf(slot: Slot, date: string, zone: string): SlotWindow {
	const opens = atClock(date, slot.opensMin, zone);
	const due = atClock(date, slot.dueMin, zone);
	return { slot, date, opens, due, closes: due.plus({ minutes: slot.graceMinutes }) };
}

export interface SlotMatch {
	slot: Slot;
	date: string;
	status: SlotStatus;
	/** Minutes after the due time (0 or less when on time). */
	minutesLate: number;
}

/**
 * Which slot a timestamp falls in, and whether it is on time or late. A timestamp after
 * midnight can belong to the previous day's slot when that slot crosses midnight.
 */
export function matchSlot(ts: DateTime, slots: Slot[], zone: string): SlotMatch | undefined {
	const local = ts.setZone(zone);
	const today = local.toISODate() as string;
	const yesterday = local.minus({ days: 1 }).toISODate() as string;
	for (const date of [today, yesterday]) {
		for (const slot of slots) {
			const w = windowOf(slot, date, zone);
			if (local >= w.opens && local <= w.closes) {
				const minutesLate = Math.round(local.diff(w.due, 'minutes').minutes);
				return { slot, date, status: local <= w.due ? 'on time' : 'late', minutesLate };
			}
		}
	}
	return undefined;
}

export function describeSlot(slot: Slot): string {
	return `${slot.name} (${formatClock(slot.opensMin)}-${formatClock(slot.dueMin)}, grace ${slot.graceMinutes} min)`;
}
