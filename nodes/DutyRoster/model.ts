/**
 * The roster model: duties and their shifts, the rules (options) and the date range, read and
 * checked from what the node was given. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import type { SchoolCalendar } from '../shared/calendar';
import { parseDateRange, toIsoDate } from '../shared/calendar';
import { InputError, excerpt } from '../shared/errors';
import { DEFAULT_ZONE, checkZone, formatClock, parseClock } from '../shared/time';
import type { RosterKey } from './rosterRows';
import type { StaffKey } from './people';

export function withDefaults<K extends string>(defaults: Record<K, string>, given?: Partial<Record<K, string>>) {
	const out = { ...defaults };
	for (const k of Object.keys(given ?? {}) as K[]) {
		const v = given?.[k];
		if (typeof v === 'string' && v.trim()) out[k] = v;
	}
	return out;
}
export type DaysRule = 'schoolDays' | 'everyDay' | 'daysOff';
export type Cadence = 'daily' | 'weekly';

/** One duty as typed in the node (fixedCollection or JSON). */
export interface DutyInput {
	name: string;
	role: string;
	peoplePerShift?: number;
	/** "Day 07:00-19:00, Night 19:00-07:00" or a list of {name, start, end}. */
	shifts: string | Array<{ name?: string; start: string; end: string }>;
	days?: DaysRule;
	cadence?: Cadence;
	/** Base weight of one shift of this duty (default 1). */
	weight?: number;
}

export interface Shift {
	name: string;
	startMin: number;
	/** Minutes after the shift date's midnight; over 1440 when it crosses midnight. */
	endMin: number;
	night: boolean;
}

export interface Duty {
	index: number;
	name: string;
	role: string;
	roleKey: string;
	need: number;
	shifts: Shift[];
	days: DaysRule;
	cadence: Cadence;
	weight: number;
}

export interface RosterOptions {
	zone?: string;
	/** Minimum hours between the end of one shift and the start of the next (default 8). */
	minRestHours?: number;
	/** Daily shifts that may start on one date per person (default 1). */
	maxPerDay?: number;
	/** Assignments per ISO week per person when the staff row sets none (default: no cap). */
	maxPerWeek?: number;
	/** Weight factor of a night shift (default 1.5). */
	nightWeight?: number;
	/** Weight factor of a shift on a weekend or public holiday (default 1.5). */
	holidayWeight?: number;
	staffColumns?: Partial<Record<StaffKey, string>>;
	rosterColumns?: Partial<Record<RosterKey, string>>;
}

export interface GenerateOptions extends RosterOptions {
	from: string;
	to: string;
	calendar: SchoolCalendar;
	/** 'error' (default): a staff role no duty needs is an error naming the row. */
	unknownRoles?: 'error' | 'ignore';
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function roleKey(role: string): string {
	return role.trim().toLowerCase().replace(/\s+/g, ' ');
}

const SHIFT_RE = /^(.*?)\s*(\d{1,2}(?:[:：]\d{2})?)\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2}(?:[:：]\d{2})?)$/;

/** "Day 07:00-19:00, Night 19:00-07:00" to shifts. A shift ending at or before its start ends the next day. */
export function parseShifts(value: DutyInput['shifts'], field: string): Shift[] {
	const list: Array<{ name?: string; start: string; end: string }> = [];
	if (Array.isArray(value)) {
		list.push(...value);
	} else {
		for (const token of String(value ?? '').split(/[,;，；\n]+/).map((s) => s.trim()).filter(Boolean)) {
			const m = SHIFT_RE.exec(token);
			if (!m) {
				throw new InputError(`"${excerpt(token)}" is not a shift`, {
					field,
					hint: 'Write shifts as "Day 07:00-19:00, Night 19:00-07:00"',
				});
			}
			list.push({ name: m[1].replace(/[:：]$/, '').trim(), start: m[2], end: m[3] });
		}
	}
	if (list.length === 0) {
		throw new InputError('No shift is set', { field, hint: 'For example "Day 07:00-19:00, Night 19:00-07:00"' });
	}
	const seen = new Set<string>();
	return list.map((s) => {
		const startMin = parseClock(String(s.start), field);
		let endMin = parseClock(String(s.end), field);
		if (endMin <= startMin) endMin += 1440;
		const name = (s.name ?? '').trim() || `${formatClock(startMin)}-${formatClock(endMin)}`;
		if (seen.has(name)) throw new InputError(`Two shifts are named "${excerpt(name)}"`, { field });
		seen.add(name);
		// Night: it crosses midnight or starts between 00:00 and 05:00.
		const night = endMin > 1440 || startMin < 300;
		return { name, startMin, endMin, night };
	});
}

export function parseDuties(inputs: DutyInput[]): Duty[] {
	if (!inputs || inputs.length === 0) {
		throw new InputError('No duty is set', { field: 'duties', hint: 'Add at least one duty' });
	}
	const names = new Set<string>();
	return inputs.map((d, i) => {
		const name = String(d.name ?? '').trim() || `Duty ${i + 1}`;
		const where = `duties[${i}] (${name})`;
		if (names.has(name)) throw new InputError(`Two duties are named "${excerpt(name)}"`, { field: `${where}.name` });
		names.add(name);
		const role = String(d.role ?? '').trim();
		if (!role) throw new InputError('The role is empty', { field: `${where}.role` });
		const need = Number(d.peoplePerShift ?? 1);
		if (!Number.isInteger(need) || need < 1 || need > 100) {
			throw new InputError(`People per shift must be a whole number from 1 to 100, not ${excerpt(d.peoplePerShift)}`, {
				field: `${where}.peoplePerShift`,
			});
		}
		const weight = d.weight === undefined || (d.weight as unknown) === '' ? 1 : Number(d.weight);
		if (!Number.isFinite(weight) || weight <= 0) {
			throw new InputError(`Weight must be a positive number, not ${excerpt(d.weight)}`, { field: `${where}.weight` });
		}
		const days = d.days ?? 'schoolDays';
		if (!['schoolDays', 'everyDay', 'daysOff'].includes(days)) {
			throw new InputError(`Days must be schoolDays, everyDay or daysOff, not "${excerpt(days)}"`, { field: `${where}.days` });
		}
		const cadence = d.cadence ?? 'daily';
		if (!['daily', 'weekly'].includes(cadence)) {
			throw new InputError(`Cadence must be daily or weekly, not "${excerpt(cadence)}"`, { field: `${where}.cadence` });
		}
		return {
			index: i,
			name,
			role,
			roleKey: roleKey(role),
			need,
			shifts: parseShifts(d.shifts, `${where}.shifts`),
			days,
			cadence,
			weight,
		};
	});
}

export function round(x: number): number {
	return Math.round(x * 1000) / 1000;
}

/** Checks and reads the date range: reversed or over a year is an error. */
export function checkRange(from: string, to: string): { from: string; to: string; days: number } {
	const a = dateField(from, 'from');
	const b = dateField(to, 'to');
	if (b < a) {
		throw new InputError(`The date range is reversed: "To" (${b}) is before "From" (${a})`, { field: 'to' });
	}
	const days = Math.round(DateTime.fromISO(b).diff(DateTime.fromISO(a), 'days').days) + 1;
	if (days > 366) {
		throw new InputError(`The range ${a} to ${b} is ${days} days, over a year`, {
			field: 'to',
			hint: 'Generate at most 366 days at a time, for example one term',
		});
	}
	return { from: a, to: b, days };
}

/** A date parameter or cell as YYYY-MM-DD; else an error naming the field (and row) that quotes a short excerpt. */
export function dateField(value: unknown, field: string, row?: number): string {
	const text = String(value ?? '');
	try {
		return toIsoDate(text);
	} catch (e) {
		const what = e instanceof Error && e.message.endsWith('is not a valid date') ? 'is not a valid date' : 'is not a date';
		throw new InputError(`"${excerpt(text)}" ${what}`, { row, field, hint: 'Use YYYY-MM-DD' });
	}
}

/** A date or a date range ("2026-07-04..2026-08-31"); else the error names the field and quotes a short excerpt. */
export function dateRangeField(text: string, field: string): [string, string] {
	try {
		return parseDateRange(text, field);
	} catch (e) {
		if (!(e instanceof InputError)) throw e;
		// The message starts with the bad value in quotes: keep the message, cut the value.
		const message = e.message.replace(/^"([\s\S]*)" (is not a (?:valid )?date[\s\S]*)$/, (_m, value: string, rest: string) => `"${excerpt(value)}" ${rest}`);
		throw new InputError(message, { field, hint: e.hint });
	}
}

export function resolveOptions(o: RosterOptions) {
	const zone = checkZone(o.zone || DEFAULT_ZONE);
	const minRestHours = o.minRestHours ?? 8;
	if (!Number.isFinite(minRestHours) || minRestHours < 0 || minRestHours > 72) {
		throw new InputError(`Minimum rest of ${o.minRestHours} hours is out of range (0 to 72)`, { field: 'minRestHours' });
	}
	const maxPerDay = o.maxPerDay ?? 1;
	if (!Number.isInteger(maxPerDay) || maxPerDay < 1) {
		throw new InputError(`Shifts per day must be a whole number of at least 1, not ${o.maxPerDay}`, { field: 'maxPerDay' });
	}
	const maxPerWeek = o.maxPerWeek ?? 0;
	if (!Number.isInteger(maxPerWeek) || maxPerWeek < 0) {
		throw new InputError(`Shifts per week must be a whole number (0 for no cap), not ${o.maxPerWeek}`, { field: 'maxPerWeek' });
	}
	const nightWeight = o.nightWeight ?? 1.5;
	const holidayWeight = o.holidayWeight ?? 1.5;
	for (const [v, f] of [
		[nightWeight, 'nightWeight'],
		[holidayWeight, 'holidayWeight'],
	] as Array<[number, string]>) {
		if (!Number.isFinite(v) || v <= 0) throw new InputError(`${f} must be a positive number, not ${v}`, { field: f });
	}
	return { zone, minRestHours, maxPerDay, maxPerWeek, nightWeight, holidayWeight };
}
