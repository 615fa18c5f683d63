/**
 * Check Swap: whether handing over or swapping two stored assignments breaks a hard rule, and
 * what it does to the balance of weighted load. Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import { InputError, excerpt, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { HOUR_MS, dateField, resolveOptions, roleKey, round, type RosterOptions } from './model';
import { parseStaff, type Person } from './people';
import { parseRoster, type RosterEntry } from './rosterRows';
import { weekKeyOf } from './slots';

export interface SwapRequest {
	/** Person giving away a duty (id or name). */
	personA: string;
	/** Which of A's assignments: a date (YYYY-MM-DD) and optionally the duty and shift. */
	dateA: string;
	dutyA?: string;
	shiftA?: string;
	/** Person taking it (id or name). */
	personB: string;
	/** Optional: B's assignment that A takes in return. Empty: B simply takes A's duty. */
	dateB?: string;
	dutyB?: string;
	shiftB?: string;
}

export interface SwapResult {
	allowed: boolean;
	/** The hard constraints the swap breaks, in words; '' when none. */
	violations: string;
	violationCount: number;
	/** What could not be checked (no staff rows: roles, leave and weekly caps). */
	notChecked: string;
	swapType: 'swap' | 'hand over';
	personA: string;
	personB: string;
	assignmentA: string;
	assignmentB: string;
	/** The roster IDs of both sides and of the assignments, to update the stored rows after approval. */
	personIdA: string;
	personIdB: string;
	assignmentIdA: string;
	assignmentIdB: string;
	loadABefore: number;
	loadAAfter: number;
	loadBBefore: number;
	loadBAfter: number;
	spreadBefore: number;
	spreadAfter: number;
	/** The effect on balance, in words. */
	balanceEffect: string;
}

export function checkSwap(rosterRows: Row[], staffRows: Row[], req: SwapRequest, options: RosterOptions = {}): { result: SwapResult; rows: number[]; problems: RowProblem[]; staffProblems: RowProblem[] } {
	const o = resolveOptions(options);
	const { entries, problems } = parseRoster(rosterRows, o.zone, options.rosterColumns);
	const staff = parseStaff(staffRows, options.staffColumns);
	const findPerson = (who: string): Person | undefined => staff.people.find((p) => p.id === who) ?? staff.people.find((p) => p.name === who);
	const idOf = (who: string, field: string): string => {
		const w = String(who ?? '').trim();
		if (!w) throw new InputError('No person is given', { field });
		const p = findPerson(w);
		if (p) return p.id;
		const e = entries.find((x) => x.personId === w) ?? entries.find((x) => x.personName === w);
		if (e) return e.personId;
		throw new InputError(`"${excerpt(w)}" is neither in the roster nor in the staff rows`, { field });
	};
	const a = idOf(req.personA, 'personA');
	const b = idOf(req.personB, 'personB');
	if (a === b) throw new InputError('Both sides of the swap are the same person', { field: 'personB' });
	const pick = (person: string, date: string, duty: string | undefined, shift: string | undefined, side: 'A' | 'B'): RosterEntry => {
		const d = dateField(date, `date${side}`);
		const found = entries.filter(
			(e) =>
				e.personId === person &&
				(e.date === d || (e.date <= d && e.endDate >= d)) &&
				(!duty || roleKey(e.duty) === roleKey(duty)) &&
				(!shift || roleKey(e.shift) === roleKey(shift)),
		);
		if (found.length === 0) {
			throw new InputError(`${excerpt(person)} has no ${duty ? `"${excerpt(duty)}" ` : ''}duty on ${d}${shift ? ` in shift "${excerpt(shift)}"` : ''}`, {
				field: `date${side}`,
			});
		}
		const ids = new Set(found.map((e) => e.assignmentId));
		if (ids.size > 1) {
			throw new InputError(`${excerpt(person)} has ${ids.size} duties on ${d} (${excerpt(found.map((e) => `${e.duty} ${e.shift}`).join('; '), 120)}): name the duty and shift`, {
				field: `duty${side}`,
			});
		}
		return found[0];
	};
	const ea = pick(a, req.dateA, req.dutyA, req.shiftA, 'A');
	const twoWay = !!(req.dateB && String(req.dateB).trim());
	const eb = twoWay ? pick(b, String(req.dateB), req.dutyB, req.shiftB, 'B') : undefined;

	const violations: string[] = [];
	const notChecked: string[] = [];
	const restMs = o.minRestHours * HOUR_MS;
	const label = (e: RosterEntry) => `${e.duty} ${e.shift} on ${e.date}`;
	// Person `who` takes entry `take` and gives up entry `give` (if any).
	const check = (who: string, take: RosterEntry, give: RosterEntry | undefined) => {
		const p = findPerson(who);
		const name = p?.name ?? entries.find((e) => e.personId === who)?.personName ?? who;
		if (entries.some((e) => e.personId === who && e.assignmentId === take.assignmentId)) {
			violations.push(`${name} is already on ${label(take)}`);
		}
		if (p) {
			if (take.role && !p.roleKeys.has(roleKey(take.role))) {
				violations.push(`${name} does not have the role "${take.role}" that ${take.duty} needs`);
			}
			const first = take.start.toISODate() as string;
			const lastMs = take.end.toMillis() - 1;
			for (const [x, y] of p.unavailable) {
				const last = DateTime.fromMillis(lastMs, { zone: o.zone }).toISODate() as string;
				if (x <= last && y >= first) {
					violations.push(`${name} is unavailable ${x === y ? `on ${x}` : `from ${x} to ${y}`}`);
					break;
				}
			}
		}
		const mine = entries.filter((e) => e.personId === who && e.assignmentId !== give?.assignmentId && e.assignmentId !== take.assignmentId);
		for (const e of mine) {
			if (take.start < e.end && e.start < take.end) {
				violations.push(`${name} would work ${label(take)} and ${label(e)} at the same time`);
			} else {
				const gap = take.start >= e.end ? take.start.toMillis() - e.end.toMillis() : e.start.toMillis() - take.end.toMillis();
				if (gap < restMs) {
					violations.push(`${name} would rest only ${round(gap / HOUR_MS)} h between ${label(e)} and ${label(take)} (minimum ${o.minRestHours} h)`);
				}
			}
		}
		const isDaily = take.date === take.endDate;
		if (isDaily) {
			const sameDay = mine.filter((e) => e.date === take.date && e.date === e.endDate).length + 1;
			if (sameDay > o.maxPerDay) violations.push(`${name} would have ${sameDay} shifts on ${take.date} (cap ${o.maxPerDay})`);
		}
		const wk = weekKeyOf(take.date);
		const cap = p?.maxPerWeek ?? (o.maxPerWeek > 0 ? o.maxPerWeek : Infinity);
		const inWeek = new Set(mine.filter((e) => weekKeyOf(e.date) === wk).map((e) => e.assignmentId)).size + 1;
		if (inWeek > cap) violations.push(`${name} would have ${inWeek} duties in week ${wk} (cap ${cap})`);
	};
	if (staff.people.length === 0) notChecked.push('roles, leave and personal weekly caps (no staff rows given)');
	check(b, ea, eb);
	if (eb) check(a, eb, ea);

	// Balance: loads per person from the roster weights; the spread among people of the role(s).
	const loads = new Map<string, number>();
	for (const e of entries) loads.set(e.personId, (loads.get(e.personId) ?? 0) + e.weight);
	for (const p of staff.people) if (!loads.has(p.id)) loads.set(p.id, 0);
	const wa = ea.weight;
	const wb = eb?.weight ?? 0;
	const before = new Map(loads);
	const after = new Map(loads);
	after.set(a, (after.get(a) ?? 0) - wa + wb);
	after.set(b, (after.get(b) ?? 0) + wa - wb);
	const rolesInvolved = new Set([ea.role, eb?.role].filter(Boolean).map((r) => roleKey(r as string)));
	const group = new Set<string>([a, b]);
	for (const p of staff.people) if ([...p.roleKeys].some((r) => rolesInvolved.has(r))) group.add(p.id);
	for (const e of entries) if (rolesInvolved.has(roleKey(e.role))) group.add(e.personId);
	const spread = (m: Map<string, number>) => {
		const xs = [...group].map((id) => m.get(id) ?? 0);
		return round(Math.max(...xs) - Math.min(...xs));
	};
	const sb = spread(before);
	const sa = spread(after);
	const nameOf = (id: string) => findPerson(id)?.name ?? entries.find((e) => e.personId === id)?.personName ?? id;
	const roleText = [...new Set([ea.role, eb?.role].filter(Boolean))].join(' and ') || 'this duty';
	const effect =
		sa === sb
			? `The spread of weighted load among ${roleText} staff stays ${sb}`
			: `The spread of weighted load among ${roleText} staff goes from ${sb} to ${sa} (${sa > sb ? 'less' : 'more'} balanced)`;
	const rows = [...new Set(entries.filter((e) => e.assignmentId === ea.assignmentId || e.assignmentId === eb?.assignmentId).map((e) => e.row))];
	return {
		result: {
			allowed: violations.length === 0,
			violations: violations.join('; '),
			violationCount: violations.length,
			notChecked: notChecked.join('; '),
			swapType: eb ? 'swap' : 'hand over',
			personA: nameOf(a),
			personB: nameOf(b),
			assignmentA: `${ea.duty} ${ea.shift} ${ea.start.toISO({ suppressMilliseconds: true })} to ${ea.end.toISO({ suppressMilliseconds: true })}`,
			assignmentB: eb ? `${eb.duty} ${eb.shift} ${eb.start.toISO({ suppressMilliseconds: true })} to ${eb.end.toISO({ suppressMilliseconds: true })}` : '',
			personIdA: a,
			personIdB: b,
			assignmentIdA: ea.assignmentId,
			assignmentIdB: eb?.assignmentId ?? '',
			loadABefore: round(before.get(a) ?? 0),
			loadAAfter: round(after.get(a) ?? 0),
			loadBBefore: round(before.get(b) ?? 0),
			loadBAfter: round(after.get(b) ?? 0),
			spreadBefore: sb,
			spreadAfter: sa,
			balanceEffect: effect,
		},
		rows,
		problems,
		staffProblems: staff.problems,
	};
}
