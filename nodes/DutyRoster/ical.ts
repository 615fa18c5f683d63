/**
 * iCalendar (RFC 5545) files of a stored roster, written here rather than with the `ics` package:
 * `ics` writes UTC or floating times only and no VTIMEZONE, while a duty at 19:00 in Shanghai must
 * stay at 19:00 in the school's zone in every calendar app. Pure TypeScript: no n8n import.
 *
 * - DTSTART/DTEND carry TZID, and a VTIMEZONE for the zone is built from the zone's own offset
 *   transitions (luxon), so zones with daylight saving time work as well as Asia/Shanghai.
 * - Lines are folded at 75 octets (never inside a UTF-8 character), text is escaped, lines end
 *   with CRLF, and UIDs are stable: the same assignment gets the same UID on every export, so a
 *   re-imported file updates events instead of duplicating them.
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { stableHash } from './constraints';
import type { RosterEntry } from './rosterRows';

export interface CalendarOptions {
	zone: string;
	calendarName: string;
	/** When set, the file is this person's (by id); otherwise the whole roster. */
	personId?: string;
	/** DTSTAMP: when the file is made (a parameter so that tests are exact). */
	stamp: DateTime;
}

/** Escapes a TEXT value (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

function octets(codePoint: number): number {
	if (codePoint < 0x80) return 1;
	if (codePoint < 0x800) return 2;
	if (codePoint < 0x10000) return 3;
	return 4;
}

/** Folds a content line at 75 octets; continuation lines start with one space (RFC 5545 3.1). */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let current = '';
	let size = 0;
	let limit = 75;
	for (const ch of line) {
		const n = octets(ch.codePointAt(0) as number);
		if (size + n > limit) {
			parts.push(current);
			current = ' ';
			size = 1;
			limit = 75;
		}
		current += ch;
		size += n;
	}
	parts.push(current);
	return parts.join('\r\n');
}

function local(dt: DateTime): string {
	return dt.toFormat("yyyyMMdd'T'HHmmss");
}

function offsetText(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const m = Math.abs(minutes);
	return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;
}

/** The zone's offset changes between two instants (ms), found by day steps then bisection. */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): Array<{ at: number; from: number; to: number }> {
	const off = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
	const out: Array<{ at: number; from: number; to: number }> = [];
	const step = 86_400_000;
	let prev = fromMs;
	let prevOff = off(prev);
	for (let t = fromMs + step; t <= toMs + step; t += step) {
		const o = off(t);
		if (o !== prevOff) {
			let lo = prev;
			let hi = t;
			while (hi - lo > 60_000) {
				const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
				if (mid <= lo || mid >= hi) break;
				if (off(mid) === prevOff) lo = mid;
				else hi = mid;
			}
			out.push({ at: hi, from: prevOff, to: o });
			prevOff = o;
		}
		prev = t;
	}
	return out;
}

/** A VTIMEZONE covering the instants given (one year either side). */
export function vtimezone(zone: string, fromMs: number, toMs: number): string[] {
	const yearMs = 366 * 86_400_000;
	const start = fromMs - yearMs;
	const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
	const first = DateTime.fromMillis(start, { zone });
	// Kind, offset and name all come from one instant: the first component says what holds at the
	// start of the covered span (from 1970 on, until the first transition below).
	const component = (dt: DateTime, onsetLocal: string, from: number, to: number) => {
		const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD';
		lines.push(
			`BEGIN:${kind}`,
			`DTSTART:${onsetLocal}`,
			`TZOFFSETFROM:${offsetText(from)}`,
			`TZOFFSETTO:${offsetText(to)}`,
			`TZNAME:${dt.offsetNameShort ?? offsetText(to)}`,
			`END:${kind}`,
		);
	};
	component(first, '19700101T000000', first.offset, first.offset);
	for (const t of offsetTransitions(zone, start, toMs + yearMs)) {
		const dt = DateTime.fromMillis(t.at, { zone });
		component(dt, local(DateTime.fromMillis(t.at, { zone: FixedOffsetZone.instance(t.from) })), t.from, t.to);
	}
	lines.push('END:VTIMEZONE');
	return lines;
}

function uid(key: string): string {
	const a = stableHash(key).toString(16).padStart(8, '0');
	const b = stableHash(`${key}#`).toString(16).padStart(8, '0');
	return `duty-${a}${b}@n8n-nodes-campus-logistics`;
}

/**
 * The calendar file: one event per assignment (the whole roster, people named in each) or per
 * assignment of one person. Returns the text with CRLF line ends and the number of events.
 */
export function buildCalendar(entries: RosterEntry[], options: CalendarOptions): { text: string; events: number } {
	const zone = options.zone;
	const mine = options.personId === undefined ? entries : entries.filter((e) => e.personId === options.personId);
	const groups = new Map<string, RosterEntry[]>();
	for (const e of mine) {
		const g = groups.get(e.assignmentId);
		if (g) g.push(e);
		else groups.set(e.assignmentId, [e]);
	}
	const everyone = new Map<string, RosterEntry[]>();
	for (const e of entries) {
		const g = everyone.get(e.assignmentId);
		if (g) g.push(e);
		else everyone.set(e.assignmentId, [e]);
	}
	const sorted = [...groups.values()].sort((a, b) => a[0].start.toMillis() - b[0].start.toMillis() || a[0].assignmentId.localeCompare(b[0].assignmentId));
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//n8n-nodes-campus-logistics//Duty Roster//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(options.calendarName)}`,
		`X-WR-TIMEZONE:${zone}`,
	];
	if (sorted.length > 0) {
		const min = Math.min(...sorted.map((g) => g[0].start.toMillis()));
		const max = Math.max(...sorted.map((g) => g[0].end.toMillis()));
		lines.push(...vtimezone(zone, min, max));
	}
	const stamp = options.stamp.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
	for (const group of sorted) {
		const e = group[0];
		const all = everyone.get(e.assignmentId) ?? group;
		const names = all.map((x) => x.personName);
		const summary = options.personId === undefined ? `${e.duty} ${e.shift}: ${names.join(', ')}` : `${e.duty} ${e.shift}`;
		const others = names.filter((n) => n !== e.personName);
		const description = [
			`Duty: ${e.duty}${e.role ? ` (${e.role})` : ''}`,
			`Shift: ${e.shift}`,
			options.personId === undefined ? `On duty: ${names.join(', ')}` : others.length ? `With: ${others.join(', ')}` : '',
		]
			.filter(Boolean)
			.join('\n');
		lines.push(
			'BEGIN:VEVENT',
			`UID:${uid(`${e.assignmentId}|${options.personId ?? '*'}`)}`,
			`DTSTAMP:${stamp}`,
			`DTSTART;TZID=${zone}:${local(e.start.setZone(zone))}`,
			`DTEND;TZID=${zone}:${local(e.end.setZone(zone))}`,
			`SUMMARY:${escapeText(summary)}`,
			`DESCRIPTION:${escapeText(description)}`,
			`CATEGORIES:${escapeText(e.duty)}`,
			'TRANSP:OPAQUE',
			'END:VEVENT',
		);
	}
	lines.push('END:VCALENDAR');
	return { text: lines.map(foldLine).join('\r\n') + '\r\n', events: sorted.length };
}
