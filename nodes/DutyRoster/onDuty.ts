/**
 * Who is on duty at a moment or on a date, read from stored roster rows. Pure TypeScript.
 */
import { DateTime } from 'luxon';
import { InputError, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { DEFAULT_ZONE, checkZone, parseTimestamp } from '../shared/time';
import { dateField, roleKey } from './model';
import type { Out } from './output';
import { parseRoster, type RosterEntry, type RosterKey } from './rosterRows';

export interface OnDutyQuery {
	/** A moment: people whose assignment covers it (start <= at < end). */
	at?: unknown;
	/** Or a date: people whose assignment touches that date (for "on duty tomorrow" reminders). */
	date?: string;
	duties?: string[];
	roles?: string[];
	zone?: string;
	rosterColumns?: Partial<Record<RosterKey, string>>;
}

export interface OnDutyRow {
	name: string;
	mobile: string;
	userId: string;
	personId: string;
	duty: string;
	role: string;
	shift: string;
	date: string;
	start: string;
	end: string;
	assignmentId: string;
}

export interface OnDutyResult {
	people: Array<Out<OnDutyRow>>;
	problems: RowProblem[];
	/** What was asked, in words ("Gate A at 2026-03-02 20:00"). */
	asked: string;
}

export function whoIsOnDuty(rows: Row[], q: OnDutyQuery): OnDutyResult {
	const zone = checkZone(q.zone || DEFAULT_ZONE);
	const { entries, problems } = parseRoster(rows, zone, q.rosterColumns);
	const dutySet = new Set((q.duties ?? []).map(roleKey));
	const roleSet = new Set((q.roles ?? []).map(roleKey));
	let test: (e: RosterEntry) => boolean;
	let asked: string;
	if (q.date !== undefined && String(q.date).trim()) {
		const d = dateField(String(q.date), 'date');
		const dayStart = DateTime.fromISO(d, { zone });
		const dayEnd = dayStart.plus({ days: 1 });
		test = (e) => e.start < dayEnd && e.end > dayStart;
		asked = `on ${d}`;
	} else {
		let at: DateTime;
		try {
			at = q.at === undefined || q.at === null || q.at === '' ? DateTime.now().setZone(zone) : parseTimestamp(q.at, zone);
		} catch (e) {
			throw new InputError(e instanceof Error ? e.message : String(e), { field: 'at' });
		}
		test = (e) => e.start <= at && at < e.end;
		asked = `at ${at.toFormat('yyyy-MM-dd HH:mm')}`;
	}
	const people: Array<Out<OnDutyRow>> = [];
	for (const e of entries) {
		if (dutySet.size && !dutySet.has(roleKey(e.duty))) continue;
		if (roleSet.size && !roleSet.has(roleKey(e.role))) continue;
		if (!test(e)) continue;
		people.push({
			data: {
				name: e.personName,
				mobile: e.mobile,
				userId: e.userId,
				personId: e.personId,
				duty: e.duty,
				role: e.role,
				shift: e.shift,
				date: e.date,
				start: e.start.toISO({ suppressMilliseconds: true }) as string,
				end: e.end.toISO({ suppressMilliseconds: true }) as string,
				assignmentId: e.assignmentId,
			},
			rows: [e.row],
		});
	}
	people.sort((a, b) => a.data.start.localeCompare(b.data.start) || a.data.duty.localeCompare(b.data.duty) || a.rows[0] - b.rows[0]);
	const what = [...(q.duties ?? []), ...(q.roles ?? [])].join(', ');
	return { people, problems, asked: `${what ? `${what} ` : ''}${asked}` };
}
