/**
 * The whole missed-check run, end to end, in a real n8n (issue 17): the ready-made Campus 02
 * workflow (calendar, reads, Find Missing with escalation, dedupe against what was sent, the
 * digest to the fake DingTalk robot, the bulk record) against the same job built from n8n's own
 * nodes (two Data Table reads, a Code filter, Compare Datasets, a Code node shaping reminders, a
 * Data Table insert recording them), same n8n, same data, run alternately. The check-ins table
 * holds a semester of history (100 school days, two checks a day), loaded straight into n8n's
 * SQLite file. Prints both medians, the ratio and the slowest nodes, per size.
 *
 * BENCH_SIZES (default "2000,10000"), BENCH_HISTORY_DAYS (school days of history, default 100),
 * BENCH_RUNS (default 5), BENCH_ABSENT (people absent, default 100), BENCH_DATA_TABLES_MB (n8n's
 * limit for all Data Tables, default 4096: a semester at 10,000 staff is over the default 200 MB).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	N8nServer,
	REPO,
	importCredentials,
	importWorkflows,
	installPackage,
	loadSampleSchool,
	packPackage,
	setSettings,
	type ServerOptions,
	type WorkflowJson,
} from '../test/integration/harness';
import { startFakes, testCredentials } from '../test/integration/fakes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureN8n } = require('../test/integration/ensure-n8n.js') as { ensureN8n: () => { nodeBin: string } };

const SIZES = (process.env.BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ABSENT = Number(process.env.BENCH_ABSENT ?? 100);
/** How long the baseline may run before it counts as not finishing, seconds. */
const BASE_TIMEOUT_S = Number(process.env.BENCH_BASE_TIMEOUT_S ?? 600);
const DAY = '2026-11-24'; // a Tuesday
/** A semester: 20 weeks of school days, as if DAY were the last week of the term. */
const SEMESTER_DAYS = 100;
const AS_OF = `${DAY}T09:40:00+08:00`;

/**
 * Writes the check-ins (history and this morning) straight into the Data Table's SQLite table with
 * n8n's own Node (node:sqlite): through the REST API a semester at 10,000 staff takes most of an
 * hour. Returns the number of rows.
 */
function loadHistory(
	userFolder: string,
	tableId: string,
	load: { staff: Array<Record<string, string>>; days: string[]; today: string; absentEvery: number },
): number {
	const file = join(userFolder, 'history-request.json');
	const db = join(userFolder, '.n8n', 'database.sqlite');
	writeFileSync(file, JSON.stringify({ db, table: `data_table_user_${tableId}`, ...load }));
	const out = execFileSync(ensureN8n().nodeBin, [join(__dirname, 'load-history.js'), file], { encoding: 'utf8' });
	return Number(out.trim());
}

/** The size of n8n's SQLite file, MB. */
function databaseMb(userFolder: string): number {
	return Math.round(statSync(join(userFolder, '.n8n', 'database.sqlite')).size / 1048576);
}

/** The nodes that took longest in an execution, "name ms" each. */
function slowest(raw: unknown, n = 6): string {
	const runData = ((raw as { resultData?: { runData?: Record<string, Array<{ executionTime?: number }>> } })?.resultData?.runData ?? {});
	return Object.entries(runData)
		.map(([name, runs]) => [name, runs.reduce((t, r) => t + (r.executionTime ?? 0), 0)] as const)
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([name, ms]) => `${name} ${ms}`)
		.join(', ');
}

/** The baseline's "Read check-ins": every row, or only today's (submittedAt from DAY on). */
function readTodayOnly(wf: WorkflowJson, todayOnly: boolean): void {
	const read = wf.nodes.find((n) => n.name === 'Read check-ins')!;
	read.parameters.matchType = 'allConditions';
	read.parameters.filters = { conditions: todayOnly ? [{ keyName: 'submittedAt', condition: 'gte', keyValue: DAY }] : [] };
}

interface Side {
	ms: number;
	items: number;
	slowest: string;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** School days (Monday to Friday) ending the day before DAY, newest last. */
function schoolDaysBefore(n: number): string[] {
	const out: string[] = [];
	for (let d = new Date(`${DAY}T00:00:00Z`); out.length < n; ) {
		d = new Date(d.getTime() - 86_400_000);
		const wd = d.getUTCDay();
		if (wd !== 0 && wd !== 6) out.unshift(d.toISOString().slice(0, 10));
	}
	return out;
}

async function main(): Promise<void> {
	const root = mkdtempSync(join(tmpdir(), 'campus-bench-e2e-'));
	const opts: ServerOptions = {
		userFolder: join(root, 'user'),
		port: 27820,
		// A semester at 10,000 staff is larger than n8n's default 200 MB for all Data Tables.
		env: {
			N8N_DATA_TABLES_MAX_SIZE_BYTES: String(Number(process.env.BENCH_DATA_TABLES_MB ?? 4096) * 1048576),
		},
	};
	const fakes = await startFakes();
	installPackage(opts.userFolder, packPackage(join(root, 'pack')));
	await importCredentials(opts, testCredentials(fakes));
	await importWorkflows(opts, join(REPO, 'workflows'));
	await importWorkflows(opts, join(REPO, 'bench', 'workflows'));
	const server = new N8nServer(opts);
	await server.start();
	const results: string[] = [];
	try {
		await server.login();
		await loadSampleSchool(server, false);
		for (const size of SIZES) {
			const historyDays = Number(process.env.BENCH_HISTORY_DAYS ?? SEMESTER_DAYS);
			await server.clearRows('campus_staff');
			await server.clearRows('campus_checkins');
			const staff = Array.from({ length: size }, (_, i) => ({
				staffId: `S${String(i + 1).padStart(5, '0')}`,
				name: `教师${i + 1}`,
				department: `部门${i % 30}`,
				roles: 'teacher',
				mobile: `139${String(i).padStart(8, '0')}`,
				userId: `u${i + 1}`,
				leaderName: `组长${i % 30}`,
				leaderMobile: '',
				unavailable: '',
				weeklyCap: 3,
				resident: false,
			}));
			await server.insertRows('campus_staff', staff);
			const t0 = Date.now();
			const absentEvery = Math.max(1, Math.floor(size / ABSENT));
			const rows = loadHistory(opts.userFolder, (await server.dataTables()).campus_checkins.id, {
				staff: staff.map(({ staffId, name, department }) => ({ staffId, name, department })),
				days: schoolDaysBefore(historyDays),
				today: DAY,
				absentEvery,
			});
			console.log(`${size} staff: ${rows} check-ins over ${historyDays} school days + the morning of ${DAY} (loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s; n8n's database file ${databaseMb(opts.userFolder)} MB)`);

			const execMs = async (id: string): Promise<number> => {
				const raw = await server.api<{ startedAt: string; stoppedAt: string }>('GET', `/rest/executions/${id}`);
				return Date.parse(raw.stoppedAt) - Date.parse(raw.startedAt);
			};
			const ours = async (): Promise<{ ms: number; reminded: number; messages: number; slowest: string }> => {
				await server.clearRows('campus_reminders');
				await fetch(`${fakes.urls.robots}/__fake/reset`, { method: 'POST' });
				const r = await server.run('campusMissedChk1', 'Schedule', {
					timeoutMs: 600_000,
					patch: (wf) => setSettings(wf, { asOf: AS_OF }),
				});
				if (r.status !== 'success') throw new Error(`Campus 02: ${r.status} ${r.error?.message ?? ''}`);
				// Send reminders hands over each message: one run of the node per message.
				const sent = (r.nodes['Send reminders'] ?? []).reduce((n, run) => n + (run?.[0]?.length ?? 0), 0);
				const inbox = (await (await fetch(`${fakes.urls.robots}/__fake/messages`)).json()) as { dingtalk: unknown[] };
				return { ms: await execMs(r.id), reminded: sent, messages: inbox.dingtalk.length, slowest: slowest(r.raw) };
			};
			/** The built-in job; `todayOnly`: its check-ins read with a date filter (saved before the run, not timed). */
			const base = async (todayOnly: boolean): Promise<Side> => {
				await server.clearRows('campus_reminders');
				let r;
				try {
					r = await server.run('benchBaseCampus', 'Start', { timeoutMs: BASE_TIMEOUT_S * 1000, patch: (wf) => readTodayOnly(wf, todayOnly) });
				} catch (e) {
					// Not finished in time: stop it, so that it does not slow the runs after it.
					const id = /Execution (\d+) still/.exec((e as Error).message)?.[1];
					if (id) await server.api('POST', `/rest/executions/${id}/stop`).catch(() => undefined);
					throw new Error(`did not finish in ${BASE_TIMEOUT_S} s`);
				}
				if (r.status !== 'success') throw new Error(`${r.status} ${r.error?.message ?? ''}`);
				// Counted from the table: an execution this large is kept but "too large to display".
				const items = (await server.rows('campus_reminders')).filter((x) => x.kind === 'bench baseline').length;
				return { ms: await execMs(r.id), items, slowest: slowest(r.raw) || 'too large to display' };
			};
			const warm = await ours(); // warm-up
			if (process.env.BENCH_BASELINE === '0') {
				console.log(`${size} staff, Campus 02 alone: ${warm.ms} ms; ${(await ours()).ms} ms; slowest nodes, ms: ${warm.slowest}`);
				continue;
			}
			// The built-in way can fail where ours runs: say so, with n8n's reason, and go on.
			let wholeFailed: string | undefined;
			await base(false).catch((e: Error) => (wholeFailed = e.message.slice(0, 160)));
			await base(true);
			const a: number[] = [];
			const b: number[] = [];
			const c: number[] = [];
			let last = { reminded: 0, messages: 0, ours: '', whole: { items: 0, slowest: '' }, recent: { items: 0, slowest: '' } };
			for (let i = 0; i < RUNS; i++) {
				const x = await ours();
				a.push(x.ms);
				last = { ...last, reminded: x.reminded, messages: x.messages, ours: x.slowest };
				if (!wholeFailed) {
					const y = await base(false);
					b.push(y.ms);
					last.whole = y;
				}
				const z = await base(true);
				c.push(z.ms);
				last.recent = z;
			}
			const ratio = (m: number) => `${(m / median(a)).toFixed(2)}x`;
			const line =
				`${size} staff, ${rows} check-ins in the table, median of ${RUNS} alternate runs:\n` +
				`  Campus 02, whole workflow (send + record included): ${median(a)} ms, ${last.reminded} people reminded in ${last.messages} messages\n` +
				(wholeFailed
					? `  Compare Datasets + Code, whole tables read: FAILED (${wholeFailed}); ratio more than ${((BASE_TIMEOUT_S * 1000) / median(a)).toFixed(1)}x\n`
					: `  Compare Datasets + Code, whole tables read (reads, compare, shape, record; no send): ${median(b)} ms, ${last.whole.items} reminders recorded; ratio baseline / ours ${ratio(median(b))}\n`) +
				`  Compare Datasets + Code, today's check-ins only (a date filter on the read): ${median(c)} ms, ${last.recent.items} reminders recorded; ratio ${ratio(median(c))}\n` +
				`  slowest nodes, ms (last run): ours ${last.ours}; whole ${last.whole.slowest || '-'}; today only ${last.recent.slowest}`;
			console.log(line);
			results.push(line);
		}
	} finally {
		await server.stop();
		await fakes.close();
		rmSync(root, { recursive: true, force: true });
	}
	console.log(`\n${results.join('\n')}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
