/**
 * Plan Accounts, step 4: usernames for the new people whose name comes from the pattern. Someone
 * alone on a free base name gets it; the others (several people on one base, or a base already
 * taken) get a suffix from their ID, in ID order, so the same roster always gives the same
 * names. Pure TypeScript.
 */
import { suffixes, withSuffix } from './usernames';

export interface Derived<T> {
	/** The person's ID (suffixes come from it). */
	id: string;
	/** The username the pattern gives. */
	base: string;
	/** Whose username this is (handed back to `assign`). */
	target: T;
}

/**
 * Assigns each derived person a username not in `taken` (which it extends), calling
 * `assign(target, username, reason)` once for each person who gets one.
 */
export function assignDerived<T>(pending: Array<Derived<T>>, taken: Set<string>, assign: (target: T, username: string, reason: string) => void): void {
	const groups = new Map<string, Array<Derived<T>>>();
	for (const d of pending) groups.set(d.base, [...(groups.get(d.base) ?? []), d]);
	const done = new Set<Derived<T>>();
	for (const [base, members] of groups) {
		if (members.length === 1 && !taken.has(base)) {
			taken.add(base);
			assign(members[0].target, base, 'New account');
			done.add(members[0]);
		}
	}
	for (const [base, members] of groups) {
		if (members.length === 1 && done.has(members[0])) continue;
		const why = members.length > 1 ? `${members.length} people would be ${base}` : `${base} is taken`;
		const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
		for (const m of sorted) {
			for (const s of suffixes(m.id)) {
				const candidate = withSuffix(base, s);
				if (!taken.has(candidate)) {
					taken.add(candidate);
					assign(m.target, candidate, `New account; ${why}, so the suffix "${s}" comes from the id`);
					break;
				}
			}
		}
	}
}
