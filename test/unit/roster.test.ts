import { DateTime } from 'luxon';
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { InputError } from '../../nodes/shared/errors';
import {
	checkRange,
	checkSwap,
	generateRoster,
	parseDuties,
	parseShifts,
	parseStaff,
	whoIsOnDuty,
	type AssignmentRow,
	type DutyInput,
	type GenerateOptions,
	type GenerateResult,
} from '../../nodes/DutyRoster/roster';

const cal = new SchoolCalendar();
const opts = (from: string, to: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({ from, to, calendar: cal, ...extra });

const GATE: DutyInput = { name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' };
const ADMIN: DutyInput = { name: 'Administrator on duty', role: 'admin', shifts: 'Day 07:30-17:30', days: 'everyDay' };
const CADRE: DutyInput = { name: 'Duty cadre', role: 'cadre', shifts: '07:30-17:30', days: 'schoolDays', cadence: 'weekly' };

function guards(n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
	return Array.from({ length: n }, (_, i) => ({ 工号: `G${i + 1}`, 姓名: `Guard ${i + 1}`, 角色: 'guard', ...extra(i) }));
}

/** An independent check of every hard constraint on the output rows. */
function verify(result: GenerateResult, staff: Array<Record<string, unknown>>, minRestHours = 8, maxPerDay = 1) {
	const byPerson = new Map<string, AssignmentRow[]>();
	for (const { data } of result.assignments) {
		const list = byPerson.get(data.personId) ?? [];
		list.push(data);
		byPerson.set(data.personId, list);
	}
	for (const [id, rows] of byPerson) {
		const person = staff.find((s) => (s.工号 ?? s.id) === id) as Record<string, unknown>;
		const roles = String(person.角色 ?? person.roles).split(/[,，]\s*/);
		const leave = String(person.unavailable ?? '');
		for (const r of rows) {
			expect(roles).toContain(r.role);
			for (const token of leave.split(',').filter(Boolean)) {
				const [a, b] = token.split('..');
				const last = DateTime.fromISO(r.end).minus({ milliseconds: 1 }).toISODate() as string;
				expect(r.date <= (b ?? a) && last >= a).toBe(false);
			}
		}
		const daily = rows.filter((r) => r.cadence === 'daily').sort((x, y) => x.start.localeCompare(y.start));
		for (let i = 1; i < daily.length; i++) {
			const gap = DateTime.fromISO(daily[i].start).diff(DateTime.fromISO(daily[i - 1].end), 'hours').hours;
			expect(gap).toBeGreaterThanOrEqual(minRestHours);
		}
		const perDay = new Map<string, number>();
		for (const r of daily) perDay.set(r.date, (perDay.get(r.date) ?? 0) + 1);
		for (const n of perDay.values()) expect(n).toBeLessThanOrEqual(maxPerDay);
	}
}

describe('parsing', () => {
	it('reads shifts, including ones that cross midnight', async () => {
		expect(parseShifts('Day 07:00-19:00, Night 19:00-07:00', 's')).toEqual([
			{ name: 'Day', startMin: 420, endMin: 1140, night: false },
			{ name: 'Night', startMin: 1140, endMin: 1860, night: true },
		]);
		expect(parseShifts('白班 7:30～17:30', 's')[0]).toMatchObject({ name: '白班', startMin: 450, endMin: 1050 });
		expect(() => parseShifts('Day 7 to 9', 'duties[0].shifts')).toThrow(/is not a shift/);
	});

	it('names the duty and field of a bad duty', async () => {
		try {
			parseDuties([{ ...GATE, peoplePerShift: 0 }]);
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).field).toBe('duties[0] (Gate A).peoplePerShift');
		}
	});

	it('reads unavailable ranges and lists, and names the row of a bad date', async () => {
		const { people, problems } = parseStaff([
			{ id: 'a', name: 'A', roles: 'guard', unavailable: '2026-03-02..2026-03-06, 2026-03-10' },
			{ id: 'b', name: 'B', roles: 'guard', unavailable: '2026-02-30' },
			{},
			{ id: 'a', name: 'A again', roles: 'guard' },
		]);
		expect(people[0].unavailable).toEqual([
			['2026-03-02', '2026-03-06'],
			['2026-03-10', '2026-03-10'],
		]);
		expect(problems).toEqual([
			{ row: 1, field: 'unavailable', message: '"2026-02-30" is not a valid date (expected YYYY-MM-DD)' },
			{ row: 3, field: 'id', message: 'Staff id "a" appears again (first at row 1)' },
		]);
	});
});

describe('generateRoster: bad input', () => {
	it('rejects a reversed range and one over a year, naming the field', async () => {
		expect(() => checkRange('2026-03-10', '2026-03-01')).toThrow(/reversed/);
		try {
			await generateRoster(guards(4), [GATE], [], opts('2026-01-01', '2027-01-05'));
			throw new Error('no error');
		} catch (e) {
			expect((e as InputError).message).toMatch(/over a year/);
			expect((e as InputError).field).toBe('to');
		}
	});

	it('makes an unknown role an error that names the row', async () => {
		const staff = [...guards(3), { 工号: 'X', 姓名: 'Typo', 角色: 'gaurd' }];
		const r = await generateRoster(staff, [GATE], [], opts('2026-03-02', '2026-03-03'));
		expect(r.problems).toEqual([
			{ row: 3, field: 'roles', message: 'Unknown role "gaurd": no duty needs it (duties need "guard")' },
		]);
		// ...and everyone else is still rostered.
		expect(r.summary.map((s) => s.data.personId)).toEqual(['G1', 'G2', 'G3']);
		const ignored = await generateRoster(staff, [GATE], [], opts('2026-03-02', '2026-03-03', { unknownRoles: 'ignore' }));
		expect(ignored.problems).toEqual([]);
	});

	it('is an error when no staff row has the role a duty needs', async () => {
		await expect(generateRoster(guards(3), [GATE, ADMIN], [], opts('2026-03-02', '2026-03-03', { unknownRoles: 'ignore' }))).rejects.toThrow(
			/Duty "Administrator on duty" needs the role "admin", which no staff row has/,
		);
	});
});

describe('generateRoster: hard constraints and unfilled slots', () => {
	it('never breaks a hard constraint on a mixed roster', async () => {
		const staff = [
			...guards(9, (i) => (i < 2 ? { unavailable: '2026-03-04..2026-03-08' } : {})),
			{ 工号: 'A1', 姓名: 'Admin 1', 角色: 'admin, cadre' },
			{ 工号: 'A2', 姓名: 'Admin 2', 角色: 'admin' },
			{ 工号: 'A3', 姓名: 'Admin 3', 角色: 'admin, cadre', unavailable: '2026-03-09' },
			{ 工号: 'A4', 姓名: 'Admin 4', 角色: 'cadre' },
		];
		const r = await generateRoster(staff, [GATE, ADMIN, CADRE], [], opts('2026-03-02', '2026-03-22'));
		expect(r.problems).toEqual([]);
		verify(r, staff);
		// Every staff row is accounted for in the summary.
		expect(r.summary.map((s) => s.rows[0]).sort((a, b) => a - b)).toEqual(staff.map((_, i) => i));
		// Every slot is either filled or reported.
		const gateSlots = 21 * 2;
		const filled = new Set(r.assignments.filter((a) => a.data.duty === 'Gate A').map((a) => a.data.assignmentId));
		const open = r.unfilled.filter((u) => u.data.duty === 'Gate A').map((u) => u.data.assignmentId);
		expect(new Set([...filled, ...open]).size).toBe(gateSlots);
	});

	it('reports an unfillable slot with the reason in words, and fills the rest', async () => {
		// 6 guards, 3 of them on leave: each day the evening shift takes two, so the night can get one.
		const staff = guards(6, (i) => (i >= 3 ? { unavailable: '2026-03-01..2026-03-02' } : {}));
		const duty: DutyInput = { name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Evening 12:00-20:00, Night 22:00-06:00', days: 'everyDay' };
		const r = await generateRoster(staff, [duty], [], opts('2026-03-01', '2026-03-01'));
		expect(r.unfilled.map((u) => u.data.reason)).toEqual([
			'2026-03-01 Gate A Night needs 2 guards; only 1 is available: 3 on leave or unavailable, 2 resting after another shift',
		]);
		expect(r.unfilled[0].data).toMatchObject({ kind: 'unfilled', needed: 2, filled: 1, missing: 1 });
		expect(r.assignments).toHaveLength(3);
	});

	it('says when people rest after a night shift', async () => {
		const staff = guards(3, (i) => (i === 2 ? { unavailable: '2026-03-09' } : {}));
		// Night watch on days off (Sunday 03-08), the gate on school days (Monday 03-09).
		const night: DutyInput = { name: 'Night watch', role: 'guard', peoplePerShift: 2, shifts: 'Night 19:00-07:00', days: 'daysOff' };
		const gate: DutyInput = { name: 'Gate A', role: 'guard', peoplePerShift: 1, shifts: 'Morning 07:00-12:00', days: 'schoolDays' };
		const r = await generateRoster(staff, [night, gate], [], opts('2026-03-08', '2026-03-09'));
		expect(r.unfilled.map((u) => u.data.reason)).toEqual([
			'2026-03-09 Gate A Morning needs 1 guard; none is available: 1 on leave or unavailable, 2 resting after a night shift',
		]);
		expect(r.assignments.map((a) => a.data.personId).sort()).toEqual(['G1', 'G2']);
	});

	it('keeps a weekly cap from the staff row', async () => {
		const staff = guards(4, () => ({ 每周上限: 2 }));
		const r = await generateRoster(staff, [{ ...GATE, peoplePerShift: 1 }], [], opts('2026-03-02', '2026-03-08'));
		for (const s of r.summary) expect(s.data.assignments).toBeLessThanOrEqual(2);
		expect(r.unfilled).toHaveLength(14 - 8);
		expect(r.unfilled[0].data.reason).toMatch(/at their weekly cap/);
	});
});

describe('generateRoster: calendar, cadence and time', () => {
	it('gives a weekly duty one assignment covering the week, make-up workdays included', async () => {
		const staff = [{ id: 'C1', name: 'Cadre 1', roles: 'cadre' }, { id: 'C2', name: 'Cadre 2', roles: 'cadre' }];
		// 2026-02-14 (Saturday) is a make-up workday for the Spring Festival.
		const r = await generateRoster(staff, [CADRE], [], opts('2026-02-09', '2026-02-22'));
		const rows = r.assignments.map((a) => a.data);
		expect(rows.map((x) => [x.date, x.endDate, x.start, x.end])).toEqual([
			['2026-02-09', '2026-02-14', '2026-02-09T07:30:00+08:00', '2026-02-14T17:30:00+08:00'],
		]);
		expect(rows[0].weight).toBe(6);
		// The week of 16 February is the Spring Festival holiday: no school day, no cadre.
		expect(r.unfilled).toEqual([]);
	});

	it('writes night shifts across midnight with ISO times in the zone and weighs them', async () => {
		const r = await generateRoster(guards(6), [GATE], [], opts('2026-03-07', '2026-03-07'));
		const night = r.assignments.find((a) => a.data.shift === 'Night')?.data as AssignmentRow;
		expect(night).toMatchObject({ start: '2026-03-07T19:00:00+08:00', end: '2026-03-08T07:00:00+08:00', night: true, holiday: true, dayKind: 'weekend' });
		expect(night.weight).toBe(2.25);
		const utc = await generateRoster(guards(6), [GATE], [], opts('2026-03-07', '2026-03-07', { zone: 'Europe/Berlin' }));
		expect(utc.assignments[0].data.start).toBe('2026-03-07T07:00:00+01:00');
	});

	it('blocks a night shift that ends on a day of leave', async () => {
		const staff = guards(3, (i) => (i === 0 ? { unavailable: '2026-03-03' } : {}));
		const night: DutyInput = { name: 'Night watch', role: 'guard', peoplePerShift: 2, shifts: 'Night 19:00-07:00', days: 'everyDay' };
		const r = await generateRoster(staff, [night], [], opts('2026-03-02', '2026-03-02'));
		expect(r.assignments.map((a) => a.data.personId).sort()).toEqual(['G2', 'G3']);
	});
});

describe('generateRoster: fairness', () => {
	it('balances weighted load to within one shift weight when a balanced roster exists', async () => {
		const r = await generateRoster(guards(8), [GATE], [], opts('2026-03-02', '2026-03-29'));
		const loads = r.summary.map((s) => s.data.weightedLoad);
		const maxShift = Math.max(...r.assignments.map((a) => a.data.weight));
		expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(maxShift);
		expect(r.balance[0].data).toMatchObject({ role: 'guard', people: 8, maxShiftWeight: 2.25 });
		expect(r.balance[0].data.spread).toBeLessThanOrEqual(2.25);
		expect(r.unfilled).toEqual([]);
	});

	it('is deterministic: the same input gives the same roster', async () => {
		const staff = guards(7, (i) => (i === 2 ? { unavailable: '2026-03-05' } : {}));
		const a = await generateRoster(staff, [GATE], [], opts('2026-03-02', '2026-03-15'));
		const b = await generateRoster(staff.map((s) => ({ ...s })), [GATE], [], opts('2026-03-02', '2026-03-15'));
		expect(b).toEqual(a);
	});

	it('carries fairness over from earlier rosters, and ignores rows of the period itself', async () => {
		const staff = guards(3);
		const duty: DutyInput = { name: 'Gate A', role: 'guard', shifts: 'Day 08:00-17:00', days: 'schoolDays' };
		const earlier = [
			{ kind: 'assignment', date: '2026-02-27', start: '2026-02-27T08:00:00+08:00', end: '2026-02-27T17:00:00+08:00', personId: 'G1', weight: 4 },
			{ kind: 'assignment', date: '2026-02-26', start: '2026-02-26T08:00:00+08:00', end: '2026-02-26T17:00:00+08:00', personId: 'G2', weight: 1 },
			{ kind: 'summary', personId: 'G2' },
			{ kind: 'assignment', date: '2026-03-02', start: '2026-03-02T08:00:00+08:00', end: '2026-03-02T17:00:00+08:00', personId: 'G2', weight: 9 },
		];
		const r = await generateRoster(staff, [duty], earlier, opts('2026-03-02', '2026-03-06'));
		expect(r.earlierIgnored).toEqual([3]);
		const g1 = r.summary.find((s) => s.data.personId === 'G1')?.data;
		expect(g1).toMatchObject({ carriedLoad: 4, assignments: 0 });
		// G3 was not in the earlier roster: a newcomer starts at its mean (2.5), not at 0.
		expect(r.summary.find((s) => s.data.personId === 'G3')?.data.carriedLoad).toBe(2.5);
		const totals = r.summary.map((s) => s.data.totalLoad);
		expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(1);
	});

	it('honours preferred and undesired days where the load allows', async () => {
		const staff = [
			{ id: 'P', name: 'Prefers Monday', roles: 'admin', preferredDays: 'Mon', undesiredDays: '周五' },
			{ id: 'Q', name: 'Other', roles: 'admin' },
		];
		const duty: DutyInput = { name: 'Admin', role: 'admin', shifts: '08:00-17:00', days: 'schoolDays' };
		const r = await generateRoster(staff, [duty], [], opts('2026-03-02', '2026-03-13'));
		const p = r.assignments.filter((a) => a.data.personId === 'P').map((a) => a.data.weekday);
		// Both Mondays, and not both Fridays (a soft goal: the load still balances, 5 each).
		expect(p.filter((d) => d === 'Monday')).toHaveLength(2);
		expect(p.filter((d) => d === 'Friday').length).toBeLessThan(2);
		expect(p).toHaveLength(5);
		expect(r.summary.find((s) => s.data.personId === 'P')?.data.preferredDaysHonoured).toBe(2);
	});
});

describe('whoIsOnDuty', () => {
	let roster: Array<Record<string, unknown>> = [];
	beforeAll(async () => {
		roster = (
			await generateRoster(
				[...guards(4, (i) => ({ mobile: `1380000000${i}`, userId: `u${i}` })), { 工号: 'A1', 姓名: 'Admin 1', 角色: 'admin' }],
				[GATE, ADMIN],
				[],
				opts('2026-03-02', '2026-03-03'),
			)
		).assignments.map((a) => ({ ...a.data, id: 1, createdAt: 'x' }));
	});

	it('finds the night guards after midnight, with flat name, mobile and userId', async () => {
		const r = whoIsOnDuty(roster, { at: '2026-03-03 02:00', duties: ['Gate A'] });
		expect(r.people).toHaveLength(2);
		for (const p of r.people) {
			expect(p.data).toMatchObject({ duty: 'Gate A', shift: 'Night', date: '2026-03-02' });
			expect(p.data.mobile).toMatch(/^1380000000\d$/);
			expect(p.data.name).toMatch(/^Guard \d$/);
		}
		expect(r.asked).toBe('Gate A at 2026-03-03 02:00');
	});

	it('finds the administrator on duty by role, and everyone on a date', async () => {
		expect(whoIsOnDuty(roster, { at: '2026-03-02T10:00:00+08:00', roles: ['admin'] }).people.map((p) => p.data.name)).toEqual(['Admin 1']);
		expect(whoIsOnDuty(roster, { at: '2026-03-02T18:00:00+08:00', roles: ['admin'] }).people).toEqual([]);
		const tomorrow = whoIsOnDuty(roster, { date: '2026-03-03' });
		// Day, night and admin on 03-03, plus the night guards of 03-02 until 07:00.
		expect(tomorrow.people).toHaveLength(2 + 2 + 1 + 2);
	});

	it('skips non-assignment rows and names a broken row', async () => {
		const rows = [...roster, { kind: 'unfilled', start: '', end: '' }, { kind: 'assignment', personId: 'G1', start: 'soon', end: '2026-03-02T10:00:00+08:00' }];
		const r = whoIsOnDuty(rows, { at: '2026-03-02T10:00:00+08:00' });
		expect(r.problems).toEqual([{ row: roster.length + 1, field: 'start', message: '"soon" is not a timestamp' }]);
	});
});

describe('checkSwap', () => {
	const staff = [
		{ id: 'G1', name: 'Guard 1', roles: 'guard' },
		{ id: 'G2', name: 'Guard 2', roles: 'guard', unavailable: '2026-03-04' },
		{ id: 'G3', name: 'Guard 3', roles: 'guard' },
		{ id: 'T1', name: 'Teacher', roles: 'teacher' },
	];
	const row = (personId: string, date: string, shift: string, start: string, end: string, weight = 1) => ({
		kind: 'assignment',
		assignmentId: `${date}|Gate A|${shift}`,
		date,
		duty: 'Gate A',
		role: 'guard',
		shift,
		start: `${date}T${start}:00+08:00`,
		end: end.includes('T') ? end : `${date}T${end}:00+08:00`,
		personId,
		weight,
	});
	const roster = [
		row('G1', '2026-03-02', 'Day', '07:00', '19:00'),
		row('G1', '2026-03-03', 'Day', '07:00', '19:00'),
		row('G2', '2026-03-02', 'Night', '19:00', '2026-03-03T07:00:00+08:00', 1.5),
		row('G3', '2026-03-05', 'Day', '07:00', '19:00'),
		row('G3', '2026-03-02', 'Evening', '15:00', '23:00'),
	];

	it('allows a swap that breaks nothing and reports the balance', async () => {
		const r = checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-03', personB: 'Guard 3' });
		expect(r.result).toMatchObject({ allowed: true, violations: '', swapType: 'hand over', loadABefore: 2, loadAAfter: 1, loadBBefore: 2, loadBAfter: 3, spreadBefore: 0.5, spreadAfter: 2 });
		expect(r.result.balanceEffect).toBe('The spread of weighted load among guard staff goes from 0.5 to 2 (less balanced)');
		expect(r.rows).toEqual([1]);
	});

	it('lists every broken rule: role, leave, overlap and rest', async () => {
		const teacher = checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-02', personB: 'T1' });
		expect(teacher.result.violations).toBe('Teacher does not have the role "guard" that Gate A needs');
		// G2 works the night of 03-02 until 07:00 on 03-03: the day of 03-03 starts with no rest.
		const rest = checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-03', personB: 'G2' });
		expect(rest.result.allowed).toBe(false);
		expect(rest.result.violations).toBe('Guard 2 would rest only 0 h between Gate A Night on 2026-03-02 and Gate A Day on 2026-03-03 (minimum 8 h)');
		const overlap = checkSwap(roster, staff, { personA: 'G2', dateA: '2026-03-02', personB: 'G3' });
		expect(overlap.result.violations).toMatch(/^Guard 3 would work Gate A Night on 2026-03-02 and Gate A Evening on 2026-03-02 at the same time; Guard 3 would have 2 shifts on 2026-03-02 \(cap 1\)$/);
		const leave = checkSwap([...roster, row('G1', '2026-03-04', 'Day', '07:00', '19:00')], staff, { personA: 'G1', dateA: '2026-03-04', personB: 'G2' });
		expect(leave.result.violations).toBe('Guard 2 is unavailable on 2026-03-04');
	});

	it('checks a two-way swap on both sides', async () => {
		const r = checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-03', personB: 'G3', dateB: '2026-03-05' });
		expect(r.result).toMatchObject({ allowed: true, swapType: 'swap', loadAAfter: 2, loadBAfter: 2, spreadAfter: 0.5 });
		// The IDs a workflow needs to update the two stored rows after approval.
		const ids = roster.map((x) => x.assignmentId);
		expect(r.result).toMatchObject({ personIdA: 'G1', personIdB: 'G3', assignmentIdA: ids[1], assignmentIdB: ids[3] });
		const handOver = checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-03', personB: 'Guard 3' });
		expect(handOver.result).toMatchObject({ personIdB: 'G3', assignmentIdA: ids[1], assignmentIdB: '' });
	});

	it('names the field when the request does not match the roster', async () => {
		expect(() => checkSwap(roster, staff, { personA: 'G1', dateA: '2026-03-09', personB: 'G3' })).toThrow(/G1 has no duty on 2026-03-09/);
		expect(() => checkSwap(roster, staff, { personA: 'Nobody', dateA: '2026-03-02', personB: 'G3' })).toThrow(/"Nobody" is neither in the roster nor in the staff rows/);
		const noStaff = checkSwap(roster, [], { personA: 'G1', dateA: '2026-03-03', personB: 'G3' });
		expect(noStaff.result.notChecked).toMatch(/roles, leave/);
	});
});
