// Check-In Watch speed: Find Missing for 10,000 reporters x 2 slots with 30 days of history.
// Run: node bench/run-ts.js bench/checkin.bench.ts
import { measure } from './timing';
import { DateTime, IANAZone } from 'luxon';
import { cpus, loadavg } from 'os';
import { SchoolCalendar } from '../nodes/shared/calendar';
import { parseSlots } from '../nodes/shared/slots';
import { parseTimestamp, timestampMs } from '../nodes/shared/time';
import { findMissing } from '../nodes/CheckInWatch/missing';
import { dailySummary } from '../nodes/CheckInWatch/summary';

const ZONE = 'Asia/Shanghai';
const REPORTERS = 10000;
const DAYS = 30;
const calendar = new SchoolCalendar();
const slots = parseSlots([
	{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
	{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
]);
const asOf = DateTime.fromISO('2026-03-31T17:10:00', { zone: ZONE });

const roster = Array.from({ length: REPORTERS }, (_, i) => ({
	工号: `T${String(i).padStart(5, '0')}`,
	姓名: `教师${i}`,
	部门: `部门${i % 40}`,
	手机: `139${String(i).padStart(8, '0')}`,
	组长: `组长${i % 40}`,
}));

// 30 days of history: every reporter submits in each slot of each school day, except about 3%
// who miss; 1% submit twice (a correction); times are local without a zone, as forms store them.
const submissions: Array<Record<string, unknown>> = [];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let d = DAYS; d >= 0; d--) {
	const day = asOf.minus({ days: d });
	const date = day.toISODate() as string;
	if (!calendar.isSchoolDay(date)) continue;
	for (let i = 0; i < REPORTERS; i++) {
		for (const [h, m] of [
			[8, 10],
			[16, 20],
		]) {
			if (d === 0 && h === 16 && i % 10 === 0) continue;
			if (rand() < 0.03) continue;
			const minute = String(m + (i % 40)).padStart(2, '0');
			const ts = `${date} ${String(h + Math.floor((m + (i % 40)) / 60)).padStart(2, '0')}:${String((m + (i % 40)) % 60).padStart(2, '0')}:00`;
			void minute;
			submissions.push({ 工号: roster[i].工号, 提交时间: ts, 体温: '36.5' });
			if (rand() < 0.01) submissions.push({ 工号: roster[i].工号, 提交时间: ts, 体温: '36.6' });
		}
	}
}

// The machine is shared: wall-clock time swings with the load of other processes, so each run
// also records this process's CPU time (user + system), and the target is checked on both.
// n8n hands a node items parsed from JSON (database rows, HTTP bodies): the bench does the same,
// so that strings are laid out as they are in a real run.
const realRoster = JSON.parse(JSON.stringify(roster)) as typeof roster;
const realSubmissions = JSON.parse(JSON.stringify(submissions)) as typeof submissions;

function time(label: string, target: number, fn: () => unknown): void {
	measure(label, target, fn, { count: (r) => (r as { records: unknown[] }).records.length, unit: 'items' });
}

process.stdout.write(
	`${REPORTERS} reporters, ${submissions.length} submission rows over ${DAYS} days; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`,
);
// Calibration: the same number of native Date.parse calls on this machine, so that figures from
// different machines can be compared (find missing parses every row once, and does more).
{
	const texts = realSubmissions.map((s) => `${String(s.提交时间).replace(' ', 'T')}+08:00`);
	let best = Infinity;
	for (let r = 0; r < 5; r++) {
		const t0 = process.hrtime.bigint();
		let x = 0;
		for (const t of texts) x += Date.parse(t);
		best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
		if (Number.isNaN(x)) throw new Error('calibration parse failed');
	}
	process.stdout.write(`calibration: native Date.parse x ${texts.length}: ${best.toFixed(0)} ms (best of 5)\n`);
}

const opts = { slots, zone: ZONE, calendar, asOf, lookBackDays: DAYS };
time(`find missing ${REPORTERS}x2, ${DAYS} days`, 100, () => findMissing(realRoster, realSubmissions, opts));
time(`find missing ${REPORTERS}x2, ${DAYS} days, all slots today`, 100, () =>
	findMissing(realRoster, realSubmissions, { ...opts, scope: 'allToday' }),
);
// Worst case for the history read: one reporter who never reports makes every day's history be
// read (for that reporter), back to the start of the look-back.
const withAbsentee = realSubmissions.filter((r) => r.工号 !== roster[1].工号);
time(`find missing ${REPORTERS}x2, ${DAYS} days, one reporter never reports`, 100, () =>
	findMissing(realRoster, withAbsentee, opts),
);
time(`daily summary ${REPORTERS}x2, ${DAYS} days`, 200, () => dailySummary(realRoster, realSubmissions, opts));

// The fast ISO path of nodes/shared/time.ts against luxon, on the same submission times (a sample:
// luxon is too slow for every row). It stays only while luxon is clearly slower.
{
	const sample = realSubmissions.slice(0, 20000).map((s) => String(s.提交时间));
	const zone = IANAZone.create(ZONE);
	const best = (fn: () => number) => {
		let ms = Infinity;
		for (let r = 0; r < 5; r++) {
			const t0 = process.hrtime.bigint();
			if (Number.isNaN(fn())) throw new Error('parse failed');
			ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
		}
		return ms;
	};
	const fast = best(() => {
		const offsets = new Map<number, number>();
		let x = 0;
		for (const t of sample) x += timestampMs(t, zone, offsets);
		return x;
	});
	const luxonIso = best(() => {
		let x = 0;
		for (const t of sample) x += DateTime.fromISO(t.replace(' ', 'T'), { zone }).toMillis();
		return x;
	});
	const shared = best(() => {
		let x = 0;
		for (const t of sample) x += parseTimestamp(t, ZONE).toMillis();
		return x;
	});
	process.stdout.write(
		`timestamps x ${sample.length} (best of 5): fast path ${fast.toFixed(1)} ms, luxon fromISO ${luxonIso.toFixed(1)} ms (${(luxonIso / fast).toFixed(0)}x), parseTimestamp ${shared.toFixed(1)} ms (${(shared / fast).toFixed(0)}x)\n`,
	);
}
