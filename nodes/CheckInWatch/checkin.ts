/**
 * Check-In Watch: who or what has not reported by when. One engine for people (staff health
 * check-ins, the daily location-and-health report) and places (disinfection record per area,
 * hazard patrol log, the daily supply count): both are "reporters".
 *
 * Find Missing, Flag Abnormal and Daily Summary on plain rows. Pure TypeScript: no n8n import.
 */
import { DateTime, IANAZone } from 'luxon';
import type { SchoolCalendar } from '../shared/calendar';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { windowOf, type Slot } from '../shared/slots';
import { checkZone, parseTimestamp } from '../shared/time';
import { DEFAULT_FEVER_THRESHOLD, isFever, matchSymptoms, parseTemperature } from './temperature';

// ---------------------------------------------------------------------------------------------
// Columns

export type ReporterKey =
	| 'id'
	| 'name'
	| 'group'
	| 'mobile'
	| 'userId'
	| 'leaderName'
	| 'leaderMobile'
	| 'leaderUserId';

export type SubmissionKey = 'reporterId' | 'timestamp' | 'name' | 'group' | 'temperature' | 'symptoms';

export const DEFAULT_REPORTER_COLUMNS: Record<ReporterKey, string> = {
	id: '工号, 学号, 编号, id, reporterId',
	name: '姓名, 名称, name, reporterName',
	group: '班级, 部门, 区域, group, class, department',
	mobile: '手机, 手机号, 电话, mobile, phone',
	userId: '用户ID, userId, user id',
	leaderName: '班主任, 组长, 负责人, leader, leaderName',
	leaderMobile: '班主任手机, 组长手机, 负责人手机, leaderMobile',
	leaderUserId: '班主任用户ID, 组长用户ID, 负责人用户ID, leaderUserId',
};

export const DEFAULT_SUBMISSION_COLUMNS: Record<SubmissionKey, string> = {
	reporterId: '工号, 学号, 编号, id, reporterId',
	timestamp: '提交时间, 填报时间, 时间, submittedAt, timestamp, time',
	name: '姓名, 名称, name, reporterName',
	group: '班级, 部门, 区域, group, class, department',
	temperature: '体温, temperature, temp',
	symptoms: '症状, symptoms',
};

export interface Contact {
	name: string;
	mobile: string;
	userId: string;
}

export interface Reporter {
	/** 0-based index of the roster row. */
	row: number;
	id: string;
	name: string;
	group: string;
	mobile: string;
	userId: string;
	leader?: Contact;
}

export interface Roster {
	reporters: Reporter[];
	byId: Map<string, number>;
	problems: RowProblem[];
}

/** Reporter ids are compared as trimmed text: 1001 and "1001 " are the same reporter. */
export function normaliseId(value: unknown): string {
	if (value === undefined || value === null) return '';
	return (typeof value === 'string' ? value : String(value)).trim();
}

function firstRow(rows: Row[]): Row | undefined {
	for (const r of rows) if (!isEmptyRow(r)) return r;
	return undefined;
}

/** Reads the expected reporters. Rows without an id, and repeated ids, become problems. */
export function readRoster(rows: Row[], mapping: Record<ReporterKey, string> = DEFAULT_REPORTER_COLUMNS): Roster {
	const reporters: Reporter[] = [];
	const byId = new Map<string, number>();
	const problems: RowProblem[] = [];
	const sample = firstRow(rows);
	if (!sample) return { reporters, byId, problems };
	const cols = new Columns<ReporterKey>(mapping, 'reporters');
	cols.resolve(sample, ['id', 'name', 'group']);
	// Optional columns are looked up once, on the first row: Data Table rows all have the same keys.
	const text = (row: Row, key: ReporterKey): string => {
		const col = cols.column(key);
		return col === undefined ? '' : normaliseId(row[col]);
	};
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (isEmptyRow(row)) continue;
		try {
			const id = cols.requiredText(row, 'id', i);
			const seen = byId.get(id);
			if (seen !== undefined) {
				throw new InputError(
					`Reporter id "${id}" is already on row ${reporters[seen].row + 1}: each reporter is expected once`,
					{ row: i, field: cols.column('id') },
				);
			}
			const leaderName = text(row, 'leaderName');
			const leaderMobile = text(row, 'leaderMobile');
			const leaderUserId = text(row, 'leaderUserId');
			byId.set(id, reporters.length);
			reporters.push({
				row: i,
				id,
				name: text(row, 'name') || id,
				group: text(row, 'group'),
				mobile: text(row, 'mobile'),
				userId: text(row, 'userId'),
				leader:
					leaderName || leaderMobile || leaderUserId
						? { name: leaderName, mobile: leaderMobile, userId: leaderUserId }
						: undefined,
			});
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	}
	return { reporters, byId, problems };
}

// ---------------------------------------------------------------------------------------------
// Slot occurrences and submissions

export interface Occurrence {
	slot: Slot;
	/** The school date the slot belongs to (the date it opens). */
	date: string;
	opensMs: number;
	dueMs: number;
	closesMs: number;
	/** Local date of the due time (differs from `date` when the slot crosses midnight). */
	dueDate: string;
}

export interface WatchOptions {
	slots: Slot[];
	zone: string;
	calendar: SchoolCalendar;
	/** The time the check is made. */
	asOf: DateTime;
	/** How many days back the submission history is read for consecutive misses (1 to 90). */
	lookBackDays?: number;
}

export const DEFAULT_LOOK_BACK_DAYS = 30;
export const MAX_LOOK_BACK_DAYS = 90;

/** Slot occurrences on school days from `lookBackDays` before the as-of date to it, opened by then. */
export function occurrences(opts: WatchOptions): Occurrence[] {
	const zone = checkZone(opts.zone);
	const days = opts.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS;
	if (!Number.isInteger(days) || days < 0 || days > MAX_LOOK_BACK_DAYS) {
		throw new InputError(`A look-back of ${days} days is out of range (0 to ${MAX_LOOK_BACK_DAYS})`, {
			field: 'lookBackDays',
		});
	}
	const asOf = opts.asOf.setZone(zone);
	const asOfMs = asOf.toMillis();
	const out: Occurrence[] = [];
	const first = asOf.startOf('day').minus({ days: days + 1 });
	// A zone with one UTC offset over the range (Asia/Shanghai) needs no luxon per window.
	const fixed = offsetCache(IANAZone.create(zone), first.toMillis() - 86400000, asOfMs + 2 * 86400000).get(FIXED_OFFSET);
	const firstDay = daysFromCivil(first.year, first.month, first.day);
	const lastDay = firstDay + days + 1;
	for (let day = firstDay; day <= lastDay; day++) {
		const midnightWall = day * 86400000;
		const date = new Date(midnightWall).toISOString().slice(0, 10);
		if (!opts.calendar.isSchoolDay(date)) continue;
		for (const slot of opts.slots) {
			let opensMs: number;
			let dueMs: number;
			let closesMs: number;
			let dueDate: string;
			if (fixed !== undefined) {
				const base = midnightWall - fixed * 60000;
				opensMs = base + slot.opensMin * 60000;
				dueMs = base + slot.dueMin * 60000;
				closesMs = dueMs + slot.graceMinutes * 60000;
				dueDate = new Date(midnightWall + slot.dueMin * 60000).toISOString().slice(0, 10);
			} else {
				const w = windowOf(slot, date, zone);
				opensMs = w.opens.toMillis();
				dueMs = w.due.toMillis();
				closesMs = w.closes.toMillis();
				dueDate = w.due.toISODate() as string;
			}
			if (opensMs > asOfMs) continue;
			out.push({ slot, date, opensMs, dueMs, closesMs, dueDate });
		}
	}
	out.sort((a, b) => a.opensMs - b.opensMs || a.dueMs - b.dueMs);
	// The first day before the look-back only serves slots that cross midnight into it.
	const firstDate = asOf.startOf('day').minus({ days }).toISODate() as string;
	return out.filter((o) => o.date >= firstDate || o.dueDate >= firstDate);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at i, or -1. */
function two(s: string, i: number): number {
	const a = s.charCodeAt(i) - 48;
	const b = s.charCodeAt(i + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
	y -= m <= 2 ? 1 : 0;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

const NO_DAY = -1e9;

/** Day number (days since 1970-01-01) of the date a "YYYY-MM-DD..." text starts with, else NO_DAY. */
function fastDay(s: string): number {
	if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NO_DAY;
	const y = two(s, 0) * 100 + two(s, 2);
	const mo = two(s, 5);
	const d = two(s, 8);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return NO_DAY;
	return daysFromCivil(y, mo, d);
}

/**
 * "YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z|±HH:mm]" read without allocating: the wall-clock time as
 * if it were UTC, and the offset in minutes when one is written (NaN when none, -1 wall when
 * the text has another shape).
 */
function fastIso(s: string, out: { wall: number; offset: number }): boolean {
	const n = s.length;
	if (n < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return false;
	const sep = s.charCodeAt(10);
	if (sep !== 84 && sep !== 32) return false;
	const y = two(s, 0) * 100 + two(s, 2);
	const mo = two(s, 5);
	const d = two(s, 8);
	const h = two(s, 11);
	const mi = two(s, 14);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return false;
	const monthDays = mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : MONTH_DAYS[mo - 1];
	if (d > monthDays) return false;
	let i = 16;
	let sec = 0;
	let ms = 0;
	if (i < n && s.charCodeAt(i) === 58) {
		sec = two(s, i + 1);
		if (sec < 0 || sec > 59) return false;
		i += 3;
		if (i < n && s.charCodeAt(i) === 46) {
			i++;
			let scale = 100;
			const from = i;
			while (i < n) {
				const c = s.charCodeAt(i) - 48;
				if (c < 0 || c > 9) break;
				ms += c * scale;
				scale /= 10;
				i++;
			}
			if (i === from) return false;
			ms = Math.floor(ms);
		}
	}
	out.offset = Number.NaN;
	if (i < n) {
		const c = s.charCodeAt(i);
		if (c === 90 && i + 1 === n) out.offset = 0;
		else if ((c === 43 || c === 45) && (n - i === 6 || n - i === 5)) {
			const oh = two(s, i + 1);
			const om = two(s, n - 2);
			if (oh < 0 || om < 0 || (n - i === 6 && s.charCodeAt(i + 3) !== 58)) return false;
			out.offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
		} else return false;
	}
	out.wall = (daysFromCivil(y, mo, d) * 1440 + h * 60 + mi) * 60000 + sec * 1000 + ms;
	return true;
}

/**
 * Epoch milliseconds of a submission time. A time without a zone is read in `zone`.
 * The common ISO shapes take a fast path (no luxon, no allocation per row); everything
 * parseTimestamp reads is accepted. `offsets` caches the zone's UTC offset per hour for this
 * one call, `scratch` is reused between rows.
 */
export function timestampMs(
	value: unknown,
	zone: IANAZone,
	offsets: Map<number, number>,
	scratch: { wall: number; offset: number } = { wall: 0, offset: 0 },
): number {
	if (typeof value === 'string' && fastIso(value, scratch)) {
		const wall = scratch.wall;
		if (!Number.isNaN(scratch.offset)) return wall - scratch.offset * 60000;
		const fixed = offsets.get(FIXED_OFFSET);
		if (fixed !== undefined) return wall - fixed * 60000;
		const hour = Math.floor(wall / 3600000);
		let off = offsets.get(hour);
		if (off === undefined) {
			const guess = zone.offset(wall);
			off = zone.offset(wall - guess * 60000);
			offsets.set(hour, off);
		}
		return wall - off * 60000;
	}
	return parseTimestamp(value, zone.name).toMillis();
}

/** Key in the offsets cache under which a zone's single offset over a whole range is kept. */
const FIXED_OFFSET = -1e9;

/**
 * The offsets cache for one call. When the zone keeps one UTC offset on every day from
 * `fromMs` to `toMs` (no daylight-saving change, as in Asia/Shanghai), it is stored once.
 */
export function offsetCache(zone: IANAZone, fromMs: number, toMs: number): Map<number, number> {
	const cache = new Map<number, number>();
	const first = zone.offset(fromMs);
	// Weekly samples: no zone keeps a daylight-saving offset for less than a week.
	for (let t = fromMs + 7 * 86400000; ; t += 7 * 86400000) {
		if (zone.offset(Math.min(t, toMs)) !== first) return cache;
		if (t >= toMs) break;
	}
	cache.set(FIXED_OFFSET, first);
	return cache;
}

/** A row with no keys: the `{}` an empty Data Table read emits. Same as isEmptyRow, without allocating. */
function isBlank(row: Row | undefined | null): boolean {
	if (!row) return true;
	for (const _ in row) return false;
	return true;
}

/** What the submissions say, indexed by reporter and slot occurrence (latest submission wins). */
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
	/** Rows that could not be read (no id, unreadable time). */
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

export function buildLedger(
	roster: Roster,
	submissionRows: Row[],
	opts: WatchOptions,
	mapping: Record<SubmissionKey, string> = DEFAULT_SUBMISSION_COLUMNS,
): Ledger {
	const zoneName = checkZone(opts.zone);
	const zone = IANAZone.create(zoneName);
	const occ = occurrences(opts);
	const K = occ.length;
	const R = roster.reporters.length;
	const asOf = opts.asOf.setZone(zoneName);
	const asOfMs = asOf.toMillis();
	const asOfDate = asOf.toISODate() as string;
	const byDue = occ.map((_, i) => i).sort((a, b) => occ[a].dueMs - occ[b].dueMs || a - b);
	const duePos = new Int32Array(K);
	byDue.forEach((k, pos) => (duePos[k] = pos));
	const ledger: Ledger = {
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
		asOfMs,
		asOfDate,
		zone: zoneName,
	};
	const sample = firstRow(submissionRows);
	if (!sample) return ledger;
	const cols = new Columns<SubmissionKey>(mapping, 'submissions');
	cols.resolve(sample, ['reporterId', 'timestamp']);
	ledger.submissionColumns = cols;
	const idCol = cols.column('reporterId') as string;
	const tsCol = cols.column('timestamp') as string;
	const opens = new Float64Array(K);
	const dues = new Float64Array(K);
	const closes = new Float64Array(K);
	let maxSpan = 0;
	for (let k = 0; k < K; k++) {
		opens[k] = occ[k].opensMs;
		dues[k] = occ[k].dueMs;
		closes[k] = occ[k].closesMs;
		maxSpan = Math.max(maxSpan, occ[k].closesMs - occ[k].opensMs);
	}
	const offsets = offsetCache(zone, K ? occ[0].opensMs - 86400000 : asOfMs, asOfMs);
	const scratch = { wall: 0, offset: 0 };
	const dayStart = asOf.startOf('day').toMillis();
	const dayEnd = asOf.endOf('day').toMillis();
	const { byId } = roster;
	const { latestMs, latestRow } = ledger;
	// Rows written "YYYY-MM-DD..." more than two days from the as-of date are history: they are
	// read only for the reporters whose misses in a row are counted (loadHistory). Rows before
	// the look-back are not read at all.
	const asOfDay = daysFromCivil(asOf.year, asOf.month, asOf.day);
	const recentFrom = asOfDay - 2;
	const recentTo = asOfDay + 2;
	const oldest = asOfDay - (opts.lookBackDays ?? DEFAULT_LOOK_BACK_DAYS) - 2;
	const deferred = new Int32Array(submissionRows.length);
	const deferredDay = new Int32Array(submissionRows.length);
	let deferredCount = 0;
	let firstDay = Number.POSITIVE_INFINITY;
	let firstMs = Number.POSITIVE_INFINITY;

	/** Reads one row fully and places it. */
	const place = (i: number, row: Row, rawId: unknown, raw: unknown, onlyFor?: Uint8Array): void => {
		const id = normaliseId(rawId);
		if (!id) {
			ledger.problems.push({ row: i, field: idCol, message: `"${idCol}" is empty: the submission names no reporter` });
			return;
		}
		const r = byId.get(id);
		if (onlyFor && (r === undefined || onlyFor[r] === 0)) return;
		let ms: number;
		try {
			ms = timestampMs(raw, zone, offsets, scratch);
		} catch (e) {
			const p = problemFrom(e, i);
			ledger.problems.push({ ...p, field: tsCol });
			return;
		}
		if (r === undefined) {
			const list = ledger.unknown.get(id);
			if (list) list.push(i);
			else ledger.unknown.set(id, [i]);
			return;
		}
		// The occurrence whose window holds ms: prefer one it is on time for, then the earliest.
		let lo = 0;
		let hi = K - 1;
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
		if (hit < 0) {
			if (ms >= dayStart && ms <= dayEnd) ledger.outside.push({ reporter: r, row: i, ms });
			else ledger.ignored++;
			return;
		}
		if (ms < firstMs) firstMs = ms;
		const cell = hit * R + r;
		const prev = latestMs[cell];
		if (prev !== 0) {
			ledger.superseded++;
			if (ms < prev) return;
		}
		latestMs[cell] = ms;
		latestRow[cell] = i;
	};

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
			if (day !== NO_DAY && (day < recentFrom || day > recentTo)) {
				if (day < oldest) ledger.ignored++;
				else {
					deferredDay[deferredCount] = day - oldest;
					deferred[deferredCount++] = i;
					if (day < firstDay) firstDay = day;
				}
				continue;
			}
		}
		place(i, row, rawId, raw);
	}
	// History rows bucketed by the day they are written on, newest day first when read.
	const span = recentFrom - oldest;
	const bucketStart = new Int32Array(span + 1);
	for (let j = 0; j < deferredCount; j++) bucketStart[deferredDay[j] + 1]++;
	for (let d = 0; d < span; d++) bucketStart[d + 1] += bucketStart[d];
	const bucketed = new Int32Array(deferredCount);
	const fill = bucketStart.slice(0, span);
	for (let j = 0; j < deferredCount; j++) bucketed[fill[deferredDay[j]]++] = deferred[j];
	const occDay = occ.map((o) => {
		const [y, m, d] = o.date.split('-').map(Number);
		return daysFromCivil(y, m, d);
	});

	const loaded = new Uint8Array(R);
	ledger.historyLoaded = loaded;
	/**
	 * Reads history day by day, newest first, for the reporters whose run of misses before
	 * `beforeMs` is still unbroken: most runs end within a day, so little history is read.
	 * A slot of date X is reported on days X-1 to X+2 (a slot past midnight, a written offset).
	 */
	ledger.loadHistory = (reporters: Iterable<number>, beforeMs = Number.POSITIVE_INFINITY) => {
		let alive: number[] = [];
		for (const r of reporters) if (loaded[r] === 0) alive.push(r);
		if (!alive.length) return;
		const need = new Uint8Array(R);
		for (const r of alive) need[r] = 1;
		let checkedFrom = Number.POSITIVE_INFINITY;
		for (let D = recentFrom - 1; D >= oldest && alive.length; D--) {
			// Occurrences of dates D+2 and later are complete: a report in one ends the run.
			const still: number[] = [];
			for (const r of alive) {
				let broken = false;
				for (let k = 0; k < K && !broken; k++) {
					if (occDay[k] >= D + 2 && occDay[k] < checkedFrom && dues[k] < beforeMs && latestMs[k * R + r] !== 0) {
						broken = true;
					}
				}
				if (broken) {
					need[r] = 0;
					loaded[r] = 1;
				} else still.push(r);
			}
			alive = still;
			checkedFrom = D + 2;
			if (!alive.length) break;
			const b = D - oldest;
			for (let j = bucketStart[b]; j < bucketStart[b + 1]; j++) {
				const i = bucketed[j];
				const row = submissionRows[i];
				place(i, row, row[idCol] ?? cols.raw(row, 'reporterId'), row[tsCol] ?? cols.raw(row, 'timestamp'), need);
			}
		}
		for (const r of alive) loaded[r] = 1;
	};
	if (deferredCount === 0) loaded.fill(1);
	// Misses are counted from the first day with any submission: there is no data before it.
	if (firstMs !== Number.POSITIVE_INFINITY) {
		firstDay = Math.min(firstDay, Math.floor((firstMs + zone.offset(firstMs) * 60000) / 86400000));
	}
	if (firstDay !== Number.POSITIVE_INFINITY) {
		const d = DateTime.fromMillis(firstDay * 86400000, { zone: 'UTC' });
		ledger.historyFromMs = DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone: zoneName }).toMillis();
	}
	return ledger;
}

/** The "As Of" parameter: empty means now. Names the parameter when unreadable. */
export function readAsOf(value: unknown, zone: string, now: DateTime): DateTime {
	if (value === '' || value === undefined || value === null) return now.setZone(zone);
	try {
		return parseTimestamp(value, zone);
	} catch (e) {
		throw new InputError(e instanceof Error ? e.message : String(e), { field: 'asOf' });
	}
}

export type ReportStatus = 'on time' | 'late' | 'missing';

export function statusOf(ledger: Ledger, reporter: number, k: number): ReportStatus {
	const ms = ledger.latestMs[k * ledger.roster.reporters.length + reporter];
	if (ms === 0) return 'missing';
	return ms <= ledger.occ[k].dueMs ? 'on time' : 'late';
}

/**
 * Misses in a row up to and including occurrence k, counted back over earlier school-day slots
 * (all slots, in order of their due times) within the look-back, and no further back than the
 * submission history goes (a slot that closed before the earliest submission is not counted:
 * there is no data for it). `capped` is true when the count reached that limit.
 */
export function consecutiveMisses(ledger: Ledger, reporter: number, k: number): { count: number; capped: boolean } {
	const R = ledger.roster.reporters.length;
	if (ledger.historyLoaded[reporter] === 0) ledger.loadHistory([reporter], ledger.occ[k].dueMs);
	const start = ledger.duePos[k];
	let count = 0;
	for (let p = start; p >= 0; p--) {
		const kk = ledger.byDue[p];
		if (ledger.latestMs[kk * R + reporter] !== 0) return { count, capped: false };
		if (p !== start && ledger.occ[kk].closesMs < ledger.historyFromMs) return { count, capped: true };
		count++;
	}
	return { count, capped: true };
}

/** Reads the history of every reporter missing at one of these occurrences, in one pass. */
export function loadMissingHistory(ledger: Ledger, occurrenceIndices: number[]): void {
	const R = ledger.roster.reporters.length;
	const missing: number[] = [];
	let first = Number.POSITIVE_INFINITY;
	for (const k of occurrenceIndices) first = Math.min(first, ledger.occ[k].dueMs);
	for (let r = 0; r < R; r++) {
		for (const k of occurrenceIndices) {
			if (ledger.latestMs[k * R + r] === 0) {
				missing.push(r);
				break;
			}
		}
	}
	// Runs of misses are counted back from the earliest checked slot.
	ledger.loadHistory(missing, first);
}

/** The occurrences a check looks at: due by the as-of time, on the as-of date (by date or due date). */
export function dueOccurrences(ledger: Ledger, scope: 'latest' | 'allToday', onlySlots: string[] = []): number[] {
	const picked: number[] = [];
	for (let k = 0; k < ledger.occ.length; k++) {
		const o = ledger.occ[k];
		if (o.dueMs > ledger.asOfMs) continue;
		if (o.date !== ledger.asOfDate && o.dueDate !== ledger.asOfDate) continue;
		if (onlySlots.length && !onlySlots.includes(o.slot.name)) continue;
		picked.push(k);
	}
	if (scope === 'allToday' || picked.length === 0) return picked;
	const latest = Math.max(...picked.map((k) => ledger.occ[k].dueMs));
	return picked.filter((k) => ledger.occ[k].dueMs === latest);
}

// ---------------------------------------------------------------------------------------------
// Output records (plain data; the adapter turns them into n8n items)

export interface Source {
	/** Input index: 0 reporters, 1 submissions (Find Missing, Daily Summary); see each operation. */
	input: number;
	item: number;
}

export interface OutputRecord {
	data: Record<string, unknown>;
	sources: Source[];
}

/** Fills "{name}" style placeholders; unknown placeholders are left as typed. */
export function fillTemplate(template: string, vars: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (all, key: string) =>
		Object.prototype.hasOwnProperty.call(vars, key) ? String(vars[key]) : all,
	);
}

function fmt(ms: number, zone: string): string {
	return DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
}

function iso(ms: number, zone: string): string {
	return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

function mentions(contacts: Array<Contact | undefined>): { mentionMobiles: string[]; mentionUserIds: string[] } {
	const mobiles: string[] = [];
	const userIds: string[] = [];
	for (const c of contacts) {
		if (!c) continue;
		if (c.mobile && !mobiles.includes(c.mobile)) mobiles.push(c.mobile);
		if (c.userId && !userIds.includes(c.userId)) userIds.push(c.userId);
	}
	return { mentionMobiles: mobiles, mentionUserIds: userIds };
}

// ---------------------------------------------------------------------------------------------
// Find Missing

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

export const DEFAULT_MISSING_MESSAGE = '{name}：{date} {slot}（{due} 截止）尚未填报，请尽快补报。已连续未报 {misses} 次。';
export const DEFAULT_UNKNOWN_MESSAGE = '收到名单外编号 {id} 的 {count} 条填报，请核对名单或填报链接。';
export const DEFAULT_OUTSIDE_MESSAGE = '{name} 于 {time} 的填报不在任何时段内，未计入，请核对。';

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

export interface CheckResult {
	records: OutputRecord[];
	/** Unreadable rows per input index (0 reporters, 1 submissions). */
	problems: Array<{ input: number; problem: RowProblem }>;
	stats: { reporters: number; submissions: number; ignored: number; superseded: number };
}

function levelFor(
	misses: number,
	minutesOverdue: number,
	e: EscalationOptions,
): { level: 1 | 2 | 3; reason: string } {
	const reason = (n: number, m: number, byMiss: boolean) =>
		byMiss ? `${n} misses in a row` : `${m} minutes overdue`;
	if (e.adminAfterMisses > 0 && misses >= e.adminAfterMisses) return { level: 3, reason: reason(misses, 0, true) };
	if (e.adminAfterMinutes > 0 && minutesOverdue >= e.adminAfterMinutes) {
		return { level: 3, reason: reason(0, minutesOverdue, false) };
	}
	if (e.leaderAfterMisses > 0 && misses >= e.leaderAfterMisses) return { level: 2, reason: reason(misses, 0, true) };
	if (e.leaderAfterMinutes > 0 && minutesOverdue >= e.leaderAfterMinutes) {
		return { level: 2, reason: reason(0, minutesOverdue, false) };
	}
	return { level: 1, reason: 'first reminder' };
}

function checkEscalation(e: EscalationOptions): EscalationOptions {
	for (const [k, v] of Object.entries(e)) {
		if (!Number.isFinite(v) || v < 0) throw new InputError(`${k} must be 0 or more (got ${v})`, { field: k });
	}
	return e;
}

function unknownRecords(
	ledger: Pick<Ledger, 'unknown' | 'asOfDate'>,
	opts: Pick<FindMissingOptions, 'adminGroup' | 'unknownMessage'>,
	admins: Contact[],
): OutputRecord[] {
	const out: OutputRecord[] = [];
	for (const [id, rows] of ledger.unknown) {
		out.push({
			data: {
				kind: 'unknown reporter',
				reporterId: id,
				submissionCount: rows.length,
				date: ledger.asOfDate,
				level: 3,
				levelReason: 'submission from a reporter not on the roster',
				targetGroup: opts.adminGroup ?? '',
				recipientName: admins.map((a) => a.name).filter(Boolean).join('、'),
				recipientMobile: admins[0]?.mobile ?? '',
				recipientUserId: admins[0]?.userId ?? '',
				...mentions(admins),
				message: fillTemplate(opts.unknownMessage ?? DEFAULT_UNKNOWN_MESSAGE, { id, count: rows.length }),
				dedupeKey: `unknown|${id}|${ledger.asOfDate}`,
			},
			sources: rows.map((item) => ({ input: 1, item })),
		});
	}
	return out;
}

function outsideRecords(ledger: Ledger, opts: FindMissingOptions): OutputRecord[] {
	return ledger.outside.map(({ reporter, row, ms }) => {
		const r = ledger.roster.reporters[reporter];
		const time = fmt(ms, ledger.zone);
		return {
			data: {
				kind: 'outside any slot',
				reporterId: r.id,
				reporterName: r.name,
				group: r.group,
				submittedAt: iso(ms, ledger.zone),
				date: ledger.asOfDate,
				level: 1,
				recipientName: r.name,
				recipientMobile: r.mobile,
				recipientUserId: r.userId,
				targetGroup: r.group,
				...mentions([r]),
				message: fillTemplate(opts.outsideMessage ?? DEFAULT_OUTSIDE_MESSAGE, {
					name: r.name,
					group: r.group,
					time,
				}),
				dedupeKey: `outside|${r.id}|${iso(ms, ledger.zone)}`,
			},
			sources: [
				{ input: 0, item: r.row },
				{ input: 1, item: row },
			],
		};
	});
}

/** The ledger problems and roster problems, tagged with their input. */
function allProblems(roster: Roster, ledger: Ledger): CheckResult['problems'] {
	return [
		...roster.problems.map((problem) => ({ input: 0, problem })),
		...ledger.problems.map((problem) => ({ input: 1, problem })),
	];
}

/** One report that is due and missing: when it was due, and the misses in a row so far. */
interface MissedDue {
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

interface DueTimes {
	dueAt: string;
	makeUpUntilAt: string;
	due: string;
	makeUpUntil: string;
}

function dueTimes(dueMs: number, closesMs: number, zone: string): DueTimes {
	return {
		dueAt: iso(dueMs, zone),
		makeUpUntilAt: iso(closesMs, zone),
		due: fmt(dueMs, zone),
		makeUpUntil: fmt(closesMs, zone),
	};
}

/** The "missing report" item: escalation level, targets to @mention and the reminder text. */
function missingReportRecord(
	rep: Reporter,
	d: MissedDue,
	escalation: EscalationOptions,
	admins: Contact[],
	adminGroup: string | undefined,
	template: string,
): OutputRecord {
	const minutesOverdue = Math.max(0, Math.floor((d.asOfMs - d.dueMs) / 60000));
	const graceOpen = d.asOfMs <= d.closesMs;
	const { level, reason } = levelFor(d.misses, minutesOverdue, escalation);
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
		targetGroup: level >= 3 && adminGroup ? adminGroup : rep.group,
		leaderName: level >= 2 ? (rep.leader?.name ?? '') : '',
		leaderMobile: level >= 2 ? (rep.leader?.mobile ?? '') : '',
		leaderUserId: level >= 2 ? (rep.leader?.userId ?? '') : '',
		adminName: level >= 3 ? admins.map((a) => a.name).filter(Boolean).join('、') : '',
		...mentions(targets),
		message: fillTemplate(template, {
			name: rep.name,
			group: rep.group,
			slot: d.slot,
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

/**
 * One record per missing report: the slot, the consecutive misses so far and the escalation
 * level with its targets. Also one record per unknown reporter id and per submission today that
 * fell in no slot window. Submissions inside the grace count as late, not missing.
 */
export function findMissing(rosterRows: Row[], submissionRows: Row[], opts: FindMissingOptions, rosterMapping?: Record<ReporterKey, string>): CheckResult {
	const escalation = checkEscalation({ ...DEFAULT_ESCALATION, ...(opts.escalation ?? {}) });
	const roster = readRoster(rosterRows, rosterMapping);
	const ledger = buildLedger(roster, submissionRows, opts, opts.submissionColumns);
	const admins = opts.admins ?? [];
	const template = opts.message ?? DEFAULT_MISSING_MESSAGE;
	const records: OutputRecord[] = [];
	const R = roster.reporters.length;
	const checked = dueOccurrences(ledger, opts.scope ?? 'latest', opts.onlySlots);
	loadMissingHistory(ledger, checked);
	for (const k of checked) {
		const o = ledger.occ[k];
		const times = dueTimes(o.dueMs, o.closesMs, ledger.zone);
		for (let r = 0; r < roster.reporters.length; r++) {
			if (ledger.latestMs[k * R + r] !== 0) continue;
			const rep = roster.reporters[r];
			const { count, capped } = consecutiveMisses(ledger, r, k);
			records.push(
				missingReportRecord(rep, {
					slot: o.slot.name,
					date: o.date,
					dueMs: o.dueMs,
					closesMs: o.closesMs,
					misses: count,
					missesCapped: capped,
					asOfMs: ledger.asOfMs,
					times,
				}, escalation, admins, opts.adminGroup, template),
			);
		}
	}
	records.push(...unknownRecords(ledger, opts, admins), ...outsideRecords(ledger, opts));
	return {
		records,
		problems: allProblems(roster, ledger),
		stats: {
			reporters: roster.reporters.length,
			submissions: submissionRows.length,
			ignored: ledger.ignored,
			superseded: ledger.superseded,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Find Missing with one due time per reporter

export const DEFAULT_DUE_AT_COLUMN = 'dueAt, 应到时间, 截止时间, expectedReturn, 预计返回时间';

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

/**
 * Find Missing where each reporter owes one report by its own due time (a "Due At" column of the
 * reporter row, e.g. the expected return of a leave), on any day: no slots, no school calendar.
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
	const escalation = checkEscalation({ ...DEFAULT_ESCALATION, ...(opts.escalation ?? {}) });
	const zoneName = checkZone(opts.zone);
	const zone = IANAZone.create(zoneName);
	const grace = opts.graceMinutes ?? 0;
	if (!Number.isFinite(grace) || grace < 0) {
		throw new InputError(`The grace must be 0 minutes or more (got ${grace})`, { field: 'graceMinutes' });
	}
	const slotName = opts.slotName?.trim() || 'Due';
	const asOf = opts.asOf.setZone(zoneName);
	const asOfMs = asOf.toMillis();
	const asOfDate = asOf.toISODate() as string;
	const roster = readRoster(rosterRows, rosterMapping);
	const problems: CheckResult['problems'] = roster.problems.map((problem) => ({ input: 0, problem }));
	const offsets = new Map<number, number>();
	const scratch = { wall: 0, offset: 0 };
	const dueMs = new Float64Array(roster.reporters.length).fill(Number.NaN);
	const sample = firstRow(rosterRows);
	if (sample && roster.reporters.length) {
		const dueCols = new Columns<'dueAt'>({ dueAt: opts.dueAtColumn || DEFAULT_DUE_AT_COLUMN }, 'reporters');
		dueCols.resolve(sample, ['dueAt']);
		roster.reporters.forEach((rep, r) => {
			const row = rosterRows[rep.row];
			try {
				dueCols.requiredText(row, 'dueAt', rep.row);
				dueMs[r] = timestampMs(dueCols.raw(row, 'dueAt'), zone, offsets, scratch);
			} catch (e) {
				const p = problemFrom(e, rep.row);
				problems.push({ input: 0, problem: { ...p, field: dueCols.column('dueAt') } });
			}
		});
	}
	const reported = new Uint8Array(roster.reporters.length);
	const unknown = new Map<string, number[]>();
	let superseded = 0;
	const first = firstRow(submissionRows);
	if (first) {
		const cols = new Columns<SubmissionKey>(opts.submissionColumns ?? DEFAULT_SUBMISSION_COLUMNS, 'submissions');
		cols.resolve(first, ['reporterId', 'timestamp']);
		const idCol = cols.column('reporterId') as string;
		submissionRows.forEach((row, i) => {
			if (isEmptyRow(row)) return;
			const id = normaliseId(cols.raw(row, 'reporterId'));
			if (!id) {
				const message = `"${idCol}" is empty: the submission names no reporter`;
				problems.push({ input: 1, problem: { row: i, field: idCol, message } });
				return;
			}
			try {
				timestampMs(cols.raw(row, 'timestamp'), zone, offsets, scratch);
			} catch (e) {
				problems.push({ input: 1, problem: { ...problemFrom(e, i), field: cols.column('timestamp') } });
				return;
			}
			const r = roster.byId.get(id);
			if (r === undefined) {
				const list = unknown.get(id);
				if (list) list.push(i);
				else unknown.set(id, [i]);
				return;
			}
			if (reported[r]) superseded++;
			reported[r] = 1;
		});
	}
	const admins = opts.admins ?? [];
	const template = opts.message ?? DEFAULT_MISSING_MESSAGE;
	const records: OutputRecord[] = [];
	roster.reporters.forEach((rep, r) => {
		const due = dueMs[r];
		if (reported[r] || Number.isNaN(due) || due > asOfMs) return;
		records.push(
			missingReportRecord(rep, {
				slot: slotName,
				date: DateTime.fromMillis(due, { zone: zoneName }).toISODate() as string,
				dueMs: due,
				closesMs: due + grace * 60000,
				misses: 1,
				missesCapped: false,
				asOfMs,
				times: dueTimes(due, due + grace * 60000, zoneName),
			}, escalation, admins, opts.adminGroup, template),
		);
	});
	records.push(...unknownRecords({ unknown, asOfDate }, opts, admins));
	return {
		records,
		problems,
		stats: { reporters: roster.reporters.length, submissions: submissionRows.length, ignored: 0, superseded },
	};
}

// ---------------------------------------------------------------------------------------------
// Flag Abnormal

export const DEFAULT_SYMPTOMS = '发热, 发烧, 咳嗽, 咽痛, 乏力, 腹泻, 呼吸困难, 嗅觉, 味觉, fever, cough, sore throat, fatigue, diarrhea';
export const DEFAULT_ALERT_MESSAGE = '{name}（{group}）{date} {slot} 健康填报异常：{reason}，请跟进。';

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
	key: string;
	slot: string;
	date: string;
}

/** Words for reasons in messages: no temperature values, ids or phone numbers. */
const REASON_TEXT: Record<string, string> = {
	fever: '体温偏高',
	'unreadable temperature': '体温无法识别',
	symptom: '有症状',
	'missed in a row': '连续未报',
};

/**
 * Alert items: a temperature at or above the threshold, a listed symptom, an unreadable reading
 * or (with the roster) N missed checks in a row. Duplicate readings for one reporter and slot
 * (or day): the latest wins. Inputs: 0 submissions, 1 reporters (optional).
 */
export function flagAbnormal(submissionRows: Row[], rosterRows: Row[] | undefined, opts: AbnormalOptions): CheckResult {
	const zoneName = checkZone(opts.zone);
	const zone = IANAZone.create(zoneName);
	const threshold = opts.feverThreshold ?? DEFAULT_FEVER_THRESHOLD;
	if (!Number.isFinite(threshold) || threshold < 35 || threshold > 42) {
		throw new InputError(`A fever threshold of ${threshold} °C is out of range (35 to 42)`, { field: 'feverThreshold' });
	}
	const checkTemp = opts.checkTemperature ?? true;
	const checkSym = opts.checkSymptoms ?? true;
	const symptomList = opts.symptoms ?? DEFAULT_SYMPTOMS.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
	const withRoster = rosterRows !== undefined && firstRow(rosterRows) !== undefined;
	const roster = withRoster ? readRoster(rosterRows as Row[], opts.reporterColumns) : undefined;
	const problems: CheckResult['problems'] = (roster?.problems ?? []).map((problem) => ({ input: 1, problem }));
	const records: OutputRecord[] = [];
	const admins = opts.admins ?? [];
	const level = opts.alertLevel ?? 2;
	const template = opts.message ?? DEFAULT_ALERT_MESSAGE;
	const sample = firstRow(submissionRows);
	let superseded = 0;
	const asOfDate = opts.watch ? (opts.watch.asOf.setZone(zoneName).toISODate() as string) : undefined;

	const targetsFor = (rep: Reporter | undefined, lvl: number) => {
		const t: Array<Contact | undefined> = [];
		if (lvl >= 2 && rep?.leader) t.push(rep.leader);
		if (lvl >= 3) t.push(...admins);
		return t;
	};

	const alert = (
		rep: Reporter | undefined,
		base: { id: string; name: string; group: string; slot: string; date: string },
		reasons: string[],
		extra: Record<string, unknown>,
		sources: Source[],
		lvl: number,
	): OutputRecord => {
		const targets = targetsFor(rep, lvl);
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
				targetGroup: lvl >= 3 && opts.adminGroup ? opts.adminGroup : base.group,
				leaderName: leader?.name ?? '',
				leaderMobile: leader?.mobile ?? '',
				leaderUserId: leader?.userId ?? '',
				adminName: lvl >= 3 ? admins.map((a) => a.name).filter(Boolean).join('、') : '',
				...mentions(targets),
				message: fillTemplate(template, {
					name: base.name,
					group: base.group,
					slot: base.slot,
					date: base.date,
					reason: reasons.map((r) => REASON_TEXT[r] ?? r).join('、'),
				}),
				dedupeKey: `abnormal|${base.id}|${base.date}|${base.slot}|${reasons.join('+')}`,
			},
			sources,
		};
	};

	if (sample) {
		const cols = new Columns<SubmissionKey>(opts.submissionColumns ?? DEFAULT_SUBMISSION_COLUMNS, 'submissions');
		const required: SubmissionKey[] = ['reporterId'];
		if (checkTemp) required.push('temperature');
		if (checkSym) required.push('symptoms');
		cols.resolve(sample, required);
		const occ = opts.watch ? occurrences(opts.watch) : [];
		const latest = new Map<string, Reading>();
		const offsets = new Map<number, number>();
		const unknown = new Map<string, number[]>();
		for (let i = 0; i < submissionRows.length; i++) {
			const row = submissionRows[i];
			if (isEmptyRow(row)) continue;
			try {
				const id = normaliseId(cols.raw(row, 'reporterId'));
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
				let date = Number.isNaN(ms) ? (asOfDate ?? '') : (DateTime.fromMillis(ms, { zone: zoneName }).toISODate() as string);
				for (const o of occ) {
					if (ms >= o.opensMs && ms <= o.closesMs) {
						slot = o.slot.name;
						date = o.date;
						break;
					}
				}
				if (opts.onlyAsOfDate && asOfDate && date !== asOfDate) continue;
				const key = `${id}\n${date}\n${slot}`;
				const prev = latest.get(key);
				const reading: Reading = { row: i, id, ms, key, slot, date };
				if (prev) {
					superseded++;
					// The latest wins; without times, the later row wins.
					if (!Number.isNaN(ms) && !Number.isNaN(prev.ms) && ms < prev.ms) continue;
				}
				latest.set(key, reading);
			} catch (e) {
				problems.push({ input: 0, problem: problemFrom(e, i) });
			}
		}
		for (const reading of latest.values()) {
			const row = submissionRows[reading.row];
			const rep = roster ? roster.reporters[roster.byId.get(reading.id) as number] : undefined;
			const reasons: string[] = [];
			const extra: Record<string, unknown> = {};
			if (checkTemp) {
				const t = parseTemperature(cols.raw(row, 'temperature'));
				extra.temperatureC = t.ok ? t.celsius : null;
				extra.temperatureRaw = t.raw;
				if (!t.ok) {
					reasons.push('unreadable temperature');
					extra.temperatureProblem = t.reason;
				} else if (isFever(t, threshold)) reasons.push('fever');
			}
			if (checkSym) {
				const found = matchSymptoms(cols.raw(row, 'symptoms'), symptomList);
				extra.symptomsFound = found;
				if (found.length) reasons.push('symptom');
			}
			if (!reasons.length) continue;
			if (!Number.isNaN(reading.ms)) extra.submittedAt = iso(reading.ms, zoneName);
			extra.threshold = threshold;
			const base = {
				id: reading.id,
				name: rep?.name ?? (cols.text(row, 'name') || reading.id),
				group: rep?.group ?? cols.text(row, 'group'),
				slot: reading.slot,
				date: reading.date,
			};
			const sources: Source[] = [{ input: 0, item: reading.row }];
			if (rep) sources.push({ input: 1, item: rep.row });
			records.push(alert(rep, base, reasons, extra, sources, level));
		}
		for (const [id, rows] of unknown) {
			records.push({
				data: {
					kind: 'unknown reporter',
					reporterId: id,
					submissionCount: rows.length,
					level: 3,
					levelReason: 'reading from a reporter not on the roster',
					targetGroup: opts.adminGroup ?? '',
					recipientName: admins.map((a) => a.name).filter(Boolean).join('、'),
					recipientMobile: admins[0]?.mobile ?? '',
					recipientUserId: admins[0]?.userId ?? '',
					...mentions(admins),
					message: fillTemplate(DEFAULT_UNKNOWN_MESSAGE, { id, count: rows.length }),
					dedupeKey: `unknown|${id}|${asOfDate ?? ''}`,
				},
				sources: rows.map((item) => ({ input: 0, item })),
			});
		}
	}

	const missedInARow = opts.missedInARow ?? 2;
	if (roster && opts.watch && missedInARow > 0) {
		const ledger = buildLedger(roster, submissionRows, opts.watch, opts.submissionColumns);
		const due = dueOccurrences(ledger, 'latest');
		loadMissingHistory(ledger, due);
		for (const k of due) {
			const o = ledger.occ[k];
			for (let r = 0; r < roster.reporters.length; r++) {
				if (statusOf(ledger, r, k) !== 'missing') continue;
				const { count } = consecutiveMisses(ledger, r, k);
				if (count < missedInARow) continue;
				const rep = roster.reporters[r];
				records.push(
					alert(
						rep,
						{ id: rep.id, name: rep.name, group: rep.group, slot: o.slot.name, date: o.date },
						['missed in a row'],
						{ consecutiveMisses: count },
						[{ input: 1, item: rep.row }],
						level,
					),
				);
			}
		}
	}
	return {
		records,
		problems,
		stats: { reporters: roster?.reporters.length ?? 0, submissions: submissionRows.length, ignored: 0, superseded },
	};
}

// ---------------------------------------------------------------------------------------------
// Daily Summary

export const DEFAULT_SUMMARY_MESSAGE =
	'{group} {date} 填报情况：应报 {expected}，已报 {submitted}（其中迟报 {late}），未报 {missing}，异常 {abnormal}。{zero}{missingList}';
export const DEFAULT_ZERO_REPORT = '今日无异常情况。';

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

/**
 * For each group: expected, submitted, late, missing and abnormal counts for the slots of the
 * as-of date that are due by then, and a zero report when nothing is abnormal.
 * Inputs: 0 reporters, 1 submissions.
 */
export function dailySummary(rosterRows: Row[], submissionRows: Row[], opts: SummaryOptions): CheckResult {
	const roster = readRoster(rosterRows, opts.reporterColumns);
	const ledger = buildLedger(roster, submissionRows, opts, opts.submissionColumns);
	const threshold = opts.feverThreshold ?? DEFAULT_FEVER_THRESHOLD;
	const symptomList = opts.symptoms ?? DEFAULT_SYMPTOMS.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
	const due = dueOccurrences(ledger, 'allToday').filter((k) => ledger.occ[k].date === ledger.asOfDate);
	const records: OutputRecord[] = [];
	if (!opts.calendar.isSchoolDay(ledger.asOfDate) || due.length === 0) {
		return { records, problems: allProblems(roster, ledger), stats: stats(roster, submissionRows, ledger) };
	}
	const cols = ledger.submissionColumns;
	const hasTemp = cols?.has('temperature') ?? false;
	const hasSym = cols?.has('symptoms') ?? false;
	const R = roster.reporters.length;
	const groups = new Map<string, GroupTally>();
	for (let r = 0; r < roster.reporters.length; r++) {
		const rep = roster.reporters[r];
		let g = groups.get(rep.group);
		if (!g) {
			g = { group: rep.group, reporters: [], expected: 0, submitted: 0, onTime: 0, late: 0, missing: 0, abnormal: 0, missingNames: [] };
			groups.set(rep.group, g);
		}
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
			if (cols && hasSym && matchSymptoms(cols.raw(row, 'symptoms'), symptomList).length) abnormal = true;
		}
		if (missed) g.missingNames.push(rep.name);
		if (abnormal) g.abnormal++;
	}
	const slots = due.map((k) => ledger.occ[k].slot.name);
	const shape = (g: GroupTally, isTotal: boolean): OutputRecord => {
		const zero = g.abnormal === 0;
		const missingList =
			!isTotal && opts.listMissingNames !== false && g.missingNames.length
				? ` 未报：${g.missingNames.slice(0, 50).join('、')}${g.missingNames.length > 50 ? ` 等 ${g.missingNames.length} 人` : ''}。`
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
				abnormalChecked: hasTemp || hasSym,
				zeroReport: zero,
				missingNames: g.missingNames,
				recipientName: leader?.name ?? '',
				recipientMobile: leader?.mobile ?? '',
				recipientUserId: leader?.userId ?? '',
				targetGroup: isTotal ? (opts.adminGroup ?? g.group) : g.group,
				...mentions([leader]),
				message: fillTemplate(opts.message ?? DEFAULT_SUMMARY_MESSAGE, {
					group: g.group,
					date: ledger.asOfDate,
					expected: g.expected,
					submitted: g.submitted,
					late: g.late,
					missing: g.missing,
					abnormal: g.abnormal,
					zero: zero ? (opts.zeroReport ?? DEFAULT_ZERO_REPORT) : '',
					missingList,
				}).trim(),
				dedupeKey: `summary|${g.group}|${ledger.asOfDate}|${slots.join('+')}`,
			},
			sources: g.reporters.map((r) => ({ input: 0, item: roster.reporters[r].row })),
		};
	};
	// Groups in the order they first appear in the roster (schools list classes in their own order).
	const ordered = [...groups.values()];
	for (const g of ordered) records.push(shape(g, false));
	if (opts.includeTotal !== false && ordered.length) {
		const total: GroupTally = {
			group: opts.totalName ?? '全校',
			reporters: [],
			expected: 0,
			submitted: 0,
			onTime: 0,
			late: 0,
			missing: 0,
			abnormal: 0,
			missingNames: [],
		};
		for (const g of ordered) {
			total.reporters.push(...g.reporters);
			total.expected += g.expected;
			total.submitted += g.submitted;
			total.onTime += g.onTime;
			total.late += g.late;
			total.missing += g.missing;
			total.abnormal += g.abnormal;
		}
		const rec = shape(total, true);
		rec.data.unknownReporters = ledger.unknown.size;
		delete (rec.data as { missingNames?: unknown }).missingNames;
		records.push(rec);
	}
	return { records, problems: allProblems(roster, ledger), stats: stats(roster, submissionRows, ledger) };
}

function stats(roster: Roster, rows: Row[], ledger: Ledger): CheckResult['stats'] {
	return { reporters: roster.reporters.length, submissions: rows.length, ignored: ledger.ignored, superseded: ledger.superseded };
}
