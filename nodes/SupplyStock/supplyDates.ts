/**
 * Supply Stock: dates as day numbers (days since 1970-01-01), read fast from the many date cells
 * of a count history. Pure TypeScript: no n8n import.
 */
import { toIsoDate } from '../shared/calendar';
import { InputError } from '../shared/errors';
import { excerpt } from './supplyColumns';

const MS_DAY = 86_400_000;

/** Day number (days since 1970-01-01) to YYYY-MM-DD. */
export function isoOfDay(day: number): string {
	return new Date(day * MS_DAY).toISOString().slice(0, 10);
}

/** YYYY-MM-DD to its day number. */
export function dayOfIso(iso: string): number {
	return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / MS_DAY;
}

/** toIsoDate, with a bad value quoted as a short excerpt in the error. */
export function isoDate(text: string, field?: string): string {
	try {
		return toIsoDate(text);
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		throw new InputError(message.split(`"${text}"`).join(`"${excerpt(text)}"`), { field, hint: 'Use YYYY-MM-DD' });
	}
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * "YYYY-MM-DD", alone or followed by "T" or a space (a timestamp's date part), read straight
 * from its characters; undefined for anything else (the general reader then handles it).
 */
export function fastDay(text: string): number | undefined {
	if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
	if (text.length > 10) {
		const c = text.charCodeAt(10);
		if (c !== 84 && c !== 32) return undefined;
	}
	let y = 0;
	for (let k = 0; k < 4; k++) {
		const c = text.charCodeAt(k) - 48;
		if (c < 0 || c > 9) return undefined;
		y = y * 10 + c;
	}
	const m1 = text.charCodeAt(5) - 48;
	const m2 = text.charCodeAt(6) - 48;
	const d1 = text.charCodeAt(8) - 48;
	const d2 = text.charCodeAt(9) - 48;
	if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
	const m = m1 * 10 + m2;
	const d = d1 * 10 + d2;
	if (m < 1 || m > 12 || d < 1) return undefined;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (d > (m === 2 && leap ? 29 : MONTH_DAYS[m - 1])) return undefined;
	// Days from civil (Howard Hinnant's algorithm).
	const yy = m <= 2 ? y - 1 : y;
	const era = Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/**
 * Reads dates fast: each distinct text is parsed once per call (365 days of history for 500 items
 * is 182,500 cells but only 365 texts). A timestamp's own date part is used as written; a Date
 * object gives its UTC date. Local to one execution: no state is kept between runs.
 */
export class DateReader {
	private readonly cache = new Map<string, number>();

	day(value: unknown, field: string, row: number): number {
		if (typeof value === 'string') {
			const fast = fastDay(value);
			if (fast !== undefined) return fast;
		} else if (value instanceof Date) {
			if (isNaN(value.getTime())) throw new InputError('Invalid date', { field, row });
			return Math.floor(value.getTime() / MS_DAY);
		}
		const text = value === undefined || value === null ? '' : String(value).trim();
		const hit = this.cache.get(text);
		if (hit !== undefined) return hit;
		if (!text) throw new InputError('The date is empty', { field, row });
		let iso: string;
		try {
			iso = isoDate(text);
		} catch (e) {
			throw new InputError(e instanceof Error ? e.message : String(e), {
				field,
				row,
				hint: 'Write dates as YYYY-MM-DD, for example 2026-03-02',
			});
		}
		const day = dayOfIso(iso);
		this.cache.set(text, day);
		return day;
	}
}
