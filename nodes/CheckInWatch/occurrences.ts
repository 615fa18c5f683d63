/**
 * Slot occurrences: each check slot on each school day of the look-back, with its opening, due
 * and closing instants, and the As Of time a check is made at. Pure TypeScript: no n8n import.
 */
import { IANAZone, type DateTime } from 'luxon';
import type { SchoolCalendar } from '../shared/calendar';
import { InputError } from '../shared/errors';
import { windowOf, type Slot } from '../shared/slots';
import { checkZone, daysFromCivil, fixedOffset, offsetCache, parseTimestamp } from '../shared/time';

export interface Occurrence {
	slot: Slot;
	/** The school date the slot belongs to (the date it opens). */
	date: string;
	opensMs: number;
	dueMs: number;
	closesMs: number;
	/** Local date of the due time (differs from `date` when the slot crosses midnight). */
	dueDate: string;
}

export interface WatchOptions {
	slots: Slot[];
	zone: string;
	calendar: SchoolCalendar;
	/** The time the check is made. */
	asOf: DateTime;
	/** How many days back the submission history is read for consecutive misses (0 to 90). */
	lookBackDays?: number;
}

export const DEFAULT_LOOK_BACK_DAYS = 30;
export const MAX_LOOK_BACK_DAYS = 90;

export function checkLookBack(days: number): number {
	if (!Number.isInteger(days) || days < 0 || days > MAX_LOOK_BACK_DAYS) {
		throw new InputError(`A look-back of ${days} days is out of range (0 to ${MAX_LOOK_BACK_DAYS})`, {
			field: 'lookBackDays',
		});
	}
	return days;
}

/** Slot occurrences on school days from `lookBackDays` before the as-of date to it, opened by then. */
export function occurrences(opts: WatchOptions): Occurrence[] {
	const zone = checkZone(opts.zone);
	const days = checkLookBack(opts.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS);
	const asOf = opts.asOf.setZone(zone);
	const asOfMs = asOf.toMillis();
	const out: Occurrence[] = [];
	const first = asOf.startOf('day').minus({ days: days + 1 });
	// A zone with one UTC offset over the range (Asia/Shanghai) needs no luxon per window.
	const fixed = fixedOffset(offsetCache(IANAZone.create(zone), first.toMillis() - 86400000, asOfMs + 2 * 86400000));
	const firstDay = daysFromCivil(first.year, first.month, first.day);
	const lastDay = firstDay + days + 1;
	for (let day = firstDay; day <= lastDay; day++) {
		const midnightWall = day * 86400000;
		const date = new Date(midnightWall).toISOString().slice(0, 10);
		if (!opts.calendar.isSchoolDay(date)) continue;
		for (const slot of opts.slots) {
			let o: Occurrence;
			if (fixed !== undefined) {
				const base = midnightWall - fixed * 60000;
				const dueMs = base + slot.dueMin * 60000;
				o = {
					slot,
					date,
					opensMs: base + slot.opensMin * 60000,
					dueMs,
					closesMs: dueMs + slot.graceMinutes * 60000,
					dueDate: new Date(midnightWall + slot.dueMin * 60000).toISOString().slice(0, 10),
				};
			} else {
				const w = windowOf(slot, date, zone);
				o = {
					slot,
					date,
					opensMs: w.opens.toMillis(),
					dueMs: w.due.toMillis(),
					closesMs: w.closes.toMillis(),
					dueDate: w.due.toISODate() as string,
				};
			}
			if (o.opensMs <= asOfMs) out.push(o);
		}
	}
	out.sort((a, b) => a.opensMs - b.opensMs || a.dueMs - b.dueMs);
	// The first day before the look-back only serves slots that cross midnight into it.
	const firstDate = asOf.startOf('day').minus({ days }).toISODate() as string;
	return out.filter((o) => o.date >= firstDate || o.dueDate >= firstDate);
}

/** The "As Of" parameter: empty means now. Names the parameter when unreadable. */
export function readAsOf(value: unknown, zone: string, now: DateTime): DateTime {
	if (value === '' || value === undefined || value === null) return now.setZone(zone);
	try {
		return parseTimestamp(value, zone);
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field: 'asOf' });
	}
}
