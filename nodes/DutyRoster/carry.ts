/**
 * Fairness carried over from earlier rosters, per role: a person's carried load in a role is the
 * weight of their own earlier duties in that role. Someone the earlier rosters knew (they held a
 * duty of the role, or an earlier Generate listed them in its summary rows) and never picked
 * carries 0, so they are picked first now. Only someone no earlier row knows (a newcomer) starts
 * at the mean of the people of that role who are known. Pure TypeScript: no n8n import.
 */
import { roleKey, round, type Duty } from './model';
import type { State } from './constraints';
import type { RosterEntry } from './rosterRows';

export interface CarryResult {
	/** Per person row: roles in which they start at the mean (newcomers). */
	newcomers: Map<number, string[]>;
}

export function carryOver(states: State[], entries: RosterEntry[], summaries: Array<{ personId: string }>, duties: Duty[]): CarryResult {
	const byId = new Map<string, State>();
	for (const st of states) byId.set(st.person.id, st);
	for (const st of states) if (!byId.has(st.person.name)) byId.set(st.person.name, st);
	const dutyRole = new Map(duties.map((d) => [roleKey(d.name), d.roleKey]));
	const sums = new Map<State, Map<string, number>>();
	const knownEverywhere = new Set<State>();
	for (const e of entries) {
		const st = byId.get(e.personId) ?? byId.get(e.personName);
		if (!st) continue;
		const role = e.role ? roleKey(e.role) : (dutyRole.get(roleKey(e.duty)) ?? [...st.person.roleKeys][0]);
		const m = sums.get(st) ?? new Map<string, number>();
		m.set(role, (m.get(role) ?? 0) + e.weight);
		sums.set(st, m);
	}
	for (const s of summaries) {
		const st = byId.get(s.personId);
		if (st) knownEverywhere.add(st);
	}
	const newcomers = new Map<number, string[]>();
	for (const role of new Set(duties.map((d) => d.roleKey))) {
		const pool = states.filter((st) => st.person.roleKeys.has(role));
		const known = pool.filter((st) => knownEverywhere.has(st) || sums.get(st)?.has(role));
		const mean = known.length ? known.reduce((a, st) => a + (sums.get(st)?.get(role) ?? 0), 0) / known.length : 0;
		for (const st of pool) {
			const isKnown = known.includes(st);
			const carried = round(isKnown ? (sums.get(st)?.get(role) ?? 0) : mean);
			if (!isKnown && known.length) newcomers.set(st.person.row, [...(newcomers.get(st.person.row) ?? []), role]);
			st.carried.set(role, carried);
			st.load.set(role, carried);
		}
	}
	return { newcomers };
}
