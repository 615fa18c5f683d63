/**
 * The school calendar: is a date a school day, and why.
 *
 * China's public holidays and make-up workdays come from `chinese-days` (data through its last
 * published year). A school's own vacations and local changes override it.
 * Pure TypeScript: no n8n import.
 */
import { getDayDetail } from 'chinese-days';
import { DateTime } from 'luxon';
import { InputError } from './errors';

export type DayKind =
	| 'school day'
	| 'weekend'
	| 'public holiday'
	| 'make-up workday'
	| 'vacation'
	| 'extra school day'
	| 'extra day off';

export interface DayInfo {
	date: string;
	isSchoolDay: boolean;
	kind: DayKind;
	/** Human-readable reason, e.g. "National Day (public holiday)". */
	reason: string;
	weekday: string;
	/** False when the national holiday data does not cover this year (weekends only then). */
	holidayDataCovered: boolean;
}

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
}

/** The last year the bundled national holiday data covers. */
export const HOLIDAY_DATA_LAST_YEAR = 2026;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses "2026-07-04..2026-08-31", "2026-07-04~2026-08-31" or "2026-07-04" into [from, to]. */
export function parseDateRange(text: string, field: string): [string, string] {
	const parts = text
		.trim()
		.split(/\s*(?:\.\.|~|～|至|\s+to\s+)\s*/)
		.filter(Boolean);
	if (parts.length < 1 || parts.length > 2) {
		throw new InputError(`"${text}" is not a date or a date range`, {
			field,
			hint: 'Write a date as 2026-07-04 and a range as 2026-07-04..2026-08-31',
		});
	}
	for (const p of parts) {
		if (!ISO_DATE.test(p) || !DateTime.fromISO(p).isValid) {
			throw new InputError(`"${p}" is not a valid date (expected YYYY-MM-DD)`, {
				field,
				hint: 'Write a date as 2026-07-04 and a range as 2026-07-04..2026-08-31',
			});
		}
	}
	const from = parts[0];
	const to = parts[1] ?? parts[0];
	if (to < from) {
		throw new InputError(`The range "${text}" ends before it starts`, { field });
	}
	return [from, to];
}

/** Splits a list typed into one text field: commas, semicolons, Chinese commas or new lines. */
export function splitList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	if (value === undefined || value === null) return [];
	return String(value)
		.split(/[,;，；、\n]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

export class SchoolCalendar {
	private readonly usePublicHolidays: boolean;
	private readonly weekend: Set<number>;
	private readonly vacations: Array<[string, string]>;
	private readonly extraSchool: Set<string>;
	private readonly extraOff: Set<string>;
	private readonly cache = new Map<string, DayInfo>();

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
		this.vacations = (options.vacations ?? []).map((v) => parseDateRange(v, 'vacations'));
		this.extraSchool = new Set(
			(options.extraSchoolDays ?? []).map((d) => parseDateRange(d, 'extraSchoolDays')[0]),
		);
		this.extraOff = new Set((options.extraDaysOff ?? []).map((d) => parseDateRange(d, 'extraDaysOff')[0]));
	}

	/** Accepts an ISO date, an ISO timestamp or a luxon DateTime (its own zone's calendar date). */
	day(date: string | DateTime): DayInfo {
		const iso = typeof date === 'string' ? toIsoDate(date) : (date.toISODate() as string);
		const hit = this.cache.get(iso);
		if (hit) return hit;
		const info = this.compute(iso);
		this.cache.set(iso, info);
		return info;
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

	private compute(iso: string): DayInfo {
		const dt = DateTime.fromISO(iso);
		const weekday = dt.setLocale('en').toFormat('cccc');
		const covered = dt.year <= HOLIDAY_DATA_LAST_YEAR && dt.year >= 2004;
		const base = { date: iso, weekday, holidayDataCovered: covered || !this.usePublicHolidays };
		if (this.extraOff.has(iso)) {
			return { ...base, isSchoolDay: false, kind: 'extra day off', reason: 'Day off set by the school' };
		}
		if (this.extraSchool.has(iso)) {
			return { ...base, isSchoolDay: true, kind: 'extra school day', reason: 'School day set by the school' };
		}
		const vacation = this.vacations.find(([a, b]) => iso >= a && iso <= b);
		if (vacation) {
			return {
				...base,
				isSchoolDay: false,
				kind: 'vacation',
				reason: `School vacation ${vacation[0]} to ${vacation[1]}`,
			};
		}
		const isWeekend = this.weekend.has(dt.weekday);
		if (this.usePublicHolidays && covered) {
			const detail = getDayDetail(iso);
			const name = detail.name.split(',')[0];
			if (detail.work && isWeekend) {
				return { ...base, isSchoolDay: true, kind: 'make-up workday', reason: `Make-up workday for ${name}` };
			}
			if (!detail.work && !isWeekend) {
				return { ...base, isSchoolDay: false, kind: 'public holiday', reason: `${name} (public holiday)` };
			}
		}
		if (isWeekend) return { ...base, isSchoolDay: false, kind: 'weekend', reason: weekday };
		return { ...base, isSchoolDay: true, kind: 'school day', reason: weekday };
	}
}

/** "2026-03-02", "2026-03-02T09:00:00+08:00" or "2026/3/2" to "2026-03-02". */
export function toIsoDate(value: string): string {
	const text = value.trim();
	const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?/.exec(text);
	if (!m) throw new InputError(`"${value}" is not a date`, { hint: 'Use YYYY-MM-DD' });
	const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
	if (!DateTime.fromISO(iso).isValid) throw new InputError(`"${value}" is not a valid date`);
	return iso;
}
