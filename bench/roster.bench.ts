/**
 * Duty Roster benchmark: speed, balance, and the gap to an exact optimum, beside a plain
 * round-robin that keeps the same hard constraints. Run: node bench/run-ts.js bench/roster.bench.ts
 */
import { SchoolCalendar } from '../nodes/shared/calendar';
import { buildSlots, generateRoster, parseDuties, parseStaff, type DutyInput, type Slot } from '../nodes/DutyRoster/roster';

const cal = new SchoolCalendar();
const ZONE = 'Asia/Shanghai';
const WEIGHTS = { zone: ZONE, nightWeight: 1.5, holidayWeight: 1.5 };
const REST_MS = 8 * 3_600_000;

/** A small deterministic random source (the same figures on every run). */
function lcg(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

type Staff = Array<Record<string, unknown>>;

// --- An independent checker of the hard constraints, used by round-robin and the exact search.
interface P {
	id: string;
	roles: Set<string>;
	leave: Set<string>;
	held: Array<{ s: number; e: number; slot: Slot }>;
	load: number;
}

function people(staff: Staff): P[] {
	return parseStaff(staff).people.map((p) => {
		const leave = new Set<string>();
		for (const [a, b] of p.unavailable) {
			for (let d = new Date(`${a}T00:00:00Z`); d.toISOString().slice(0, 10) <= b; d.setUTCDate(d.getUTCDate() + 1)) leave.add(d.toISOString().slice(0, 10));
		}
		return { id: p.id, roles: p.roleKeys, leave, held: [], load: 0 };
	});
}

function feasible(p: P, slot: Slot): boolean {
	if (!p.roles.has(slot.duty.roleKey)) return false;
	if (slot.touches.some((d) => p.leave.has(d))) return false;
	for (const iv of slot.intervals) {
		for (const h of p.held) if (iv.s < h.e + REST_MS && h.s < iv.e + REST_MS) return false;
	}
	if (slot.duty.cadence === 'daily' && p.held.some((h) => h.slot.duty.cadence === 'daily' && h.slot.date === slot.date)) return false;
	return true;
}

function take(p: P, slot: Slot) {
	for (const iv of slot.intervals) p.held.push({ s: iv.s, e: iv.e, slot });
	p.load += slot.weight;
}

function drop(p: P, slot: Slot) {
	p.held = p.held.filter((h) => h.slot !== slot);
	p.load -= slot.weight;
}

function slotsOf(duties: DutyInput[], from: string, to: string): Slot[] {
	return buildSlots(parseDuties(duties), from, to, cal, WEIGHTS);
}

function spreadByRole(ps: P[], slots: Slot[]): number {
	let worst = 0;
	for (const role of new Set(slots.map((s) => s.duty.roleKey))) {
		const loads = ps.filter((p) => p.roles.has(role)).map((p) => p.load);
		worst = Math.max(worst, Math.max(...loads) - Math.min(...loads));
	}
	return worst;
}

function roundRobin(staff: Staff, duties: DutyInput[], from: string, to: string) {
	const ps = people(staff);
	const slots = slotsOf(duties, from, to);
	const next = new Map<string, number>();
	let unfilled = 0;
	for (const slot of slots) {
		const pool = ps.filter((p) => p.roles.has(slot.duty.roleKey));
		let k = next.get(slot.duty.roleKey) ?? 0;
		let got = 0;
		for (let tries = 0; tries < pool.length && got < slot.need; tries++) {
			const p = pool[k % pool.length];
			k++;
			if (!p.held.some((h) => h.slot === slot) && feasible(p, slot)) {
				take(p, slot);
				got++;
			}
		}
		next.set(slot.duty.roleKey, k);
		unfilled += slot.need - got;
	}
	return { unfilled, spread: spreadByRole(ps, slots) };
}

function ours(staff: Staff, duties: DutyInput[], from: string, to: string) {
	const r = generateRoster(staff, duties, [], { from, to, calendar: cal, zone: ZONE });
	const unfilled = r.unfilled.reduce((s, u) => s + u.data.missing, 0);
	return { unfilled, spread: Math.max(...r.balance.map((b) => b.data.spread)), maxShift: Math.max(...r.balance.map((b) => b.data.maxShiftWeight)), result: r };
}

/** Exact optimum by depth-first search: fewest unfilled seats, then the smallest spread. */
function exact(staff: Staff, duties: DutyInput[], from: string, to: string) {
	const ps = people(staff);
	const slots = slotsOf(duties, from, to);
	const seats: Slot[] = slots.flatMap((s) => Array.from({ length: s.need }, () => s));
	let best = { unfilled: Infinity, spread: Infinity };
	let nodes = 0;
	const go = (i: number, unfilled: number) => {
		nodes++;
		if (unfilled > best.unfilled) return;
		if (i === seats.length) {
			const spread = Math.max(...ps.map((p) => p.load)) - Math.min(...ps.map((p) => p.load));
			if (unfilled < best.unfilled || spread < best.spread - 1e-9) best = { unfilled, spread };
			return;
		}
		const slot = seats[i];
		// Symmetry: within one slot, seats take people in index order.
		const prev = i > 0 && seats[i - 1] === slot ? ps.findIndex((p) => p.held.some((h) => h.slot === slot && p.held[p.held.length - 1].slot === slot)) : -1;
		for (let k = prev + 1; k < ps.length; k++) {
			const p = ps[k];
			if (p.held.some((h) => h.slot === slot) || !feasible(p, slot)) continue;
			take(p, slot);
			if (Math.max(...ps.map((x) => x.load)) - Math.min(...ps.map((x) => x.load)) - (seats.length - i) * 2.25 < best.spread || unfilled < best.unfilled) go(i + 1, unfilled);
			drop(p, slot);
		}
		go(i + 1, unfilled + 1);
	};
	go(0, 0);
	return { ...best, nodes };
}

function fmt(x: number) {
	return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '-';
}

function line(cells: Array<string | number>, widths: number[]) {
	return cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
}

// --- 1. Speed: 200 staff x 6 duties x 120 days.
{
	const rnd = lcg(42);
	const staff: Staff = [];
	const leave = () => {
		if (rnd() < 0.7) return '';
		const start = 1 + Math.floor(rnd() * 110);
		const a = new Date(Date.UTC(2026, 2, 2 + start));
		const b = new Date(a.getTime() + Math.floor(rnd() * 7) * 86_400_000);
		return `${a.toISOString().slice(0, 10)}..${b.toISOString().slice(0, 10)}`;
	};
	for (let i = 0; i < 200; i++) {
		const roles = i < 70 ? 'guard' : i < 100 ? 'administrator, cadre' : 'teacher';
		staff.push({ id: `S${i}`, name: `Staff ${i}`, roles, unavailable: leave(), maxPerWeek: i % 10 === 0 ? 4 : '' });
	}
	const duties: DutyInput[] = [
		{ name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' },
		{ name: 'Gate B', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' },
		{ name: 'Back gate', role: 'guard', peoplePerShift: 1, shifts: 'Morning 06:30-09:00, Evening 16:00-18:30', days: 'schoolDays' },
		{ name: 'Administrator on duty', role: 'administrator', shifts: 'Day 07:30-17:30', days: 'everyDay' },
		{ name: 'Duty cadre', role: 'cadre', shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'weekly' },
		{ name: 'Duty teachers', role: 'teacher', peoplePerShift: 4, shifts: 'Lunch 11:30-13:30', days: 'schoolDays', cadence: 'weekly' },
	];
	const from = '2026-03-02';
	const to = '2026-06-29';
	ours(staff, duties, from, '2026-03-08'); // warm-up
	const runs: number[] = [];
	let o = ours(staff, duties, from, to);
	for (let k = 0; k < 3; k++) {
		const t0 = Date.now();
		o = ours(staff, duties, from, to);
		runs.push(Date.now() - t0);
	}
	const t0 = Date.now();
	const rr = roundRobin(staff, duties, from, to);
	const rrMs = Date.now() - t0;
	const median = runs.sort((a, b) => a - b)[1];
	console.log('Duty Roster benchmark\n');
	console.log(`1. 200 staff x 6 duties x 120 days (${o.result.assignments.length} assignment rows)`);
	const w = [22, 16, 16];
	console.log(line(['', 'Duty Roster', 'round-robin'], w));
	console.log(line(['time (ms)', `${median} (target < 2000) ${median < 2000 ? 'OK' : 'SLOW'}`, rrMs], w));
	console.log(line(['unfilled seats', o.unfilled, rr.unfilled], w));
	console.log(line(['worst spread by role', fmt(o.spread), fmt(rr.spread)], w));
	for (const b of o.result.balance) console.log(`   ${b.data.role}: ${b.data.people} people, load ${b.data.minLoad}..${b.data.maxLoad}, spread ${b.data.spread}, heaviest shift ${b.data.maxShiftWeight}`);
}

// --- 2. Where a perfectly balanced roster exists, the spread is at most one shift's weight.
{
	console.log('\n2. Balanced instances: spread <= one shift weight?');
	const w = [44, 18, 14, 8];
	console.log(line(['instance', 'Duty Roster', 'round-robin', 'target'], w));
	const cases: Array<[string, Staff, DutyInput[], string, string]> = [
		['8 guards, 2 per shift, day + night, 4 weeks', Array.from({ length: 8 }, (_, i) => ({ id: `G${i}`, name: `G${i}`, roles: 'guard' })), [{ name: 'Gate', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' }], '2026-03-02', '2026-03-29'],
		['7 admins, 1 a day, every day, 8 weeks', Array.from({ length: 7 }, (_, i) => ({ id: `A${i}`, name: `A${i}`, roles: 'admin' })), [{ name: 'Admin', role: 'admin', shifts: '07:30-17:30', days: 'everyDay' }], '2026-03-02', '2026-04-26'],
		['6 cadres, weekly, 12 weeks', Array.from({ length: 6 }, (_, i) => ({ id: `C${i}`, name: `C${i}`, roles: 'cadre' })), [{ name: 'Cadre', role: 'cadre', shifts: '07:30-17:30', days: 'schoolDays', cadence: 'weekly' }], '2026-03-02', '2026-05-24'],
	];
	for (const [name, staff, duties, from, to] of cases) {
		const o = ours(staff, duties, from, to);
		const rr = roundRobin(staff, duties, from, to);
		const ok = o.spread <= o.maxShift + 1e-9 ? 'OK' : 'MISS';
		console.log(line([name, `${fmt(o.spread)} ${ok}`, fmt(rr.spread), `<= ${fmt(o.maxShift)}`], w));
	}
}

// --- 3. Small instances: gap to the exact optimum.
{
	console.log('\n3. Small instances against an exact optimum (unfilled seats / spread)');
	const w = [46, 14, 14, 14, 8];
	console.log(line(['instance', 'optimum', 'Duty Roster', 'round-robin', 'gap'], w));
	const small: Array<[string, Staff, DutyInput[], string, string]> = [
		[
			'4 people, 1 a day, 10 days, weekends, leave',
			[
				{ id: 'a', name: 'a', roles: 'x', unavailable: '2026-03-03..2026-03-05' },
				{ id: 'b', name: 'b', roles: 'x' },
				{ id: 'c', name: 'c', roles: 'x', unavailable: '2026-03-07' },
				{ id: 'd', name: 'd', roles: 'x' },
			],
			[{ name: 'Duty', role: 'x', shifts: '08:00-17:00', days: 'everyDay' }],
			'2026-03-02',
			'2026-03-11',
		],
		[
			'4 guards, day + night, 5 days, rest 8 h',
			Array.from({ length: 4 }, (_, i) => ({ id: `g${i}`, name: `g${i}`, roles: 'guard', unavailable: i === 0 ? '2026-03-04' : '' })),
			[{ name: 'Gate', role: 'guard', shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' }],
			'2026-03-04',
			'2026-03-08',
		],
		[
			'5 people, 2 a day, 6 days, uneven leave',
			Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, name: `p${i}`, roles: 'x', unavailable: i < 2 ? `2026-03-0${3 + i}..2026-03-0${5 + i}` : '' })),
			[{ name: 'Duty', role: 'x', peoplePerShift: 2, shifts: '08:00-12:00', days: 'everyDay' }],
			'2026-03-05',
			'2026-03-10',
		],
	];
	for (const [name, staff, duties, from, to] of small) {
		const ex = exact(staff, duties, from, to);
		const o = ours(staff, duties, from, to);
		const rr = roundRobin(staff, duties, from, to);
		const cell = (x: { unfilled: number; spread: number }) => `${x.unfilled} / ${fmt(x.spread)}`;
		console.log(line([name, cell(ex), cell(o), cell(rr), `${fmt(o.spread - ex.spread)}`], w));
	}
}
