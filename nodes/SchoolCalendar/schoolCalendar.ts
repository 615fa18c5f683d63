/**
 * School Calendar operations on plain data. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import { InputError } from '../shared/errors';
import { SchoolCalendar, toIsoDate } from '../shared/calendar';
import { matchSlot, parseSlots } from '../shared/slots';
import { checkZone, parseTimestamp } from '../shared/time';

export interface SlotRow {
	name: string;
	opens: string;
	due: string;
	graceMinutes?: number;
}

export interface DayResult {
	date: string;
	isSchoolDay: boolean;
	dayKind: string;
	dayReason: string;
	weekday: string;
	/** The last date the public-holiday data covers (null when public holidays are off). */
	calendarDataUntil: string | null;
	/**
	 * Present when the day is beyond the holiday data (treated as ordinary by choice) or the data
	 * ends within 31 days of it: the alert for the IT staff.
	 */
	calendarWarning?: string;
	/**
	 * The last school day before this date within 31 days (null when there is none): what a
	 * workflow reads back to for misses in a row, instead of a fixed number of days.
	 */
	previousSchoolDay: string | null;
}

/** The last school day before `iso`, looking back at most `days` days. */
export function previousSchoolDay(calendar: SchoolCalendar, iso: string, days = 31): string | null {
	let d = DateTime.fromISO(iso, { zone: 'UTC' });
	for (let n = 0; n < days; n++) {
		d = d.minus({ days: 1 });
		const date = d.toISODate() as string;
		try {
			if (calendar.peek(date).isSchoolDay) return date;
		} catch {
			return null;
		}
	}
	return null;
}

export function checkDay(calendar: SchoolCalendar, date: string): DayResult {
	let iso: string;
	try {
		iso = toIsoDate(String(date));
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), {
			field: 'date',
			hint: 'Use YYYY-MM-DD, for example 2026-03-02',
		});
	}
	const d = calendar.day(iso);
	const result: DayResult = {
		date: d.date,
		isSchoolDay: d.isSchoolDay,
		dayKind: d.kind,
		dayReason: d.reason,
		weekday: d.weekday,
		calendarDataUntil: calendar.dataUntil(),
		previousSchoolDay: previousSchoolDay(calendar, d.date),
	};
	if (d.warning) result.calendarWarning = d.warning;
	return result;
}

export interface SlotResult {
	slot: string | null;
	slotDate: string | null;
	slotStatus: 'on time' | 'late' | 'outside any slot';
	minutesLate: number | null;
	isSchoolDay: boolean;
	localTime: string;
	/** As Check Day's: the day is beyond the holiday data, or the data ends within 31 days. */
	calendarWarning?: string;
}

export function checkSlot(
	calendar: SchoolCalendar,
	slotRows: SlotRow[],
	timestamp: unknown,
	zone: string,
): SlotResult {
	checkZone(zone);
	const slots = parseSlots(slotRows);
	let ts: DateTime;
	try {
		ts = parseTimestamp(timestamp, zone);
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field: 'timestamp' });
	}
	const match = matchSlot(ts, slots, zone);
	const localTime = ts.toISO() as string;
	const day = calendar.day(match ? match.date : ts);
	const result: SlotResult = match
		? {
				slot: match.slot.name,
				slotDate: match.date,
				slotStatus: match.status,
				minutesLate: Math.max(0, match.minutesLate),
				isSchoolDay: day.isSchoolDay,
				localTime,
			}
		: { slot: null, slotDate: null, slotStatus: 'outside any slot', minutesLate: null, isSchoolDay: day.isSchoolDay, localTime };
	if (day.warning) result.calendarWarning = day.warning;
	return result;
}

export function listDays(
	calendar: SchoolCalendar,
	from: string,
	to: string,
	onlySchoolDays: boolean,
): DayResult[] {
	const a = toIsoDateField(from, 'from');
	const b = toIsoDateField(to, 'to');
	if (b < a) throw new InputError(`"To" (${b}) is before "From" (${a})`, { field: 'to' });
	const days = DateTime.fromISO(b).diff(DateTime.fromISO(a), 'days').days;
	if (days > 366) {
		throw new InputError(`The range ${a} to ${b} is over a year`, {
			field: 'to',
			hint: 'List at most 366 days at a time',
		});
	}
	const out: DayResult[] = [];
	let d = DateTime.fromISO(a);
	const end = DateTime.fromISO(b);
	while (d <= end) {
		const r = checkDay(calendar, d.toISODate() as string);
		if (!onlySchoolDays || r.isSchoolDay) out.push(r);
		d = d.plus({ days: 1 });
	}
	return out;
}

function toIsoDateField(value: string, field: string): string {
	try {
		return toIsoDate(value);
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field });
	}
}

