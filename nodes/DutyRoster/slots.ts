/**
 * Slots: every shift of every duty on every matching date of the range (a weekly duty's shift is
 * one slot covering the week's matching days), with its times, weight and seats.
 * Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import type { SchoolCalendar } from '../shared/calendar';
import { round, type DaysRule, type Duty, type RosterOptions, type Shift } from './model';

export interface Interval {
	s: number;
	e: number;
	night: boolean;
	/** Date (YYYY-MM-DD) the interval starts. */
	date: string;
}

export interface Slot {
	index: number;
	key: string;
	duty: Duty;
	shift: Shift;
	date: string;
	endDate: string;
	/** Covered days (one for a daily slot; the week's matching days for a weekly slot). */
	days: string[];
	/** Every date any interval touches: leave on one of them blocks the slot. */
	touches: string[];
	intervals: Interval[];
	sortKey: number;
	weekKey: string;
	weight: number;
	holiday: boolean;
	dayKind: string;
	need: number;
	assigned: number[];
}

export function weekKeyOf(date: string): string {
	const d = DateTime.fromISO(date);
	return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

export function isHolidayKind(kind: string): boolean {
	return kind === 'weekend' || kind === 'public holiday';
}

function dayMatches(rule: DaysRule, isSchoolDay: boolean): boolean {
	if (rule === 'everyDay') return true;
	return rule === 'schoolDays' ? isSchoolDay : !isSchoolDay;
}

/** The slots to fill, in the order the generator fills them (weekly slots first in their week). */
export function buildSlots(duties: Duty[], from: string, to: string, calendar: SchoolCalendar, o: Required<Pick<RosterOptions, 'zone' | 'nightWeight' | 'holidayWeight'>>): Slot[] {
	const dates: string[] = [];
	for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) dates.push(d.toISODate() as string);
	const slots: Slot[] = [];
	const midnight = new Map<string, number>();
	const at = (date: string, minutes: number): number => {
		let base = midnight.get(date);
		if (base === undefined) {
			base = DateTime.fromISO(date, { zone: o.zone }).startOf('day').toMillis();
			midnight.set(date, base);
		}
		// Whole-day steps from midnight, then the clock time (DST-safe for the zones schools use).
		const extraDays = Math.floor(minutes / 1440);
		if (extraDays > 0) {
			const next = DateTime.fromISO(date, { zone: o.zone }).plus({ days: extraDays }).startOf('day');
			return next.plus({ minutes: minutes - extraDays * 1440 }).toMillis();
		}
		return DateTime.fromMillis(base, { zone: o.zone }).plus({ minutes }).toMillis();
	};
	const nextDate = (date: string, n: number) => DateTime.fromISO(date).plus({ days: n }).toISODate() as string;
	for (const duty of duties) {
		const matching = dates.filter((d) => dayMatches(duty.days, calendar.isSchoolDay(d)));
		const groups: string[][] = [];
		if (duty.cadence === 'daily') {
			matching.forEach((d) => groups.push([d]));
		} else {
			const byWeek = new Map<string, string[]>();
			for (const d of matching) {
				const k = weekKeyOf(d);
				const g = byWeek.get(k);
				if (g) g.push(d);
				else byWeek.set(k, [d]);
			}
			byWeek.forEach((g) => groups.push(g));
		}
		for (const group of groups) {
			for (const shift of duty.shifts) {
				const intervals: Interval[] = [];
				let weight = 0;
				let holiday = false;
				const touches = new Set<string>();
				for (const d of group) {
					const kind = calendar.day(d).kind;
					const hol = isHolidayKind(kind);
					holiday = holiday || hol;
					weight += duty.weight * (shift.night ? o.nightWeight : 1) * (hol ? o.holidayWeight : 1);
					intervals.push({ s: at(d, shift.startMin), e: at(d, shift.endMin), night: shift.night, date: d });
					touches.add(d);
					// A shift ending after midnight touches the next date (not one ending at 00:00 sharp).
					for (let k = 1; k * 1440 < shift.endMin; k++) touches.add(nextDate(d, k));
				}
				const date = group[0];
				const weekly = duty.cadence === 'weekly';
				const weekStart = DateTime.fromISO(date, { zone: o.zone }).startOf('week').toMillis();
				slots.push({
					index: 0,
					key: `${date}|${duty.name}|${shift.name}`,
					duty,
					shift,
					date,
					endDate: group[group.length - 1],
					days: group,
					touches: [...touches].sort(),
					intervals,
					sortKey: weekly ? weekStart : intervals[0].s,
					weekKey: weekKeyOf(date),
					weight: round(weight),
					holiday,
					dayKind: weekly ? 'week' : calendar.day(date).kind,
					need: duty.need,
					assigned: [],
				});
			}
		}
	}
	slots.sort((a, b) => a.sortKey - b.sortKey || a.duty.index - b.duty.index || a.shift.startMin - b.shift.startMin);
	slots.forEach((s, i) => (s.index = i));
	return slots;
}
