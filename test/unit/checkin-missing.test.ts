import { DateTime } from 'luxon';
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { InputError } from '../../nodes/shared/errors';
import { matchSlot, parseSlots, windowOf } from '../../nodes/shared/slots';
import { parseTimestamp } from '../../nodes/shared/time';
import { findMissing } from '../../nodes/CheckInWatch/missing';
import { dailySummary } from '../../nodes/CheckInWatch/summary';
import { ZONE, calendar, daySlots, kinds, missingIds, opts, roster, sub } from '../helpers/checkin-fixtures';

describe('Find Missing', () => {
	it('lists a missing report; a submission inside the grace is late, not missing', () => {
		const subs = [sub('T1', '2026-03-02 08:30'), sub('T2', '2026-03-02 09:20')];
		const { records, problems } = findMissing(roster, subs, opts('2026-03-02T09:40'));
		expect(problems).toEqual([]);
		expect(missingIds(records)).toEqual(['T3']);
		const m = records[0];
		expect(m.data).toMatchObject({
			kind: 'missing report',
			reporterName: '王五',
			group: '二年级2班',
			slot: 'Morning',
			date: '2026-03-02',
			status: 'missing',
			graceOpen: false,
			minutesOverdue: 40,
			consecutiveMisses: 1,
			level: 1,
			recipientName: '王五',
			recipientMobile: '13900000003',
			targetGroup: '二年级2班',
			mentionMobiles: ['13900000003'],
			dedupeKey: 'T3|2026-03-02|Morning|L1',
		});
		expect(m.sources).toEqual([{ input: 0, item: 2 }]);
	});

	it('reports a report still within the make-up grace as overdue with its make-up time', () => {
		const { records } = findMissing(roster, [sub('T1', '2026-03-02 08:30')], opts('2026-03-02T09:10'));
		expect(missingIds(records)).toEqual(['T2', 'T3']);
		expect(records[0].data).toMatchObject({
			status: 'overdue',
			graceOpen: true,
			makeUpUntil: '2026-03-02T09:30:00+08:00',
			dueAt: '2026-03-02T09:00:00+08:00',
		});
	});

	it('expects nothing before the first slot is due', () => {
		expect(findMissing(roster, [], opts('2026-03-02T08:59')).records).toEqual([]);
	});

	it('counts duplicate submissions once; the latest wins', () => {
		const subs = [
			sub('T1', '2026-03-02 08:00'),
			sub('T1', '2026-03-02 08:40'),
			sub('T1', '2026-03-02 08:20'),
			sub('T2', '2026-03-02 08:30'),
			sub('T2', '2026-03-02 09:15'),
			sub('T3', '2026-03-02 08:10'),
		];
		const found = findMissing(roster, subs, opts('2026-03-02T09:40'));
		expect(found.records).toEqual([]);
		expect(found.stats.superseded).toBe(3);
		const [g1] = dailySummary(roster, subs, { ...opts('2026-03-02T09:40'), includeTotal: false }).records;
		expect(g1.data).toMatchObject({ group: '一年级1班', expected: 2, submitted: 2, late: 1, onTime: 1, missing: 0 });
	});

	it('reports submissions from an unknown reporter on their own', () => {
		const subs = [sub('T1', '2026-03-02 08:30'), sub('X9', '2026-03-02 08:31'), sub('X9', '2026-03-02 08:35')];
		const { records } = findMissing(
			roster,
			subs,
			opts('2026-03-02T09:40', {
				admins: [{ name: '赵主任', mobile: '13700000000', userId: 'zhao' }],
				adminGroup: '后勤管理群',
			}),
		);
		const [u] = kinds(records, 'unknown reporter');
		expect(u.data).toMatchObject({
			reporterId: 'X9',
			submissionCount: 2,
			level: 3,
			targetGroup: '后勤管理群',
			mentionMobiles: ['13700000000'],
			mentionUserIds: ['zhao'],
			dedupeKey: 'unknown|X9|2026-03-02',
		});
		expect(u.sources).toEqual([
			{ input: 1, item: 1 },
			{ input: 1, item: 2 },
		]);
	});

	it('names a missing mapped column', () => {
		const noId = roster.map((r) => ({ 姓名: r.姓名, 班级: r.班级 }));
		expect(() => findMissing(noId, [], opts('2026-03-02T09:40'))).toThrow(/no column "工号" or "学号"/);
		try {
			findMissing(roster, [{ 工号: 'T1', when: '2026-03-02 08:00' }], opts('2026-03-02T09:40'));
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).field).toBe('提交时间');
			expect((e as InputError).message).toMatch(/The submissions have no column "提交时间"/);
		}
	});

	it('uses mapped column names (English schools)', () => {
		const en = [{ staffNo: 'A1', fullName: 'Amy', dept: 'Maths' }];
		const { records } = findMissing(
			en,
			[{ staffNo: 'A1', at: '2026-03-02 08:00' }],
			opts('2026-03-02T17:40', { submissionColumns: { reporterId: 'staffNo', timestamp: 'at', name: 'name', group: 'group', temperature: 'temperature', symptoms: 'symptoms' } }),
			{ id: 'staffNo', name: 'fullName', group: 'dept', mobile: 'mobile', userId: 'userId', leaderName: 'leader', leaderMobile: 'leaderMobile', leaderUserId: 'leaderUserId' },
		);
		expect(records.map((r) => [r.data.reporterName, r.data.slot])).toEqual([['Amy', 'Afternoon']]);
	});

	it('reads a timestamp without a zone in the configured zone', () => {
		const subs = [
			sub('T1', '2026-03-02 08:30'), // 08:30 in Shanghai: on time
			sub('T2', '2026-03-02T00:30:00Z'), // 08:30 in Shanghai: on time
			sub('T3', '2026-03-02T08:30:00Z'), // 16:30 in Shanghai: not the morning
		];
		expect(missingIds(findMissing(roster, subs, opts('2026-03-02T09:40')).records)).toEqual(['T3']);
		// The same local text read in another zone is another instant.
		const london = findMissing(roster, [sub('T1', '2026-03-02 08:30')], {
			...opts('2026-03-02T09:40'),
			zone: 'Europe/London',
			asOf: DateTime.fromISO('2026-03-02T09:40', { zone: 'Europe/London' }),
		});
		expect(missingIds(london.records)).toEqual(['T2', 'T3']);
	});

	it('follows a daylight-saving change in the configured zone', () => {
		// Europe/London moves to BST on 2026-03-29; the calendar here is weekends only.
		const plain = new SchoolCalendar({ usePublicHolidays: false });
		const london = (asOf: string) => ({
			...opts(asOf),
			zone: 'Europe/London',
			calendar: plain,
			asOf: DateTime.fromISO(asOf, { zone: 'Europe/London' }),
		});
		const subs = [
			sub('T1', '2026-03-27 08:30'),
			sub('T1', '2026-03-30 08:30'),
			sub('T2', '2026-03-30T07:30:00Z'), // 08:30 BST
			sub('T3', '2026-03-30T08:31:00Z'), // 09:31 BST: after the grace
		];
		const { records } = findMissing(roster, subs, london('2026-03-30T09:40'));
		const byId = Object.fromEntries(kinds(records, 'missing report').map((r) => [r.data.reporterId, r.data]));
		expect(Object.keys(byId)).toEqual(['T3']);
		// Counted back to 03-27, the first day with a report: Friday's two slots and Monday morning.
		expect(byId.T3).toMatchObject({ dueAt: '2026-03-30T09:00:00+01:00', consecutiveMisses: 3 });
	});

	it('gives a slot that crosses midnight to the day it opens', () => {
		const night = parseSlots([{ name: 'Night', opens: '22:00', due: '01:00', graceMinutes: 15 }]);
		const subs = [sub('T1', '2026-03-03 00:50'), sub('T2', '2026-03-03 01:10')];
		const { records } = findMissing(roster, subs, { ...opts('2026-03-03T01:30'), slots: night });
		expect(missingIds(records)).toEqual(['T3']);
		expect(records[0].data).toMatchObject({
			slot: 'Night',
			date: '2026-03-02',
			dueAt: '2026-03-03T01:00:00+08:00',
			minutesOverdue: 30,
			dedupeKey: 'T3|2026-03-02|Night|L1',
		});
		// Late (inside the grace) counts as submitted in the summary of the day the slot opened.
		const sum = dailySummary(roster, subs, {
			...opts('2026-03-02T23:59'),
			asOf: DateTime.fromISO('2026-03-03T01:30', { zone: ZONE }),
			slots: night,
		});
		expect(sum.records).toEqual([]); // the summary covers slots of the as-of date (03-03), none due yet
	});

	it('expects reports on a make-up workday and none on a public holiday or weekend', () => {
		expect(missingIds(findMissing(roster, [], opts('2026-10-10T09:40')).records)).toEqual(['T1', 'T2', 'T3']);
		expect(findMissing(roster, [], opts('2026-10-03T09:40')).records).toEqual([]);
		expect(findMissing(roster, [], opts('2026-11-28T09:40')).records).toEqual([]);
		const school = new SchoolCalendar({ extraDaysOff: ['2026-03-02'] });
		expect(findMissing(roster, [], { ...opts('2026-03-02T09:40'), calendar: school }).records).toEqual([]);
	});

	describe('misses in a row and escalation', () => {
		// School days around National Day 2026: 09-29, 09-30, then 10-08 (10-01..10-07 are off).
		const history = [
			sub('T1', '2026-09-29 08:00'),
			sub('T1', '2026-09-29 16:00'),
			sub('T1', '2026-09-30 08:00'),
			sub('T2', '2026-09-30 16:30'),
		];
		const admins = [{ name: '赵主任', mobile: '13700000000', userId: 'zhao' }];

		it('counts back over school-day slots, skipping the holiday, and escalates', () => {
			const { records } = findMissing(roster, history, opts('2026-10-08T09:10', { admins, adminGroup: '后勤管理群' }));
			const byId = Object.fromEntries(records.map((r) => [r.data.reporterId, r.data]));
			// T1 missed 09-30 afternoon and 10-08 morning: level 2 adds the class teacher.
			expect(byId.T1).toMatchObject({
				consecutiveMisses: 2,
				level: 2,
				levelReason: '2 misses in a row',
				leaderName: '王老师',
				mentionMobiles: ['13900000001', '13800000009'],
				targetGroup: '一年级1班',
				dedupeKey: 'T1|2026-10-08|Morning|L2',
			});
			// T2 reported (late) on 09-30 afternoon: one miss.
			expect(byId.T2).toMatchObject({ consecutiveMisses: 1, level: 1, leaderName: '' });
			// T3 never reported: counted back to the start of the history (09-29 morning), level 3.
			expect(byId.T3).toMatchObject({
				consecutiveMisses: 5,
				missesCountedToLookBack: true,
				level: 3,
				adminName: '赵主任',
				targetGroup: '后勤管理群',
				mentionMobiles: ['13900000003', '13700000000'],
			});
			expect(byId.T3.escalationWarning).toMatch(/No group leader contact for "二年级2班"/);
		});

		it('caps the count at the look-back', () => {
			const { records } = findMissing(roster, history, opts('2026-10-08T09:10', { lookBackDays: 8 }));
			const t3 = records.find((r) => r.data.reporterId === 'T3');
			// 8 days back from 10-08 is 09-30: its two slots and today's morning.
			expect(t3?.data).toMatchObject({ consecutiveMisses: 3, missesCountedToLookBack: true });
		});

		it('escalates by minutes overdue and warns when nobody is on duty', () => {
			const now = [sub('T1', '2026-03-02 08:00'), sub('T2', '2026-03-02 08:00')];
			const { records } = findMissing(
				roster,
				now,
				opts('2026-03-02T10:05', { escalation: { leaderAfterMinutes: 60, adminAfterMinutes: 65 } }),
			);
			expect(records[0].data).toMatchObject({ level: 3, levelReason: '65 minutes overdue', dedupeKey: 'T3|2026-03-02|Morning|L3' });
			expect(records[0].data.escalationWarning).toMatch(/No administrator on duty/);
			const off = findMissing(roster, now, opts('2026-03-02T10:05', { escalation: { leaderAfterMinutes: 0 } }));
			expect(off.records[0].data.level).toBe(1);
		});

		it('rejects a negative escalation setting with its name', () => {
			expect(() => findMissing(roster, [], opts('2026-03-02T10:05', { escalation: { leaderAfterMisses: -1 } }))).toThrow(
				/leaderAfterMisses must be 0 or more/,
			);
		});
	});

	it('checks only the latest due slot unless asked for all of today', () => {
		const subs = [sub('T1', '2026-03-02 08:00')];
		const latest = findMissing(roster, subs, opts('2026-03-02T17:40'));
		expect(new Set(kinds(latest.records, 'missing report').map((r) => r.data.slot))).toEqual(new Set(['Afternoon']));
		const all = findMissing(roster, subs, opts('2026-03-02T17:40', { scope: 'allToday' }));
		expect(kinds(all.records, 'missing report').map((r) => `${r.data.reporterId} ${r.data.slot}`).sort()).toEqual([
			'T1 Afternoon',
			'T2 Afternoon',
			'T2 Morning',
			'T3 Afternoon',
			'T3 Morning',
		]);
		const only = findMissing(roster, subs, opts('2026-03-02T17:40', { scope: 'allToday', onlySlots: ['Morning'] }));
		expect(kinds(only.records, 'missing report').map((r) => r.data.slot)).toEqual(['Morning', 'Morning']);
	});

	it('reports a submission today that falls in no slot', () => {
		const { records } = findMissing(roster, [sub('T1', '2026-03-02 12:00')], opts('2026-03-02T12:30'));
		const [o] = kinds(records, 'outside any slot');
		expect(o.data).toMatchObject({ reporterId: 'T1', submittedAt: '2026-03-02T12:00:00+08:00' });
		expect(o.sources).toEqual([
			{ input: 0, item: 0 },
			{ input: 1, item: 0 },
		]);
		// A submission outside every window does not count: T1 is still missing for the morning.
		expect(missingIds(records)).toEqual(['T1', 'T2', 'T3']);
	});

	it('turns unreadable rows into problems naming the row and column, and skips empty rows', () => {
		const subs = [{}, sub('', '2026-03-02 08:00'), sub('T1', 'yesterday'), sub('T2', '2026-03-02 08:00')];
		const { records, problems } = findMissing([{}, ...roster, { 工号: 'T1', 姓名: '重复', 班级: 'x' }], subs, opts('2026-03-02T09:40'));
		expect(problems.map((p) => [p.input, p.problem.row, p.problem.field])).toEqual([
			[0, 4, '工号'],
			[1, 1, '工号'],
			[1, 2, '提交时间'],
		]);
		expect(problems[0].problem.message).toMatch(/already on row 2/);
		expect(problems[2].problem.message).toMatch(/"yesterday" is not a timestamp/);
		expect(missingIds(records)).toEqual(['T1', 'T3']);
		expect(records[0].sources).toEqual([{ input: 0, item: 1 }]);
	});

	it('keeps phone numbers, ids and temperatures out of message text', () => {
		const { records } = findMissing(roster, [], opts('2026-10-10T09:40', { admins: [{ name: '赵', mobile: '13700000000', userId: 'z' }] }));
		for (const r of records) {
			expect(String(r.data.message)).not.toMatch(/1[3-9]\d{9}/);
			expect(String(r.data.message)).toContain(String(r.data.reporterName));
		}
	});

	it('fills the message template', () => {
		const { records } = findMissing(roster, [], opts('2026-10-10T09:40', { message: '{name}/{group}/{slot}/{date}/{due}/{makeUpUntil}/{misses}/{level}/{unknown}' }));
		expect(records[0].data.message).toBe('张三/一年级1班/Morning/2026-10-10/09:00/09:30/1/1/{unknown}');
	});

	it('works for places as reporters', () => {
		const areas = [
			{ 编号: 'A01', 名称: '一楼卫生间', 区域: '教学楼', 负责人: '孙师傅', 负责人手机: '13600000000' },
			{ 编号: 'A02', 名称: '食堂', 区域: '后勤', 负责人: '周师傅', 负责人手机: '13600000001' },
		];
		const disinfection = parseSlots([{ name: '消毒', opens: '07:00', due: '12:00', graceMinutes: 60 }]);
		const { records } = findMissing(areas, [{ 编号: 'A01', 时间: '2026-03-02 10:00' }], {
			...opts('2026-03-02T13:30'),
			slots: disinfection,
		});
		expect(records.map((r) => [r.data.reporterName, r.data.group, r.data.status])).toEqual([['食堂', '后勤', 'missing']]);
	});
});

describe('Find Missing against a plain re-count', () => {
	// A plain, slow reference: every submission parsed with the shared parser and placed with the
	// shared matchSlot; misses counted back over every school-day slot since the first report day.
	function reference(rosterIds: string[], rows: Array<{ 工号: string; 提交时间: string }>, asOf: DateTime, lookBack: number) {
		const seen = new Map<string, Set<string>>();
		let firstDay = '9999-12-31';
		for (const r of rows) {
			const ts = parseTimestamp(r.提交时间, ZONE);
			const m = matchSlot(ts, daySlots, ZONE);
			if (!m || !calendar.isSchoolDay(m.date)) continue;
			if (m.date < asOf.minus({ days: lookBack }).toISODate()!) continue;
			if (ts.toISODate()! < firstDay) firstDay = ts.toISODate()!;
			if (!seen.has(r.工号)) seen.set(r.工号, new Set());
			seen.get(r.工号)!.add(`${m.date}|${m.slot.name}`);
		}
		const occ: string[] = [];
		for (let d = asOf.minus({ days: lookBack }); d <= asOf; d = d.plus({ days: 1 })) {
			const date = d.toISODate()!;
			if (!calendar.isSchoolDay(date) || date < firstDay) continue;
			for (const s of daySlots) if (windowOf(s, date, ZONE).due <= asOf) occ.push(`${date}|${s.name}`);
		}
		const out = new Map<string, number>();
		const last = occ[occ.length - 1];
		for (const id of rosterIds) {
			if (seen.get(id)?.has(last)) continue;
			let n = 0;
			for (let i = occ.length - 1; i >= 0 && !seen.get(id)?.has(occ[i]); i--) n++;
			out.set(id, n);
		}
		return out;
	}

	it('gives the same misses in a row for random histories', () => {
		let seed = 42;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const ids = Array.from({ length: 60 }, (_, i) => `R${i}`);
		const people = ids.map((id, i) => ({ 工号: id, 姓名: id, 班级: `G${i % 3}` }));
		const asOf = DateTime.fromISO('2026-03-20T17:45', { zone: ZONE });
		const rows: Array<{ 工号: string; 提交时间: string }> = [];
		for (let d = 20; d >= 0; d--) {
			const date = asOf.minus({ days: d }).toISODate()!;
			for (const id of ids) {
				const p = Number(id.slice(1)) / 60; // some report nearly always, some rarely
				for (const [h, m] of [
					[8, 15],
					[16, 45],
				]) {
					if (rand() > p) continue;
					const t = `${date} ${String(h).padStart(2, '0')}:${String(m + Math.floor(rand() * 14)).padStart(2, '0')}`;
					// Some rows carry an offset, some are UTC, as different sources write them.
					const form = rand();
					rows.push({
						工号: id,
						提交时间:
							form < 0.2
								? DateTime.fromFormat(t, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toUTC().toISO()!
								: form < 0.4
									? DateTime.fromFormat(t, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toISO()!
									: t,
					});
				}
			}
		}
		const expected = reference(ids, rows, asOf, 14);
		const { records } = findMissing(people, rows, { ...opts('2026-03-20T17:45'), lookBackDays: 14 });
		const got = new Map(records.filter((r) => r.data.kind === 'missing report').map((r) => [String(r.data.reporterId), r.data.consecutiveMisses]));
		expect(got.size).toBeGreaterThan(10);
		expect([...got.values()].some((n) => (n as number) > 4)).toBe(true);
		expect(got).toEqual(expected);
	});
});

describe('the documented example (docs/nodes/check-in-watch.md)', () => {
	it('gives the output shown in the docs', () => {
		const staff = [
			{ 工号: 'T1', 姓名: '张三', 部门: '语文组', 手机: '13900000001', 组长: '王老师', 组长手机: '13800000009' },
			{ 工号: 'T2', 姓名: '李四', 部门: '语文组', 手机: '13900000002', 组长: '王老师', 组长手机: '13800000009' },
		];
		const { records } = findMissing(staff, [{ 工号: 'T1', 提交时间: '2026-03-02 08:30' }], opts('2026-03-02T09:10'));
		expect(records).toHaveLength(1);
		expect(records[0].data).toMatchObject({
			kind: 'missing report',
			reporterId: 'T2',
			reporterName: '李四',
			group: '语文组',
			slot: 'Morning',
			date: '2026-03-02',
			status: 'overdue',
			graceOpen: true,
			makeUpUntil: '2026-03-02T09:30:00+08:00',
			consecutiveMisses: 1,
			level: 1,
			recipientName: '李四',
			recipientMobile: '13900000002',
			targetGroup: '语文组',
			mentionMobiles: ['13900000002'],
			// Chinese text names the slot in Chinese (the item's slot keeps the slot's own name).
			message: '李四：2026-03-02 上午（09:00 截止）尚未填报，请尽快补报。已连续未报 1 次。',
			dedupeKey: 'T2|2026-03-02|Morning|L1',
		});
	});
});
