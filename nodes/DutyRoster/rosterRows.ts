/**
 * Stored roster rows (the Generate output, one row per person per seat), read back for Who Is On
 * Duty, Check Swap, Export Calendar and the earlier roster of Generate. Pure TypeScript.
 */
import type { DateTime } from 'luxon';
import { InputError, excerpt, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, findColumn, isEmptyRow, type Row } from '../shared/rows';
import { DEFAULT_ZONE, parseTimestamp } from '../shared/time';
import { dateField, withDefaults } from './model';
import type { SeatFields } from './output';

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
export interface RosterEntry extends SeatFields {
	row: number;
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
	/** Summary rows of an earlier Generate: the people who were on the staff then (picked or not). */
	summaries: Array<{ row: number; personId: string }>;
}

/** Reads stored roster rows. Rows whose `kind` is not "assignment" are skipped, not errors. */
export function parseRoster(rows: Row[], zone: string = DEFAULT_ZONE, columns?: Partial<Record<RosterKey, string>>): RosterParse {
	const cols = new Columns<RosterKey>(withDefaults(ROSTER_COLUMNS, columns), 'roster rows');
	const entries: RosterEntry[] = [];
	const problems: RowProblem[] = [];
	const skipped: number[] = [];
	const summaries: Array<{ row: number; personId: string }> = [];
	const kindOf = (r: Row) => String(r.kind ?? '').trim();
	// Columns are resolved on an assignment row: summary rows have no start or end.
	// The first assignment row that has a start and an end column: a row with no usable columns
	// before it (e.g. {"": {}}) must not decide the columns, else every row would fail.
	const isAssignment = (r: Row) => !isEmptyRow(r) && (!kindOf(r) || kindOf(r) === 'assignment');
	const mapped = withDefaults(ROSTER_COLUMNS, columns);
	const assignment =
		rows.find((r) => isAssignment(r) && findColumn(r, mapped.start) !== undefined && findColumn(r, mapped.end) !== undefined) ?? rows.find(isAssignment);
	const sample = assignment ?? rows.find((r) => !isEmptyRow(r));
	if (!sample) return { entries, problems, skipped, summaries };
	cols.resolve(sample, assignment ? ['start', 'end'] : []);
	rows.forEach((row, i) => {
		if (isEmptyRow(row)) return;
		const kind = cols.text(row, 'kind');
		if (kind && kind !== 'assignment') {
			skipped.push(i);
			const personId = cols.text(row, 'personId') || cols.text(row, 'personName');
			if (kind === 'summary' && personId) summaries.push({ row: i, personId });
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
				throw new InputError(`"${excerpt(weightText)}" is not a weight`, { row: i, field: cols.column('weight') });
			}
			const dateText = cols.text(row, 'date');
			const date = dateText ? dateField(dateText, cols.column('date') ?? 'date', i) : (start.toISODate() as string);
			const endDateText = cols.text(row, 'endDate');
			const duty = cols.text(row, 'duty');
			const shift = cols.text(row, 'shift');
			entries.push({
				row: i,
				assignmentId: cols.text(row, 'assignmentId') || `${date}|${duty}|${shift}`,
				date,
				endDate: endDateText ? dateField(endDateText, cols.column('endDate') ?? 'endDate', i) : date,
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
	return { entries, problems, skipped, summaries };
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
