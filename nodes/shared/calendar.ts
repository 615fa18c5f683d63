/**
 * The school calendar: is a date a school day, and why.
 *
 * Three sources, in the order they apply: the school's own days (the calendar options and the
 * school's calendar table rows), school vacations, then China's public holidays and make-up
 * workdays (the table's rows for a year, else the built-in `chinese-days` data). A date whose
 * year no source covers is not guessed: asking about it throws an InputError naming the date,
 * unless the calendar is set to treat such days as ordinary, and then each answer carries a
 * warning. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import { InputError } from './errors';
import { BUILT_IN_SOURCE, builtInNationalData, dataSpan, nationalDay, type NationalData, type YearSpan } from './calendarData';
import { parseDateRange, toIsoDate } from './calendarDates';
import { parseCalendarRows, type SchoolRows } from './calendarRows';

export { parseDateRange, splitList, toIsoDate } from './calendarDates';

export type DayKind =
	| 'school day'
	| 'weekend'
	| 'public holiday'
	| 'make-up workday'
	| 'vacation'
	| 'exam day'
	| 'extra school day'
	| 'extra day off';

export interface DayInfo {
	date: string;
	isSchoolDay: boolean;
	kind: DayKind;
	/** Human-readable reason, e.g. "National Day (public holiday)". */
	reason: string;
	weekday: string;
	/** False when no holiday data covers this date (only with unknownDays "ordinary"). */
	holidayDataCovered: boolean;
	/** Set when the answer is a guess (beyond the data) or the data ends within WARN_DAYS. */
	warning?: string;
}

/** What to do with a date beyond every holiday source. */
export type UnknownDays = 'error' | 'ordinary';

export interface CalendarOptions {
	/** Use China's public holidays and make-up workdays (default true). */
	usePublicHolidays?: boolean;
	/** ISO weekdays that are weekend days (1 = Monday ... 7 = Sunday); default [6, 7]. */
	weekendDays?: number[];
	/** School vacations: ranges "2026-07-04..2026-08-31" or single dates. */
	vacations?: string[];
	/** Dates that are school days whatever else says (local make-up days). */
	extraSchoolDays?: string[];
	/** Dates that are days off whatever else says (a school's own closures). */
	extraDaysOff?: string[];
	/** The school's calendar table: rows (objects) or their JSON text (see calendarRows.ts). */
	calendarRows?: unknown;
	/** A date beyond every holiday source: an error (default) or an ordinary day with a warning. */
	unknownDays?: UnknownDays;
	/** Called once per distinct warning (beyond the data, or the data ending soon). */
	onWarning?: (message: string) => void;
	/** National data to use instead of the bundled chinese-days data (tests). */
	nationalData?: NationalData;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The data ending within this many days of a date asked about gives a warning. */
export const WARN_DAYS = 31;

/** Where the docs tell a school how to enter a year's schedule. */
export const CALENDAR_GUIDE = 'docs/workflows/school-calendar-table.md';

interface SchoolDay {
	isSchoolDay: boolean;
	kind: DayKind;
	reason: string;
}

function labelled(name: string, text: string): string {
	return name ? `${name} (${text})` : text;
}

export class SchoolCalendar {
	private readonly usePublicHolidays: boolean;
	private readonly weekend: Set<number>;
	private readonly vacations: Array<{ from: string; to: string; name: string }>;
	/** The school's own days: table rows, then the options' extra school days and days off over them. */
	private readonly school = new Map<string, SchoolDay>();
	private readonly table: SchoolRows;
	private readonly national: NationalData;
	private readonly unknownDays: UnknownDays;
	private readonly onWarning?: (message: string) => void;
	private readonly warned = new Set<string>();
	private readonly cache = new Map<string, DayInfo>();
	private span?: YearSpan | null;

	constructor(options: CalendarOptions = {}) {
		this.usePublicHolidays = options.usePublicHolidays ?? true;
		this.weekend = new Set(options.weekendDays ?? [6, 7]);
		for (const d of this.weekend) {
			if (!Number.isInteger(d) || d < 1 || d > 7) {
				throw new InputError(`Weekend day ${d} is not an ISO weekday (1 = Monday ... 7 = Sunday)`, {
					field: 'weekendDays',
				});
			}
		}
		this.unknownDays = options.unknownDays === 'ordinary' ? 'ordinary' : 'error';
		this.onWarning = options.onWarning;
		this.national = options.nationalData ?? builtInNationalData();
		this.table = parseCalendarRows(options.calendarRows);
		this.vacations = [
			...(options.vacations ?? []).map((v) => parseDateRange(v, 'vacations')).map(([from, to]) => ({ from, to, name: '' })),
			...this.table.vacations,
		];
		for (const [iso, e] of this.table.school) {
			const text = e.kind === 'exam day' ? 'exam day' : e.kind === 'extra day off' ? 'day off set by the school' : 'school day set by the school';
			this.school.set(iso, { isSchoolDay: e.kind !== 'extra day off', kind: e.kind, reason: labelled(e.name, text) });
		}
		for (const d of options.extraSchoolDays ?? []) {
			const iso = parseDateRange(d, 'extraSchoolDays')[0];
			this.school.set(iso, { isSchoolDay: true, kind: 'extra school day', reason: 'School day set by the school' });
		}
		for (const d of options.extraDaysOff ?? []) {
			const iso = parseDateRange(d, 'extraDaysOff')[0];
			this.school.set(iso, { isSchoolDay: false, kind: 'extra day off', reason: 'Day off set by the school' });
		}
	}

	/** The years the built-in national data covers (read from the data once, when first needed). */
	builtInYears(): YearSpan | null {
		if (this.span === undefined) this.span = dataSpan(this.national);
		return this.span;
	}

	/**
	 * The last date the public-holiday data covers without a gap: the built-in data's last year,
	 * extended by the years the school's table enters. Null when public holidays are not used.
	 */
	dataUntil(): string | null {
		if (!this.usePublicHolidays) return null;
		const years = this.table.nationalYears;
		let last = this.builtInYears()?.last ?? (years.size ? Math.min(...years) : undefined);
		if (last === undefined) return null;
		while (years.has(last + 1)) last++;
		return `${last}-12-31`;
	}

	/** Accepts an ISO date, an ISO timestamp or a luxon DateTime (its own zone's calendar date). */
	day(date: string | DateTime): DayInfo {
		const iso = typeof date === 'string' ? toIsoDate(date) : (date.toISODate() as string);
		const hit = this.cache.get(iso);
		if (hit) return hit;
		const info = this.compute(iso);
		if (info.warning) this.warn(info.warning);
		else delete info.warning;
		this.cache.set(iso, info);
		return info;
	}

	/** The day without reporting its warning: for looking around a date the user asked about. */
	peek(date: string): DayInfo {
		const iso = toIsoDate(date);
		return this.cache.get(iso) ?? this.compute(iso);
	}

	isSchoolDay(date: string | DateTime): boolean {
		return this.day(date).isSchoolDay;
	}

	/** School days from `from` to `to`, both included. */
	schoolDaysBetween(from: string, to: string): string[] {
		const out: string[] = [];
		let d = DateTime.fromISO(toIsoDate(from));
		const end = DateTime.fromISO(toIsoDate(to));
		while (d <= end) {
			const iso = d.toISODate() as string;
			if (this.isSchoolDay(iso)) out.push(iso);
			d = d.plus({ days: 1 });
		}
		return out;
	}

	private warn(message: string): void {
		if (this.warned.has(message)) return;
		this.warned.add(message);
		this.onWarning?.(message);
	}

	private builtInCovers(year: number): boolean {
		const span = this.builtInYears();
		return span !== null && year >= span.first && year <= span.last;
	}

	/** Whether national data (built-in or the school's table) covers the year. */
	private covered(year: number): boolean {
		return this.table.nationalYears.has(year) || this.builtInCovers(year);
	}

	/** The warning for a covered date when the data ends within WARN_DAYS of it. */
	private endingSoon(iso: string): string | undefined {
		const until = this.dataUntil();
		if (!until || iso > until) return undefined;
		const days = DateTime.fromISO(until).diff(DateTime.fromISO(iso), 'days').days;
		if (days > WARN_DAYS) return undefined;
		const next = Number(until.slice(0, 4)) + 1;
		return `The holiday data ends on ${until}, within ${WARN_DAYS} days: enter the ${next} public holidays and make-up workdays into the school calendar table (${CALENDAR_GUIDE})`;
	}

	private unknown(iso: string, year: number): string {
		const span = this.builtInYears();
		if (span && year < span.first) return `${iso} is before the holiday data (it starts with ${span.first})`;
		const last = this.dataUntil()?.slice(0, 4) ?? 'none';
		return `${iso} is beyond the holiday data (last year ${last}; built-in ${BUILT_IN_SOURCE} data ends with ${span?.last ?? 'none'}, and the school calendar table has no public holidays for ${year})`;
	}

	private compute(iso: string): DayInfo {
		const dt = DateTime.fromISO(iso);
		const weekday = WEEKDAYS[dt.weekday - 1];
		const base = { date: iso, weekday, holidayDataCovered: true };
		const own = this.school.get(iso);
		if (own) return { ...base, ...own };
		const vacation = this.vacations.find((v) => iso >= v.from && iso <= v.to);
		if (vacation) {
			return {
				...base,
				isSchoolDay: false,
				kind: 'vacation',
				reason: labelled(vacation.name, `School vacation ${vacation.from} to ${vacation.to}`),
			};
		}
		const isWeekend = this.weekend.has(dt.weekday);
		let warning: string | undefined;
		if (this.usePublicHolidays) {
			if (this.covered(dt.year)) {
				const row = this.table.national.get(iso);
				// The table's row for the date, else the built-in data where it covers the year.
				const entry = row
					? { work: row.kind === 'make-up workday', name: row.name || (row.kind === 'make-up workday' ? 'a public holiday' : 'Public holiday') }
					: this.builtInCovers(dt.year)
						? nationalDay(this.national, iso)
						: undefined;
				warning = this.endingSoon(iso);
				if (entry?.work && isWeekend) {
					return { ...base, warning, isSchoolDay: true, kind: 'make-up workday', reason: `Make-up workday for ${entry.name}` };
				}
				if (entry && !entry.work && !isWeekend) {
					return { ...base, warning, isSchoolDay: false, kind: 'public holiday', reason: `${entry.name} (public holiday)` };
				}
			} else {
				const message = this.unknown(iso, dt.year);
				if (this.unknownDays === 'error') {
					throw new InputError(message, {
						field: 'calendar',
						hint: `Enter the ${dt.year} public holidays and make-up workdays into the school calendar table (${CALENDAR_GUIDE}), or set the calendar option "Days Beyond the Holiday Data" to "Treat as Ordinary Days"`,
					});
				}
				base.holidayDataCovered = false;
				warning = `No holiday data for ${dt.year}: its days are treated as ordinary weekdays and weekends (public holidays and make-up workdays unknown)`;
			}
		}
		if (isWeekend) return { ...base, warning, isSchoolDay: false, kind: 'weekend', reason: weekday };
		return { ...base, warning, isSchoolDay: true, kind: 'school day', reason: weekday };
	}
}
