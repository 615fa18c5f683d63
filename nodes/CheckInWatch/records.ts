/**
 * Output records: plain data with the input rows they come from (the adapter turns them into
 * n8n items with paired items), and the parts several operations' records share.
 * Pure TypeScript: no n8n import.
 */
import { DateTime } from 'luxon';
import type { RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import type { MessageText } from './messages';
import type { Contact, Roster } from './roster';

export interface Source {
	/** Input index: 0 reporters, 1 submissions (Find Missing, Daily Summary); see each operation. */
	input: number;
	item: number;
}

export interface OutputRecord {
	data: Record<string, unknown>;
	sources: Source[];
}

export interface CheckResult {
	records: OutputRecord[];
	/** Unreadable rows per input index (0 reporters, 1 submissions). */
	problems: Array<{ input: number; problem: RowProblem }>;
	stats: { reporters: number; submissions: number; ignored: number; superseded: number };
}

/** HH:mm in the zone. */
export function clock(ms: number, zone: string): string {
	return DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
}

/** ISO time with offset, without milliseconds. */
export function iso(ms: number, zone: string): string {
	return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

/** Who to @mention: each mobile and user id once. */
export function mentions(contacts: Array<Contact | undefined>): { mentionMobiles: string[]; mentionUserIds: string[] } {
	const mobiles: string[] = [];
	const userIds: string[] = [];
	for (const c of contacts) {
		if (!c) continue;
		if (c.mobile && !mobiles.includes(c.mobile)) mobiles.push(c.mobile);
		if (c.userId && !userIds.includes(c.userId)) userIds.push(c.userId);
	}
	return { mentionMobiles: mobiles, mentionUserIds: userIds };
}

/** The names of the administrators on duty, for items and messages. */
export function adminNames(admins: Contact[]): string {
	return admins.map((a) => a.name).filter(Boolean).join('、');
}

/** Submissions (or readings) from an id not on the roster: one level 3 record per id, for the administrators. */
export function unknownRecords(
	unknown: Map<string, number[]>,
	o: {
		input: number;
		/** The as-of date, in the dedupe key. */
		date?: string;
		/** Whether the item also carries the date. */
		dateInItem: boolean;
		levelReason: string;
		adminGroup?: string;
		admins: Contact[];
		text: MessageText;
	},
): OutputRecord[] {
	const out: OutputRecord[] = [];
	for (const [id, rows] of unknown) {
		out.push({
			data: {
				kind: 'unknown reporter',
				reporterId: id,
				submissionCount: rows.length,
				...(o.dateInItem ? { date: o.date } : {}),
				level: 3,
				levelReason: o.levelReason,
				targetGroup: o.adminGroup ?? '',
				recipientName: adminNames(o.admins),
				recipientMobile: o.admins[0]?.mobile ?? '',
				recipientUserId: o.admins[0]?.userId ?? '',
				...mentions(o.admins),
				message: o.text.compose({ id, count: rows.length }),
				dedupeKey: `unknown|${id}|${o.date ?? ''}`,
			},
			sources: rows.map((item) => ({ input: o.input, item })),
		});
	}
	return out;
}

/** The roster problems (input 0) and the submission problems (input 1). */
export function inputProblems(roster: Roster, submissionProblems: RowProblem[]): CheckResult['problems'] {
	return [
		...roster.problems.map((problem) => ({ input: 0, problem })),
		...submissionProblems.map((problem) => ({ input: 1, problem })),
	];
}

export function stats(roster: Roster | undefined, rows: Row[], ignored: number, superseded: number): CheckResult['stats'] {
	return { reporters: roster?.reporters.length ?? 0, submissions: rows.length, ignored, superseded };
}
