/**
 * Timestamps and clock times as schools type them. A timestamp without a zone is read in the
 * configured zone. Pure TypeScript: no n8n import.
 *
 * Two ways in: parseTimestamp (luxon; every shape schools type) and timestampMs, a fast path for
 * the ISO shapes that tables and forms store, for reading tens of thousands of rows a run
 * (`npm run bench -- checkin` prints both: luxon was 100 to 650 times slower on them here).
 */
import { DateTime, IANAZone } from 'luxon';
import { InputError, excerpt } from './errors';

export const DEFAULT_ZONE = 'Asia/Shanghai';

export function checkZone(zone: string): string {
	if (!IANAZone.isValidZone(zone)) {
		throw new InputError(`"${excerpt(zone)}" is not a time zone`, {
			field: 'timezone',
			hint: 'Use an IANA zone name such as Asia/Shanghai',
		});
	}
	return zone;
}

const LOCAL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?)?秒?)?$/;

/**
 * Reads a timestamp: an ISO string (with or without offset), "2026-03-02 09:05",
 * "2026/3/2 9:05", "2026年3月2日 9:05", epoch milliseconds or seconds, or a Date.
 * Returns it in `zone`. Throws an InputError for anything else.
 */
export function parseTimestamp(value: unknown, zone: string = DEFAULT_ZONE): DateTime {
	if (value instanceof Date) {
		if (isNaN(value.getTime())) throw new InputError('Invalid date');
		return DateTime.fromJSDate(value).setZone(zone);
	}
	if (DateTime.isDateTime(value)) return (value as DateTime).setZone(zone);
	if (typeof value === 'number' && Number.isFinite(value)) {
		const ms = value < 1e11 ? value * 1000 : value;
		return DateTime.fromMillis(ms, { zone });
	}
	if (typeof value !== 'string' || !value.trim()) {
		throw new InputError(`${value === '' || value == null ? 'Empty' : `"${excerpt(value)}" is not a`} timestamp`);
	}
	const text = value.trim();
	if (/^\d{10}(\d{3})?$/.test(text)) return parseTimestamp(Number(text), zone);
	const local = LOCAL.exec(text);
	if (local) {
		const [, y, mo, d, h, mi, s] = local;
		const dt = DateTime.fromObject(
			{
				year: +y,
				month: +mo,
				day: +d,
				hour: h ? +h : 0,
				minute: mi ? +mi : 0,
				second: s ? +s : 0,
			},
			{ zone },
		);
		if (!dt.isValid) throw new InputError(`"${excerpt(text)}" is not a valid timestamp`);
		return dt;
	}
	const iso = DateTime.fromISO(text, { zone, setZone: false });
	if (iso.isValid) return iso.setZone(zone);
	const rfc = DateTime.fromRFC2822(text, { zone });
	if (rfc.isValid) return rfc.setZone(zone);
	const http = DateTime.fromHTTP(text, { zone });
	if (http.isValid) return http.setZone(zone);
	throw new InputError(`"${excerpt(text)}" is not a timestamp`, {
		hint: 'Use ISO 8601 (2026-03-02T09:05:00+08:00) or "2026-03-02 09:05"',
	});
}

/** "09:00", "9:00", "9点", "17:30" to minutes after midnight. */
export function parseClock(value: string, field = 'time'): number {
	const m = /^\s*(\d{1,2})(?:[:：点时](\d{2})?)?\s*分?\s*$/.exec(value);
	if (!m) throw new InputError(`"${excerpt(value)}" is not a time of day (expected HH:mm)`, { field });
	const h = Number(m[1]);
	const min = m[2] ? Number(m[2]) : 0;
	if (h > 24 || min > 59 || (h === 24 && min > 0)) {
		throw new InputError(`"${excerpt(value)}" is not a time of day (expected HH:mm)`, { field });
	}
	return h * 60 + min;
}

export function formatClock(minutes: number): string {
	const m = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A date (YYYY-MM-DD) plus minutes after midnight, in a zone (minutes may pass 1440). */
export function atClock(date: string, minutes: number, zone: string): DateTime {
	return DateTime.fromISO(date, { zone }).startOf('day').plus({ minutes });
}

// ---------------------------------------------------------------------------------------------
// The fast path: ISO timestamps read without luxon and without allocating

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at i, or -1. */
function two(s: string, i: number): number {
	const a = s.charCodeAt(i) - 48;
	const b = s.charCodeAt(i + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a civil date (proleptic Gregorian). */
export function daysFromCivil(y: number, m: number, d: number): number {
	y -= m <= 2 ? 1 : 0;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** What fastDay gives for a text that does not start with "YYYY-MM-DD". */
export const NO_DAY = -1e9;

/** Day number (days since 1970-01-01) of the date a "YYYY-MM-DD..." text starts with, else NO_DAY. */
export function fastDay(s: string): number {
	if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NO_DAY;
	const y = two(s, 0) * 100 + two(s, 2);
	const mo = two(s, 5);
	const d = two(s, 8);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return NO_DAY;
	return daysFromCivil(y, mo, d);
}

/** Scratch space of fastIso, reused between rows. */
export interface IsoScratch {
	/** The wall-clock time read as if it were UTC, in ms. */
	wall: number;
	/** The written offset in minutes, NaN when none is written. */
	offset: number;
}

/** Seconds and fractions after "HH:mm" from index 16: [next index, ms], or undefined when malformed. */
function secondsAt(s: string, n: number): [number, number] | undefined {
	let i = 16;
	let ms = 0;
	if (i < n && s.charCodeAt(i) === 58) {
		const sec = two(s, i + 1);
		if (sec < 0 || sec > 59) return undefined;
		ms = sec * 1000;
		i += 3;
		if (i < n && s.charCodeAt(i) === 46) {
			i++;
			let scale = 100;
			let frac = 0;
			const from = i;
			while (i < n) {
				const c = s.charCodeAt(i) - 48;
				if (c < 0 || c > 9) break;
				frac += c * scale;
				scale /= 10;
				i++;
			}
			if (i === from) return undefined;
			ms += Math.floor(frac);
		}
	}
	return [i, ms];
}

/** The offset written from index i to the end ("Z", "+08:00", "+0800"): minutes, NaN when none, undefined when malformed. */
function offsetAt(s: string, i: number, n: number): number | undefined {
	if (i >= n) return Number.NaN;
	const c = s.charCodeAt(i);
	if (c === 90 && i + 1 === n) return 0;
	if ((c === 43 || c === 45) && (n - i === 6 || n - i === 5)) {
		const oh = two(s, i + 1);
		const om = two(s, n - 2);
		if (oh < 0 || om < 0 || (n - i === 6 && s.charCodeAt(i + 3) !== 58)) return undefined;
		return (c === 45 ? -1 : 1) * (oh * 60 + om);
	}
	return undefined;
}

/**
 * "YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z|±HH:mm|±HHmm]" read without allocating into `out`.
 * False when the text has another shape (then parseTimestamp reads it).
 */
export function fastIso(s: string, out: IsoScratch): boolean {
	const n = s.length;
	if (n < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return false;
	const sep = s.charCodeAt(10);
	if (sep !== 84 && sep !== 32) return false;
	const y = two(s, 0) * 100 + two(s, 2);
	const mo = two(s, 5);
	const d = two(s, 8);
	const h = two(s, 11);
	const mi = two(s, 14);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return false;
	const monthDays = mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : MONTH_DAYS[mo - 1];
	if (d > monthDays) return false;
	const sec = secondsAt(s, n);
	if (!sec) return false;
	const offset = offsetAt(s, sec[0], n);
	if (offset === undefined) return false;
	out.offset = offset;
	out.wall = (daysFromCivil(y, mo, d) * 1440 + h * 60 + mi) * 60000 + sec[1];
	return true;
}

/** Key in an offsets cache under which a zone's single offset over a whole range is kept. */
const FIXED_OFFSET = -1e9;

/**
 * The offsets cache for one run. When the zone keeps one UTC offset on every day from `fromMs`
 * to `toMs` (no daylight-saving change, as in Asia/Shanghai), it is stored once; else the
 * offset is cached per hour as rows need it.
 */
export function offsetCache(zone: IANAZone, fromMs: number, toMs: number): Map<number, number> {
	const cache = new Map<number, number>();
	const first = zone.offset(fromMs);
	// Weekly samples: no zone keeps a daylight-saving offset for less than a week.
	for (let t = fromMs + 7 * 86400000; ; t += 7 * 86400000) {
		if (zone.offset(Math.min(t, toMs)) !== first) return cache;
		if (t >= toMs) break;
	}
	cache.set(FIXED_OFFSET, first);
	return cache;
}

/** The zone's one offset over the cache's range, in minutes, or undefined when it changes. */
export function fixedOffset(cache: Map<number, number>): number | undefined {
	return cache.get(FIXED_OFFSET);
}

/**
 * Epoch milliseconds of a timestamp. A time without a zone is read in `zone`. The common ISO
 * shapes take the fast path (no luxon, no allocation per row); everything parseTimestamp reads
 * is accepted. `offsets` (from offsetCache, or an empty Map) caches the zone's UTC offsets for
 * one run, `scratch` is reused between rows.
 */
export function timestampMs(
	value: unknown,
	zone: IANAZone,
	offsets: Map<number, number>,
	scratch: IsoScratch = { wall: 0, offset: 0 },
): number {
	if (typeof value === 'string' && fastIso(value, scratch)) {
		const wall = scratch.wall;
		if (!Number.isNaN(scratch.offset)) return wall - scratch.offset * 60000;
		const fixed = offsets.get(FIXED_OFFSET);
		if (fixed !== undefined) return wall - fixed * 60000;
		const hour = Math.floor(wall / 3600000);
		let off = offsets.get(hour);
		if (off === undefined) {
			const guess = zone.offset(wall);
			off = zone.offset(wall - guess * 60000);
			offsets.set(hour, off);
		}
		return wall - off * 60000;
	}
	return parseTimestamp(value, zone.name).toMillis();
}
