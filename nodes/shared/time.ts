/**
 * Timestamps and clock times as schools type them. A timestamp without a zone is read in the
 * configured zone. Pure TypeScript: no n8n import.
 */
import { DateTime, IANAZone } from 'luxon';
import { InputError } from './errors';

export const DEFAULT_ZONE = 'Asia/Shanghai';

export function checkZone(zone: string): string {
	if (!IANAZone.isValidZone(zone)) {
		throw new InputError(`"${zone}" is not a time zone`, {
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
		throw new InputError(`${value === '' || value == null ? 'Empty' : `"${String(value)}" is not a`} timestamp`);
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
		if (!dt.isValid) throw new InputError(`"${text}" is not a valid timestamp`);
		return dt;
	}
	const iso = DateTime.fromISO(text, { zone, setZone: false });
	if (iso.isValid) return iso.setZone(zone);
	const rfc = DateTime.fromRFC2822(text, { zone });
	if (rfc.isValid) return rfc.setZone(zone);
	const http = DateTime.fromHTTP(text, { zone });
	if (http.isValid) return http.setZone(zone);
	throw new InputError(`"${text}" is not a timestamp`, {
		hint: 'Use ISO 8601 (2026-03-02T09:05:00+08:00) or "2026-03-02 09:05"',
	});
}

/** "09:00", "9:00", "9点", "17:30" to minutes after midnight. */
export function parseClock(value: string, field = 'time'): number {
	const m = /^\s*(\d{1,2})(?:[:：点时](\d{2})?)?\s*分?\s*$/.exec(value);
	if (!m) throw new InputError(`"${value}" is not a time of day (expected HH:mm)`, { field });
	const h = Number(m[1]);
	const min = m[2] ? Number(m[2]) : 0;
	if (h > 24 || min > 59 || (h === 24 && min > 0)) {
		throw new InputError(`"${value}" is not a time of day (expected HH:mm)`, { field });
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
