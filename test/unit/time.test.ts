import { DateTime, IANAZone } from 'luxon';
import { InputError } from '../../nodes/shared/errors';
import {
	NO_DAY,
	daysFromCivil,
	fastDay,
	fastIso,
	fixedOffset,
	offsetCache,
	parseClock,
	parseTimestamp,
	timestampMs,
} from '../../nodes/shared/time';

const SHANGHAI = IANAZone.create('Asia/Shanghai');
const LONDON = IANAZone.create('Europe/London');

describe('daysFromCivil and fastDay', () => {
	it('counts days from 1970-01-01 as Date does, across leap years and centuries', () => {
		for (const date of ['1970-01-01', '1969-12-31', '2000-02-29', '2024-02-29', '2026-03-02', '2100-03-01', '1900-02-28']) {
			const [y, m, d] = date.split('-').map(Number);
			expect(daysFromCivil(y, m, d)).toBe(Date.UTC(y, m - 1, d) / 86400000);
			expect(fastDay(`${date} 08:00`)).toBe(Date.UTC(y, m - 1, d) / 86400000);
		}
	});

	it('says NO_DAY for a text that does not start with YYYY-MM-DD', () => {
		for (const text of ['2026/03/02', '2026-3-2 08:00', '26-03-02', 'yesterday', '2026-13-01', '2026-00-10', '']) {
			expect(fastDay(text)).toBe(NO_DAY);
		}
	});
});

describe('fastIso', () => {
	const scratch = { wall: 0, offset: 0 };
	it('reads the shapes tables and forms store, with and without an offset', () => {
		expect(fastIso('2026-03-02 08:30', scratch)).toBe(true);
		expect(scratch).toEqual({ wall: Date.UTC(2026, 2, 2, 8, 30), offset: Number.NaN });
		expect(fastIso('2026-03-02T08:30:15.250Z', scratch)).toBe(true);
		expect(scratch).toEqual({ wall: Date.UTC(2026, 2, 2, 8, 30, 15, 250), offset: 0 });
		expect(fastIso('2026-03-02T08:30:00+08:00', scratch)).toBe(true);
		expect(scratch.offset).toBe(480);
		expect(fastIso('2026-03-02T08:30:00-0530', scratch)).toBe(true);
		expect(scratch.offset).toBe(-330);
	});

	it('leaves every other shape to luxon (false), and refuses impossible dates and times', () => {
		for (const text of [
			'2026-02-29 08:00', // not a leap year
			'2026-04-31 08:00',
			'2026-03-02 24:00',
			'2026-03-02 08:60',
			'2026-03-02 08:30:61',
			'2026-03-02T08:30:00.',
			'2026-03-02T08:30:00+8',
			'2026-03-02T08:30:00 GMT',
			'2026-03-02',
			'2026/03/02 08:30',
		]) {
			expect(fastIso(text, scratch)).toBe(false);
		}
	});
});

describe('timestampMs', () => {
	it('agrees with parseTimestamp (luxon) on random times in a zone with daylight saving and in one without', () => {
		let seed = 11;
		const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
		for (const zone of [SHANGHAI, LONDON]) {
			const offsets = offsetCache(zone, Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31));
			for (let i = 0; i < 500; i++) {
				const d = DateTime.fromObject(
					{ year: 2026, month: 1 + rand(12), day: 1 + rand(28), hour: rand(24), minute: rand(60), second: rand(60) },
					{ zone: 'UTC' },
				);
				const local = d.toFormat(rand(2) ? 'yyyy-MM-dd HH:mm:ss' : "yyyy-MM-dd'T'HH:mm");
				const withOffset = d.setZone(zone.name).toISO() as string;
				expect(timestampMs(local, zone, offsets)).toBe(parseTimestamp(local, zone.name).toMillis());
				expect(timestampMs(withOffset, zone, offsets)).toBe(parseTimestamp(withOffset, zone.name).toMillis());
			}
		}
	});

	it('falls back to parseTimestamp for other shapes and throws its error for unreadable ones', () => {
		const offsets = new Map<number, number>();
		expect(timestampMs('2026年3月2日 9:05', SHANGHAI, offsets)).toBe(Date.UTC(2026, 2, 2, 1, 5));
		expect(timestampMs(1772413500, SHANGHAI, offsets)).toBe(1772413500000);
		expect(() => timestampMs('yesterday', SHANGHAI, offsets)).toThrow(InputError);
	});

	it('keeps one offset for a zone without daylight saving, none for a range over a change', () => {
		expect(fixedOffset(offsetCache(SHANGHAI, Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31)))).toBe(480);
		expect(fixedOffset(offsetCache(LONDON, Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 30)))).toBeUndefined();
		expect(fixedOffset(offsetCache(LONDON, Date.UTC(2026, 4, 1), Date.UTC(2026, 5, 30)))).toBe(60);
	});
});

describe('errors quote a short excerpt of a bad value', () => {
	it('a 1 MB timestamp or clock time gives a short message', () => {
		const huge = `x${'9'.repeat(1_000_000)}`;
		for (const fn of [() => parseTimestamp(huge), () => parseClock(huge)]) {
			try {
				fn();
				throw new Error('no error');
			} catch (e) {
				expect(e).toBeInstanceOf(InputError);
				expect((e as Error).message.length).toBeLessThan(200);
				expect((e as Error).message).toContain('(1000001 characters)');
			}
		}
	});
});
