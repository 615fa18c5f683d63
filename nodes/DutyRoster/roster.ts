/**
 * Duty rosters on plain data: the generator (fair rotations under hard constraints), who is on
 * duty at a time, and the swap check. Pure TypeScript: no n8n import.
 *
 * Hard constraints (never broken): the role matches; nobody is assigned on a date they are
 * unavailable; nobody works overlapping shifts; the rest between two of a person's shifts is at
 * least `minRestHours`; at most `maxPerDay` daily shifts start on one date and at most the weekly
 * cap of assignments fall in one ISO week.
 * Soft goals: balanced weighted load (night and holiday shifts weigh more), each person's duties
 * spread out, preferred days honoured and undesired days avoided.
 */
import { DateTime } from 'luxon';
import { SchoolCalendar, parseDateRange, splitList, toIsoDate } from '../shared/calendar';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { DEFAULT_ZONE, checkZone, formatClock, parseClock, parseTimestamp } from '../shared/time';

// ---------------------------------------------------------------------------------------------
// Columns

export type StaffKey =
	| 'id'
	| 'name'
	| 'roles'
	| 'unavailable'
	| 'maxPerWeek'
	| 'preferredDays'
	| 'undesiredDays'
	| 'mobile'
	| 'userId';

export const STAFF_COLUMNS: Record<StaffKey, string> = {
	id: '工号, 编号, id, staffId, personId',
	name: '姓名, name, personName',
	roles: '角色, 岗位, roles, role',
	unavailable: '不可用日期, 请假, unavailable, leave, unavailableDates',
	maxPerWeek: '每周上限, maxPerWeek, weeklyCap, cap',
	preferredDays: '偏好日期, preferredDays, preferred',
	undesiredDays: '避免日期, undesiredDays, undesired',
	mobile: '手机, 手机号, mobile, phone',
	userId: '用户ID, userId, user id',
};

export type RosterKey =
	| 'kind'
	| 'date'
	| 'endDate'
	| 'duty'
	| 'role'
	| 'shift'
	| 'start'
	| 'end'
	| 'personId'
	| 'personName'
	| 'mobile'
	| 'userId'
	| 'weight'
	| 'assignmentId';

export const ROSTER_COLUMNS: Record<RosterKey, string> = {
	kind: 'kind',
	date: 'date, 日期',
	endDate: 'endDate, 结束日期',
	duty: 'duty, 值班, 岗位',
	role: 'role, 角色',
	shift: 'shift, 班次',
	start: 'start, 开始, 开始时间',
	end: 'end, 结束, 结束时间',
	personId: 'personId, 工号, 编号, id',
	personName: 'personName, name, 姓名',
	mobile: 'mobile, 手机, 手机号, phone',
	userId: 'userId, 用户ID',
	weight: 'weight, 权重',
	assignmentId: 'assignmentId',
};

function withDefaults<K extends string>(defaults: Record<K, string>, given?: Partial<Record<K, string>>) {
	const out = { ...defaults };
	for (const k of Object.keys(given ?? {}) as K[]) {
		const v = given?.[k];
		if (typeof v === 'string' && v.trim()) out[k] = v;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Inputs

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

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function roleKey(role: string): string {
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
				throw new InputError(`"${token}" is not a shift`, {
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
		if (seen.has(name)) throw new InputError(`Two shifts are named "${name}"`, { field });
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
		if (names.has(name)) throw new InputError(`Two duties are named "${name}"`, { field: `${where}.name` });
		names.add(name);
		const role = String(d.role ?? '').trim();
		if (!role) throw new InputError('The role is empty', { field: `${where}.role` });
		const need = Number(d.peoplePerShift ?? 1);
		if (!Number.isInteger(need) || need < 1 || need > 100) {
			throw new InputError(`People per shift must be a whole number from 1 to 100, not ${d.peoplePerShift}`, {
				field: `${where}.peoplePerShift`,
			});
		}
		const weight = d.weight === undefined || (d.weight as unknown) === '' ? 1 : Number(d.weight);
		if (!Number.isFinite(weight) || weight <= 0) {
			throw new InputError(`Weight must be a positive number, not ${d.weight}`, { field: `${where}.weight` });
		}
		const days = d.days ?? 'schoolDays';
		if (!['schoolDays', 'everyDay', 'daysOff'].includes(days)) {
			throw new InputError(`Days must be schoolDays, everyDay or daysOff, not "${days}"`, { field: `${where}.days` });
		}
		const cadence = d.cadence ?? 'daily';
		if (!['daily', 'weekly'].includes(cadence)) {
			throw new InputError(`Cadence must be daily or weekly, not "${cadence}"`, { field: `${where}.cadence` });
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

/** Day words (English and Chinese) to ISO weekdays; a constant table, built once. */
const WEEKDAYS: Readonly<Record<string, readonly number[]>> = Object.freeze({
	...Object.fromEntries(
		(
			[
				[1, ['mon', 'monday', '周一', '星期一', '礼拜一']],
				[2, ['tue', 'tues', 'tuesday', '周二', '星期二', '礼拜二']],
				[3, ['wed', 'wednesday', '周三', '星期三', '礼拜三']],
				[4, ['thu', 'thur', 'thurs', 'thursday', '周四', '星期四', '礼拜四']],
				[5, ['fri', 'friday', '周五', '星期五', '礼拜五']],
				[6, ['sat', 'saturday', '周六', '星期六', '礼拜六']],
				[7, ['sun', 'sunday', '周日', '周天', '星期日', '星期天', '礼拜日', '礼拜天']],
			] as Array<[number, string[]]>
		).flatMap(([n, words]) => words.map((w) => [w, [n]])),
	),
	weekend: [6, 7],
	周末: [6, 7],
	weekdays: [1, 2, 3, 4, 5],
	工作日: [1, 2, 3, 4, 5],
});

/** Weekdays and dates a person prefers or wants to avoid: "Mon, 周三, weekend, 2026-03-02..2026-03-04". */
export interface DayMatcher {
	weekdays: Set<number>;
	ranges: Array<[string, string]>;
}

export function parseDayMatcher(value: unknown, field: string): DayMatcher {
	const m: DayMatcher = { weekdays: new Set(), ranges: [] };
	for (const token of splitList(value)) {
		const w = WEEKDAYS[token.toLowerCase()];
		if (w) {
			w.forEach((d) => m.weekdays.add(d));
		} else if (/^[1-7]$/.test(token)) {
			m.weekdays.add(Number(token));
		} else {
			m.ranges.push(parseDateRange(token, field));
		}
	}
	return m;
}

function matches(m: DayMatcher, date: string, weekday: number): boolean {
	if (m.weekdays.has(weekday)) return true;
	for (const [a, b] of m.ranges) if (date >= a && date <= b) return true;
	return false;
}

export interface Person {
	/** 0-based index of the staff row. */
	row: number;
	id: string;
	name: string;
	roles: string[];
	roleKeys: Set<string>;
	unavailable: Array<[string, string]>;
	maxPerWeek?: number;
	preferred: DayMatcher;
	undesired: DayMatcher;
	mobile: string;
	userId: string;
}

export interface StaffParse {
	people: Person[];
	problems: RowProblem[];
}

/** Reads staff rows. Every non-empty row becomes a person or a problem naming the row. */
export function parseStaff(rows: Row[], columns?: Partial<Record<StaffKey, string>>): StaffParse {
	const cols = new Columns<StaffKey>(withDefaults(STAFF_COLUMNS, columns), 'staff rows');
	const people: Person[] = [];
	const problems: RowProblem[] = [];
	const sample = rows.find((r) => !isEmptyRow(r));
	if (!sample) return { people, problems };
	cols.resolve(sample, ['name', 'roles']);
	const ids = new Map<string, number>();
	rows.forEach((row, i) => {
		if (isEmptyRow(row)) return;
		try {
			const name = cols.requiredText(row, 'name', i);
			const id = cols.text(row, 'id') || name;
			const first = ids.get(id);
			if (first !== undefined) {
				throw new InputError(`Staff id "${id}" appears again (first at row ${first + 1})`, {
					row: i,
					field: cols.column('id') ?? cols.column('name'),
				});
			}
			const roles = splitList(cols.raw(row, 'roles'));
			if (roles.length === 0) {
				throw new InputError(`"${cols.column('roles')}" is empty`, { row: i, field: cols.column('roles') });
			}
			const unavailableCol = cols.column('unavailable') ?? 'unavailable';
			const unavailable = splitList(cols.raw(row, 'unavailable')).map((t) => parseDateRange(t, unavailableCol));
			let maxPerWeek: number | undefined;
			const capText = cols.text(row, 'maxPerWeek');
			if (capText) {
				maxPerWeek = Number(capText);
				if (!Number.isInteger(maxPerWeek) || maxPerWeek < 0) {
					throw new InputError(`"${capText}" is not a whole number of shifts per week`, {
						row: i,
						field: cols.column('maxPerWeek'),
					});
				}
			}
			const person: Person = {
				row: i,
				id,
				name,
				roles,
				roleKeys: new Set(roles.map(roleKey)),
				unavailable,
				maxPerWeek,
				preferred: parseDayMatcher(cols.raw(row, 'preferredDays'), cols.column('preferredDays') ?? 'preferredDays'),
				undesired: parseDayMatcher(cols.raw(row, 'undesiredDays'), cols.column('undesiredDays') ?? 'undesiredDays'),
				mobile: cols.text(row, 'mobile'),
				userId: cols.text(row, 'userId'),
			};
			ids.set(id, i);
			people.push(person);
		} catch (error) {
			const p = problemFrom(error, i);
			problems.push({ ...p, row: i });
		}
	});
	return { people, problems };
}

/** A row of a stored roster (the Generate output, one row per person per assignment). */
export interface RosterEntry {
	row: number;
	assignmentId: string;
	date: string;
	endDate: string;
	duty: string;
	role: string;
	shift: string;
	start: DateTime;
	end: DateTime;
	personId: string;
	personName: string;
	mobile: string;
	userId: string;
	weight: number;
}

export interface RosterParse {
	entries: RosterEntry[];
	problems: RowProblem[];
	/** Rows that are not assignments (kind unfilled, summary, balance): read and left aside. */
	skipped: number[];
}

/** Reads stored roster rows. Rows whose `kind` is not "assignment" are skipped, not errors. */
export function parseRoster(rows: Row[], zone: string = DEFAULT_ZONE, columns?: Partial<Record<RosterKey, string>>): RosterParse {
	const cols = new Columns<RosterKey>(withDefaults(ROSTER_COLUMNS, columns), 'roster rows');
	const entries: RosterEntry[] = [];
	const problems: RowProblem[] = [];
	const skipped: number[] = [];
	const sample = rows.find((r) => !isEmptyRow(r));
	if (!sample) return { entries, problems, skipped };
	cols.resolve(sample, ['start', 'end']);
	rows.forEach((row, i) => {
		if (isEmptyRow(row)) return;
		const kind = cols.text(row, 'kind');
		if (kind && kind !== 'assignment') {
			skipped.push(i);
			return;
		}
		try {
			const personName = cols.text(row, 'personName');
			const personId = cols.text(row, 'personId') || personName;
			if (!personId) {
				const col = cols.column('personId') ?? cols.column('personName') ?? 'personId';
				throw new InputError(`"${col}" is empty`, { row: i, field: col });
			}
			const start = timeField(cols, row, 'start', i, zone);
			const end = timeField(cols, row, 'end', i, zone);
			if (end <= start) {
				throw new InputError('The end is not after the start', { row: i, field: cols.column('end') });
			}
			const weightText = cols.text(row, 'weight');
			const weight = weightText ? Number(weightText) : 1;
			if (!Number.isFinite(weight) || weight < 0) {
				throw new InputError(`"${weightText}" is not a weight`, { row: i, field: cols.column('weight') });
			}
			const dateText = cols.text(row, 'date');
			const date = dateText ? toIsoDate(dateText) : (start.toISODate() as string);
			const endDateText = cols.text(row, 'endDate');
			const duty = cols.text(row, 'duty');
			const shift = cols.text(row, 'shift');
			entries.push({
				row: i,
				assignmentId: cols.text(row, 'assignmentId') || `${date}|${duty}|${shift}`,
				date,
				endDate: endDateText ? toIsoDate(endDateText) : date,
				duty,
				role: cols.text(row, 'role'),
				shift,
				start,
				end,
				personId,
				personName: personName || personId,
				mobile: cols.text(row, 'mobile'),
				userId: cols.text(row, 'userId'),
				weight,
			});
		} catch (error) {
			const p = problemFrom(error, i);
			problems.push({ ...p, row: i, field: p.field });
		}
	});
	return { entries, problems, skipped };
}

function timeField(cols: Columns<RosterKey>, row: Row, key: 'start' | 'end', i: number, zone: string): DateTime {
	const col = cols.column(key) ?? key;
	const raw = cols.raw(row, key);
	try {
		return parseTimestamp(raw, zone);
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { row: i, field: col });
	}
}

// ---------------------------------------------------------------------------------------------
// Slots

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

function weekKeyOf(date: string): string {
	const d = DateTime.fromISO(date);
	return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

function isHolidayKind(kind: string): boolean {
	return kind === 'weekend' || kind === 'public holiday';
}

function dayMatches(rule: DaysRule, isSchoolDay: boolean): boolean {
	if (rule === 'everyDay') return true;
	return rule === 'schoolDays' ? isSchoolDay : !isSchoolDay;
}

function round(x: number): number {
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

function dateField(value: string, field: string): string {
	try {
		return toIsoDate(String(value ?? ''));
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field, hint: 'Use YYYY-MM-DD' });
	}
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

// ---------------------------------------------------------------------------------------------
// Person state and hard constraints

type Block = 'leave' | 'overlap' | 'restNight' | 'rest' | 'restBefore' | 'dayCap' | 'weekCap';

interface State {
	person: Person;
	unavailable: Set<string>;
	carried: number;
	load: number;
	held: Array<Interval & { slot: number }>;
	dayCount: Map<string, number>;
	weekCount: Map<string, number>;
	weekCap: number;
	slots: Set<number>;
}

interface Limits {
	restMs: number;
	maxPerDay: number;
}

function blockOf(st: State, slot: Slot, lim: Limits): Block | undefined {
	for (const d of slot.touches) if (st.unavailable.has(d)) return 'leave';
	let rest: Block | undefined;
	for (const iv of slot.intervals) {
		for (const h of st.held) {
			if (iv.s < h.e && h.s < iv.e) return 'overlap';
			if (!rest && iv.s < h.e + lim.restMs && h.s < iv.e + lim.restMs) {
				rest = h.s > iv.s ? 'restBefore' : h.night ? 'restNight' : 'rest';
			}
		}
	}
	if (rest) return rest;
	if (slot.duty.cadence === 'daily' && (st.dayCount.get(slot.date) ?? 0) >= lim.maxPerDay) return 'dayCap';
	if ((st.weekCount.get(slot.weekKey) ?? 0) >= st.weekCap) return 'weekCap';
	return undefined;
}

function assign(st: State, slot: Slot): void {
	st.slots.add(slot.index);
	slot.assigned.push(st.person.row);
	for (const iv of slot.intervals) st.held.push({ ...iv, slot: slot.index });
	if (slot.duty.cadence === 'daily') st.dayCount.set(slot.date, (st.dayCount.get(slot.date) ?? 0) + 1);
	st.weekCount.set(slot.weekKey, (st.weekCount.get(slot.weekKey) ?? 0) + 1);
	st.load += slot.weight;
}

function unassign(st: State, slot: Slot): void {
	st.slots.delete(slot.index);
	slot.assigned.splice(slot.assigned.indexOf(st.person.row), 1);
	st.held = st.held.filter((h) => h.slot !== slot.index);
	if (slot.duty.cadence === 'daily') st.dayCount.set(slot.date, (st.dayCount.get(slot.date) ?? 1) - 1);
	st.weekCount.set(slot.weekKey, (st.weekCount.get(slot.weekKey) ?? 1) - 1);
	st.load -= slot.weight;
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

// ---------------------------------------------------------------------------------------------
// Generate

export interface AssignmentRow {
	kind: 'assignment';
	assignmentId: string;
	date: string;
	endDate: string;
	weekday: string;
	dayKind: string;
	duty: string;
	role: string;
	shift: string;
	cadence: Cadence;
	start: string;
	end: string;
	personId: string;
	personName: string;
	mobile: string;
	userId: string;
	seat: number;
	seats: number;
	/** Everyone on this assignment, names separated by commas. */
	people: string;
	weight: number;
	night: boolean;
	holiday: boolean;
}

export interface UnfilledRow {
	kind: 'unfilled';
	assignmentId: string;
	date: string;
	endDate: string;
	duty: string;
	role: string;
	shift: string;
	start: string;
	end: string;
	needed: number;
	filled: number;
	missing: number;
	people: string;
	reason: string;
}

export interface SummaryRow {
	kind: 'summary';
	personId: string;
	personName: string;
	roles: string;
	mobile: string;
	userId: string;
	assignments: number;
	shifts: number;
	nightShifts: number;
	holidayShifts: number;
	weightedLoad: number;
	carriedLoad: number;
	totalLoad: number;
	preferredDaysHonoured: number;
	undesiredDaysAssigned: number;
}

export interface BalanceRow {
	kind: 'balance';
	role: string;
	people: number;
	minLoad: number;
	maxLoad: number;
	spread: number;
	/** The heaviest single shift of this role: a spread at most this is the best a rotation can do. */
	maxShiftWeight: number;
}

/** An output row and the input rows it comes from (for pairedItem). */
export interface Out<T> {
	data: T;
	rows: number[];
}

export interface GenerateResult {
	assignments: Array<Out<AssignmentRow>>;
	unfilled: Array<Out<UnfilledRow>>;
	summary: Array<Out<SummaryRow>>;
	balance: Array<Out<BalanceRow>>;
	/** Staff rows that could not be used (input 0). */
	problems: RowProblem[];
	/** Earlier roster rows that could not be read (input 1). */
	earlierProblems: RowProblem[];
	/** Earlier roster rows not counted because they are on or after From (a re-run of the period). */
	earlierIgnored: number[];
}

function resolveOptions(o: RosterOptions) {
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

function makeState(p: Person, defaultWeekCap: number, from: string, to: string): State {
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
		carried: 0,
		load: 0,
		held: [],
		dayCount: new Map(),
		weekCount: new Map(),
		weekCap: cap,
		slots: new Set(),
	};
}

/**
 * Generates a roster. Deterministic: the same staff, duties, range, calendar and options give the
 * same roster. Slots that cannot be filled come out as unfilled rows with the reason in words.
 */
export function generateRoster(staffRows: Row[], dutyInputs: DutyInput[], earlierRows: Row[], options: GenerateOptions): GenerateResult {
	const o = resolveOptions(options);
	const range = checkRange(options.from, options.to);
	const duties = parseDuties(dutyInputs);
	const { people, problems } = parseStaff(staffRows, options.staffColumns);

	// Roles: a staff role no duty needs is an error naming the row (unless told to ignore).
	const needed = new Map(duties.map((d) => [d.roleKey, d.role]));
	const valid: Person[] = [];
	for (const p of people) {
		const unknown = p.roles.filter((r) => !needed.has(roleKey(r)));
		if (unknown.length && (options.unknownRoles ?? 'error') === 'error') {
			problems.push({
				row: p.row,
				field: 'roles',
				message: `Unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')}: no duty needs ${unknown.length > 1 ? 'them' : 'it'} (duties need ${[...needed.values()].map((r) => `"${r}"`).join(', ')})`,
			});
			continue;
		}
		valid.push(p);
	}
	problems.sort((a, b) => a.row - b.row);
	for (const d of duties) {
		if (!valid.some((p) => p.roleKeys.has(d.roleKey)) && problems.length === 0) {
			throw new InputError(`Duty "${d.name}" needs the role "${d.role}", which no staff row has`, {
				field: `duties[${d.index}] (${d.name}).role`,
				hint: `Roles in the staff rows: ${[...new Set(people.flatMap((p) => p.roles))].join(', ') || '(none)'}`,
			});
		}
	}

	const states = new Map<number, State>();
	for (const p of valid) states.set(p.row, makeState(p, o.maxPerWeek, range.from, range.to));

	// Fairness carry-over: earlier rows' weighted load seeds the balance. Newcomers start at the mean.
	const earlier = parseRoster(earlierRows, o.zone, options.rosterColumns);
	const earlierIgnored: number[] = [];
	const byId = new Map<string, State>();
	for (const st of states.values()) {
		byId.set(st.person.id, st);
		if (!byId.has(st.person.name)) byId.set(st.person.name, st);
	}
	const seen = new Set<State>();
	for (const e of earlier.entries) {
		if (e.date >= range.from) {
			earlierIgnored.push(e.row);
			continue;
		}
		const st = byId.get(e.personId) ?? byId.get(e.personName);
		if (!st) continue;
		st.carried += e.weight;
		seen.add(st);
	}
	if (seen.size > 0) {
		const mean = [...seen].reduce((s, st) => s + st.carried, 0) / seen.size;
		for (const st of states.values()) if (!seen.has(st)) st.carried = mean;
	}
	for (const st of states.values()) {
		st.carried = round(st.carried);
		st.load = st.carried;
	}

	const slots = buildSlots(duties, range.from, range.to, options.calendar, o);
	const lim: Limits = { restMs: o.minRestHours * HOUR_MS, maxPerDay: o.maxPerDay };

	// Role pools, and the ideal gap between one person's duties in each pool (for spreading).
	const pools = new Map<string, State[]>();
	for (const d of duties) {
		if (!pools.has(d.roleKey)) pools.set(d.roleKey, [...states.values()].filter((st) => st.person.roleKeys.has(d.roleKey)));
	}
	const seatsByRole = new Map<string, number>();
	for (const s of slots) seatsByRole.set(s.duty.roleKey, (seatsByRole.get(s.duty.roleKey) ?? 0) + s.need);
	const idealGap = new Map<string, number>();
	for (const [role, pool] of pools) {
		const seats = seatsByRole.get(role) ?? 0;
		const gap = seats > 0 ? (range.days * DAY_MS * pool.length) / seats : 7 * DAY_MS;
		idealGap.set(role, Math.min(7 * DAY_MS, gap));
	}

	const weekdayOf = new Map<string, number>();
	const weekday = (d: string) => {
		let w = weekdayOf.get(d);
		if (w === undefined) {
			w = DateTime.fromISO(d).weekday;
			weekdayOf.set(d, w);
		}
		return w;
	};
	const prefScore = (st: State, slot: Slot): number => {
		let pref = 0;
		let undes = 0;
		for (const d of slot.days) {
			if (matches(st.person.preferred, d, weekday(d))) pref = 1;
			if (matches(st.person.undesired, d, weekday(d))) undes = 1;
		}
		return 0.6 * undes - 0.3 * pref;
	};
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
		return st.load + slot.weight * (0.3 * spread + prefScore(st, slot)) + tie * 1e-6;
	};
	const fill = (slot: Slot): void => {
		const pool = pools.get(slot.duty.roleKey) ?? [];
		const cands: Array<[number, State]> = [];
		for (const st of pool) {
			if (st.slots.has(slot.index)) continue;
			if (blockOf(st, slot, lim) === undefined) cands.push([score(st, slot), st]);
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

	// 2. Balance: move a seat from a heavier person to a lighter one whenever that narrows the
	//    gap (the lighter person's load plus the seat stays below the heavier one's), until no move
	//    helps. Each move lowers the sum of squared loads, so this ends.
	const balance = (): void => {
		for (let pass = 0; pass < 60; pass++) {
			let moved = 0;
			const order = [...states.values()].filter((st) => st.slots.size > 0).sort((a, b) => b.load - a.load || a.person.row - b.person.row);
			for (const heavy of order) {
				const mySlots = [...heavy.slots].sort((a, b) => slots[b].weight - slots[a].weight || a - b);
				let done = false;
				for (const si of mySlots) {
					const slot = slots[si];
					const pool = pools.get(slot.duty.roleKey) ?? [];
					let best: State | undefined;
					let bestScore = Infinity;
					for (const light of pool) {
						if (light === heavy || light.slots.has(si)) continue;
						if (light.load + slot.weight >= heavy.load - 1e-9) continue;
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
						done = true;
						break;
					}
				}
				if (done) continue;
			}
			if (moved === 0) break;
		}
	};
	balance();

	// 3. Refill what is still open (moves may have freed someone), then repair: a person blocked
	//    from an open seat only by one of their own slots takes the open seat when someone else
	//    can take that slot (one more seat filled, no constraint broken). Then balance once more.
	let refilled = false;
	for (const slot of slots) {
		if (slot.assigned.length < slot.need) {
			const before = slot.assigned.length;
			fill(slot);
			refilled = refilled || slot.assigned.length > before;
		}
	}
	for (const open of slots) {
		if (open.assigned.length >= open.need) continue;
		for (const p of pools.get(open.duty.roleKey) ?? []) {
			if (open.assigned.length >= open.need) break;
			if (p.slots.has(open.index)) continue;
			const b = blockOf(p, open, lim);
			if (b === undefined || b === 'leave') continue;
			const rivals = [...p.slots].filter((si) => {
				const sl = slots[si];
				return sl.intervals.some((iv) => open.intervals.some((ov) => ov.s < iv.e + lim.restMs && iv.s < ov.e + lim.restMs)) ||
					sl.date === open.date || sl.weekKey === open.weekKey;
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
						refilled = true;
						break;
					}
					unassign(p, open);
				}
				assign(p, other);
			}
		}
	}
	if (refilled) balance();

	// Output.
	const iso = (ms: number) => DateTime.fromMillis(ms, { zone: o.zone }).toISO({ suppressMilliseconds: true }) as string;
	const assignments: Array<Out<AssignmentRow>> = [];
	const unfilled: Array<Out<UnfilledRow>> = [];
	for (const slot of slots) {
		const start = iso(slot.intervals[0].s);
		const end = iso(slot.intervals[slot.intervals.length - 1].e);
		const holders = slot.assigned.map((r) => states.get(r) as State);
		const names = holders.map((st) => st.person.name).join(', ');
		const weekdayName = DateTime.fromISO(slot.date).setLocale('en').toFormat('cccc');
		holders.forEach((st, seat) => {
			assignments.push({
				data: {
					kind: 'assignment',
					assignmentId: slot.key,
					date: slot.date,
					endDate: slot.endDate,
					weekday: weekdayName,
					dayKind: slot.dayKind,
					duty: slot.duty.name,
					role: slot.duty.role,
					shift: slot.shift.name,
					cadence: slot.duty.cadence,
					start,
					end,
					personId: st.person.id,
					personName: st.person.name,
					mobile: st.person.mobile,
					userId: st.person.userId,
					seat: seat + 1,
					seats: slot.need,
					people: names,
					weight: slot.weight,
					night: slot.shift.night,
					holiday: slot.holiday,
				},
				rows: [st.person.row],
			});
		});
		if (slot.assigned.length < slot.need) {
			const pool = pools.get(slot.duty.roleKey) ?? [];
			unfilled.push({
				data: {
					kind: 'unfilled',
					assignmentId: slot.key,
					date: slot.date,
					endDate: slot.endDate,
					duty: slot.duty.name,
					role: slot.duty.role,
					shift: slot.shift.name,
					start,
					end,
					needed: slot.need,
					filled: slot.assigned.length,
					missing: slot.need - slot.assigned.length,
					people: names,
					reason: unfilledReason(slot, pool, lim, o.maxPerDay),
				},
				rows: pool.map((st) => st.person.row),
			});
		}
	}

	const summary: Array<Out<SummaryRow>> = [];
	for (const st of states.values()) {
		let shifts = 0;
		let nights = 0;
		let holidays = 0;
		let pref = 0;
		let undes = 0;
		for (const si of st.slots) {
			const slot = slots[si];
			shifts += slot.intervals.length;
			if (slot.shift.night) nights += slot.intervals.length;
			for (const iv of slot.intervals) if (isHolidayKind(options.calendar.day(iv.date).kind)) holidays++;
			if (slot.days.some((d) => matches(st.person.preferred, d, weekday(d)))) pref++;
			if (slot.days.some((d) => matches(st.person.undesired, d, weekday(d)))) undes++;
		}
		summary.push({
			data: {
				kind: 'summary',
				personId: st.person.id,
				personName: st.person.name,
				roles: st.person.roles.join(', '),
				mobile: st.person.mobile,
				userId: st.person.userId,
				assignments: st.slots.size,
				shifts,
				nightShifts: nights,
				holidayShifts: holidays,
				weightedLoad: round(st.load - st.carried),
				carriedLoad: st.carried,
				totalLoad: round(st.load),
				preferredDaysHonoured: pref,
				undesiredDaysAssigned: undes,
			},
			rows: [st.person.row],
		});
	}

	const balanceRows: Array<Out<BalanceRow>> = [];
	for (const d of duties) {
		if (balanceRows.some((b) => roleKey(b.data.role) === d.roleKey)) continue;
		const pool = pools.get(d.roleKey) ?? [];
		if (pool.length === 0) continue;
		const loads = pool.map((st) => st.load - st.carried);
		const maxShift = Math.max(0, ...slots.filter((s) => s.duty.roleKey === d.roleKey).map((s) => s.weight));
		balanceRows.push({
			data: {
				kind: 'balance',
				role: d.role,
				people: pool.length,
				minLoad: round(Math.min(...loads)),
				maxLoad: round(Math.max(...loads)),
				spread: round(Math.max(...loads) - Math.min(...loads)),
				maxShiftWeight: maxShift,
			},
			rows: pool.map((st) => st.person.row),
		});
	}

	return {
		assignments,
		unfilled,
		summary,
		balance: balanceRows,
		problems,
		earlierProblems: earlier.problems,
		earlierIgnored,
	};
}

function plural(role: string, n: number): string {
	if (n === 1 || !/^[a-z][a-z ]*$/i.test(role)) return role;
	if (/(s|x|ch|sh)$/i.test(role)) return `${role}es`;
	if (/[^aeiou]y$/i.test(role)) return `${role.slice(0, -1)}ies`;
	return `${role}s`;
}

function unfilledReason(slot: Slot, pool: State[], lim: Limits, maxPerDay: number): string {
	const when = slot.duty.cadence === 'weekly' ? `Week of ${slot.date} (to ${slot.endDate})` : slot.date;
	const n = slot.assigned.length;
	const counts = new Map<Block | 'free', number>();
	for (const st of pool) {
		if (st.slots.has(slot.index)) continue;
		const b = blockOf(st, slot, lim) ?? 'free';
		counts.set(b, (counts.get(b) ?? 0) + 1);
	}
	const words: Array<[Block | 'free', string]> = [
		['leave', 'on leave or unavailable'],
		['overlap', 'already on another duty at that time'],
		['restNight', 'resting after a night shift'],
		['rest', 'resting after another shift'],
		['restBefore', 'due on another shift too soon after'],
		['dayCap', `at the cap of ${maxPerDay} shift${maxPerDay > 1 ? 's' : ''} a day`],
		['weekCap', 'at their weekly cap'],
		['free', 'free but blocked by the rest of the roster'],
	];
	const parts = words.filter(([k]) => counts.get(k)).map(([k, w]) => `${counts.get(k)} ${w}`);
	const role = slot.duty.role;
	const avail = n === 0 ? 'none is available' : `only ${n} ${n === 1 ? 'is' : 'are'} available`;
	const head = `${when} ${slot.duty.name} ${slot.shift.name} needs ${slot.need} ${plural(role, slot.need)}; ${avail}`;
	if (pool.length === 0) return `${head}: nobody has the role "${role}"`;
	return parts.length ? `${head}: ${parts.join(', ')}` : `${head}: only ${pool.length} staff have the role "${role}"`;
}

// ---------------------------------------------------------------------------------------------
// Who is on duty

export interface OnDutyQuery {
	/** A moment: people whose assignment covers it (start <= at < end). */
	at?: unknown;
	/** Or a date: people whose assignment touches that date (for "on duty tomorrow" reminders). */
	date?: string;
	duties?: string[];
	roles?: string[];
	zone?: string;
	rosterColumns?: Partial<Record<RosterKey, string>>;
}

export interface OnDutyRow {
	name: string;
	mobile: string;
	userId: string;
	personId: string;
	duty: string;
	role: string;
	shift: string;
	date: string;
	start: string;
	end: string;
	assignmentId: string;
}

export interface OnDutyResult {
	people: Array<Out<OnDutyRow>>;
	problems: RowProblem[];
	/** What was asked, in words ("Gate A at 2026-03-02 20:00"). */
	asked: string;
}

export function whoIsOnDuty(rows: Row[], q: OnDutyQuery): OnDutyResult {
	const zone = checkZone(q.zone || DEFAULT_ZONE);
	const { entries, problems } = parseRoster(rows, zone, q.rosterColumns);
	const dutySet = new Set((q.duties ?? []).map(roleKey));
	const roleSet = new Set((q.roles ?? []).map(roleKey));
	let test: (e: RosterEntry) => boolean;
	let asked: string;
	if (q.date !== undefined && String(q.date).trim()) {
		const d = dateField(String(q.date), 'date');
		const dayStart = DateTime.fromISO(d, { zone });
		const dayEnd = dayStart.plus({ days: 1 });
		test = (e) => e.start < dayEnd && e.end > dayStart;
		asked = `on ${d}`;
	} else {
		let at: DateTime;
		try {
			at = q.at === undefined || q.at === null || q.at === '' ? DateTime.now().setZone(zone) : parseTimestamp(q.at, zone);
		} catch (e) {
			throw new InputError(e instanceof Error ? e.message : String(e), { field: 'at' });
		}
		test = (e) => e.start <= at && at < e.end;
		asked = `at ${at.toFormat('yyyy-MM-dd HH:mm')}`;
	}
	const people: Array<Out<OnDutyRow>> = [];
	for (const e of entries) {
		if (dutySet.size && !dutySet.has(roleKey(e.duty))) continue;
		if (roleSet.size && !roleSet.has(roleKey(e.role))) continue;
		if (!test(e)) continue;
		people.push({
			data: {
				name: e.personName,
				mobile: e.mobile,
				userId: e.userId,
				personId: e.personId,
				duty: e.duty,
				role: e.role,
				shift: e.shift,
				date: e.date,
				start: e.start.toISO({ suppressMilliseconds: true }) as string,
				end: e.end.toISO({ suppressMilliseconds: true }) as string,
				assignmentId: e.assignmentId,
			},
			rows: [e.row],
		});
	}
	people.sort((a, b) => a.data.start.localeCompare(b.data.start) || a.data.duty.localeCompare(b.data.duty) || a.rows[0] - b.rows[0]);
	const what = [...(q.duties ?? []), ...(q.roles ?? [])].join(', ');
	return { people, problems, asked: `${what ? `${what} ` : ''}${asked}` };
}

// ---------------------------------------------------------------------------------------------
// Check swap

export interface SwapRequest {
	/** Person giving away a duty (id or name). */
	personA: string;
	/** Which of A's assignments: a date (YYYY-MM-DD) and optionally the duty and shift. */
	dateA: string;
	dutyA?: string;
	shiftA?: string;
	/** Person taking it (id or name). */
	personB: string;
	/** Optional: B's assignment that A takes in return. Empty: B simply takes A's duty. */
	dateB?: string;
	dutyB?: string;
	shiftB?: string;
}

export interface SwapResult {
	allowed: boolean;
	/** The hard constraints the swap breaks, in words; '' when none. */
	violations: string;
	violationCount: number;
	/** What could not be checked (no staff rows: roles, leave and weekly caps). */
	notChecked: string;
	swapType: 'swap' | 'hand over';
	personA: string;
	personB: string;
	assignmentA: string;
	assignmentB: string;
	/** The roster IDs of both sides and of the assignments, to update the stored rows after approval. */
	personIdA: string;
	personIdB: string;
	assignmentIdA: string;
	assignmentIdB: string;
	loadABefore: number;
	loadAAfter: number;
	loadBBefore: number;
	loadBAfter: number;
	spreadBefore: number;
	spreadAfter: number;
	/** The effect on balance, in words. */
	balanceEffect: string;
}

export function checkSwap(rosterRows: Row[], staffRows: Row[], req: SwapRequest, options: RosterOptions = {}): { result: SwapResult; rows: number[]; problems: RowProblem[]; staffProblems: RowProblem[] } {
	const o = resolveOptions(options);
	const { entries, problems } = parseRoster(rosterRows, o.zone, options.rosterColumns);
	const staff = parseStaff(staffRows, options.staffColumns);
	const findPerson = (who: string): Person | undefined => staff.people.find((p) => p.id === who) ?? staff.people.find((p) => p.name === who);
	const idOf = (who: string, field: string): string => {
		const w = String(who ?? '').trim();
		if (!w) throw new InputError('No person is given', { field });
		const p = findPerson(w);
		if (p) return p.id;
		const e = entries.find((x) => x.personId === w) ?? entries.find((x) => x.personName === w);
		if (e) return e.personId;
		throw new InputError(`"${w}" is neither in the roster nor in the staff rows`, { field });
	};
	const a = idOf(req.personA, 'personA');
	const b = idOf(req.personB, 'personB');
	if (a === b) throw new InputError('Both sides of the swap are the same person', { field: 'personB' });
	const pick = (person: string, date: string, duty: string | undefined, shift: string | undefined, side: 'A' | 'B'): RosterEntry => {
		const d = dateField(date, `date${side}`);
		const found = entries.filter(
			(e) =>
				e.personId === person &&
				(e.date === d || (e.date <= d && e.endDate >= d)) &&
				(!duty || roleKey(e.duty) === roleKey(duty)) &&
				(!shift || roleKey(e.shift) === roleKey(shift)),
		);
		if (found.length === 0) {
			throw new InputError(`${person} has no ${duty ? `"${duty}" ` : ''}duty on ${d}${shift ? ` in shift "${shift}"` : ''}`, {
				field: `date${side}`,
			});
		}
		const ids = new Set(found.map((e) => e.assignmentId));
		if (ids.size > 1) {
			throw new InputError(`${person} has ${ids.size} duties on ${d} (${found.map((e) => `${e.duty} ${e.shift}`).join('; ')}): name the duty and shift`, {
				field: `duty${side}`,
			});
		}
		return found[0];
	};
	const ea = pick(a, req.dateA, req.dutyA, req.shiftA, 'A');
	const twoWay = !!(req.dateB && String(req.dateB).trim());
	const eb = twoWay ? pick(b, String(req.dateB), req.dutyB, req.shiftB, 'B') : undefined;

	const violations: string[] = [];
	const notChecked: string[] = [];
	const restMs = o.minRestHours * HOUR_MS;
	const label = (e: RosterEntry) => `${e.duty} ${e.shift} on ${e.date}`;
	// Person `who` takes entry `take` and gives up entry `give` (if any).
	const check = (who: string, take: RosterEntry, give: RosterEntry | undefined) => {
		const p = findPerson(who);
		const name = p?.name ?? entries.find((e) => e.personId === who)?.personName ?? who;
		if (entries.some((e) => e.personId === who && e.assignmentId === take.assignmentId)) {
			violations.push(`${name} is already on ${label(take)}`);
		}
		if (p) {
			if (take.role && !p.roleKeys.has(roleKey(take.role))) {
				violations.push(`${name} does not have the role "${take.role}" that ${take.duty} needs`);
			}
			const first = take.start.toISODate() as string;
			const lastMs = take.end.toMillis() - 1;
			for (const [x, y] of p.unavailable) {
				const last = DateTime.fromMillis(lastMs, { zone: o.zone }).toISODate() as string;
				if (x <= last && y >= first) {
					violations.push(`${name} is unavailable ${x === y ? `on ${x}` : `from ${x} to ${y}`}`);
					break;
				}
			}
		}
		const mine = entries.filter((e) => e.personId === who && e.assignmentId !== give?.assignmentId && e.assignmentId !== take.assignmentId);
		for (const e of mine) {
			if (take.start < e.end && e.start < take.end) {
				violations.push(`${name} would work ${label(take)} and ${label(e)} at the same time`);
			} else {
				const gap = take.start >= e.end ? take.start.toMillis() - e.end.toMillis() : e.start.toMillis() - take.end.toMillis();
				if (gap < restMs) {
					violations.push(`${name} would rest only ${round(gap / HOUR_MS)} h between ${label(e)} and ${label(take)} (minimum ${o.minRestHours} h)`);
				}
			}
		}
		const isDaily = take.date === take.endDate;
		if (isDaily) {
			const sameDay = mine.filter((e) => e.date === take.date && e.date === e.endDate).length + 1;
			if (sameDay > o.maxPerDay) violations.push(`${name} would have ${sameDay} shifts on ${take.date} (cap ${o.maxPerDay})`);
		}
		const wk = weekKeyOf(take.date);
		const cap = p?.maxPerWeek ?? (o.maxPerWeek > 0 ? o.maxPerWeek : Infinity);
		const inWeek = new Set(mine.filter((e) => weekKeyOf(e.date) === wk).map((e) => e.assignmentId)).size + 1;
		if (inWeek > cap) violations.push(`${name} would have ${inWeek} duties in week ${wk} (cap ${cap})`);
	};
	if (staff.people.length === 0) notChecked.push('roles, leave and personal weekly caps (no staff rows given)');
	check(b, ea, eb);
	if (eb) check(a, eb, ea);

	// Balance: loads per person from the roster weights; the spread among people of the role(s).
	const loads = new Map<string, number>();
	for (const e of entries) loads.set(e.personId, (loads.get(e.personId) ?? 0) + e.weight);
	for (const p of staff.people) if (!loads.has(p.id)) loads.set(p.id, 0);
	const wa = ea.weight;
	const wb = eb?.weight ?? 0;
	const before = new Map(loads);
	const after = new Map(loads);
	after.set(a, (after.get(a) ?? 0) - wa + wb);
	after.set(b, (after.get(b) ?? 0) + wa - wb);
	const rolesInvolved = new Set([ea.role, eb?.role].filter(Boolean).map((r) => roleKey(r as string)));
	const group = new Set<string>([a, b]);
	for (const p of staff.people) if ([...p.roleKeys].some((r) => rolesInvolved.has(r))) group.add(p.id);
	for (const e of entries) if (rolesInvolved.has(roleKey(e.role))) group.add(e.personId);
	const spread = (m: Map<string, number>) => {
		const xs = [...group].map((id) => m.get(id) ?? 0);
		return round(Math.max(...xs) - Math.min(...xs));
	};
	const sb = spread(before);
	const sa = spread(after);
	const nameOf = (id: string) => findPerson(id)?.name ?? entries.find((e) => e.personId === id)?.personName ?? id;
	const roleText = [...new Set([ea.role, eb?.role].filter(Boolean))].join(' and ') || 'this duty';
	const effect =
		sa === sb
			? `The spread of weighted load among ${roleText} staff stays ${sb}`
			: `The spread of weighted load among ${roleText} staff goes from ${sb} to ${sa} (${sa > sb ? 'less' : 'more'} balanced)`;
	const rows = [...new Set(entries.filter((e) => e.assignmentId === ea.assignmentId || e.assignmentId === eb?.assignmentId).map((e) => e.row))];
	return {
		result: {
			allowed: violations.length === 0,
			violations: violations.join('; '),
			violationCount: violations.length,
			notChecked: notChecked.join('; '),
			swapType: eb ? 'swap' : 'hand over',
			personA: nameOf(a),
			personB: nameOf(b),
			assignmentA: `${ea.duty} ${ea.shift} ${ea.start.toISO({ suppressMilliseconds: true })} to ${ea.end.toISO({ suppressMilliseconds: true })}`,
			assignmentB: eb ? `${eb.duty} ${eb.shift} ${eb.start.toISO({ suppressMilliseconds: true })} to ${eb.end.toISO({ suppressMilliseconds: true })}` : '',
			personIdA: a,
			personIdB: b,
			assignmentIdA: ea.assignmentId,
			assignmentIdB: eb?.assignmentId ?? '',
			loadABefore: round(before.get(a) ?? 0),
			loadAAfter: round(after.get(a) ?? 0),
			loadBBefore: round(before.get(b) ?? 0),
			loadBAfter: round(after.get(b) ?? 0),
			spreadBefore: sb,
			spreadAfter: sa,
			balanceEffect: effect,
		},
		rows,
		problems,
		staffProblems: staff.problems,
	};
}
