/**
 * The school's own calendar, kept as rows of an n8n Data Table (docs/workflows/school-calendar-table.md):
 * public holidays and make-up workdays (for a year the built-in data lacks, or to correct it),
 * vacations, exam days, and the school's own school days and days off.
 *
 * A row: `from` (a date, YYYY-MM-DD), `to` (optional, the last day of a range), `kind`, `name`
 * (optional, shown in the day's reason), `source` (optional, where the dates come from).
 * Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import { toIsoDate } from './calendarDates';
import { InputError } from './errors';

export type RowKind = 'public holiday' | 'make-up workday' | 'vacation' | 'exam day' | 'extra school day' | 'extra day off';

/** The words accepted in the `kind` column (lower case, English or Chinese). */
const KIND_WORDS: Record<string, RowKind> = {
	'public holiday': 'public holiday',
	holiday: 'public holiday',
	法定节假日: 'public holiday',
	节假日: 'public holiday',
	'make-up workday': 'make-up workday',
	'makeup workday': 'make-up workday',
	workday: 'make-up workday',
	调休上班: 'make-up workday',
	补班: 'make-up workday',
	vacation: 'vacation',
	假期: 'vacation',
	寒假: 'vacation',
	暑假: 'vacation',
	'exam day': 'exam day',
	exam: 'exam day',
	考试: 'exam day',
	'school day': 'extra school day',
	'extra school day': 'extra school day',
	上课: 'extra school day',
	'day off': 'extra day off',
	'extra day off': 'extra day off',
	停课: 'extra day off',
};

/** Column names accepted for each field (lower case). */
const COLUMNS = {
	from: ['from', 'date', '日期', '开始', '开始日期'],
	to: ['to', 'until', '结束', '结束日期'],
	kind: ['kind', 'type', '类型'],
	name: ['name', '名称', '说明'],
	source: ['source', '来源'],
} as const;

/** n8n's own columns of every Data Table, ignored when deciding whether a row is empty. */
const SYSTEM_COLUMNS = new Set(['id', 'createdat', 'updatedat']);

/** At most this many days in one row's range. */
export const MAX_ROW_DAYS = 366;

export interface CalendarEntry {
	kind: RowKind;
	name: string;
	/** 1-based row of the table. */
	row: number;
}

export interface VacationRange {
	from: string;
	to: string;
	name: string;
	row: number;
}

/**
 * The table in three layers, in the order they apply: the school's own days (exam days, school
 * days, days off) over vacations over public holidays and make-up workdays.
 */
export interface SchoolRows {
	/** Public holidays and make-up workdays by date. */
	national: Map<string, CalendarEntry>;
	vacations: VacationRange[];
	/** Exam days, extra school days and extra days off by date. */
	school: Map<string, CalendarEntry>;
	/** Years for which the table holds at least one public holiday: their national schedule is entered. */
	nationalYears: Set<number>;
}

function where(row: number, column: string): string {
	return `Calendar table row ${row}, column "${column}"`;
}

function short(value: unknown): string {
	const text = String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function readDate(value: unknown, row: number, column: string): string {
	try {
		return toIsoDate(value instanceof Date ? value.toISOString() : String(value ?? ''));
	} catch {
		throw new InputError(`${where(row, column)}: "${short(value)}" is not a date`, {
			field: 'calendarRows',
			hint: 'Write dates as 2027-01-01 in a text column',
		});
	}
}

/** Rows as an n8n expression or a JSON text gives them: an array of objects. */
export function rowList(value: unknown): Array<Record<string, unknown>> {
	let list = value;
	if (typeof list === 'string') {
		const text = list.trim();
		if (!text) return [];
		try {
			list = JSON.parse(text);
		} catch {
			throw new InputError(`The calendar table rows are not JSON: "${short(text)}"`, {
				field: 'calendarRows',
				hint: "Use an expression such as {{ $('Read school calendar').all().map(i => i.json) }}",
			});
		}
	}
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) list = [list];
	return (list as unknown[]).map((r, i) => {
		if (r && typeof r === 'object' && !Array.isArray(r)) return r as Record<string, unknown>;
		throw new InputError(`Calendar table row ${i + 1} is not a row of columns: "${short(JSON.stringify(r))}"`, {
			field: 'calendarRows',
		});
	});
}

function pick(row: Record<string, unknown>, names: readonly string[]): { column: string; value: unknown } | undefined {
	for (const key of Object.keys(row)) {
		if (names.includes(key.trim().toLowerCase())) {
			const value = row[key];
			if (value !== undefined && value !== null && String(value).trim() !== '') return { column: key, value };
		}
	}
	return undefined;
}

function a(kind: string): string {
	return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

function addDays(layer: Map<string, CalendarEntry>, from: string, to: string, entry: CalendarEntry): void {
	for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) {
		const iso = d.toISODate() as string;
		const before = layer.get(iso);
		if (before && before.kind !== entry.kind) {
			throw new InputError(
				`Calendar table row ${entry.row}: ${iso} is ${a(entry.kind)} here and ${a(before.kind)} in row ${before.row}`,
				{ field: 'calendarRows', hint: 'Give each date one kind (a vacation may cover holidays)' },
			);
		}
		layer.set(iso, entry);
	}
}

/**
 * Reads the school's calendar rows. Empty rows are skipped; a row with a bad date or kind, or a
 * date given two kinds of one layer (a public holiday and a make-up workday), is an error naming
 * the row and column.
 */
export function parseCalendarRows(value: unknown): SchoolRows {
	const out: SchoolRows = { national: new Map(), vacations: [], school: new Map(), nationalYears: new Set() };
	rowList(value).forEach((r, i) => {
		const row = i + 1;
		const filled = Object.keys(r).some((k) => !SYSTEM_COLUMNS.has(k.toLowerCase()) && String(r[k] ?? '').trim() !== '');
		if (!filled) return;
		const fromCell = pick(r, COLUMNS.from);
		if (!fromCell) throw new InputError(`Calendar table row ${row} has no date in "from"`, { field: 'calendarRows' });
		const from = readDate(fromCell.value, row, fromCell.column);
		const toCell = pick(r, COLUMNS.to);
		const to = toCell ? readDate(toCell.value, row, toCell.column) : from;
		if (to < from) {
			throw new InputError(`${where(row, toCell?.column ?? 'to')}: ${to} is before ${from}`, { field: 'calendarRows' });
		}
		const span = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1;
		if (span > MAX_ROW_DAYS) {
			throw new InputError(`Calendar table row ${row}: ${from} to ${to} is over ${MAX_ROW_DAYS} days`, { field: 'calendarRows' });
		}
		const kindCell = pick(r, COLUMNS.kind);
		const kind = kindCell ? KIND_WORDS[String(kindCell.value).trim().toLowerCase()] : undefined;
		if (!kind) {
			throw new InputError(`${where(row, kindCell?.column ?? 'kind')}: "${short(kindCell?.value ?? '')}" is not a kind of day`, {
				field: 'calendarRows',
				hint: 'Use one of: public holiday, make-up workday, vacation, exam day, school day, day off',
			});
		}
		const name = String(pick(r, COLUMNS.name)?.value ?? '').trim();
		if (kind === 'vacation') {
			out.vacations.push({ from, to, name, row });
			return;
		}
		const national = kind === 'public holiday' || kind === 'make-up workday';
		addDays(national ? out.national : out.school, from, to, { kind, name, row });
		if (kind === 'public holiday') {
			out.nationalYears.add(Number(from.slice(0, 4)));
			out.nationalYears.add(Number(to.slice(0, 4)));
		}
	});
	return out;
}
