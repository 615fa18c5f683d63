/**
 * Dates as people type them into the calendar settings and tables: a date, a range, a list.
 * Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import { InputError } from './errors';

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

/** "2026-03-02", "2026-03-02T09:00:00+08:00" or "2026/3/2" to "2026-03-02". */
export function toIsoDate(value: string): string {
	const text = value.trim();
	const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?/.exec(text);
	if (!m) throw new InputError(`"${value}" is not a date`, { hint: 'Use YYYY-MM-DD' });
	const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
	if (!DateTime.fromISO(iso).isValid) throw new InputError(`"${value}" is not a valid date`);
	return iso;
}
