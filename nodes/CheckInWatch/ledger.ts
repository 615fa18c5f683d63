/**
 * The report ledger: what the submissions say, indexed by reporter and slot occurrence (the
 * latest submission wins). Rows of recent days are placed at once; older rows are history, read
 * only for the reporters whose runs of misses need them (history.ts). Pure TypeScript.
 */
import { DateTime, IANAZone } from 'luxon';
import { problemFrom, type RowProblem } from '../shared/errors';
import { Columns, type Row } from '../shared/rows';
import { NO_DAY, checkZone, daysFromCivil, fastDay, offsetCache, timestampMs } from '../shared/time';
import { DEFAULT_SUBMISSION_COLUMNS, type SubmissionKey } from './columns';
import { HistoryRows } from './history';
import { DEFAULT_LOOK_BACK_DAYS, occurrences, type Occurrence, type WatchOptions } from './occurrences';
import { checkId, firstRow, normaliseId, type Roster } from './roster';

export interface Ledger {
	roster: Roster;
	occ: Occurrence[];
	/** Occurrence indices in order of their due times, and each occurrence's place in it. */
	byDue: number[];
	duePos: Int32Array;
	/**
	 * Latest submission time per occurrence x reporter (k * reporters + reporter); 0 = none.
	 * Occurrence-major: submissions of one slot touch one compact stretch of memory.
	 */
	latestMs: Float64Array;
	/** Its submission row. */
	latestRow: Int32Array;
	/** Submissions from ids not on the roster, by id, with their rows. */
	unknown: Map<string, number[]>;
	/** Submissions on the as-of date that fall in no slot window: [reporter index, row, ms]. */
	outside: Array<{ reporter: number; row: number; ms: number }>;
	/** Rows that could not be read (no id, a broken id, an unreadable time). */
	problems: RowProblem[];
	/** Rows read but not counted: before the look-back, on a day off or outside slots on other days. */
	ignored: number;
	/** Duplicate submissions (same reporter and slot) that a later one replaced. */
	superseded: number;
	/** Start of the first day with a submission: misses are not counted before it. */
	historyFromMs: number;
	/** Reporters whose history rows have been read. */
	historyLoaded: Uint8Array;
	/** Reads the history rows (written more than two days before the as-of date) these reporters' runs of misses need. */
	loadHistory: (reporters: Iterable<number>, beforeMs?: number) => void;
	asOfMs: number;
	asOfDate: string;
	zone: string;
	submissionColumns?: Columns<SubmissionKey>;
}

/** A row with no keys: the `{}` an empty Data Table read emits. Same as isEmptyRow, without allocating. */
function isBlank(row: Row | undefined | null): boolean {
	if (!row) return true;
	for (const _ in row) return false;
	return true;
}

function emptyLedger(roster: Roster, opts: WatchOptions, zoneName: string): Ledger {
	const occ = occurrences(opts);
	const K = occ.length;
	const R = roster.reporters.length;
	const asOf = opts.asOf.setZone(zoneName);
	const byDue = occ.map((_, i) => i).sort((a, b) => occ[a].dueMs - occ[b].dueMs || a - b);
	const duePos = new Int32Array(K);
	byDue.forEach((k, pos) => (duePos[k] = pos));
	return {
		roster,
		occ,
		byDue,
		duePos,
		latestMs: new Float64Array(R * K),
		latestRow: new Int32Array(R * K).fill(-1),
		unknown: new Map(),
		outside: [],
		problems: [],
		ignored: 0,
		superseded: 0,
		historyFromMs: Number.POSITIVE_INFINITY,
		historyLoaded: new Uint8Array(R).fill(1),
		loadHistory: () => undefined,
		asOfMs: asOf.toMillis(),
		asOfDate: asOf.toISODate() as string,
		zone: zoneName,
	};
}

/** The occurrence whose window holds ms: the one it is on time for first, then the earliest; -1 when none. */
function occurrenceAt(opens: Float64Array, dues: Float64Array, closes: Float64Array, maxSpan: number, ms: number): number {
	let lo = 0;
	let hi = opens.length - 1;
	let last = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (opens[mid] <= ms) {
			last = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	let hit = -1;
	for (let k = last; k >= 0 && opens[k] >= ms - maxSpan; k--) {
		if (ms <= closes[k]) {
			if (hit < 0 || (ms <= dues[k] && ms > dues[hit]) || (ms <= dues[k]) === (ms <= dues[hit])) hit = k;
		}
	}
	return hit;
}

/** Places submission rows in a ledger: one reporter and occurrence cell each, the latest wins. */
class Placer {
	private readonly zone: IANAZone;
	private readonly opens: Float64Array;
	private readonly dues: Float64Array;
	private readonly closes: Float64Array;
	private readonly maxSpan: number;
	private readonly offsets: Map<number, number>;
	private readonly scratch = { wall: 0, offset: 0 };
	private readonly dayStart: number;
	private readonly dayEnd: number;
	/** The earliest submission placed in a slot. */
	firstMs = Number.POSITIVE_INFINITY;

	constructor(
		private readonly ledger: Ledger,
		private readonly idCol: string,
		private readonly tsCol: string,
	) {
		const { occ } = ledger;
		const K = occ.length;
		this.zone = IANAZone.create(ledger.zone);
		this.opens = new Float64Array(K);
		this.dues = new Float64Array(K);
		this.closes = new Float64Array(K);
		let maxSpan = 0;
		for (let k = 0; k < K; k++) {
			this.opens[k] = occ[k].opensMs;
			this.dues[k] = occ[k].dueMs;
			this.closes[k] = occ[k].closesMs;
			maxSpan = Math.max(maxSpan, occ[k].closesMs - occ[k].opensMs);
		}
		this.maxSpan = maxSpan;
		this.offsets = offsetCache(this.zone, K ? occ[0].opensMs - 86400000 : ledger.asOfMs, ledger.asOfMs);
		const asOf = DateTime.fromMillis(ledger.asOfMs, { zone: ledger.zone });
		this.dayStart = asOf.startOf('day').toMillis();
		this.dayEnd = asOf.endOf('day').toMillis();
	}

	/** Reads one row fully and places it; with `onlyFor`, only rows of those reporters. */
	place(i: number, rawId: unknown, raw: unknown, onlyFor?: Uint8Array): void {
		const ledger = this.ledger;
		const id = normaliseId(rawId);
		if (!id) {
			ledger.problems.push({ row: i, field: this.idCol, message: `"${this.idCol}" is empty: the submission names no reporter` });
			return;
		}
		const r = ledger.roster.byId.get(id);
		if (onlyFor && (r === undefined || onlyFor[r] === 0)) return;
		let ms: number;
		try {
			ms = timestampMs(raw, this.zone, this.offsets, this.scratch);
		} catch (e) {
			ledger.problems.push({ ...problemFrom(e, i), field: this.tsCol });
			return;
		}
		if (r === undefined) {
			this.unknown(i, id);
			return;
		}
		const hit = occurrenceAt(this.opens, this.dues, this.closes, this.maxSpan, ms);
		if (hit < 0) {
			if (ms >= this.dayStart && ms <= this.dayEnd) ledger.outside.push({ reporter: r, row: i, ms });
			else ledger.ignored++;
			return;
		}
		if (ms < this.firstMs) this.firstMs = ms;
		const cell = hit * ledger.roster.reporters.length + r;
		const prev = ledger.latestMs[cell];
		if (prev !== 0) {
			ledger.superseded++;
			if (ms < prev) return;
		}
		ledger.latestMs[cell] = ms;
		ledger.latestRow[cell] = i;
	}

	/** A submission from an id not on the roster (a broken id is a problem of its row instead). */
	private unknown(i: number, id: string): void {
		try {
			checkId(id, i, this.idCol);
		} catch (e) {
			this.ledger.problems.push(problemFrom(e, i));
			return;
		}
		const list = this.ledger.unknown.get(id);
		if (list) list.push(i);
		else this.ledger.unknown.set(id, [i]);
	}
}

/**
 * Reads the submissions into a ledger. Rows written "YYYY-MM-DD..." more than two days from the
 * as-of date are history: they are read only for the reporters whose misses in a row are
 * counted (ledger.loadHistory). Rows before the look-back are not read at all.
 */
export function buildLedger(
	roster: Roster,
	submissionRows: Row[],
	opts: WatchOptions,
	mapping: Record<SubmissionKey, string> = DEFAULT_SUBMISSION_COLUMNS,
): Ledger {
	const zoneName = checkZone(opts.zone);
	const ledger = emptyLedger(roster, opts, zoneName);
	const sample = firstRow(submissionRows);
	if (!sample) return ledger;
	const cols = new Columns<SubmissionKey>(mapping, 'submissions');
	cols.resolve(sample, ['reporterId', 'timestamp']);
	ledger.submissionColumns = cols;
	const idCol = cols.column('reporterId') as string;
	const tsCol = cols.column('timestamp') as string;
	const placer = new Placer(ledger, idCol, tsCol);
	const asOf = opts.asOf.setZone(zoneName);
	const asOfDay = daysFromCivil(asOf.year, asOf.month, asOf.day);
	const history = new HistoryRows(asOfDay, opts.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS, submissionRows.length);
	for (let i = 0; i < submissionRows.length; i++) {
		const row = submissionRows[i];
		if (!row) continue;
		let rawId = row[idCol];
		if (rawId === undefined) {
			if (isBlank(row)) continue;
			rawId = cols.raw(row, 'reporterId');
		}
		let raw = row[tsCol];
		if (raw === undefined) raw = cols.raw(row, 'timestamp');
		if (typeof raw === 'string' && rawId !== undefined && rawId !== null && rawId !== '') {
			const day = fastDay(raw);
			if (day !== NO_DAY && !history.isRecent(day)) {
				if (!history.defer(i, day)) ledger.ignored++;
				continue;
			}
		}
		placer.place(i, rawId, raw);
	}
	ledger.loadHistory = history.loader(ledger, (i, onlyFor) => {
		const row = submissionRows[i];
		placer.place(i, row[idCol] ?? cols.raw(row, 'reporterId'), row[tsCol] ?? cols.raw(row, 'timestamp'), onlyFor);
	});
	// Misses are counted from the first day with any submission: there is no data before it.
	let firstDay = history.firstDay;
	if (placer.firstMs !== Number.POSITIVE_INFINITY) {
		const zone = IANAZone.create(zoneName);
		firstDay = Math.min(firstDay, Math.floor((placer.firstMs + zone.offset(placer.firstMs) * 60000) / 86400000));
	}
	if (firstDay !== Number.POSITIVE_INFINITY) {
		const d = DateTime.fromMillis(firstDay * 86400000, { zone: 'UTC' });
		ledger.historyFromMs = DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: zoneName }).toMillis();
	}
	return ledger;
}
