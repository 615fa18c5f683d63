/**
 * Duty Roster benchmark: speed, seats filled, and the weighted-load spread beside the optimum or
 * the best proven bound and the gap, per instance; a plain round-robin that keeps the same hard
 * constraints for comparison; every roster checked by a rule checker that shares no code with the
 * package (test/helpers/rosterChecker.ts). Run: npm run bench roster
 */
import { SchoolCalendar } from '../nodes/shared/calendar';
import { buildSlots, generateRoster, parseDuties, parseStaff, type DutyInput, type GenerateOptions, type Slot } from '../nodes/DutyRoster/roster';
import { checkRoster } from '../test/helpers/rosterChecker';

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

async function ours(staff: Staff, duties: DutyInput[], from: string, to: string, extra: Partial<GenerateOptions> = {}, earlier: Staff = []) {
	const r = await generateRoster(staff, duties, earlier, { from, to, calendar: cal, zone: ZONE, ...extra });
	const unfilled = r.unfilled.reduce((s, u) => s + u.data.missing, 0);
	const broken = checkRoster(r.assignments.map((a) => a.data as unknown as Record<string, unknown>), staff, earlier, { minRestHours: extra.minRestHours ?? 8, maxPerDay: extra.maxPerDay ?? 1, maxPerWeek: extra.maxPerWeek ?? 0 }).length;
	return { unfilled, spread: Math.max(...r.balance.map((b) => b.data.spread)), broken, result: r };
}

/** spread / bound / gap / status per role, in one cell. */
function quality(r: Awaited<ReturnType<typeof ours>>['result']) {
	return r.balance.map((b) => `${b.data.role} ${fmt(b.data.totalSpread)}/${fmt(b.data.bound)}/${fmt(b.data.gap)} ${b.data.status}`).join('; ');
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

const guardsOf = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Staff =>
	Array.from({ length: n }, (_, i) => ({ id: `G${i + 1}`, name: `Guard ${i + 1}`, roles: 'guard', ...extra(i) }));
const GATE: DutyInput = { name: 'Gate', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay' };

async function main() {
	console.log('Duty Roster benchmark');
	console.log('Cells "spread/bound/gap status": the weighted-load spread (with carried load), the best proven lower bound, their');
	console.log('difference, and optimal (proven), limit (the exact solver stopped at its node limit) or heuristic (too large for an exact solve).');

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
		await ours(staff, duties, from, '2026-03-08'); // warm-up
		const runs: number[] = [];
		let o = await ours(staff, duties, from, to);
		for (let k = 0; k < 3; k++) {
			const t0 = Date.now();
			o = await ours(staff, duties, from, to);
			runs.push(Date.now() - t0);
		}
		const t0 = Date.now();
		const rr = roundRobin(staff, duties, from, to);
		const rrMs = Date.now() - t0;
		const median = runs.sort((a, b) => a - b)[1];
		console.log(`\n1. 200 staff x 6 duties x 120 days (${o.result.assignments.length} assignment rows), default rules`);
		const w = [22, 22, 16];
		console.log(line(['', 'Duty Roster', 'round-robin'], w));
		console.log(line(['time (ms, median of 3)', `${median} (target < 2000) ${median < 2000 ? 'OK' : 'SLOW'}`, rrMs], w));
		console.log(line(['unfilled seats', o.unfilled, rr.unfilled], w));
		console.log(line(['rules broken (checker)', o.broken, '-'], w));
		console.log(line(['worst spread by role', fmt(o.spread), fmt(rr.spread)], w));
		for (const b of o.result.balance) {
			console.log(`   ${b.data.role}: ${b.data.people} people, load ${b.data.minLoad}..${b.data.maxLoad}, spread ${b.data.spread}, bound ${b.data.bound}, gap ${b.data.gap}, ${b.data.status}${b.data.solvedWith ? ` (with ${b.data.solvedWith})` : ''}`);
		}
	}

	// --- 2. Balanced instances: spread against the optimum or bound.
	{
		console.log('\n2. Balanced instances');
		const w = [44, 34, 12, 8];
		console.log(line(['instance', 'spread/bound/gap status', 'round-robin', 'ms'], w));
		const cases: Array<[string, Staff, DutyInput[], string, string]> = [
			['8 guards, 2 per shift, day + night, 4 weeks', guardsOf(8), [GATE], '2026-03-02', '2026-03-29'],
			['7 admins, 1 a day, every day, 8 weeks', Array.from({ length: 7 }, (_, i) => ({ id: `A${i}`, name: `A${i}`, roles: 'admin' })), [{ name: 'Admin', role: 'admin', shifts: '07:30-17:30', days: 'everyDay' }], '2026-03-02', '2026-04-26'],
			['6 cadres, weekly, 12 weeks', Array.from({ length: 6 }, (_, i) => ({ id: `C${i}`, name: `C${i}`, roles: 'cadre' })), [{ name: 'Cadre', role: 'cadre', shifts: '07:30-17:30', days: 'schoolDays', cadence: 'weekly' }], '2026-03-02', '2026-05-24'],
		];
		for (const [name, staff, duties, from, to] of cases) {
			const t0 = Date.now();
			const o = await ours(staff, duties, from, to);
			const ms = Date.now() - t0;
			const rr = roundRobin(staff, duties, from, to);
			console.log(line([name, quality(o.result), fmt(rr.spread), ms], w));
		}
	}

	// --- 3. Small instances: the exact optimum by exhaustive search (bench code, not the package's solver).
	{
		console.log('\n3. Small instances against an exact optimum by exhaustive search (unfilled seats / spread)');
		const w = [46, 12, 14, 12, 30];
		console.log(line(['instance', 'optimum', 'Duty Roster', 'round-robin', 'spread/bound/gap status'], w));
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
			const o = await ours(staff, duties, from, to);
			const rr = roundRobin(staff, duties, from, to);
			const cell = (x: { unfilled: number; spread: number }) => `${x.unfilled} / ${fmt(x.spread)}`;
			console.log(line([name, cell(ex), cell(o), cell(rr), quality(o.result)], w));
		}
	}

	// --- 4. Tight capacity, leave clustered on a holiday, a month boundary.
	{
		console.log('\n4. Hard cases: open seats and rules broken, exact solver against the heuristic alone (time limit 0)');
		const w = [58, 10, 10, 8, 44];
		console.log(line(['instance', 'open', 'heur. open', 'broken', 'spread/bound/gap status'], w));
		const tight: Array<[string, Staff, DutyInput[], string, string, Partial<GenerateOptions>]> = [
			['tight: 5 guards, 1 a shift, day + night, cap 3 a week, 2 weeks', guardsOf(5, () => ({ maxPerWeek: 3 })), [{ ...GATE, peoplePerShift: 1 }], '2026-03-02', '2026-03-15', { minRestHours: 12 }],
			['tight: 6 guards, 2 a shift, day + night, rest 12 h, leave', guardsOf(6, (i) => (i < 2 ? { unavailable: i ? '2026-03-04' : '2026-03-02..2026-03-03' } : {})), [GATE], '2026-03-02', '2026-03-08', { minRestHours: 12 }],
			['tight: 4 admins + cadre weekly, shared staff, cap 4', [{ id: 'A', name: 'A', roles: 'admin, cadre' }, { id: 'B', name: 'B', roles: 'admin, cadre' }, { id: 'C', name: 'C', roles: 'admin' }, { id: 'D', name: 'D', roles: 'admin', unavailable: '2026-03-09..2026-03-11' }], [{ name: 'Admin', role: 'admin', shifts: '07:30-17:30', days: 'everyDay' }, { name: 'Cadre', role: 'cadre', shifts: '18:00-21:00', days: 'schoolDays', cadence: 'weekly' }], '2026-03-02', '2026-03-15', { maxPerWeek: 4 }],
			['holiday: 10 guards, half on leave over National Day', guardsOf(10, (i) => (i % 2 ? { unavailable: '2026-10-01..2026-10-07' } : {})), [GATE], '2026-09-28', '2026-10-11', {}],
		];
		for (const [name, staff, duties, from, to, extra] of tight) {
			const o = await ours(staff, duties, from, to, extra);
			const h = await ours(staff, duties, from, to, { ...extra, timeLimit: 0 });
			console.log(line([name, o.unfilled, h.unfilled, o.broken, quality(o.result)], w));
		}
		// Random tight rosters: capacity (people x weekly cap) close to the seats, 12 h rest, leave.
		let heurOpen = 0;
		let exactOpen = 0;
		let proven = 0;
		let optimal = 0;
		const rnd = lcg(2026);
		const N = 12;
		for (let k = 0; k < N; k++) {
			const n = 4 + Math.floor(rnd() * 3);
			const staff = guardsOf(n, () => ({ maxPerWeek: 2 + Math.floor(rnd() * 3), unavailable: rnd() < 0.5 ? `2026-03-0${2 + Math.floor(rnd() * 6)}` : '' }));
			const duty: DutyInput = { ...GATE, peoplePerShift: 1 };
			const o = await ours(staff, [duty], '2026-03-02', '2026-03-08', { minRestHours: 12 });
			const h = await ours(staff, [duty], '2026-03-02', '2026-03-08', { minRestHours: 12, timeLimit: 0 });
			heurOpen += h.unfilled;
			exactOpen += o.unfilled;
			if (o.result.balance[0].data.openSeatsProven) proven++;
			if (o.result.balance[0].data.status === 'optimal') optimal++;
		}
		console.log(line([`${N} random tight weeks (4-6 guards, caps 2-4, rest 12 h)`, exactOpen, heurOpen, '-', `open seats proven ${proven}/${N}, spread optimal ${optimal}/${N}`], w));
		// A month boundary: September, then October with September's rows as the earlier roster.
		const staff = [...guardsOf(6), ...Array.from({ length: 5 }, (_, i) => ({ id: `T${i}`, name: `T${i}`, roles: 'teacher', maxPerWeek: 3 }))];
		const duties: DutyInput[] = [GATE, { name: 'Lunch', role: 'teacher', peoplePerShift: 2, shifts: '11:30-13:30', days: 'everyDay' }];
		const sep = await ours(staff, duties, '2026-09-01', '2026-09-30');
		const sepRows = sep.result.assignments.map((a) => a.data as unknown as Record<string, unknown>);
		const oct = await ours(staff, duties, '2026-10-01', '2026-10-31', {}, sepRows);
		const blind = await generateRoster(staff, duties, [], { from: '2026-10-01', to: '2026-10-31', calendar: cal, zone: ZONE });
		const blindBroken = checkRoster(blind.assignments.map((a) => a.data as unknown as Record<string, unknown>), staff, sepRows, {}).length;
		console.log(line(['boundary: October after September (earlier rows given)', oct.unfilled, '-', oct.broken, quality(oct.result)], w));
		console.log(line(['boundary: October planned without September rows', blind.unfilled.length, '-', blindBroken, '(rules broken at the boundary)'], w));
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
