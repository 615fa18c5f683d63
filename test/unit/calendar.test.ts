import { SchoolCalendar, parseDateRange, splitList } from '../../nodes/shared/calendar';
import { InputError } from '../../nodes/shared/errors';
import { checkDay, checkSlot, listDays } from '../../nodes/SchoolCalendar/schoolCalendar';

describe('SchoolCalendar', () => {
	const cal = new SchoolCalendar();

	it.each([
		['2026-01-04', true, 'make-up workday'],
		['2026-02-14', true, 'make-up workday'],
		['2026-09-20', true, 'make-up workday'],
		['2026-10-10', true, 'make-up workday'],
		['2026-10-01', false, 'public holiday'],
		['2026-11-28', false, 'weekend'],
		['2026-11-24', true, 'school day'],
	])('%s is a school day: %s (%s)', (date, isSchool, kind) => {
		const d = cal.day(date);
		expect(d.isSchoolDay).toBe(isSchool);
		expect(d.kind).toBe(kind);
	});

	it('names the holiday in the reason', () => {
		expect(cal.day('2026-10-01').reason).toBe('National Day (public holiday)');
		expect(cal.day('2026-10-10').reason).toBe('Make-up workday for National Day');
	});

	it('lets school vacations and extra days override national data', () => {
		const c = new SchoolCalendar({
			vacations: ['2026-07-04..2026-08-31'],
			extraSchoolDays: ['2026-10-01'],
			extraDaysOff: ['2026-09-20'],
		});
		expect(c.day('2026-07-10')).toMatchObject({ isSchoolDay: false, kind: 'vacation' });
		expect(c.day('2026-10-01')).toMatchObject({ isSchoolDay: true, kind: 'extra school day' });
		expect(c.day('2026-09-20')).toMatchObject({ isSchoolDay: false, kind: 'extra day off' });
	});

	it('can ignore public holidays and use other weekend days', () => {
		const c = new SchoolCalendar({ usePublicHolidays: false, weekendDays: [5, 6] });
		expect(c.day('2026-10-01').isSchoolDay).toBe(true); // Thursday
		expect(c.day('2026-10-02').isSchoolDay).toBe(false); // Friday
		expect(c.day('2026-10-04').isSchoolDay).toBe(true); // Sunday
	});

	it('warns when the year is beyond the holiday data, if told to treat such days as ordinary (issue 16)', () => {
		const beyond = `${(cal.builtInYears()?.last ?? 0) + 1}-10-01`;
		const ordinary = new SchoolCalendar({ unknownDays: 'ordinary' });
		expect(ordinary.day(beyond).holidayDataCovered).toBe(false);
		expect(checkDay(ordinary, beyond).calendarWarning).toMatch(/No holiday data for \d{4}: its days are treated as ordinary/);
		expect(checkDay(cal, '2026-10-01').calendarWarning).toBeUndefined();
		// By default such a date is an error, never a silent guess (calendar-sources.test.ts has more).
		expect(() => cal.day(beyond)).toThrow(/is beyond the holiday data/);
	});

	it('lists school days in a range', () => {
		expect(cal.schoolDaysBetween('2026-09-28', '2026-10-11')).toEqual([
			'2026-09-28',
			'2026-09-29',
			'2026-09-30',
			'2026-10-08',
			'2026-10-09',
			'2026-10-10',
		]);
	});

	it('reads date ranges and lists as people type them', () => {
		expect(parseDateRange('2026-07-04 至 2026-08-31', 'v')).toEqual(['2026-07-04', '2026-08-31']);
		expect(parseDateRange('2026-07-04~2026-08-31', 'v')).toEqual(['2026-07-04', '2026-08-31']);
		expect(parseDateRange('2026-07-04', 'v')).toEqual(['2026-07-04', '2026-07-04']);
		expect(splitList('2026-01-01，2026-01-02\n2026-01-03')).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
	});

	it('rejects bad ranges with the field named', () => {
		expect(() => new SchoolCalendar({ vacations: ['2026-08-31..2026-07-04'] })).toThrow(/ends before it starts/);
		try {
			new SchoolCalendar({ vacations: ['2026-13-01'] });
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).field).toBe('vacations');
		}
	});
});

describe('checkSlot', () => {
	const cal = new SchoolCalendar();
	const slots = [
		{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
		{ name: 'Night', opens: '22:00', due: '01:00', graceMinutes: 15 },
	];

	it('places an on-time and a late report', () => {
		expect(checkSlot(cal, slots, '2026-03-02 08:55', 'Asia/Shanghai')).toMatchObject({
			slot: 'Morning',
			slotStatus: 'on time',
			slotDate: '2026-03-02',
			minutesLate: 0,
		});
		expect(checkSlot(cal, slots, '2026-03-02 09:20', 'Asia/Shanghai')).toMatchObject({
			slotStatus: 'late',
			minutesLate: 20,
		});
		expect(checkSlot(cal, slots, '2026-03-02 09:31', 'Asia/Shanghai').slotStatus).toBe('outside any slot');
	});

	it('reads a time without a zone in the configured zone, and one with a zone as given', () => {
		expect(checkSlot(cal, slots, '2026-03-02T00:55:00Z', 'Asia/Shanghai')).toMatchObject({
			slot: 'Morning',
			slotStatus: 'on time',
		});
	});

	it('gives a slot that crosses midnight to the day it opened', () => {
		expect(checkSlot(cal, slots, '2026-03-03 00:50', 'Asia/Shanghai')).toMatchObject({
			slot: 'Night',
			slotDate: '2026-03-02',
			slotStatus: 'on time',
		});
		expect(checkSlot(cal, slots, '2026-03-03 01:10', 'Asia/Shanghai')).toMatchObject({
			slot: 'Night',
			slotStatus: 'late',
			minutesLate: 10,
		});
	});

	it('names the field of a bad timestamp or zone', () => {
		expect(() => checkSlot(cal, slots, 'yesterday', 'Asia/Shanghai')).toThrow(/not a timestamp/);
		expect(() => checkSlot(cal, slots, '2026-03-02 08:00', 'Mars/Base')).toThrow(/not a time zone/);
	});
});

describe('listDays', () => {
	const cal = new SchoolCalendar();
	it('rejects a reversed or over-long range', () => {
		expect(() => listDays(cal, '2026-03-10', '2026-03-01', false)).toThrow(/before/);
		expect(() => listDays(cal, '2026-01-01', '2027-06-01', false)).toThrow(/over a year/);
	});
	it('lists only school days when asked', () => {
		const days = listDays(cal, '2026-10-01', '2026-10-11', true).map((d) => d.date);
		expect(days).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
	});
});
