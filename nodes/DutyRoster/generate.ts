/**
 * Generate: reads staff, duties and the earlier roster, builds the slots, applies the earlier
 * roster (hard rules at the boundary, carried load per role), fills the roster (heuristic, then
 * the exact solver where it finishes in time) and writes the output rows. Deterministic when the
 * exact solver finishes: the same input gives the same roster. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import type { SchoolCalendar } from '../shared/calendar';
import { InputError, excerpt } from '../shared/errors';
import type { Row } from '../shared/rows';
import { carryOver } from './carry';
import { addHistory, makeState, type State } from './constraints';
import { blockedBy, unfilledReason } from './explain';
import { solveHeuristic, weekday, type Problem } from './heuristic';
import { HOUR_MS, checkRange, parseDuties, resolveOptions, roleKey, round, type DutyInput, type RosterOptions } from './model';
import type { AssignmentRow, BalanceRow, GenerateResult, Out, SummaryRow, UnfilledRow } from './output';
import { matches, parseStaff, type Person } from './people';
import { parseRoster } from './rosterRows';
import { buildSlots, isHolidayKind } from './slots';
import { cheapBound, solveExact, type Quality, type SolverOptions } from './solver';

export interface GenerateOptions extends RosterOptions, SolverOptions {
	from: string;
	to: string;
	calendar: SchoolCalendar;
	/** 'error' (default): a staff role no duty needs is an error naming the row. */
	unknownRoles?: 'error' | 'ignore';
}

export async function generateRoster(staffRows: Row[], dutyInputs: DutyInput[], earlierRows: Row[], options: GenerateOptions): Promise<GenerateResult> {
	const o = resolveOptions(options);
	const range = checkRange(options.from, options.to);
	const duties = parseDuties(dutyInputs);
	const { people, problems } = parseStaff(staffRows, options.staffColumns);

	// Roles: a staff role no duty needs is an error naming the row (unless told to ignore).
	const needed = new Map(duties.map((d) => [d.roleKey, d.role]));
	const valid: Person[] = [];
	for (const p of people) {
		const unknown = p.roles.filter((r) => !needed.has(roleKey(r)));
		if (unknown.length && (options.unknownRoles ?? 'error') === 'error') {
			problems.push({
				row: p.row,
				field: 'roles',
				message: `Unknown role${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 3).map((r) => `"${excerpt(r)}"`).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}: no duty needs ${unknown.length > 1 ? 'them' : 'it'} (duties need ${excerpt([...needed.values()].map((r) => `"${r}"`).join(', '), 120)})`,
			});
			continue;
		}
		valid.push(p);
	}
	problems.sort((a, b) => a.row - b.row);
	for (const d of duties) {
		if (!valid.some((p) => p.roleKeys.has(d.roleKey)) && problems.length === 0) {
			throw new InputError(`Duty "${excerpt(d.name)}" needs the role "${excerpt(d.role)}", which no staff row has`, {
				field: `duties[${d.index}] (${d.name}).role`,
				hint: `Roles in the staff rows: ${excerpt([...new Set(people.flatMap((p) => p.roles))].join(', '), 200) || '(none)'}`,
			});
		}
	}

	const states = new Map<number, State>();
	for (const p of valid) states.set(p.row, makeState(p, o.maxPerWeek, range.from, range.to));
	const slots = buildSlots(duties, range.from, range.to, options.calendar, o);
	const lim = { restMs: o.minRestHours * HOUR_MS, maxPerDay: o.maxPerDay };

	// The earlier roster: rows on or after From are a re-run of the period and are ignored. The
	// rest count for the hard rules at the boundary and carry each role's load over.
	const earlier = parseRoster(earlierRows, o.zone, options.rosterColumns);
	const earlierIgnored = earlier.entries.filter((e) => e.date >= range.from).map((e) => e.row);
	const before = earlier.entries.filter((e) => e.date < range.from);
	carryOver([...states.values()], before, earlier.summaries, duties);
	const periodStart = DateTime.fromISO(range.from, { zone: o.zone }).startOf('day').toMillis();
	const mine = new Map<string, typeof before>();
	for (const e of before) mine.set(e.personId, [...(mine.get(e.personId) ?? []), e]);
	for (const st of states.values()) {
		const list = mine.get(st.person.id) ?? (st.person.name !== st.person.id ? mine.get(st.person.name) : undefined);
		if (list) addHistory(st, list, o.zone, periodStart, lim.restMs);
	}

	const pools = new Map<string, State[]>();
	for (const d of duties) {
		if (!pools.has(d.roleKey)) pools.set(d.roleKey, [...states.values()].filter((st) => st.person.roleKeys.has(d.roleKey)));
	}
	const pb: Problem = { slots, states, pools, lim, days: range.days };
	solveHeuristic(pb);
	const quality = await solveExact(pb, { timeLimit: options.timeLimit, maxVariables: options.maxVariables });
	const qualityOf = new Map<string, Quality>();
	for (const q of quality) for (const r of q.roles) qualityOf.set(r, q);

	// Output.
	const iso = (ms: number) => DateTime.fromMillis(ms, { zone: o.zone }).toISO({ suppressMilliseconds: true }) as string;
	const assignments: Array<Out<AssignmentRow>> = [];
	const unfilled: Array<Out<UnfilledRow>> = [];
	for (const slot of slots) {
		const start = iso(slot.intervals[0].s);
		const end = iso(slot.intervals[slot.intervals.length - 1].e);
		const holders = slot.assigned.map((r) => states.get(r) as State);
		const names = holders.map((st) => st.person.name).join(', ');
		const weekdayName = DateTime.fromISO(slot.date).setLocale('en').toFormat('cccc');
		holders.forEach((st, seat) => {
			assignments.push({
				data: {
					kind: 'assignment',
					assignmentId: slot.key,
					date: slot.date,
					endDate: slot.endDate,
					weekday: weekdayName,
					dayKind: slot.dayKind,
					duty: slot.duty.name,
					role: slot.duty.role,
					shift: slot.shift.name,
					cadence: slot.duty.cadence,
					start,
					end,
					personId: st.person.id,
					personName: st.person.name,
					mobile: st.person.mobile,
					userId: st.person.userId,
					seat: seat + 1,
					seats: slot.need,
					people: names,
					weight: slot.weight,
					night: slot.shift.night,
					holiday: slot.holiday,
				},
				rows: [st.person.row],
			});
		});
		if (slot.assigned.length < slot.need) {
			const pool = pools.get(slot.duty.roleKey) ?? [];
			const proven = qualityOf.get(slot.duty.roleKey)?.fillProven ?? false;
			unfilled.push({
				data: {
					kind: 'unfilled',
					assignmentId: slot.key,
					date: slot.date,
					endDate: slot.endDate,
					duty: slot.duty.name,
					role: slot.duty.role,
					shift: slot.shift.name,
					start,
					end,
					needed: slot.need,
					filled: slot.assigned.length,
					missing: slot.need - slot.assigned.length,
					people: names,
					reason: unfilledReason(slot, pool, lim),
					blockedBy: blockedBy(slot, pool, lim, slots, proven),
					proven,
				},
				rows: pool.map((st) => st.person.row),
			});
		}
	}

	const summary: Array<Out<SummaryRow>> = [];
	for (const st of states.values()) {
		let shifts = 0;
		let nights = 0;
		let holidays = 0;
		let pref = 0;
		let undes = 0;
		let load = 0;
		for (const si of st.slots) {
			const slot = slots[si];
			load += slot.weight;
			shifts += slot.intervals.length;
			if (slot.shift.night) nights += slot.intervals.length;
			for (const iv of slot.intervals) if (isHolidayKind(options.calendar.day(iv.date).kind)) holidays++;
			if (slot.days.some((d) => matches(st.person.preferred, d, weekday(d)))) pref++;
			if (slot.days.some((d) => matches(st.person.undesired, d, weekday(d)))) undes++;
		}
		const carried = [...st.carried.values()].reduce((a, b) => a + b, 0);
		summary.push({
			data: {
				kind: 'summary',
				personId: st.person.id,
				personName: st.person.name,
				roles: st.person.roles.join(', '),
				mobile: st.person.mobile,
				userId: st.person.userId,
				assignments: st.slots.size,
				shifts,
				nightShifts: nights,
				holidayShifts: holidays,
				weightedLoad: round(load),
				carriedLoad: round(carried),
				totalLoad: round(load + carried),
				preferredDaysHonoured: pref,
				undesiredDaysAssigned: undes,
			},
			rows: [st.person.row],
		});
	}

	const balanceRows: Array<Out<BalanceRow>> = [];
	for (const d of duties) {
		if (balanceRows.some((b) => roleKey(b.data.role) === d.roleKey)) continue;
		const pool = pools.get(d.roleKey) ?? [];
		if (pool.length === 0) continue;
		const total = pool.map((st) => st.load.get(d.roleKey) ?? 0);
		const period = pool.map((st, i) => total[i] - (st.carried.get(d.roleKey) ?? 0));
		const roleSlots = slots.filter((s) => s.duty.roleKey === d.roleKey);
		const q = qualityOf.get(d.roleKey) as Quality;
		const totalSpread = round(Math.max(...total) - Math.min(...total));
		// A group of one role: the solver's bound. Roles solved together: this role's own bound.
		const bound = q.roles.length === 1 ? q.bound : Math.min(totalSpread, cheapBound(pb, [d.roleKey]));
		balanceRows.push({
			data: {
				kind: 'balance',
				role: d.role,
				people: pool.length,
				minLoad: round(Math.min(...period)),
				maxLoad: round(Math.max(...period)),
				spread: round(Math.max(...period) - Math.min(...period)),
				totalSpread,
				bound,
				gap: round(totalSpread - bound),
				status: q.status,
				solvedWith: q.roles.length > 1 ? q.roles.map((r) => duties.find((x) => x.roleKey === r)?.role ?? r).join(', ') : '',
				openSeats: roleSlots.reduce((a, s) => a + s.need - s.assigned.length, 0),
				openSeatsProven: q.fillProven,
				maxShiftWeight: Math.max(0, ...roleSlots.map((s) => s.weight)),
			},
			rows: pool.map((st) => st.person.row),
		});
	}

	return { assignments, unfilled, summary, balance: balanceRows, problems, earlierProblems: earlier.problems, earlierIgnored };
}
