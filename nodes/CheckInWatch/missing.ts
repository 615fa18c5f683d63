/**
 * Find Missing: one record per report that is due and missing, with the misses in a row so far
 * and the escalation level with whom to @mention; one per unknown reporter id and one per
 * submission today that fell in no slot window. Pure TypeScript: no n8n import.
 */
import type { Row } from '../shared/rows';
import type { ReporterKey, SubmissionKey } from './columns';
import { levelFor, readEscalation, type EscalationOptions } from './escalation';
import { buildLedger, type Ledger } from './ledger';
import { DEFAULT_MISSING_MESSAGE, DEFAULT_OUTSIDE_MESSAGE, DEFAULT_UNKNOWN_MESSAGE, MessageText } from './messages';
import { consecutiveMisses, dueOccurrences, loadMissingHistory } from './misses';
import type { WatchOptions } from './occurrences';
import { adminNames, clock, inputProblems, iso, mentions, stats, unknownRecords, type CheckResult, type OutputRecord } from './records';
import { readRoster, type Contact, type Reporter } from './roster';

export interface FindMissingOptions extends WatchOptions {
	escalation?: Partial<EscalationOptions>;
	/** Which due slots to check: only the latest due (default) or every slot due today. */
	scope?: 'latest' | 'allToday';
	onlySlots?: string[];
	/** Administrators on duty (level 3). */
	admins?: Contact[];
	/** The target group for level 3 items and for unknown reporters; '' keeps the reporter's group. */
	adminGroup?: string;
	message?: string;
	unknownMessage?: string;
	outsideMessage?: string;
	submissionColumns?: Record<SubmissionKey, string>;
}

/** One report that is due and missing: when it was due, and the misses in a row so far. */
export interface MissedDue {
	slot: string;
	date: string;
	dueMs: number;
	closesMs: number;
	misses: number;
	/** The run of misses reaches back to the look-back limit (it may be longer). */
	missesCapped: boolean;
	asOfMs: number;
	/** The due and make-up times as ISO and as HH:mm, formatted once per slot by the caller. */
	times: DueTimes;
}

export interface DueTimes {
	dueAt: string;
	makeUpUntilAt: string;
	due: string;
	makeUpUntil: string;
}

export function dueTimes(dueMs: number, closesMs: number, zone: string): DueTimes {
	return { dueAt: iso(dueMs, zone), makeUpUntilAt: iso(closesMs, zone), due: clock(dueMs, zone), makeUpUntil: clock(closesMs, zone) };
}

/** Who a missing report goes to, by level, with warnings for the contacts that are missing. */
function targetsOf(rep: Reporter, level: number, admins: Contact[]): { targets: Array<Contact | undefined>; warnings: string[] } {
	const targets: Array<Contact | undefined> = [rep];
	const warnings: string[] = [];
	if (level >= 2) {
		if (rep.leader) targets.push(rep.leader);
		else warnings.push(`No group leader contact for "${rep.group || rep.name}"`);
	}
	if (level >= 3) {
		if (admins.length) targets.push(...admins);
		else warnings.push('No administrator on duty is given');
	}
	return { targets, warnings };
}

/** How a run reaches its people: escalation, administrators, target group and the message. */
export interface Reach {
	escalation: EscalationOptions;
	admins: Contact[];
	adminGroup?: string;
	text: MessageText;
}

/** The "missing report" item: escalation level, targets to @mention and the reminder text. */
export function missingReportRecord(rep: Reporter, d: MissedDue, reach: Reach): OutputRecord {
	const minutesOverdue = Math.max(0, Math.floor((d.asOfMs - d.dueMs) / 60000));
	const graceOpen = d.asOfMs <= d.closesMs;
	const { level, reason } = levelFor(d.misses, minutesOverdue, reach.escalation);
	const { targets, warnings } = targetsOf(rep, level, reach.admins);
	const data: Record<string, unknown> = {
		kind: 'missing report',
		reporterId: rep.id,
		reporterName: rep.name,
		group: rep.group,
		slot: d.slot,
		date: d.date,
		dueAt: d.times.dueAt,
		makeUpUntil: d.times.makeUpUntilAt,
		graceOpen,
		status: graceOpen ? 'overdue' : 'missing',
		minutesOverdue,
		consecutiveMisses: d.misses,
		missesCountedToLookBack: d.missesCapped,
		level,
		levelReason: reason,
		recipientName: rep.name,
		recipientMobile: rep.mobile,
		recipientUserId: rep.userId,
		targetGroup: level >= 3 && reach.adminGroup ? reach.adminGroup : rep.group,
		leaderName: level >= 2 ? (rep.leader?.name ?? '') : '',
		leaderMobile: level >= 2 ? (rep.leader?.mobile ?? '') : '',
		leaderUserId: level >= 2 ? (rep.leader?.userId ?? '') : '',
		adminName: level >= 3 ? adminNames(reach.admins) : '',
		...mentions(targets),
		message: reach.text.compose({
			name: rep.name,
			group: rep.group,
			slot: reach.text.slot(d.slot),
			date: d.date,
			due: d.times.due,
			makeUpUntil: d.times.makeUpUntil,
			misses: d.misses,
			minutesOverdue,
			level,
		}),
		dedupeKey: `${rep.id}|${d.date}|${d.slot}|L${level}`,
	};
	if (warnings.length) data.escalationWarning = warnings.join('; ');
	return { data, sources: [{ input: 0, item: rep.row }] };
}

/** A submission on the as-of date that fell in no slot window: the reporter is told. */
function outsideRecords(ledger: Ledger, text: MessageText): OutputRecord[] {
	return ledger.outside.map(({ reporter, row, ms }) => {
		const r = ledger.roster.reporters[reporter];
		const submittedAt = iso(ms, ledger.zone);
		return {
			data: {
				kind: 'outside any slot',
				reporterId: r.id,
				reporterName: r.name,
				group: r.group,
				submittedAt,
				date: ledger.asOfDate,
				level: 1,
				recipientName: r.name,
				recipientMobile: r.mobile,
				recipientUserId: r.userId,
				targetGroup: r.group,
				...mentions([r]),
				message: text.compose({ name: r.name, group: r.group, time: clock(ms, ledger.zone) }),
				dedupeKey: `outside|${r.id}|${submittedAt}`,
			},
			sources: [
				{ input: 0, item: r.row },
				{ input: 1, item: row },
			],
		};
	});
}

/** Submissions from ids not on the roster (input 1), for the administrators. */
export function unknownSubmissions(
	unknown: Map<string, number[]>,
	date: string,
	opts: Pick<FindMissingOptions, 'adminGroup' | 'unknownMessage'>,
	admins: Contact[],
): OutputRecord[] {
	return unknownRecords(unknown, {
		input: 1,
		date,
		dateInItem: true,
		levelReason: 'submission from a reporter not on the roster',
		adminGroup: opts.adminGroup,
		admins,
		text: new MessageText(opts.unknownMessage ?? DEFAULT_UNKNOWN_MESSAGE),
	});
}

/**
 * One record per missing report: the slot, the consecutive misses so far and the escalation
 * level with its targets. Also one record per unknown reporter id and per submission today that
 * fell in no slot window. Submissions inside the grace count as late, not missing.
 */
export function findMissing(
	rosterRows: Row[],
	submissionRows: Row[],
	opts: FindMissingOptions,
	rosterMapping?: Record<ReporterKey, string>,
): CheckResult {
	const escalation = readEscalation(opts.escalation);
	const roster = readRoster(rosterRows, rosterMapping);
	const ledger = buildLedger(roster, submissionRows, opts, opts.submissionColumns);
	const admins = opts.admins ?? [];
	const reach: Reach = { escalation, admins, adminGroup: opts.adminGroup, text: new MessageText(opts.message ?? DEFAULT_MISSING_MESSAGE, opts.slots) };
	const records: OutputRecord[] = [];
	const R = roster.reporters.length;
	const checked = dueOccurrences(ledger, opts.scope ?? 'latest', opts.onlySlots);
	loadMissingHistory(ledger, checked);
	for (const k of checked) {
		const o = ledger.occ[k];
		const times = dueTimes(o.dueMs, o.closesMs, ledger.zone);
		for (let r = 0; r < R; r++) {
			if (ledger.latestMs[k * R + r] !== 0) continue;
			const { count, capped } = consecutiveMisses(ledger, r, k);
			const d: MissedDue = { slot: o.slot.name, date: o.date, dueMs: o.dueMs, closesMs: o.closesMs, misses: count, missesCapped: capped, asOfMs: ledger.asOfMs, times };
			records.push(missingReportRecord(roster.reporters[r], d, reach));
		}
	}
	records.push(
		...unknownSubmissions(ledger.unknown, ledger.asOfDate, opts, admins),
		...outsideRecords(ledger, new MessageText(opts.outsideMessage ?? DEFAULT_OUTSIDE_MESSAGE)),
	);
	return {
		records,
		problems: inputProblems(roster, ledger.problems),
		stats: stats(roster, submissionRows, ledger.ignored, ledger.superseded),
	};
}
