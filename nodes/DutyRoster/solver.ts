/**
 * The exact solver: the roster as a mixed-integer programme, solved by HiGHS (WebAssembly, the
 * `highs` package). One variable per person and slot they may take; the hard rules as rows (a
 * clique row per moment where shifts, widened by the rest time, overlap; caps per day and per
 * week less the earlier roster's count). First the most seats filled, then, with that many
 * seats, the smallest sum of weighted-load spreads of the roles. Each group of roles that share
 * staff is one programme. It starts from the heuristic roster and keeps it when it finds nothing
 * better; it reports the best bound it proved. Each solve stops at a node limit, the same on every
 * run; one stopped by the time limit instead is not used, so the same input gives the same roster.
 * A fresh solver instance per call: no state is kept between executions. Pure TypeScript.
 */
import loadHighs from 'highs';
import { round } from './model';
import { assign, eligible, unassign, type State } from './constraints';
import { honourPreferences, type Problem } from './heuristic';
import type { Slot } from './slots';

export interface Quality {
	roles: string[];
	status: 'optimal' | 'limit' | 'heuristic';
	/** Sum of the roles' total spreads, and the proven lower bound of that sum. */
	spread: number;
	bound: number;
	seats: number;
	filled: number;
	/** Whether no roster fills more seats of these roles (proven). */
	fillProven: boolean;
}

export interface SolverOptions {
	/** Seconds the exact solver may use in all (default 30): a safety limit, see maxNodes. */
	timeLimit?: number;
	/** Above this many person-slot variables a group is left to the heuristic (default 1500). */
	maxVariables?: number;
	/** Branch-and-bound nodes per solve (default 200): the search stops the same way on every run. */
	maxNodes?: number;
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;

interface Row {
	idx: number[];
	val: number[];
	lo: number;
	hi: number;
}

/** Groups of role keys that share staff (connected through people with several roles). */
export function roleGroups(pb: Problem): string[][] {
	const parent = new Map<string, string>();
	const find = (r: string): string => {
		const p = parent.get(r) as string;
		if (p === r) return r;
		const root = find(p);
		parent.set(r, root);
		return root;
	};
	for (const r of pb.pools.keys()) parent.set(r, r);
	for (const st of pb.states.values()) {
		const rs = [...st.person.roleKeys].filter((r) => parent.has(r));
		for (let i = 1; i < rs.length; i++) parent.set(find(rs[i]), find(rs[0]));
	}
	const groups = new Map<string, string[]>();
	for (const r of pb.pools.keys()) groups.set(find(r), [...(groups.get(find(r)) ?? []), r]);
	return [...groups.values()];
}

function spreadOf(pb: Problem, roles: string[]): number {
	let sum = 0;
	for (const r of roles) {
		const loads = (pb.pools.get(r) ?? []).map((st) => st.load.get(r) ?? 0);
		if (loads.length) sum += Math.max(...loads) - Math.min(...loads);
	}
	return round(sum);
}

/**
 * A bound that needs no solve, per role, summed. With nothing carried: fewer seats than people
 * leave someone at 0 while someone holds a seat (the heaviest, when every seat is filled); with
 * every seat filled, loads are multiples of the weights' common divisor g, so when the mean is not
 * one the spread is at least g.
 */
export function cheapBound(pb: Problem, roles: string[]): number {
	let sum = 0;
	for (const r of roles) {
		const pool = pb.pools.get(r) ?? [];
		const slots = pb.slots.filter((s) => s.duty.roleKey === r);
		if (!pool.length || !slots.length || new Set(pool.map((st) => st.carried.get(r) ?? 0)).size !== 1) continue;
		const filled = slots.reduce((a, s) => a + s.assigned.length, 0);
		const seats = slots.reduce((a, s) => a + s.need, 0);
		const units = slots.map((s) => Math.round(s.weight * 1000));
		const g = units.reduce((a, b) => gcd(a, b));
		const total = slots.reduce((a, s) => a + Math.round(s.weight * 1000) * s.assigned.length, 0);
		let b = 0;
		// Someone has none; someone holds the heaviest filled seat (every seat's, when all are filled).
		if (filled > 0 && filled < pool.length) b = (filled === seats ? Math.max(...units) : Math.min(...units)) / 1000;
		else if (filled === seats && (total % pool.length !== 0 || (total / pool.length) % g !== 0)) b = g / 1000;
		sum += b;
	}
	return round(sum);
}

function gcd(a: number, b: number): number {
	return b === 0 ? a : gcd(b, a % b);
}

export async function solveExact(pb: Problem, options: SolverOptions = {}): Promise<Quality[]> {
	const deadline = Date.now() + (options.timeLimit ?? 30) * 1000;
	const maxVars = options.maxVariables ?? 1500;
	const maxNodes = options.maxNodes ?? 200;
	const out: Quality[] = [];
	let highs: Highs | undefined;
	const groups = roleGroups(pb);
	for (const [gi, roles] of groups.entries()) {
		const roleSet = new Set(roles);
		const slots = pb.slots.filter((s) => roleSet.has(s.duty.roleKey));
		const people = [...new Set(roles.flatMap((r) => pb.pools.get(r) ?? []))];
		const cols: Array<{ st: State; slot: Slot }> = [];
		for (const slot of slots) for (const st of pb.pools.get(slot.duty.roleKey) ?? []) if (eligible(st, slot, pb.lim)) cols.push({ st, slot });
		const seats = slots.reduce((a, s) => a + s.need, 0);
		const filled = slots.reduce((a, s) => a + s.assigned.length, 0);
		const q: Quality = { roles, status: 'heuristic', spread: spreadOf(pb, roles), bound: 0, seats, filled, fillProven: filled === seats };
		q.bound = Math.min(q.spread, cheapBound(pb, roles));
		// This group's share of the time that is left.
		const seconds = (deadline - Date.now()) / 1000 / (groups.length - gi);
		const groupEnd = Date.now() + seconds * 1000;
		if (cols.length === 0 || cols.length > maxVars || seconds < 0.05) {
			if (q.fillProven && q.spread - q.bound < 1e-9) q.status = 'optimal';
			out.push(q);
			continue;
		}
		highs ??= await loadHighs();
		const rows = hardRows(pb, cols, slots, people);
		const current = () => cols.map((c) => (c.st.slots.has(c.slot.index) ? 1 : 0));

		// Phase 1: the most seats filled (only when some are open).
		if (filled < seats) {
			const r = run(highs, cols.length, 0, rows, Array(cols.length).fill(1), true, current(), Math.max(0.05, seconds / 2), maxNodes);
			if (r.x) {
				const f = r.x.reduce((a: number, v: number) => a + (v > 0.5 ? 1 : 0), 0);
				if (f > filled) apply(pb, cols, slots, r.x);
			}
			q.filled = slots.reduce((a, s) => a + s.assigned.length, 0);
			q.fillProven = r.optimal || q.filled === seats || Math.floor(r.bound + 1e-6) <= q.filled;
		}

		// Phase 2: as many seats, the smallest sum of spreads (hi_r - lo_r per role).
		const n = cols.length;
		const extra = roles.length * 2;
		const balanceRows: Row[] = [{ idx: cols.map((_, j) => j), val: cols.map(() => 1), lo: q.filled, hi: Infinity }];
		roles.forEach((r, k) => {
			const hi = n + 2 * k;
			const lo = hi + 1;
			for (const st of pb.pools.get(r) ?? []) {
				const idx: number[] = [];
				const val: number[] = [];
				cols.forEach((c, j) => {
					if (c.st === st && c.slot.duty.roleKey === r) {
						idx.push(j);
						val.push(-c.slot.weight);
					}
				});
				const carried = st.carried.get(r) ?? 0;
				balanceRows.push({ idx: [hi, ...idx], val: [1, ...val], lo: carried, hi: Infinity });
				balanceRows.push({ idx: [lo, ...idx], val: [1, ...val], lo: -Infinity, hi: carried });
			}
		});
		const cost = [...Array(n).fill(0), ...roles.flatMap(() => [1, -1])];
		const start = [...current(), ...roles.flatMap((r) => {
			const loads = (pb.pools.get(r) ?? []).map((st) => st.load.get(r) ?? 0);
			return [Math.max(...loads), Math.min(...loads)];
		})];
		const left = (groupEnd - Date.now()) / 1000;
		if (left > 0.05) {
			const r = run(highs, n + extra, extra, [...rows, ...balanceRows], cost, false, start, left, maxNodes);
			if (r.x && r.objective < q.spread - 1e-7) apply(pb, cols, slots, r.x);
			q.spread = spreadOf(pb, roles);
			q.bound = round(Math.min(q.spread, Math.max(cheapBound(pb, roles), r.bound)));
			q.status = r.optimal ? 'optimal' : 'limit';
			if (r.optimal) q.bound = q.spread;
		}
		// A bound that meets the spread proves it, whoever found the roster.
		if (q.fillProven && q.spread - q.bound < 1e-9) q.status = 'optimal';
		out.push(q);
	}
	honourPreferences(pb);
	return out;
}

/** The hard rules as rows over the person-slot columns. */
function hardRows(pb: Problem, cols: Array<{ st: State; slot: Slot }>, slots: Slot[], people: State[]): Row[] {
	const rows: Row[] = [];
	const bySlot = new Map<number, number[]>();
	cols.forEach((c, j) => bySlot.set(c.slot.index, [...(bySlot.get(c.slot.index) ?? []), j]));
	for (const s of slots) {
		const js = bySlot.get(s.index) ?? [];
		if (js.length > s.need) rows.push({ idx: js, val: js.map(() => 1), lo: -Infinity, hi: s.need });
	}
	const R = pb.lim.restMs;
	for (const st of people) {
		const mine = cols.map((c, j) => [c, j] as const).filter(([c]) => c.st === st);
		if (mine.length < 2) continue;
		// Cliques: at each interval start, every slot whose interval (widened by the rest) covers it.
		const ivs = mine.flatMap(([c, j]) => c.slot.intervals.map((iv) => ({ s: iv.s, e: iv.e + R, j }))).sort((a, b) => a.s - b.s);
		let active: typeof ivs = [];
		const seen = new Set<string>();
		for (const iv of ivs) {
			active = active.filter((a) => a.e > iv.s);
			active.push(iv);
			const js = [...new Set(active.map((a) => a.j))].sort((a, b) => a - b);
			const key = js.join(',');
			if (js.length > 1 && !seen.has(key)) {
				seen.add(key);
				rows.push({ idx: js, val: js.map(() => 1), lo: -Infinity, hi: 1 });
			}
		}
		const byDay = new Map<string, number[]>();
		const byWeek = new Map<string, number[]>();
		for (const [c, j] of mine) {
			if (c.slot.duty.cadence === 'daily') byDay.set(c.slot.date, [...(byDay.get(c.slot.date) ?? []), j]);
			byWeek.set(c.slot.weekKey, [...(byWeek.get(c.slot.weekKey) ?? []), j]);
		}
		for (const [d, js] of byDay) {
			const cap = pb.lim.maxPerDay - (st.histDay.get(d) ?? 0);
			if (js.length > cap) rows.push({ idx: js, val: js.map(() => 1), lo: -Infinity, hi: cap });
		}
		for (const [w, js] of byWeek) {
			const cap = st.weekCap - (st.histWeek.get(w) ?? 0);
			if (js.length > cap) rows.push({ idx: js, val: js.map(() => 1), lo: -Infinity, hi: cap });
		}
	}
	return rows;
}

function run(highs: Highs, numCols: number, continuous: number, rows: Row[], cost: number[], maximize: boolean, start: number[], seconds: number, nodes: number) {
	const starts = new Int32Array(rows.length + 1);
	let nz = 0;
	rows.forEach((r, i) => {
		nz += r.idx.length;
		starts[i + 1] = nz;
	});
	const indices = new Int32Array(nz);
	const values = new Float64Array(nz);
	let k = 0;
	for (const r of rows) {
		for (let t = 0; t < r.idx.length; t++) {
			indices[k] = r.idx[t];
			values[k++] = r.val[t];
		}
	}
	const binaries = numCols - continuous;
	const inf = highs.infinity;
	const model = highs.createModel({
		numCols,
		numRows: rows.length,
		sense: maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
		colCost: cost,
		colLower: Array(numCols).fill(0),
		colUpper: Array.from({ length: numCols }, (_, j) => (j < binaries ? 1 : inf)),
		rowLower: rows.map((r) => (r.lo === -Infinity ? -inf : r.lo)),
		rowUpper: rows.map((r) => (r.hi === Infinity ? inf : r.hi)),
		matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
		integrality: Array.from({ length: numCols }, (_, j) => (j < binaries ? 1 : 0)) as never,
	});
	try {
		// A node limit stops the search the same way on every run (the time limit is a safety net).
		model.options.set({ output_flag: false, time_limit: seconds, mip_max_nodes: nodes, mip_rel_gap: 0, mip_abs_gap: 1e-6, random_seed: 0 });
		model.setSolution({ colValue: start });
		model.run();
		const status = model.getModelStatus();
		const optimal = status === highs.constants.modelStatus.optimal;
		// Stopped by the clock: how far it got depends on the machine, so nothing of it is used
		// (the same input must give the same roster).
		if (status === highs.constants.modelStatus.timeLimit) return { x: undefined, objective: NaN, bound: maximize ? Infinity : 0, optimal: false };
		const info = model.info.get('mip_dual_bound') as number | undefined;
		const hasSolution = Number(model.info.get('primal_solution_status') ?? 0) === 2;
		const x = hasSolution ? Array.from(model.getSolution().colValue).slice(0, binaries) : undefined;
		const objective = hasSolution ? model.getObjectiveValue() : NaN;
		const bound = typeof info === 'number' && Number.isFinite(info) ? info : maximize ? Infinity : 0;
		return { x, objective, bound: optimal ? objective : bound, optimal };
	} finally {
		model.dispose();
	}
}

/** Replaces the group's assignments by the solution's. */
function apply(pb: Problem, cols: Array<{ st: State; slot: Slot }>, slots: Slot[], x: number[]): void {
	for (const s of slots) for (const row of [...s.assigned]) unassign(pb.states.get(row) as State, s);
	cols.forEach((c, j) => {
		if (x[j] > 0.5) assign(c.st, c.slot);
	});
}
