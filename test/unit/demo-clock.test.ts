import { DateTime } from 'luxon';
import { demoClock, shiftNow } from '../../scripts/demo-clock';
import { SchoolCalendar } from '../../nodes/shared/calendar';

const cal = new SchoolCalendar({ usePublicHolidays: false });
const isSchoolDay = (d: string) => cal.isSchoolDay(d);
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' });

describe('demo clock', () => {
	it('keeps the real time inside a school day reminder window', () => {
		const c = demoClock(at('2026-12-03T09:40'), isSchoolDay); // Thursday
		expect(c.offsetMinutes).toBe(0);
	});

	it('at night goes back to 09:20 the same school day', () => {
		const c = demoClock(at('2026-12-03T21:00'), isSchoolDay);
		expect(c.demoStart.toISO()).toBe(at('2026-12-03T09:20').toISO());
		expect(c.offsetMinutes).toBe(-(11 * 60 + 40));
	});

	it('early in the morning and on a Sunday goes back to the last school day', () => {
		expect(demoClock(at('2026-12-03T07:00'), isSchoolDay).demoStart.toISODate()).toBe('2026-12-02');
		expect(demoClock(at('2026-12-06T15:00'), isSchoolDay).demoStart.toISODate()).toBe('2026-12-04');
	});

	it('skips vacation days', () => {
		const vac = new SchoolCalendar({ usePublicHolidays: false, vacations: ['2026-12-01..2026-12-04'] });
		const c = demoClock(at('2026-12-04T12:00'), (d) => vac.isSchoolDay(d));
		expect(c.demoStart.toISODate()).toBe('2026-11-30');
	});

	it('shifts $now.toISO() in an expression, again and again without piling up', () => {
		const e = '={{ $now.toISO() }}';
		const once = shiftNow(e, -700);
		expect(once).toBe('={{ $now.plus({ minutes: -700 }).toISO() }}');
		expect(shiftNow(once, 30)).toBe('={{ $now.plus({ minutes: 30 }).toISO() }}');
		expect(shiftNow(once, 0)).toBe(e);
		expect(shiftNow("={{ $now.setZone('Asia/Shanghai').toISODate() }}", 5)).toBe("={{ $now.setZone('Asia/Shanghai').toISODate() }}");
	});
});
