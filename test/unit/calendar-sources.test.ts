/**
 * The calendar past its data (issue 16): the built-in data's years read from the data, the
 * school's calendar table rows (a year's public holidays, vacations, exam days), dates beyond
 * every source (an error by default, a warning when asked), and the alert a month before the end.
 *
 * The 2027 rows below are TEST DATA, not the State Council's 2027 schedule (not published in
 * any source reachable when this was written): only 1 January is certain to be a holiday.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDayDetail } from 'chinese-days';
import { DateTime } from 'luxon';
import { SchoolCalendar, WARN_DAYS } from '../../nodes/shared/calendar';
import { builtInNationalData, dataSpan, nationalDay, type NationalData } from '../../nodes/shared/calendarData';
import { parseCalendarRows } from '../../nodes/shared/calendarRows';
import { InputError } from '../../nodes/shared/errors';
import { checkDay, checkSlot, listDays } from '../../nodes/SchoolCalendar/schoolCalendar';

/** The bundled data cut to the years up to `last`: the tests do not change when a newer release adds 2027. */
function dataUpTo(last: number): NationalData {
	const all = builtInNationalData();
	const keep = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([d]) => Number(d.slice(0, 4)) <= last));
	return { holidays: keep(all.holidays), workdays: keep(all.workdays) };
}
const upTo2026 = dataUpTo(2026);

/** A school's table for 2027 (test data, see above). */
const rows2027 = [
	{ from: '2027-01-01', kind: 'public holiday', name: "New Year's Day", source: 'test' },
	{ from: '2027-02-05', to: '2027-02-11', kind: 'public holiday', name: 'Spring Festival' },
	{ from: '2027-02-20', kind: 'make-up workday', name: 'Spring Festival' },
	{ from: '2027-01-23', to: '2027-02-21', kind: 'vacation', name: '寒假' },
	{ from: '2027-01-12', kind: 'exam day', name: '期末考试' },
	{ from: '2027-03-05', kind: 'day off', name: '校运会' },
	{ id: 7, createdAt: '2026-12-03T00:00:00.000Z', updatedAt: '2026-12-03T00:00:00.000Z' },
];

function errorOf(fn: () => unknown): InputError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(InputError);
		return e as InputError;
	}
	throw new Error('no error');
}

describe('the built-in data: its years come from the data', () => {
	const span = dataSpan(builtInNationalData());

	it('covers 2004 to at least 2026, with New Year\'s Day a holiday in every year', () => {
		expect(span?.first).toBe(2004);
		expect(span?.last).toBeGreaterThanOrEqual(2026);
		for (let y = span!.first; y <= span!.last; y++) expect(nationalDay(builtInNationalData(), `${y}-01-01`)?.work).toBe(false);
	});

	it('agrees with chinese-days\' own functions on every day of 2004 to 2026', () => {
		const data = builtInNationalData();
		let days = 0;
		const differ: string[] = [];
		for (let d = DateTime.fromISO('2004-01-01'); d.year <= 2026; d = d.plus({ days: 1 })) {
			const iso = d.toISODate() as string;
			const weekend = d.weekday >= 6;
			const lib = getDayDetail(iso);
			const ours = nationalDay(data, iso);
			const a = `${lib.work && weekend} ${!lib.work && !weekend}`;
			const b = `${!!ours?.work && weekend} ${!!ours && !ours.work && !weekend}`;
			if (a !== b) differ.push(iso);
			days++;
		}
		expect(differ).toEqual([]);
		expect(days).toBe(8401);
	});

	it('takes the last year from the data: a release with 2027 is used with no code change', () => {
		expect(dataSpan(dataUpTo(2025))).toEqual({ first: 2004, last: 2025 });
		const newer: NationalData = {
			holidays: { ...upTo2026.holidays, '2027-01-01': "New Year's Day,元旦,1" },
			workdays: { ...upTo2026.workdays },
		};
		expect(dataSpan(newer)).toEqual({ first: 2004, last: 2027 });
		const cal = new SchoolCalendar({ nationalData: newer });
		expect(cal.dataUntil()).toBe('2027-12-31');
		expect(cal.day('2027-01-01')).toMatchObject({ isSchoolDay: false, kind: 'public holiday', reason: "New Year's Day (public holiday)" });
		expect(cal.day('2027-10-08')).toMatchObject({ isSchoolDay: true, kind: 'school day' });
		// A year missing in the middle ends the run.
		expect(dataSpan({ holidays: { '2020-01-01': 'a', '2022-01-01': 'b' }, workdays: {} })).toEqual({ first: 2020, last: 2020 });
		expect(dataSpan({ holidays: {}, workdays: {} })).toBeNull();
	});
});

describe('a date beyond every source', () => {
	const cal = new SchoolCalendar({ nationalData: upTo2026 });

	it.each(['2027-01-01', '2027-02-08', '2027-10-01', '2027-06-14'])('%s is an error naming the date and what to do', (date) => {
		const e = errorOf(() => cal.day(date));
		expect(e.message).toBe(
			`${date} is beyond the holiday data (last year 2026; built-in chinese-days data ends with 2026, and the school calendar table has no public holidays for 2027)`,
		);
		expect(e.field).toBe('calendar');
		expect(e.hint).toMatch(/Enter the 2027 public holidays .* school calendar table \(docs\/workflows\/school-calendar-table\.md\)/);
		expect(e.hint).toMatch(/Treat as Ordinary Days/);
	});

	it('so is a date before the data', () => {
		expect(errorOf(() => cal.day('2003-10-01')).message).toBe('2003-10-01 is before the holiday data (it starts with 2004)');
	});

	it('every School Calendar operation stops on it: Check Day, Find Check Slot, List Days', () => {
		expect(() => checkDay(cal, '2027-01-04')).toThrow(/2027-01-04 is beyond the holiday data/);
		const slots = [{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 }];
		expect(() => checkSlot(cal, slots, '2027-01-04 08:30', 'Asia/Shanghai')).toThrow(/2027-01-04 is beyond/);
		expect(() => checkSlot(cal, slots, '2027-01-04 12:00', 'Asia/Shanghai')).toThrow(/2027-01-04 is beyond/);
		expect(() => listDays(cal, '2026-12-28', '2027-01-03', true)).toThrow(/2027-01-01 is beyond/);
		expect(() => cal.schoolDaysBetween('2026-12-30', '2027-01-02')).toThrow(/2027-01-01 is beyond/);
	});

	it('weekends, vacations and days the school set are known without national data', () => {
		const c = new SchoolCalendar({ nationalData: upTo2026, vacations: ['2027-07-03..2027-08-31'], extraDaysOff: ['2027-03-04'] });
		expect(c.day('2027-07-05')).toMatchObject({ isSchoolDay: false, kind: 'vacation' });
		expect(c.day('2027-03-04')).toMatchObject({ isSchoolDay: false, kind: 'extra day off' });
		expect(() => c.day('2027-03-05')).toThrow(/beyond/);
		// Without public holidays nothing is missing: weekends only.
		const plain = new SchoolCalendar({ nationalData: upTo2026, usePublicHolidays: false });
		expect(plain.day('2027-01-01')).toMatchObject({ isSchoolDay: true, kind: 'school day', holidayDataCovered: true });
		expect(plain.dataUntil()).toBeNull();
		expect(checkDay(plain, '2027-01-01')).toMatchObject({ calendarDataUntil: null });
		expect(checkDay(plain, '2027-01-01').calendarWarning).toBeUndefined();
	});

	it('is an ordinary day with a warning when the calendar is told so, each warning reported once', () => {
		const warnings: string[] = [];
		const c = new SchoolCalendar({ nationalData: upTo2026, unknownDays: 'ordinary', onWarning: (m) => warnings.push(m) });
		expect(c.day('2027-01-01')).toMatchObject({ isSchoolDay: true, kind: 'school day', holidayDataCovered: false });
		expect(c.day('2027-01-02')).toMatchObject({ isSchoolDay: false, kind: 'weekend' });
		expect(checkDay(c, '2027-10-01')).toMatchObject({ isSchoolDay: true, calendarDataUntil: '2026-12-31' });
		expect(checkDay(c, '2027-10-01').calendarWarning).toBe(
			'No holiday data for 2027: its days are treated as ordinary weekdays and weekends (public holidays and make-up workdays unknown)',
		);
		const days = listDays(c, '2027-01-01', '2027-01-31', false);
		expect(days).toHaveLength(31);
		expect(days.every((d) => /No holiday data for 2027/.test(d.calendarWarning ?? ''))).toBe(true);
		expect(c.schoolDaysBetween('2028-01-03', '2028-01-07')).toHaveLength(5);
		expect(warnings).toEqual([
			expect.stringMatching(/^No holiday data for 2027/),
			expect.stringMatching(/^No holiday data for 2028/),
		]);
	});
});

describe("the school's calendar table", () => {
	const cal = new SchoolCalendar({ nationalData: upTo2026, calendarRows: rows2027 });

	it('covers a year it enters public holidays for: listed days as listed, the others by weekday', () => {
		expect(cal.dataUntil()).toBe('2027-12-31');
		expect(cal.day('2027-01-01')).toMatchObject({ isSchoolDay: false, kind: 'public holiday', reason: "New Year's Day (public holiday)" });
		expect(cal.day('2027-01-04')).toMatchObject({ isSchoolDay: true, kind: 'school day' });
		expect(cal.day('2027-10-01')).toMatchObject({ isSchoolDay: true, kind: 'school day', holidayDataCovered: true });
		expect(cal.day('2027-11-29').warning).toBeUndefined();
		expect(cal.day('2027-12-31').warning).toMatch(/ends on 2027-12-31/);
		// 2028 is still beyond.
		expect(() => cal.day('2028-01-03')).toThrow(/2028-01-03 is beyond the holiday data \(last year 2027;/);
	});

	it('applies the school\'s own days over vacations over public holidays', () => {
		expect(cal.day('2027-01-12')).toMatchObject({ isSchoolDay: true, kind: 'exam day', reason: '期末考试 (exam day)' });
		// The Spring Festival falls in the winter vacation: the vacation is what the school sees.
		expect(cal.day('2027-02-08')).toMatchObject({ isSchoolDay: false, kind: 'vacation', reason: '寒假 (School vacation 2027-01-23 to 2027-02-21)' });
		expect(cal.day('2027-02-20')).toMatchObject({ isSchoolDay: false, kind: 'vacation' });
		expect(cal.day('2027-03-05')).toMatchObject({ isSchoolDay: false, kind: 'extra day off', reason: '校运会 (day off set by the school)' });
		// The node's own settings win over the table.
		const c = new SchoolCalendar({ nationalData: upTo2026, calendarRows: rows2027, extraSchoolDays: ['2027-03-05'] });
		expect(c.day('2027-03-05')).toMatchObject({ isSchoolDay: true, kind: 'extra school day' });
	});

	it('gives make-up workdays and corrects the built-in data date by date', () => {
		const c = new SchoolCalendar({
			nationalData: upTo2026,
			calendarRows: [
				{ from: '2027-01-01', kind: 'public holiday' },
				{ from: '2027-02-20', kind: 'make-up workday', name: 'Spring Festival' },
				{ from: '2026-11-27', kind: 'public holiday', name: 'Local holiday' },
			],
		});
		expect(c.day('2027-02-20')).toMatchObject({ isSchoolDay: true, kind: 'make-up workday', reason: 'Make-up workday for Spring Festival' });
		expect(c.day('2027-02-27')).toMatchObject({ isSchoolDay: false, kind: 'weekend' });
		expect(c.day('2027-01-01').reason).toBe('Public holiday (public holiday)');
		expect(c.day('2026-11-27')).toMatchObject({ isSchoolDay: false, kind: 'public holiday', reason: 'Local holiday (public holiday)' });
		// The rest of 2026 still comes from the built-in data.
		expect(c.day('2026-10-01')).toMatchObject({ kind: 'public holiday', reason: 'National Day (public holiday)' });
		expect(c.day('2026-10-10')).toMatchObject({ kind: 'make-up workday' });
	});

	it('reads rows as a Data Table gives them, as JSON text, with Chinese column names and kinds', () => {
		const asText = new SchoolCalendar({ nationalData: upTo2026, calendarRows: JSON.stringify(rows2027) });
		expect(asText.day('2027-02-05').kind).toBe('vacation');
		const zh = new SchoolCalendar({
			nationalData: upTo2026,
			calendarRows: [
				{ 日期: '2027/1/1', 类型: '法定节假日', 名称: '元旦' },
				{ 开始日期: '2027年2月20日', 类型: '调休上班', 名称: '春节' },
				{ 日期: new Date('2027-06-14T00:00:00Z'), 类型: '考试' },
				{ 日期: '', 类型: '' },
			],
		});
		expect(zh.day('2027-01-01').reason).toBe('元旦 (public holiday)');
		expect(zh.day('2027-02-20')).toMatchObject({ kind: 'make-up workday', reason: 'Make-up workday for 春节' });
		expect(zh.day('2027-06-14').kind).toBe('exam day');
		expect(new SchoolCalendar({ nationalData: upTo2026, calendarRows: '' }).dataUntil()).toBe('2026-12-31');
		expect(new SchoolCalendar({ nationalData: upTo2026, calendarRows: [] }).dataUntil()).toBe('2026-12-31');
	});

	it.each([
		[[{ from: '2027-13-01', kind: 'vacation' }], 'Calendar table row 1, column "from": "2027-13-01" is not a date'],
		[[{}, { from: '2027-01-01', kind: 'holidays!' }], 'Calendar table row 2, column "kind": "holidays!" is not a kind of day'],
		[[{ kind: 'vacation', name: 'x' }], 'Calendar table row 1 has no date in "from"'],
		[[{ from: '2027-02-01', to: '2027-01-01', kind: 'vacation' }], 'Calendar table row 1, column "to": 2027-01-01 is before 2027-02-01'],
		[[{ from: '2027-01-01', to: '2028-06-01', kind: 'vacation' }], 'Calendar table row 1: 2027-01-01 to 2028-06-01 is over 366 days'],
		[
			[{ from: '2027-02-05', to: '2027-02-11', kind: 'public holiday' }, { from: '2027-02-06', kind: 'make-up workday' }],
			'Calendar table row 2: 2027-02-06 is a make-up workday here and a public holiday in row 1',
		],
		[
			[{ from: '2027-03-05', kind: '上课' }, { from: '2027-03-01', to: '2027-03-07', kind: 'day off' }],
			'Calendar table row 2: 2027-03-05 is an extra day off here and an extra school day in row 1',
		],
		['[{"from": ', 'The calendar table rows are not JSON: "[{"from":"'],
		[['2027-01-01'], 'Calendar table row 1 is not a row of columns: ""2027-01-01""'],
	])('rejects a bad table, naming the row and column: %j', (rows, message) => {
		const e = errorOf(() => parseCalendarRows(rows));
		expect(e.message).toBe(message);
		expect(e.field).toBe('calendarRows');
		expect(() => new SchoolCalendar({ calendarRows: rows })).toThrow(InputError);
	});

	it('quotes at most a short excerpt of a bad value', () => {
		const e = errorOf(() => parseCalendarRows([{ from: '2027-01-01', kind: 'x'.repeat(100_000) }]));
		expect(e.message.length).toBeLessThan(120);
	});
});

describe('the alert a month before the data runs out', () => {
	const cal = new SchoolCalendar({ nationalData: upTo2026 });
	const expected =
		'The holiday data ends on 2026-12-31, within 31 days: enter the 2027 public holidays and make-up workdays into the school calendar table (docs/workflows/school-calendar-table.md)';

	it(`warns on the last ${WARN_DAYS + 1} days covered, not before`, () => {
		expect(WARN_DAYS).toBe(31);
		expect(checkDay(cal, '2026-11-29')).toMatchObject({ calendarDataUntil: '2026-12-31' });
		expect(checkDay(cal, '2026-11-29').calendarWarning).toBeUndefined();
		expect(checkDay(cal, '2026-11-30').calendarWarning).toBe(expected);
		expect(checkDay(cal, '2026-12-03')).toMatchObject({ isSchoolDay: true, calendarDataUntil: '2026-12-31', calendarWarning: expected });
		expect(checkDay(cal, '2026-12-31').calendarWarning).toBe(expected);
		const slots = [{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 }];
		expect(checkSlot(cal, slots, '2026-12-03 08:30', 'Asia/Shanghai').calendarWarning).toBe(expected);
		expect(checkSlot(cal, slots, '2026-03-03 08:30', 'Asia/Shanghai').calendarWarning).toBeUndefined();
	});

	it('reports the warning once to the node (an execution hint), however many days are asked', () => {
		const warnings: string[] = [];
		const c = new SchoolCalendar({ nationalData: upTo2026, onWarning: (m) => warnings.push(m) });
		c.schoolDaysBetween('2026-11-01', '2026-12-31');
		expect(warnings).toEqual([expected]);
	});

	it('stops once the school enters the next year', () => {
		const c = new SchoolCalendar({ nationalData: upTo2026, calendarRows: rows2027 });
		expect(checkDay(c, '2026-12-03')).toMatchObject({ calendarDataUntil: '2027-12-31' });
		expect(checkDay(c, '2026-12-03').calendarWarning).toBeUndefined();
		expect(checkDay(c, '2027-12-01').calendarWarning).toMatch(/ends on 2027-12-31, within 31 days: enter the 2028 public holidays/);
	});
});

describe('the five-minute guide: a year typed from the State Council notice into the table', () => {
	/** workflows/data/school-calendar-example-2026.csv, read as the Data Table's Import CSV reads it. */
	function exampleRows(): Array<Record<string, string>> {
		const text = readFileSync(join(__dirname, '..', '..', 'workflows', 'data', 'school-calendar-example-2026.csv'), 'utf8');
		const [header, ...lines] = text.trim().split('\n');
		const cols = header.split(',');
		return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
	}

	it('the 2026 example, on data without 2026, gives the built-in answer for every day of 2026', () => {
		const rows = exampleRows();
		expect(rows).toHaveLength(13);
		const typed = new SchoolCalendar({ nationalData: dataUpTo(2025), calendarRows: rows });
		const builtIn = new SchoolCalendar({ nationalData: upTo2026 });
		expect(typed.dataUntil()).toBe('2026-12-31');
		const differ: string[] = [];
		for (let d = DateTime.fromISO('2026-01-01'); d.year === 2026; d = d.plus({ days: 1 })) {
			const iso = d.toISODate() as string;
			const [a, b] = [typed.day(iso), builtIn.day(iso)];
			if (a.isSchoolDay !== b.isSchoolDay || a.kind !== b.kind) differ.push(`${iso}: ${a.kind} / ${b.kind}`);
		}
		expect(differ).toEqual([]);
		expect(typed.day('2026-10-01').reason).toBe('National Day 国庆节 (public holiday)');
	});
});

describe('Check Day names the previous school day (what Campus 02 reads back to for misses in a row)', () => {
	const cal = new SchoolCalendar({});
	it('a Monday goes back over the weekend, a day after the National Day holiday over the holiday', () => {
		expect(checkDay(cal, '2026-11-23').previousSchoolDay).toBe('2026-11-20');
		expect(checkDay(cal, '2026-11-24').previousSchoolDay).toBe('2026-11-23');
		// 2026-10-01..07 off, 2026-10-08 the first day back (2026-09-30 the last before)
		expect(checkDay(cal, '2026-10-08').previousSchoolDay).toBe('2026-09-30');
	});
	it('a make-up Saturday counts as a school day, and nothing within 31 days gives null', () => {
		const c = new SchoolCalendar({ vacations: ['2026-07-04..2026-08-31'] });
		expect(checkDay(c, '2026-09-01').previousSchoolDay).toBeNull();
		expect(checkDay(cal, '2026-10-12').previousSchoolDay).toBe('2026-10-10');
	});
});
