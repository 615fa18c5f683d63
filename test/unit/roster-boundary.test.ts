/**
 * Two periods meeting: the earlier roster's shifts count for rest, shifts per day and the weekly
 * cap; carry-over comes from each person's own role history; never picked is not new.
 */
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { generateRoster, type DutyInput, type GenerateResult } from '../../nodes/DutyRoster/roster';
import { checkRoster, type Rec } from '../helpers/rosterChecker';

const cal = new SchoolCalendar();
const GATE: DutyInput = { name: 'Gate A', role: 'guard', shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' };
const rows = (r: GenerateResult) => r.assignments.map((a) => a.data as unknown as Rec);
const guards = (n: number, extra: (i: number) => Rec = () => ({})) =>
	Array.from({ length: n }, (_, i) => ({ id: `G${i + 1}`, name: `Guard ${i + 1}`, roles: 'guard', ...extra(i) }));
const night = (personId: string, date: string, next: string) => ({
	kind: 'assignment',
	assignmentId: `${date}|Gate A|Night`,
	date,
	duty: 'Gate A',
	role: 'guard',
	shift: 'Night',
	cadence: 'daily',
	start: `${date}T19:00:00+08:00`,
	end: `${next}T07:00:00+08:00`,
	personId,
	weight: 1.5,
});

describe('hard rules across periods', () => {
	it('gives no day shift on 1 October to the guard of the last night of September', async () => {
		const earlier = [night('G1', '2026-09-30', '2026-10-01')];
		const staff = guards(3);
		const r = await generateRoster(staff, [GATE], earlier, { from: '2026-10-01', to: '2026-10-03', calendar: cal });
		const first = r.assignments.find((a) => a.data.date === '2026-10-01' && a.data.shift === 'Day');
		expect(first?.data.personId).not.toBe('G1');
		expect(checkRoster(rows(r), staff, earlier)).toEqual([]);
	});

	it('counts the earlier roster in the weekly cap of the week the period starts in', async () => {
		// Week 2026-W40 runs Monday 28 September to Sunday 4 October; T1 already has 2 of 3.
		const staff = [1, 2, 3].map((i) => ({ id: `T${i}`, name: `Teacher ${i}`, roles: 'teacher', maxPerWeek: 3 }));
		const lunch = (personId: string, date: string) => ({ kind: 'assignment', assignmentId: `${date}|Lunch|L`, date, duty: 'Lunch', role: 'teacher', shift: 'L', cadence: 'daily', start: `${date}T11:30:00+08:00`, end: `${date}T13:30:00+08:00`, personId, weight: 1 });
		const earlier = [lunch('T1', '2026-09-28'), lunch('T1', '2026-09-29')];
		const duty: DutyInput = { name: 'Lunch', role: 'teacher', peoplePerShift: 2, shifts: 'L 11:30-13:30', days: 'everyDay' };
		const r = await generateRoster(staff, [duty], earlier, { from: '2026-10-01', to: '2026-10-04', calendar: cal });
		const t1 = r.assignments.filter((a) => a.data.personId === 'T1').length;
		expect(t1).toBeLessThanOrEqual(1);
		expect(checkRoster(rows(r), staff, earlier)).toEqual([]);
		// Without the earlier rows the same roster would break the cap: the checker sees it.
		const blind = await generateRoster(staff, [duty], [], { from: '2026-10-01', to: '2026-10-04', calendar: cal });
		expect(checkRoster(rows(blind), staff, earlier).some((m) => /duties in 2026-W40 \(cap 3\)/.test(m))).toBe(true);
	});

	it('keeps every rule over a month boundary (September, then October with September given)', async () => {
		const staff = [...guards(6), ...[1, 2, 3, 4, 5].map((i) => ({ id: `T${i}`, name: `T${i}`, roles: 'teacher', maxPerWeek: 3 }))];
		const duties: DutyInput[] = [{ ...GATE, peoplePerShift: 2 }, { name: 'Lunch', role: 'teacher', peoplePerShift: 2, shifts: 'L 11:30-13:30', days: 'everyDay' }];
		const sep = await generateRoster(staff, duties, [], { from: '2026-09-21', to: '2026-09-30', calendar: cal, timeLimit: 1 });
		const oct = await generateRoster(staff, duties, rows(sep), { from: '2026-10-01', to: '2026-10-10', calendar: cal, timeLimit: 1 });
		expect(checkRoster(rows(oct), staff, rows(sep))).toEqual([]);
		expect(oct.unfilled).toEqual([]);
	});

	it('names the binding rule and the earlier shift when a seat truly cannot be filled', async () => {
		const staff = guards(3, (i) => (i === 2 ? { unavailable: '2026-10-01' } : {}));
		const earlier = [night('G1', '2026-09-30', '2026-10-01')];
		const duty: DutyInput = { name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00', days: 'everyDay' };
		const r = await generateRoster(staff, [duty], earlier, { from: '2026-10-01', to: '2026-10-01', calendar: cal });
		expect(r.unfilled).toHaveLength(1);
		expect(r.unfilled[0].data).toMatchObject({ missing: 1, proven: true });
		expect(r.unfilled[0].data.reason).toBe('2026-10-01 Gate A Day needs 2 guards; only 1 is available: 1 on leave or unavailable, 1 resting after a night shift');
		expect(r.unfilled[0].data.blockedBy).toBe('Guard 1: resting after Gate A Night on 2026-09-30 (earlier roster) (minimum 8 h); Guard 3: on leave or unavailable');
	});
});

describe('carry-over per role', () => {
	it('carries each person their own role load; never picked carries 0, a newcomer the mean', async () => {
		const staff = [...guards(4), { id: 'A1', name: 'Admin 1', roles: 'admin, guard' }];
		const day = (personId: string, date: string, weight: number, role = 'guard', duty = 'Gate A') => ({
			kind: 'assignment', date, duty, role, shift: 'Day', start: `${date}T08:00:00+08:00`, end: `${date}T17:00:00+08:00`, personId, weight,
		});
		const earlier = [
			day('G1', '2026-02-26', 4),
			day('G2', '2026-02-27', 1),
			{ kind: 'summary', personId: 'G3', assignments: 0 },
			day('A1', '2026-02-25', 10, 'admin', 'Office'),
		];
		const duties: DutyInput[] = [
			{ name: 'Gate A', role: 'guard', shifts: 'Day 08:00-17:00', days: 'schoolDays' },
			{ name: 'Office', role: 'admin', shifts: 'Day 08:00-17:00', days: 'schoolDays' },
		];
		const r = await generateRoster(staff, duties, earlier, { from: '2026-03-02', to: '2026-03-06', calendar: cal, maxPerDay: 1 });
		const carried = Object.fromEntries(r.summary.map((s) => [s.data.personId, s.data.carriedLoad]));
		// G3 was on the staff (summary row) and never picked: 0. G4 is new: the mean of the known
		// guards (4 + 1 + 0) / 3. A1's admin history stays in admin: as a guard A1 is new too.
		expect(carried).toEqual({ G1: 4, G2: 1, G3: 0, G4: 1.667, A1: 11.667 });
		const count = (id: string) => r.assignments.filter((a) => a.data.personId === id && a.data.role === 'guard').length;
		expect(count('G3')).toBeGreaterThan(count('G1'));
	});
});
