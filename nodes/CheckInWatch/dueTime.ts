/**
 * Find Missing where each reporter owes one report by its own due time (a "Due At" column of the
 * reporter row, e.g. the expected return of a leave), on any day: no slots, no school calendar.
 * Pure TypeScript: no n8n import.
 */
import { DateTime, IANAZone } from 'luxon';
import { InputError, problemFrom } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { checkZone, timestampMs, type IsoScratch } from '../shared/time';
import { DEFAULT_DUE_AT_COLUMN, DEFAULT_SUBMISSION_COLUMNS, type ReporterKey } from './columns';
import { readEscalation } from './escalation';
import { DEFAULT_MISSING_MESSAGE, MessageText } from './messages';
import { dueTimes, missingReportRecord, unknownSubmissions, type FindMissingOptions, type Reach } from './missing';
import type { WatchOptions } from './occurrences';
import { stats, type CheckResult, type OutputRecord } from './records';
import { checkId, firstRow, normaliseId, readRoster, type Roster } from './roster';

export interface DueTimeOptions {
	zone: string;
	asOf: DateTime;
	/** Names of the reporter column holding each reporter's own due time. */
	dueAtColumn?: string;
	/** Minutes after the due time during which a report still counts as a make-up (status overdue). */
	graceMinutes?: number;
	/** The `slot` of the output items (and of personal links and dedupe keys). */
	slotName?: string;
}

export type DueTimeFindOptions = Omit<FindMissingOptions, keyof WatchOptions | 'scope' | 'onlySlots'> & DueTimeOptions;

interface Clock {
	zone: IANAZone;
	offsets: Map<number, number>;
	scratch: IsoScratch;
}

/** Each reporter's due time (NaN where unreadable: a problem of that row). */
function readDueTimes(rosterRows: Row[], roster: Roster, column: string, clock: Clock, problems: CheckResult['problems']): Float64Array {
	const dueMs = new Float64Array(roster.reporters.length).fill(Number.NaN);
	const sample = firstRow(rosterRows);
	if (!sample || !roster.reporters.length) return dueMs;
	const dueCols = new Columns<'dueAt'>({ dueAt: column }, 'reporters');
	dueCols.resolve(sample, ['dueAt']);
	roster.reporters.forEach((rep, r) => {
		const row = rosterRows[rep.row];
		try {
			dueCols.requiredText(row, 'dueAt', rep.row);
			dueMs[r] = timestampMs(dueCols.raw(row, 'dueAt'), clock.zone, clock.offsets, clock.scratch);
		} catch (e) {
			problems.push({ input: 0, problem: { ...problemFrom(e, rep.row), field: dueCols.column('dueAt') } });
		}
	});
	return dueMs;
}

/** Who has reported at all (any submission counts), the unknown ids, and unreadable rows. */
function readReports(
	submissionRows: Row[],
	roster: Roster,
	mapping: FindMissingOptions['submissionColumns'],
	clock: Clock,
	problems: CheckResult['problems'],
): { reported: Uint8Array; unknown: Map<string, number[]>; superseded: number } {
	const reported = new Uint8Array(roster.reporters.length);
	const unknown = new Map<string, number[]>();
	let superseded = 0;
	const first = firstRow(submissionRows);
	if (!first) return { reported, unknown, superseded };
	const cols = new Columns(mapping ?? DEFAULT_SUBMISSION_COLUMNS, 'submissions');
	cols.resolve(first, ['reporterId', 'timestamp']);
	const idCol = cols.column('reporterId') as string;
	for (let i = 0; i < submissionRows.length; i++) {
		const row = submissionRows[i];
		if (isEmptyRow(row)) continue;
		const id = normaliseId(cols.raw(row, 'reporterId'));
		try {
			if (!id) throw new InputError(`"${idCol}" is empty: the submission names no reporter`, { row: i, field: idCol });
			try {
				timestampMs(cols.raw(row, 'timestamp'), clock.zone, clock.offsets, clock.scratch);
			} catch (e) {
				throw new InputError(e instanceof Error ? e.message : String(e), { row: i, field: cols.column('timestamp') });
			}
			const r = roster.byId.get(id);
			if (r === undefined) {
				checkId(id, i, idCol);
				const list = unknown.get(id);
				if (list) list.push(i);
				else unknown.set(id, [i]);
				continue;
			}
			if (reported[r]) superseded++;
			reported[r] = 1;
		} catch (e) {
			problems.push({ input: 1, problem: problemFrom(e, i) });
		}
	}
	return { reported, unknown, superseded };
}

/**
 * Any submission from the reporter counts (on time up to the due time, late after it). Items have
 * the shape of slot-based missing reports: `slot` is `slotName`, `date` the local date of the due
 * time, misses in a row are 1, and escalation goes by minutes overdue.
 */
export function findMissingByDueTime(
	rosterRows: Row[],
	submissionRows: Row[],
	opts: DueTimeFindOptions,
	rosterMapping?: Record<ReporterKey, string>,
): CheckResult {
	const escalation = readEscalation(opts.escalation);
	const zoneName = checkZone(opts.zone);
	const grace = opts.graceMinutes ?? 0;
	if (!Number.isFinite(grace) || grace < 0) {
		throw new InputError(`The grace must be 0 minutes or more (got ${grace})`, { field: 'graceMinutes' });
	}
	const slotName = opts.slotName?.trim() || 'Due';
	const asOf = opts.asOf.setZone(zoneName);
	const asOfMs = asOf.toMillis();
	const roster = readRoster(rosterRows, rosterMapping);
	const problems: CheckResult['problems'] = roster.problems.map((problem) => ({ input: 0, problem }));
	const clock: Clock = { zone: IANAZone.create(zoneName), offsets: new Map(), scratch: { wall: 0, offset: 0 } };
	const dueMs = readDueTimes(rosterRows, roster, opts.dueAtColumn || DEFAULT_DUE_AT_COLUMN, clock, problems);
	const { reported, unknown, superseded } = readReports(submissionRows, roster, opts.submissionColumns, clock, problems);
	const admins = opts.admins ?? [];
	const reach: Reach = { escalation, admins, adminGroup: opts.adminGroup, text: new MessageText(opts.message ?? DEFAULT_MISSING_MESSAGE) };
	const records: OutputRecord[] = [];
	roster.reporters.forEach((rep, r) => {
		const due = dueMs[r];
		if (reported[r] || Number.isNaN(due) || due > asOfMs) return;
		const closesMs = due + grace * 60000;
		const date = DateTime.fromMillis(due, { zone: zoneName }).toISODate() as string;
		const d = { slot: slotName, date, dueMs: due, closesMs, misses: 1, missesCapped: false, asOfMs, times: dueTimes(due, closesMs, zoneName) };
		records.push(missingReportRecord(rep, d, reach));
	});
	records.push(...unknownSubmissions(unknown, asOf.toISODate() as string, opts, admins));
	return { records, problems, stats: stats(roster, submissionRows, 0, superseded) };
}
