import { DateTime } from 'luxon';
import { buildCalendar, escapeText, foldLine, offsetTransitions } from '../../nodes/DutyRoster/ical';
import { parseRoster } from '../../nodes/DutyRoster/roster';

const rows = [
	{ kind: 'assignment', assignmentId: '2026-03-02|Gate A|Night', date: '2026-03-02', duty: 'Gate A', role: 'guard', shift: 'Night', start: '2026-03-02T19:00:00+08:00', end: '2026-03-03T07:00:00+08:00', personId: 'G1', personName: '张三' },
	{ kind: 'assignment', assignmentId: '2026-03-02|Gate A|Night', date: '2026-03-02', duty: 'Gate A', role: 'guard', shift: 'Night', start: '2026-03-02T19:00:00+08:00', end: '2026-03-03T07:00:00+08:00', personId: 'G2', personName: '李四' },
	{ kind: 'assignment', assignmentId: '2026-03-03|Admin, main; office|Day', date: '2026-03-03', duty: 'Admin, main; office', role: 'admin', shift: 'Day', start: '2026-03-03T07:30:00+08:00', end: '2026-03-03T17:30:00+08:00', personId: 'A1', personName: 'Wang' },
];
const stamp = DateTime.fromISO('2026-02-20T10:00:00Z');

describe('iCalendar text', () => {
	it('escapes TEXT values', () => {
		expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
	});

	it('folds at 75 octets without splitting a UTF-8 character', () => {
		const line = `SUMMARY:${'值班'.repeat(40)}`;
		const folded = foldLine(line).split('\r\n');
		expect(folded.length).toBeGreaterThan(1);
		for (const l of folded) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
		expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
		expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
		expect(foldLine('SHORT:x')).toBe('SHORT:x');
	});
});

describe('buildCalendar', () => {
	const { entries } = parseRoster(rows);

	it('writes a whole-roster file: one event per assignment, TZID times, a VTIMEZONE, CRLF', () => {
		const { text, events } = buildCalendar(entries, { zone: 'Asia/Shanghai', calendarName: 'Duty Roster', stamp });
		expect(events).toBe(2);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
		const lines = text.split('\r\n');
		expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
		expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n');
		expect(text).toContain('DTSTART;TZID=Asia/Shanghai:20260302T190000\r\nDTEND;TZID=Asia/Shanghai:20260303T070000\r\n');
		expect(text).toContain('SUMMARY:Gate A Night: 张三\\, 李四\r\n');
		expect(text).toContain('SUMMARY:Admin\\, main\\; office Day: Wang\r\n');
		expect(text).toContain('DTSTAMP:20260220T100000Z\r\n');
		expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
		for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
	});

	it('gives stable UIDs, different per person and for the whole roster', () => {
		const uids = (t: string) => t.split('\r\n').filter((l) => l.startsWith('UID:'));
		const a = buildCalendar(entries, { zone: 'Asia/Shanghai', calendarName: 'R', stamp });
		const b = buildCalendar(entries, { zone: 'Asia/Shanghai', calendarName: 'R', stamp: stamp.plus({ days: 3 }) });
		expect(uids(b.text)).toEqual(uids(a.text));
		const mine = buildCalendar(entries, { zone: 'Asia/Shanghai', calendarName: 'R', personId: 'G1', stamp });
		expect(mine.events).toBe(1);
		expect(uids(mine.text)).toHaveLength(1);
		expect(uids(a.text)).not.toContain(uids(mine.text)[0]);
		expect(mine.text).toContain('SUMMARY:Gate A Night\r\n');
		expect(mine.text).toContain('DESCRIPTION:Duty: Gate A (guard)\\nShift: Night\\nWith: 李四\r\n');
	});

	it('writes daylight saving transitions for a zone that has them', () => {
		const t = offsetTransitions('Europe/Berlin', DateTime.fromISO('2026-01-01T00:00:00Z').toMillis(), DateTime.fromISO('2026-12-31T00:00:00Z').toMillis());
		expect(t.map((x) => [DateTime.fromMillis(x.at).toUTC().toISO(), x.from, x.to])).toEqual([
			['2026-03-29T01:00:00.000Z', 60, 120],
			['2026-10-25T01:00:00.000Z', 120, 60],
		]);
		const { text } = buildCalendar(entries, { zone: 'Europe/Berlin', calendarName: 'R', stamp });
		expect(text).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n');
		expect(text).toContain('BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n');
		// 19:00 in Shanghai is 12:00 in Berlin (winter time).
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260302T120000\r\n');
	});

	it('starts the VTIMEZONE with the offset, kind and name of one instant (summer: DAYLIGHT, +0200, GMT+2)', () => {
		const summer = parseRoster([{ ...rows[2], date: '2026-08-03', start: '2026-08-03T07:30:00+08:00', end: '2026-08-03T17:30:00+08:00' }]).entries;
		const { text } = buildCalendar(summer, { zone: 'Europe/Berlin', calendarName: 'R', stamp });
		const first = text.slice(text.indexOf('BEGIN:VTIMEZONE')).split('\r\n').slice(2, 8);
		expect(first).toEqual(['BEGIN:DAYLIGHT', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0200', 'TZNAME:GMT+2', 'END:DAYLIGHT']);
	});
});
