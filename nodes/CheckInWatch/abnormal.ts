/**
 * Flag Abnormal: alert records for a temperature at or above the threshold, a listed symptom, an
 * unreadable reading or (with the roster) N missed checks in a row. Duplicate readings for one
 * reporter and slot (or day): the latest wins. Pure TypeScript: no n8n import.
 */
import { DateTime, IANAZone } from 'luxon';
import { InputError, problemFrom } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { checkZone, timestampMs } from '../shared/time';
import { DEFAULT_SUBMISSION_COLUMNS, type ReporterKey, type SubmissionKey } from './columns';
import { buildLedger } from './ledger';
import { DEFAULT_ALERT_MESSAGE, DEFAULT_UNKNOWN_MESSAGE, MessageText } from './messages';
import { consecutiveMisses, dueOccurrences, loadMissingHistory, statusOf } from './misses';
import { occurrences, type WatchOptions } from './occurrences';
import { adminNames, iso, mentions, stats, unknownRecords, type CheckResult, type OutputRecord, type Source } from './records';
import { checkId, firstRow, normaliseId, readRoster, type Contact, type Reporter, type Roster } from './roster';
import { DEFAULT_FEVER_THRESHOLD, isFever, matchSymptoms, parseTemperature } from './temperature';

export const DEFAULT_SYMPTOMS = '发热, 发烧, 咳嗽, 咽痛, 乏力, 腹泻, 呼吸困难, 嗅觉, 味觉, fever, cough, sore throat, fatigue, diarrhea';

/** The symptoms list of a parameter ("发热, 咳嗽" or 发热、咳嗽). */
export function symptomList(symptoms?: string[]): string[] {
	return symptoms ?? DEFAULT_SYMPTOMS.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
}

/** Checks a fever threshold: 35 to 42 °C. */
export function checkThreshold(threshold: number): number {
	if (!Number.isFinite(threshold) || threshold < 35 || threshold > 42) {
		throw new InputError(`A fever threshold of ${threshold} °C is out of range (35 to 42)`, { field: 'feverThreshold' });
	}
	return threshold;
}

export interface AbnormalOptions {
	zone: string;
	feverThreshold?: number;
	checkTemperature?: boolean;
	checkSymptoms?: boolean;
	symptoms?: string[];
	/** Alert after this many misses in a row (needs the roster and the slots); 0 = off. */
	missedInARow?: number;
	/** For the missed-in-a-row check and for placing readings in slots. */
	watch?: WatchOptions;
	/** Only readings whose slot date (or local date) is the as-of date. */
	onlyAsOfDate?: boolean;
	/** The escalation level of an alert (2: group leader, 3: administrator on duty). */
	alertLevel?: 2 | 3;
	admins?: Contact[];
	adminGroup?: string;
	message?: string;
	submissionColumns?: Record<SubmissionKey, string>;
	reporterColumns?: Record<ReporterKey, string>;
}

interface Reading {
	row: number;
	id: string;
	ms: number;
	slot: string;
	date: string;
}

interface AlertBase {
	id: string;
	name: string;
	group: string;
	slot: string;
	date: string;
}

/** The run's settings, read once. */
interface Run {
	zone: string;
	threshold: number;
	checkTemp: boolean;
	checkSym: boolean;
	symptoms: string[];
	level: number;
	admins: Contact[];
	adminGroup?: string;
	text: MessageText;
	asOfDate?: string;
}

function alertRecord(run: Run, rep: Reporter | undefined, base: AlertBase, reasons: string[], extra: Record<string, unknown>, sources: Source[]): OutputRecord {
	const lvl = run.level;
	const targets: Array<Contact | undefined> = [];
	if (lvl >= 2 && rep?.leader) targets.push(rep.leader);
	if (lvl >= 3) targets.push(...run.admins);
	const leader = rep?.leader;
	return {
		data: {
			kind: 'abnormal',
			reporterId: base.id,
			reporterName: base.name,
			group: base.group,
			slot: base.slot,
			date: base.date,
			reasons,
			...extra,
			level: lvl,
			recipientName: leader?.name ?? '',
			recipientMobile: leader?.mobile ?? '',
			recipientUserId: leader?.userId ?? '',
			targetGroup: lvl >= 3 && run.adminGroup ? run.adminGroup : base.group,
			leaderName: leader?.name ?? '',
			leaderMobile: leader?.mobile ?? '',
			leaderUserId: leader?.userId ?? '',
			adminName: lvl >= 3 ? adminNames(run.admins) : '',
			...mentions(targets),
			message: run.text.compose({ name: base.name, group: base.group, slot: run.text.slot(base.slot), date: base.date, reason: run.text.reasons(reasons) }),
			dedupeKey: `abnormal|${base.id}|${base.date}|${base.slot}|${reasons.join('+')}`,
		},
		sources,
	};
}

/** The latest reading per reporter and slot (or day); readings from ids not on the roster apart. */
function readReadings(rows: Row[], cols: Columns<SubmissionKey>, roster: Roster | undefined, run: Run, watch: WatchOptions | undefined, onlyAsOfDate: boolean, problems: CheckResult['problems']) {
	const occ = watch ? occurrences(watch) : [];
	const latest = new Map<string, Reading>();
	const offsets = new Map<number, number>();
	const unknown = new Map<string, number[]>();
	const zone = IANAZone.create(run.zone);
	let superseded = 0;
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (isEmptyRow(row)) continue;
		try {
			const id = checkId(normaliseId(cols.raw(row, 'reporterId')), i, cols.column('reporterId'));
			if (!id) throw new InputError(`"${cols.column('reporterId')}" is empty: the reading names no reporter`, { row: i, field: cols.column('reporterId') });
			if (roster && !roster.byId.has(id)) {
				const list = unknown.get(id);
				if (list) list.push(i);
				else unknown.set(id, [i]);
				continue;
			}
			let ms = Number.NaN;
			if (cols.has('timestamp')) {
				try {
					ms = timestampMs(cols.raw(row, 'timestamp'), zone, offsets);
				} catch (e) {
					throw new InputError(e instanceof Error ? e.message : String(e), { row: i, field: cols.column('timestamp') });
				}
			}
			let slot = '';
			let date = Number.isNaN(ms) ? (run.asOfDate ?? '') : (DateTime.fromMillis(ms, { zone: run.zone }).toISODate() as string);
			const o = occ.find((x) => ms >= x.opensMs && ms <= x.closesMs);
			if (o) {
				slot = o.slot.name;
				date = o.date;
			}
			if (onlyAsOfDate && run.asOfDate && date !== run.asOfDate) continue;
			const key = `${id}\n${date}\n${slot}`;
			const prev = latest.get(key);
			if (prev) {
				superseded++;
				// The latest wins; without times, the later row wins.
				if (!Number.isNaN(ms) && !Number.isNaN(prev.ms) && ms < prev.ms) continue;
			}
			latest.set(key, { row: i, id, ms, slot, date });
		} catch (e) {
			problems.push({ input: 0, problem: problemFrom(e, i) });
		}
	}
	return { latest, unknown, superseded };
}

/** What is abnormal in one reading: the reasons and the fields that show them. */
function assess(row: Row, cols: Columns<SubmissionKey>, run: Run): { reasons: string[]; extra: Record<string, unknown> } {
	const reasons: string[] = [];
	const extra: Record<string, unknown> = {};
	if (run.checkTemp) {
		const t = parseTemperature(cols.raw(row, 'temperature'));
		extra.temperatureC = t.ok ? t.celsius : null;
		extra.temperatureRaw = t.raw;
		if (!t.ok) {
			reasons.push('unreadable temperature');
			extra.temperatureProblem = t.reason;
		} else if (isFever(t, run.threshold)) reasons.push('fever');
	}
	if (run.checkSym) {
		const found = matchSymptoms(cols.raw(row, 'symptoms'), run.symptoms);
		extra.symptomsFound = found;
		if (found.length) reasons.push('symptom');
	}
	return { reasons, extra };
}

/** Alerts for reporters who missed `missedInARow` checks in a row up to the latest due slot. */
function missedInARowRecords(rows: Row[], roster: Roster, watch: WatchOptions, missedInARow: number, opts: AbnormalOptions, run: Run): OutputRecord[] {
	const out: OutputRecord[] = [];
	const ledger = buildLedger(roster, rows, watch, opts.submissionColumns);
	const due = dueOccurrences(ledger, 'latest');
	loadMissingHistory(ledger, due);
	for (const k of due) {
		const o = ledger.occ[k];
		for (let r = 0; r < roster.reporters.length; r++) {
			if (statusOf(ledger, r, k) !== 'missing') continue;
			const { count } = consecutiveMisses(ledger, r, k);
			if (count < missedInARow) continue;
			const rep = roster.reporters[r];
			const base = { id: rep.id, name: rep.name, group: rep.group, slot: o.slot.name, date: o.date };
			out.push(alertRecord(run, rep, base, ['missed in a row'], { consecutiveMisses: count }, [{ input: 1, item: rep.row }]));
		}
	}
	return out;
}

/** Inputs: 0 submissions (readings), 1 reporters (optional). */
export function flagAbnormal(submissionRows: Row[], rosterRows: Row[] | undefined, opts: AbnormalOptions): CheckResult {
	const zone = checkZone(opts.zone);
	const run: Run = {
		zone,
		threshold: checkThreshold(opts.feverThreshold ?? DEFAULT_FEVER_THRESHOLD),
		checkTemp: opts.checkTemperature ?? true,
		checkSym: opts.checkSymptoms ?? true,
		symptoms: symptomList(opts.symptoms),
		level: opts.alertLevel ?? 2,
		admins: opts.admins ?? [],
		adminGroup: opts.adminGroup,
		text: new MessageText(opts.message ?? DEFAULT_ALERT_MESSAGE, opts.watch?.slots),
		asOfDate: opts.watch ? (opts.watch.asOf.setZone(zone).toISODate() as string) : undefined,
	};
	const withRoster = rosterRows !== undefined && firstRow(rosterRows) !== undefined;
	const roster = withRoster ? readRoster(rosterRows as Row[], opts.reporterColumns) : undefined;
	const problems: CheckResult['problems'] = (roster?.problems ?? []).map((problem) => ({ input: 1, problem }));
	const records: OutputRecord[] = [];
	let superseded = 0;
	const sample = firstRow(submissionRows);
	if (sample) {
		const cols = new Columns<SubmissionKey>(opts.submissionColumns ?? DEFAULT_SUBMISSION_COLUMNS, 'submissions');
		const required: SubmissionKey[] = ['reporterId'];
		if (run.checkTemp) required.push('temperature');
		if (run.checkSym) required.push('symptoms');
		cols.resolve(sample, required);
		const read = readReadings(submissionRows, cols, roster, run, opts.watch, opts.onlyAsOfDate ?? false, problems);
		superseded = read.superseded;
		for (const reading of read.latest.values()) {
			const row = submissionRows[reading.row];
			const { reasons, extra } = assess(row, cols, run);
			if (!reasons.length) continue;
			if (!Number.isNaN(reading.ms)) extra.submittedAt = iso(reading.ms, zone);
			extra.threshold = run.threshold;
			const rep = roster ? roster.reporters[roster.byId.get(reading.id) as number] : undefined;
			const name = rep?.name ?? (cols.text(row, 'name') || reading.id);
			const base = { id: reading.id, name, group: rep?.group ?? cols.text(row, 'group'), slot: reading.slot, date: reading.date };
			const sources: Source[] = [{ input: 0, item: reading.row }];
			if (rep) sources.push({ input: 1, item: rep.row });
			records.push(alertRecord(run, rep, base, reasons, extra, sources));
		}
		records.push(
			...unknownRecords(read.unknown, {
				input: 0,
				date: run.asOfDate,
				dateInItem: false,
				levelReason: 'reading from a reporter not on the roster',
				adminGroup: opts.adminGroup,
				admins: run.admins,
				text: new MessageText(DEFAULT_UNKNOWN_MESSAGE),
			}),
		);
	}
	const missedInARow = opts.missedInARow ?? 2;
	if (roster && opts.watch && missedInARow > 0) {
		records.push(...missedInARowRecords(submissionRows, roster, opts.watch, missedInARow, opts, run));
	}
	return { records, problems, stats: { ...stats(roster, submissionRows, 0, superseded) } };
}
