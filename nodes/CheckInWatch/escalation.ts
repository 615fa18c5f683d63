/**
 * Escalation of a missing report: level 1 reminds the reporter, level 2 adds the group leader,
 * level 3 the administrator on duty, by misses in a row or by minutes overdue.
 * Pure TypeScript: no n8n import.
 */
import { InputError } from '../shared/errors';

export interface EscalationOptions {
	/** Level 2 (group leader) from this many misses in a row; 0 = never by misses. */
	leaderAfterMisses: number;
	/** Level 2 from this many minutes overdue; 0 = never by time. */
	leaderAfterMinutes: number;
	/** Level 3 (administrator on duty) from this many misses in a row; 0 = never by misses. */
	adminAfterMisses: number;
	/** Level 3 from this many minutes overdue; 0 = never by time. */
	adminAfterMinutes: number;
}

export const DEFAULT_ESCALATION: EscalationOptions = {
	leaderAfterMisses: 2,
	leaderAfterMinutes: 60,
	adminAfterMisses: 3,
	adminAfterMinutes: 0,
};

export function levelFor(
	misses: number,
	minutesOverdue: number,
	e: EscalationOptions,
): { level: 1 | 2 | 3; reason: string } {
	const byMisses = `${misses} misses in a row`;
	const byTime = `${minutesOverdue} minutes overdue`;
	if (e.adminAfterMisses > 0 && misses >= e.adminAfterMisses) return { level: 3, reason: byMisses };
	if (e.adminAfterMinutes > 0 && minutesOverdue >= e.adminAfterMinutes) return { level: 3, reason: byTime };
	if (e.leaderAfterMisses > 0 && misses >= e.leaderAfterMisses) return { level: 2, reason: byMisses };
	if (e.leaderAfterMinutes > 0 && minutesOverdue >= e.leaderAfterMinutes) return { level: 2, reason: byTime };
	return { level: 1, reason: 'first reminder' };
}

/** The defaults with the given settings over them; a negative or non-numeric setting is an error naming it. */
export function readEscalation(given: Partial<EscalationOptions> = {}): EscalationOptions {
	const e = { ...DEFAULT_ESCALATION, ...given };
	for (const [k, v] of Object.entries(e)) {
		if (!Number.isFinite(v) || v < 0) throw new InputError(`${k} must be 0 or more (got ${v})`, { field: k });
	}
	return e;
}
