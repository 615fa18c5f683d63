/**
 * Staff rows: who can do which duty, when they are unavailable, their weekly cap and the days
 * they prefer or avoid. Pure TypeScript: no n8n import.
 */
import { splitList } from '../shared/calendar';
import { InputError, excerpt, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { dateRangeField, roleKey, withDefaults } from './model';

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
			m.ranges.push(dateRangeField(token, field));
		}
	}
	return m;
}

export function matches(m: DayMatcher, date: string, weekday: number): boolean {
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
				throw new InputError(`Staff id "${excerpt(id)}" appears again (first at row ${first + 1})`, {
					row: i,
					field: cols.column('id') ?? cols.column('name'),
				});
			}
			const roles = splitList(cols.raw(row, 'roles'));
			if (roles.length === 0) {
				throw new InputError(`"${cols.column('roles')}" is empty`, { row: i, field: cols.column('roles') });
			}
			const unavailableCol = cols.column('unavailable') ?? 'unavailable';
			const unavailable = splitList(cols.raw(row, 'unavailable')).map((t) => dateRangeField(t, unavailableCol));
			let maxPerWeek: number | undefined;
			const capText = cols.text(row, 'maxPerWeek');
			if (capText) {
				maxPerWeek = Number(capText);
				if (!Number.isInteger(maxPerWeek) || maxPerWeek < 0) {
					throw new InputError(`"${excerpt(capText)}" is not a whole number of shifts per week`, {
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

