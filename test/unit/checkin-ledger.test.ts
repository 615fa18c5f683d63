import { DateTime } from 'luxon';
import { buildLedger } from '../../nodes/CheckInWatch/ledger';
import { consecutiveMisses, dueOccurrences, loadMissingHistory, statusOf } from '../../nodes/CheckInWatch/misses';
import { occurrences } from '../../nodes/CheckInWatch/occurrences';
import { readRoster } from '../../nodes/CheckInWatch/roster';
import { ZONE, calendar, daySlots, opts, roster, sub } from '../helpers/checkin-fixtures';

describe('occurrences', () => {
	it('lists the slots of school days in the look-back that have opened by the as-of time', () => {
		const occ = occurrences({ slots: daySlots, zone: ZONE, calendar, asOf: DateTime.fromISO('2026-03-10T10:00', { zone: ZONE }), lookBackDays: 3 });
		// 03-07 and 03-08 are a weekend; today's afternoon has not opened yet.
		expect(occ.map((o) => `${o.date} ${o.slot.name}`)).toEqual(['2026-03-09 Morning', '2026-03-09 Afternoon', '2026-03-10 Morning']);
		expect(occ[2]).toMatchObject({ dueDate: '2026-03-10', dueMs: Date.parse('2026-03-10T09:00:00+08:00'), closesMs: Date.parse('2026-03-10T09:30:00+08:00') });
	});

	it('names a look-back out of range', () => {
		expect(() => occurrences({ ...opts('2026-03-03T10:00'), lookBackDays: 91 })).toThrow(/look-back of 91 days is out of range/);
	});
});

describe('the ledger', () => {
	const people = readRoster(roster);

	it('places each submission in its slot, the latest wins, and keeps unknown ids and times outside slots apart', () => {
		const subs = [
			sub('T1', '2026-03-02 08:00'),
			sub('T1', '2026-03-02 08:40'),
			sub('T2', '2026-03-02 09:20'), // late, inside the grace
			sub('X9', '2026-03-02 08:00'),
			sub('T3', '2026-03-02 12:00'), // outside every slot, today
			sub('T3', '2026-02-02 12:00'), // before the look-back
		];
		const ledger = buildLedger(people, subs, opts('2026-03-02T09:40', { lookBackDays: 10 }));
		const [k] = dueOccurrences(ledger, 'latest');
		expect(ledger.occ[k].slot.name).toBe('Morning');
		expect([0, 1, 2].map((r) => statusOf(ledger, r, k))).toEqual(['on time', 'late', 'missing']);
		expect(ledger.latestRow[k * 3 + 0]).toBe(1);
		expect(ledger.superseded).toBe(1);
		expect([...ledger.unknown]).toEqual([['X9', [3]]]);
		expect(ledger.outside).toEqual([{ reporter: 2, row: 4, ms: Date.parse('2026-03-02T12:00:00+08:00') }]);
		expect(ledger.ignored).toBe(1);
	});

	it('reads history only for the reporters whose run of misses needs it', () => {
		const subs = [sub('T1', '2026-03-05 08:00'), sub('T2', '2026-03-05 08:00'), sub('T1', '2026-03-12 08:00')];
		const ledger = buildLedger(people, subs, opts('2026-03-12T09:40'));
		// Rows a week back are history: not read yet.
		expect([...ledger.historyLoaded]).toEqual([0, 0, 0]);
		const due = dueOccurrences(ledger, 'latest');
		loadMissingHistory(ledger, due);
		// T1 reported today: its history is never read. T2 and T3 missed: theirs is.
		expect([...ledger.historyLoaded]).toEqual([0, 1, 1]);
		// T2: back to its report on Thursday 03-05 morning: that afternoon, Friday, Monday to
		// Wednesday and today's morning.
		expect(consecutiveMisses(ledger, 1, due[0])).toEqual({ count: 10, capped: false });
		// T3 never reported: counted back to the first day with any submission (03-05), capped.
		expect(consecutiveMisses(ledger, 2, due[0])).toEqual({ count: 11, capped: true });
	});

	it('fails the row of a submission whose id holds half of a character, and only that row', () => {
		const subs = [sub('T1', '2026-03-02 08:00'), sub('X\uD800', '2026-03-02 08:05'), sub('T2', '2026-03-02 08:10')];
		const ledger = buildLedger(people, subs, opts('2026-03-02T09:40'));
		expect(ledger.problems).toHaveLength(1);
		expect(ledger.problems[0]).toMatchObject({ row: 1, field: '工号' });
		expect(ledger.problems[0].message).toMatch(/"X\uFFFD" holds a broken character/);
		const [k] = dueOccurrences(ledger, 'latest');
		expect([0, 1, 2].map((r) => statusOf(ledger, r, k))).toEqual(['on time', 'on time', 'missing']);
	});
});

describe('the roster', () => {
	it('fails the row of a reporter whose id holds half of a character, and only that row', () => {
		const r = readRoster([...roster, { 工号: 'T\uDC00', 姓名: '坏', 班级: 'x' }]);
		expect(r.reporters.map((x) => x.id)).toEqual(['T1', 'T2', 'T3']);
		expect(r.problems).toEqual([expect.objectContaining({ row: 3, field: '工号' })]);
	});

	it('quotes at most a short excerpt of a repeated id', () => {
		const long = `T${'1'.repeat(5000)}`;
		const r = readRoster([{ 工号: long, 姓名: 'a', 班级: 'x' }, { 工号: long, 姓名: 'b', 班级: 'x' }]);
		expect(r.problems[0].message.length).toBeLessThan(150);
		expect(r.problems[0].message).toMatch(/already on row 1/);
	});
});
