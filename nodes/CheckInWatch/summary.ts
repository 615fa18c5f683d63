/**
 * Daily Summary: for each group, expected, submitted, late, missing and abnormal counts for the
 * slots of the as-of date that are due by then, and a zero report when nothing is abnormal.
 * Pure TypeScript: no n8n import.
 */
import type { Row } from '../shared/rows';
import { symptomList } from './abnormal';
import type { ReporterKey, SubmissionKey } from './columns';
import { buildLedger, type Ledger } from './ledger';
import { DEFAULT_SUMMARY_MESSAGE, DEFAULT_ZERO_REPORT, MessageText } from './messages';
import { dueOccurrences, statusOf } from './misses';
import type { WatchOptions } from './occurrences';
import { inputProblems, mentions, stats, type CheckResult, type OutputRecord } from './records';
import { readRoster, type Contact } from './roster';
import { DEFAULT_FEVER_THRESHOLD, isFever, matchSymptoms, parseTemperature } from './temperature';

export interface SummaryOptions extends WatchOptions {
	feverThreshold?: number;
	symptoms?: string[];
	/** Also output a whole-school total. */
	includeTotal?: boolean;
	totalName?: string;
	/** List the names of those missing in the message (names only). */
	listMissingNames?: boolean;
	message?: string;
	zeroReport?: string;
	submissionColumns?: Record<SubmissionKey, string>;
	reporterColumns?: Record<ReporterKey, string>;
	/** Target group for the total item. */
	adminGroup?: string;
}

interface GroupTally {
	group: string;
	reporters: number[];
	expected: number;
	submitted: number;
	onTime: number;
	late: number;
	missing: number;
	abnormal: number;
	missingNames: string[];
	leader?: Contact;
}

function tally(group: string): GroupTally {
	return { group, reporters: [], expected: 0, submitted: 0, onTime: 0, late: 0, missing: 0, abnormal: 0, missingNames: [] };
}

/** Counts each reporter's due slots into its group; groups in the order they first appear in the roster. */
function tallyGroups(ledger: Ledger, submissionRows: Row[], due: number[], threshold: number, symptoms: string[]): GroupTally[] {
	const { roster } = ledger;
	const cols = ledger.submissionColumns;
	const hasTemp = cols?.has('temperature') ?? false;
	const hasSym = cols?.has('symptoms') ?? false;
	const R = roster.reporters.length;
	const groups = new Map<string, GroupTally>();
	for (let r = 0; r < R; r++) {
		const rep = roster.reporters[r];
		let g = groups.get(rep.group);
		if (!g) groups.set(rep.group, (g = tally(rep.group)));
		if (!g.leader && rep.leader) g.leader = rep.leader;
		g.reporters.push(r);
		let missed = false;
		let abnormal = false;
		for (const k of due) {
			g.expected++;
			const status = statusOf(ledger, r, k);
			if (status === 'missing') {
				g.missing++;
				missed = true;
				continue;
			}
			g.submitted++;
			if (status === 'late') g.late++;
			else g.onTime++;
			const row = submissionRows[ledger.latestRow[k * R + r]];
			if (cols && hasTemp) {
				const t = parseTemperature(cols.raw(row, 'temperature'));
				if (!t.ok || isFever(t, threshold)) abnormal = true;
			}
			if (cols && hasSym && matchSymptoms(cols.raw(row, 'symptoms'), symptoms).length) abnormal = true;
		}
		if (missed) g.missingNames.push(rep.name);
		if (abnormal) g.abnormal++;
	}
	return [...groups.values()];
}

function totalOf(groups: GroupTally[], name: string): GroupTally {
	const total = tally(name);
	for (const g of groups) {
		total.reporters.push(...g.reporters);
		total.expected += g.expected;
		total.submitted += g.submitted;
		total.onTime += g.onTime;
		total.late += g.late;
		total.missing += g.missing;
		total.abnormal += g.abnormal;
	}
	return total;
}

/** Inputs: 0 reporters, 1 submissions. */
export function dailySummary(rosterRows: Row[], submissionRows: Row[], opts: SummaryOptions): CheckResult {
	const roster = readRoster(rosterRows, opts.reporterColumns);
	const ledger = buildLedger(roster, submissionRows, opts, opts.submissionColumns);
	const threshold = opts.feverThreshold ?? DEFAULT_FEVER_THRESHOLD;
	const due = dueOccurrences(ledger, 'allToday').filter((k) => ledger.occ[k].date === ledger.asOfDate);
	const records: OutputRecord[] = [];
	const result = () => ({
		records,
		problems: inputProblems(roster, ledger.problems),
		stats: stats(roster, submissionRows, ledger.ignored, ledger.superseded),
	});
	if (!opts.calendar.isSchoolDay(ledger.asOfDate) || due.length === 0) return result();
	const groups = tallyGroups(ledger, submissionRows, due, threshold, symptomList(opts.symptoms));
	const slots = due.map((k) => ledger.occ[k].slot.name);
	const text = new MessageText(opts.message ?? DEFAULT_SUMMARY_MESSAGE, opts.slots);
	const abnormalChecked = (ledger.submissionColumns?.has('temperature') || ledger.submissionColumns?.has('symptoms')) ?? false;
	const shape = (g: GroupTally, isTotal: boolean): OutputRecord => {
		const zero = g.abnormal === 0;
		const listed = g.missingNames.slice(0, 50);
		const more = g.missingNames.length > 50;
		const missingList =
			!isTotal && opts.listMissingNames !== false && g.missingNames.length
				? text.chinese
					? ` 未报：${text.list(listed)}${more ? ` 等 ${g.missingNames.length} 人` : ''}。`
					: ` Not reported: ${text.list(listed)}${more ? ` and others, ${g.missingNames.length} in all` : ''}.`
				: '';
		const leader = isTotal ? undefined : g.leader;
		return {
			data: {
				kind: isTotal ? 'daily total' : 'daily summary',
				group: g.group,
				date: ledger.asOfDate,
				slots,
				reporters: g.reporters.length,
				expected: g.expected,
				submitted: g.submitted,
				onTime: g.onTime,
				late: g.late,
				missing: g.missing,
				abnormal: g.abnormal,
				abnormalChecked,
				zeroReport: zero,
				missingNames: g.missingNames,
				recipientName: leader?.name ?? '',
				recipientMobile: leader?.mobile ?? '',
				recipientUserId: leader?.userId ?? '',
				targetGroup: isTotal ? (opts.adminGroup ?? g.group) : g.group,
				...mentions([leader]),
				message: text
					.compose({
						group: g.group,
						date: ledger.asOfDate,
						expected: g.expected,
						submitted: g.submitted,
						late: g.late,
						missing: g.missing,
						abnormal: g.abnormal,
						zero: zero ? (opts.zeroReport ?? DEFAULT_ZERO_REPORT) : '',
						missingList,
					})
					.trim(),
				dedupeKey: `summary|${g.group}|${ledger.asOfDate}|${slots.join('+')}`,
			},
			sources: g.reporters.map((r) => ({ input: 0, item: roster.reporters[r].row })),
		};
	};
	for (const g of groups) records.push(shape(g, false));
	if (opts.includeTotal !== false && groups.length) {
		const rec = shape(totalOf(groups, opts.totalName ?? '全校'), true);
		rec.data.unknownReporters = ledger.unknown.size;
		delete (rec.data as { missingNames?: unknown }).missingNames;
		records.push(rec);
	}
	return result();
}
