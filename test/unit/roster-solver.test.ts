/**
 * The exact solver against exhaustive search on small instances, and the hard rules checked by a
 * rule checker that shares no code with the package (test/helpers/rosterChecker.ts). The search
 * below builds its own shifts with luxon: it uses nothing of nodes/DutyRoster.
 */
import { DateTime } from 'luxon';
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { generateRoster, type DutyInput, type GenerateResult } from '../../nodes/DutyRoster/roster';
import { checkRoster, spreadByRole, type Rec } from '../helpers/rosterChecker';

const cal = new SchoolCalendar();
const ZONE = 'Asia/Shanghai';

interface Person {
	id: string;
	leave: string[];
	cap: number;
}
interface Seat {
	slot: number;
	s: number;
	e: number;
	date: string;
	week: string;
	weight: number;
}

/** Every seat of a daily duty over the dates, with this test's own times and weights. */
function seatsOf(shifts: Array<[string, string]>, need: number, from: string, days: number): Seat[] {
	const out: Seat[] = [];
	let slot = 0;
	for (let k = 0; k < days; k++) {
		const d = DateTime.fromISO(from, { zone: ZONE }).plus({ days: k });
		for (const [a, b] of shifts) {
			const s = d.set({ hour: Number(a.slice(0, 2)), minute: Number(a.slice(3)) });
			let e = d.set({ hour: Number(b.slice(0, 2)), minute: Number(b.slice(3)) });
			if (e <= s) e = e.plus({ days: 1 });
			const night = e.day !== s.day || s.hour < 5;
			const weekend = d.weekday >= 6;
			const weight = (night ? 1.5 : 1) * (weekend ? 1.5 : 1);
			for (let n = 0; n < need; n++) out.push({ slot, s: s.toMillis(), e: e.toMillis(), date: d.toISODate() as string, week: `${d.weekYear}-${d.weekNumber}`, weight });
			slot++;
		}
	}
	return out;
}

/** Exhaustive search: the most seats filled, then the smallest spread of weighted load. */
function bruteForce(people: Person[], seats: Seat[], restHours: number): { filled: number; spread: number } {
	const rest = restHours * 3_600_000;
	const held: Seat[][] = people.map(() => []);
	const load = people.map(() => 0);
	let best = { filled: -1, spread: Infinity };
	const ok = (p: number, seat: Seat) => {
		const touched = [seat.date, DateTime.fromMillis(seat.e - 1, { zone: ZONE }).toISODate() as string];
		if (touched.some((d) => people[p].leave.includes(d))) return false;
		for (const h of held[p]) {
			if (h.slot === seat.slot || h.date === seat.date) return false;
			if (seat.s < h.e + rest && h.s < seat.e + rest) return false;
		}
		return held[p].filter((h) => h.week === seat.week).length < people[p].cap;
	};
	const go = (i: number, filled: number) => {
		if (filled + (seats.length - i) < best.filled) return;
		if (i === seats.length) {
			const spread = Math.max(...load) - Math.min(...load);
			if (filled > best.filled || spread < best.spread - 1e-9) best = { filled, spread };
			return;
		}
		for (let p = 0; p < people.length; p++) {
			if (!ok(p, seats[i])) continue;
			held[p].push(seats[i]);
			load[p] += seats[i].weight;
			go(i + 1, filled + 1);
			held[p].pop();
			load[p] -= seats[i].weight;
		}
		go(i + 1, filled);
	};
	go(0, 0);
	return { filled: best.filled, spread: Math.round(best.spread * 1000) / 1000 };
}

function lcg(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const rows = (r: GenerateResult) => r.assignments.map((a) => a.data as unknown as Rec);

describe('exact optima on small instances', () => {
	const rnd = lcg(7);
	const cases = Array.from({ length: 6 }, (_, k) => {
		const n = 3 + (k % 2);
		const days = k < 3 ? 3 : 4;
		const from = k % 2 ? '2026-03-06' : '2026-03-02';
		const people: Person[] = Array.from({ length: n }, (_, i) => {
			const leaveDay = rnd() < 0.4 ? DateTime.fromISO(from).plus({ days: Math.floor(rnd() * days) }).toISODate() : '';
			return { id: `G${i + 1}`, leave: leaveDay ? [leaveDay as string] : [], cap: rnd() < 0.3 ? 2 : 99 };
		});
		const shifts: Array<[string, string]> = k < 3 ? [['07:00', '19:00'], ['19:00', '07:00']] : [['08:00', '16:00']];
		return { k, people, days, from, shifts, need: k < 3 ? 1 : 2, rest: k % 3 === 0 ? 12 : 8 };
	});

	it.each(cases)('instance $k: as many seats as exhaustive search, and the optimal spread', async ({ people, days, from, shifts, need, rest }) => {
		const staff = people.map((p) => ({ id: p.id, name: p.id, roles: 'guard', unavailable: p.leave.join(', '), maxPerWeek: p.cap < 99 ? p.cap : '' }));
		const duty: DutyInput = { name: 'Gate', role: 'guard', peoplePerShift: need, shifts: shifts.map(([a, b], i) => `S${i} ${a}-${b}`).join(', '), days: 'everyDay' };
		const to = DateTime.fromISO(from).plus({ days: days - 1 }).toISODate() as string;
		const r = await generateRoster(staff, [duty], [], { from, to, calendar: cal, minRestHours: rest, timeLimit: 60 });
		const best = bruteForce(people, seatsOf(shifts, need, from, days), rest);
		expect(checkRoster(rows(r), staff, [], { minRestHours: rest })).toEqual([]);
		expect(r.assignments).toHaveLength(best.filled);
		expect(spreadByRole(rows(r), staff).get('guard')).toBe(best.spread);
		expect(r.balance[0].data).toMatchObject({ status: 'optimal', gap: 0, spread: best.spread, openSeatsProven: true });
	});
});

describe('seats that can be filled are filled', () => {
	it('fills as many seats as exhaustive search on a tight roster, and an open seat is proven and explained', async () => {
		// Three guards, one a shift, 12 h rest: each works every third shift. Leave on one day.
		const staff = [
			{ id: 'G1', name: 'Guard 1', roles: 'guard' },
			{ id: 'G2', name: 'Guard 2', roles: 'guard' },
			{ id: 'G3', name: 'Guard 3', roles: 'guard', unavailable: '2026-03-04' },
		];
		const duty: DutyInput = { name: 'Gate', role: 'guard', shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' };
		const opts = { from: '2026-03-02', to: '2026-03-05', calendar: cal, minRestHours: 12 };
		const exact = await generateRoster(staff, [duty], [], { ...opts, timeLimit: 60 });
		const best = bruteForce(
			staff.map((s) => ({ id: s.id, leave: s.unavailable ? [s.unavailable] : [], cap: 99 })),
			seatsOf([['07:00', '19:00'], ['19:00', '07:00']], 1, '2026-03-02', 4),
			12,
		);
		expect(exact.assignments).toHaveLength(best.filled);
		expect(checkRoster(rows(exact), staff, [], { minRestHours: 12 })).toEqual([]);
		for (const u of exact.unfilled) {
			expect(u.data.proven).toBe(true);
			expect(u.data.blockedBy).toMatch(/Guard \d: /);
		}
	});
});
