/**
 * District benchmark (issue 10): 40 schools x 2,000 staff, Campus 02 missed-check reminders in
 * n8n queue mode (Postgres, Redis, one main, 1, 2 and 4 workers), every school with its own
 * DingTalk robot, its own data tables and its own copy of the workflow.
 *
 * The data is loaded once; each phase then fires all schools' runs at once (as Campus 02's schedule
 * does), several rounds, and prints executions, people reminded and robot messages per minute,
 * the robots' rate limits for comparison, the jobs each worker took, where the CPU went, and the
 * speed-up over one worker. Every round is checked: each school's absent staff reminded exactly
 * once, one record each, no robot rejection; a wrong result exits non-zero. Timings are printed,
 * never asserted.
 *
 * Between rounds the reminder records are cleared (so every round sends, as a fresh slot would)
 * and the fake robots are reset (a fresh rate-limit window, as the next real run is 30 minutes
 * later).
 *
 * Size: CAMPUS_QUEUE_BENCH_SCHOOLS (40), CAMPUS_QUEUE_BENCH_STAFF (2000), CAMPUS_QUEUE_BENCH_ROUNDS
 * (2 measured rounds a phase, after a warm-up round of CAMPUS_QUEUE_BENCH_WARM_UP = 10 schools),
 * CAMPUS_QUEUE_BENCH_WORKERS ("1,2,4"), CAMPUS_QUEUE_BENCH_CONCURRENCY (10, n8n's default),
 * CAMPUS_QUEUE_BENCH_HISTORY_DAYS (0: the check-in table holds today's reports only; N adds N
 * earlier school days of both slots, as a table that is never pruned grows). Ports from
 * CAMPUS_QUEUE_BENCH_PORT_BASE (29400), away from the queue tests' 28400.
 */
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueStack } from '../test/queue/queue-harness';
import type { StaffRow as Person, WorkflowJson } from '../test/integration/harness';
import type { FakeRobots, DingTalkRobot } from '../test/fakes/robots';

// Before the harness is loaded: it reads its ports when imported.
process.env.CAMPUS_QUEUE_PORT_BASE = process.env.CAMPUS_QUEUE_BENCH_PORT_BASE ?? '29400';

const SCHOOLS = Number(process.env.CAMPUS_QUEUE_BENCH_SCHOOLS ?? 40);
const STAFF = Number(process.env.CAMPUS_QUEUE_BENCH_STAFF ?? 2000);
const ROUNDS = Number(process.env.CAMPUS_QUEUE_BENCH_ROUNDS ?? 2);
/** Schools in the warm-up round of each phase (JIT, caches, fresh workers). */
const WARM_UP = Math.min(SCHOOLS, Number(process.env.CAMPUS_QUEUE_BENCH_WARM_UP ?? 10));
/** Earlier school days of check-ins in the table (everyone reported then), besides today's. */
const HISTORY_DAYS = Number(process.env.CAMPUS_QUEUE_BENCH_HISTORY_DAYS ?? 0);
const WORKERS = (process.env.CAMPUS_QUEUE_BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const CONCURRENCY = Number(process.env.CAMPUS_QUEUE_BENCH_CONCURRENCY ?? 10);
/** Every 20th person has not checked in: 5 %. */
const MISSING_EVERY = 20;
const DAY = '2026-11-24'; // a Tuesday, a school day
const AS_OF = `${DAY}T09:40:00+08:00`;
const WF_FILE = 'campus-02-missed-check-reminders.json';
/** The documented DingTalk custom-robot limit (test/fakes/robots.ts FAKE_LIMITS). */
const ROBOT_PER_MINUTE = 20;

const ss = (s: number) => String(s).padStart(2, '0');
const wfId = (s: number) => `benchMissedS${ss(s)}xx`; // 16 characters, as n8n's ids
const credId = (s: number) => `benchDingTalkS${ss(s)}`;
/** Table names where no name contains another (Data Table nodes find a table by a name match). */
const table = (s: number, what: 'staff' | 'checkins' | 'reminders') => `s${ss(s)}_${what}`;
const robotOf = (s: number): DingTalkRobot => ({
	accessToken: `dt-district-s${ss(s)}`,
	secret: ['SEC', 'district', 'school', ss(s)].join('0'),
});

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const say = (m: string) => console.log(m);

// ---------------------------------------------------------------- the district's data

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力兰春梅海波宁飞鹏亮晨'];
const SUBJECTS = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '政治', '体育'];
const DEPARTMENTS = Array.from({ length: 20 }, (_, d) => `${['初一', '初二', '初三', '高一', '高二', '高三'][d % 6]}${SUBJECTS[d % SUBJECTS.length]}组`).map(
	(n, d, all) => (all.indexOf(n) === d ? n : `${n}${d}`),
);

function schoolStaff(s: number): Person[] {
	const people: Person[] = [];
	const heads = new Map<string, { name: string; mobile: string }>();
	for (let i = 0; i < STAFF; i++) {
		const department = DEPARTMENTS[i % DEPARTMENTS.length];
		const name = `${SURNAMES[(i * 7 + s) % SURNAMES.length]}${GIVEN[(i * 13 + s) % GIVEN.length]}${i % 3 ? GIVEN[(i * 5) % GIVEN.length] : ''}`;
		const mobile = `139${ss(s)}${String(i).padStart(6, '0')}`;
		if (!heads.has(department)) heads.set(department, { name, mobile });
		const head = heads.get(department)!;
		people.push({
			staffId: `S${ss(s)}-${String(i + 1).padStart(4, '0')}`,
			name,
			department,
			roles: i === 0 ? 'admin,teacher' : 'teacher',
			mobile,
			userId: `u${ss(s)}${String(i + 1).padStart(4, '0')}`,
			leaderName: head.name,
			leaderMobile: head.mobile,
			unavailable: '',
			weeklyCap: 3,
			resident: false,
		});
	}
	return people;
}

const isMissing = (i: number) => i % MISSING_EVERY === MISSING_EVERY - 3;

function checkins(staff: Person[]): Array<Record<string, string>> {
	const earlier: Array<Record<string, string>> = [];
	for (let d = HISTORY_DAYS; d >= 1; d--) {
		// school days before DAY (a Tuesday): skip weekends
		const t = new Date(`${DAY}T12:00:00+08:00`);
		let left = d;
		while (left > 0) {
			t.setUTCDate(t.getUTCDate() - 1);
			if (t.getUTCDay() !== 0 && t.getUTCDay() !== 6) left--;
		}
		const day = t.toISOString().slice(0, 10);
		staff.forEach((p, i) => {
			for (const [slot, hour] of [['Morning', '08'], ['Afternoon', '16']]) {
				earlier.push({
					reporterId: p.staffId,
					name: p.name,
					department: p.department,
					slot,
					temperature: '36.5',
					symptoms: '无 None',
					location: '校内',
					submittedAt: `${day}T${hour}:${String(10 + (i % 45)).padStart(2, '0')}:00+08:00`,
				});
			}
		});
	}
	return earlier.concat(staff
		.filter((_, i) => !isMissing(i))
		.map((p, i) => ({
			reporterId: p.staffId,
			name: p.name,
			department: p.department,
			slot: 'Morning',
			temperature: '36.5',
			symptoms: '无 None',
			location: '校内',
			submittedAt: `${DAY}T08:${String(10 + (i % 45)).padStart(2, '0')}:00+08:00`,
		})));
}

/** Campus 02 for school s: its own tables, its own robot, the settings of the bench's day. */
function schoolWorkflow(template: WorkflowJson, s: number, formUrl: string): WorkflowJson {
	const wf = JSON.parse(JSON.stringify(template)) as WorkflowJson;
	wf.id = wfId(s);
	wf.name = `${template.name} (school ${ss(s)})`;
	const names: Record<string, string> = { campus_staff: table(s, 'staff'), campus_checkins: table(s, 'checkins'), campus_reminders: table(s, 'reminders') };
	let tables = 0;
	let robots = 0;
	for (const n of wf.nodes) {
		const loc = n.parameters.dataTableId as { value?: string } | undefined;
		if (n.type === 'n8n-nodes-base.dataTable' && loc?.value) {
			if (!names[loc.value]) throw new Error(`${WF_FILE}: node "${n.name}" uses an unexpected table ${loc.value}`);
			loc.value = names[loc.value];
			tables++;
		}
		const creds = n.credentials as Record<string, { id: string; name: string }> | undefined;
		if (creds?.dingTalkRobotApi) {
			creds.dingTalkRobotApi = { id: credId(s), name: `School ${ss(s)} DingTalk robot` };
			robots++;
		}
		if (n.name === 'School settings') {
			for (const a of (n.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments) {
				if (a.name === 'asOf') a.value = AS_OF;
				if (a.name === 'formUrl') a.value = formUrl;
			}
		}
	}
	if (tables !== 4 || robots !== 1) throw new Error(`${WF_FILE} changed: ${tables} table nodes, ${robots} robot nodes (expected 4 and 1)`);
	return wf;
}

// ---------------------------------------------------------------- CPU time of the stack's processes

function procStat(pid: number): { ppid: number; cpu: number; children: number } | undefined {
	try {
		const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
		// fields from 3 on: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
		const n = (k: number) => Number(f[k - 3]);
		return { ppid: n(4), cpu: n(14) + n(15), children: n(16) + n(17) };
	} catch {
		return undefined;
	}
}

function allPids(): number[] {
	return readdirSync('/proc')
		.filter((d) => /^\d+$/.test(d))
		.map(Number);
}

/** CPU seconds of a process and all its descendants, live or reaped (ticks of 1/100 s). */
function treeCpu(root: number, table: Map<number, { ppid: number; cpu: number; children: number }>): number {
	const kids = new Map<number, number[]>();
	for (const [pid, st] of table) kids.set(st.ppid, [...(kids.get(st.ppid) ?? []), pid]);
	let ticks = 0;
	const todo = [root];
	const seen = new Set<number>();
	for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
		if (seen.has(p)) continue;
		seen.add(p);
		const st = table.get(p);
		if (!st) continue;
		ticks += st.cpu + st.children;
		todo.push(...(kids.get(p) ?? []));
	}
	return ticks / 100;
}

function findPid(match: (cmd: string) => boolean): number | undefined {
	for (const pid of allPids()) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
			if (match(cmd)) return pid;
		} catch {
			// gone
		}
	}
	return undefined;
}

type CpuSample = Record<string, number>;

function cpuSample(stack: QueueStack, postgresPid: number | undefined, redisPid: number | undefined): CpuSample {
	const table = new Map<number, { ppid: number; cpu: number; children: number }>();
	for (const pid of allPids()) {
		const st = procStat(pid);
		if (st) table.set(pid, st);
	}
	const out: CpuSample = {};
	if (stack.main.pid) out.main = treeCpu(stack.main.pid, table);
	let workers = 0;
	for (const w of stack.workers) if (w?.pid) workers += treeCpu(w.pid, table);
	out.workers = workers;
	if (postgresPid) out.postgres = treeCpu(postgresPid, table);
	if (redisPid) out.redis = treeCpu(redisPid, table);
	const self = process.cpuUsage();
	out['bench (fake robots, polling)'] = (self.user + self.system) / 1e6;
	out[MACHINE] = machineBusy();
	return out;
}

/** Key of the whole machine's busy CPU seconds in a sample (not a component: the others are in it). */
const MACHINE = 'machine';

/** Busy CPU seconds of the whole machine since boot (every process, ours and others'). */
function machineBusy(): number {
	const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal
	return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
}

// ---------------------------------------------------------------- the bench

interface Summary {
	id: string;
	workflowId: string;
	status: string;
	createdAt?: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

interface RoundResult {
	ms: number;
	fireMs: number;
	executions: number;
	people: number;
	messages: number;
	runMs: number[];
	waitMs: number[];
	/** Most messages one school's robot took in the round. */
	maxPerRobot: number;
}

interface PhaseResult {
	workers: number;
	rounds: RoundResult[];
	jobs: number[];
	cpu: CpuSample;
	wallMs: number;
	load: [number, number];
}

async function main(): Promise<void> {
	const { startQueueStack, PORTS } = await import('../test/queue/queue-harness');
	const { REPO, importCredentials, delay, tableSpecs } = await import('../test/integration/harness');
	const { startFakeRobots, FAKE_ROBOTS } = await import('../test/fakes/robots');
	const tBench = Date.now();
	const maxWorkers = Math.max(...WORKERS);
	say(`district: ${SCHOOLS} schools x ${fmt(STAFF)} staff, ${100 / MISSING_EVERY} % not checked in at ${AS_OF}; Campus 02 missed-check reminders, one DingTalk robot a school`);
	say(`check-in table: ${HISTORY_DAYS ? `today's reports and ${HISTORY_DAYS} earlier school day(s)` : "today's reports only"} (Campus 02 reads the whole table on every run)`);
	say(`machine: ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start`);
	if (cpus().length < maxWorkers) {
		say(`note: ${cpus().length} cores for ${maxWorkers} workers, the main, Postgres and Redis: more workers than cores cannot scale linearly here`);
	}

	// One robot a school (and the default test robots, unchanged).
	const robots: FakeRobots = await startFakeRobots({ dingtalk: [...Object.values(FAKE_ROBOTS.dingtalk), ...Array.from({ length: SCHOOLS }, (_, i) => robotOf(i + 1))] });
	const schoolOfRobot = new Map(Array.from({ length: SCHOOLS }, (_, i) => [`dingtalk:${robotOf(i + 1).accessToken}`, i + 1]));

	// The schools' workflows, imported with the stack (n8n's CLI, before the main starts).
	const wfDir = mkdtempSync(join(tmpdir(), 'campus-bench-district-'));
	const template = JSON.parse(readFileSync(join(REPO, 'workflows', WF_FILE), 'utf8')) as WorkflowJson;
	const formUrl = `http://127.0.0.1:${PORTS.main}/form/campus-health-checkin`;
	for (let s = 1; s <= SCHOOLS; s++) {
		writeFileSync(join(wfDir, `school-${ss(s)}.json`), JSON.stringify(schoolWorkflow(template, s, formUrl)));
	}

	const t0 = Date.now();
	const stack = await startQueueStack({ workers: maxWorkers, concurrency: CONCURRENCY, workflowDirs: [wfDir] });
	// Ctrl-C or kill: stop n8n, Postgres and Redis before leaving.
	const interrupted = (signal: NodeJS.Signals) => {
		say(`\n${signal}: stopping the stack`);
		void stack.stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	let failure: Error | undefined;
	try {
		say(`stack: Postgres + Redis + main + ${maxWorkers} workers (concurrency ${CONCURRENCY}) up in ${sec(Date.now() - t0)}`);
		const main = stack.main;
		await importCredentials(
			main.opts,
			Array.from({ length: SCHOOLS }, (_, i) => ({
				id: credId(i + 1),
				name: `School ${ss(i + 1)} DingTalk robot`,
				type: 'dingTalkRobotApi',
				data: { ...robotOf(i + 1), keyword: '', baseUrl: robots.baseUrl },
			})),
		);
		const postgresPid = findPid((c) => /postgres/.test(c) && c.includes(`-p ${stack.postgres.port}`));
		const redisPid = findPid((c) => c.includes('redis-server') && c.includes(`:${stack.redis.port}`));

		// ------------------------------------------------------------ load, once
		const tLoad = Date.now();
		const pid = await main.projectId();
		const specs = tableSpecs();
		const ids = new Map<string, string>();
		const rowsApi = `/rest/projects/${pid}/data-tables`;
		const missingOf = new Map<number, Person[]>();
		let loaded = 0;
		const loadSchool = async (s: number) => {
			for (const what of ['staff', 'checkins', 'reminders'] as const) {
				const t = await main.api<{ id: string }>('POST', rowsApi, {
					name: table(s, what),
					columns: specs[`campus_${what}`].columns.map(([name, type]) => ({ name, type })),
				});
				ids.set(table(s, what), t.id);
			}
			const staff = schoolStaff(s);
			missingOf.set(s, staff.filter((_, i) => isMissing(i)));
			const insert = async (name: string, rows: Array<Record<string, unknown>>) => {
				for (let i = 0; i < rows.length; i += 500) {
					await main.api('POST', `${rowsApi}/${ids.get(name)}/insert`, { data: rows.slice(i, i + 500), returnType: 'count' });
				}
				loaded += rows.length;
			};
			await insert(table(s, 'staff'), staff as unknown as Array<Record<string, unknown>>);
			await insert(table(s, 'checkins'), checkins(staff));
		};
		const queue = Array.from({ length: SCHOOLS }, (_, i) => i + 1);
		await Promise.all(Array.from({ length: 4 }, async () => {
			for (let s = queue.shift(); s !== undefined; s = queue.shift()) await loadSchool(s);
		}));
		const missingTotal = [...missingOf.values()].reduce((n, m) => n + m.length, 0);
		say(`load: ${fmt(loaded)} rows (${SCHOOLS} x ${fmt(STAFF)} staff, ${fmt(loaded - SCHOOLS * STAFF)} check-ins; ${fmt(missingTotal)} people missing) into ${SCHOOLS * 3} data tables in ${sec(Date.now() - tLoad)}`);

		const workflows = new Map<number, Record<string, unknown>>();
		for (let s = 1; s <= SCHOOLS; s++) workflows.set(s, await main.workflow(wfId(s)));

		const reminderRows = async (s: number) => {
			const out: Array<Record<string, unknown>> = [];
			for (let skip = 0; ; skip += 250) {
				const r = await main.api<{ data: Array<Record<string, unknown>>; count: number }>('GET', `${rowsApi}/${ids.get(table(s, 'reminders'))}/rows?skip=${skip}&take=250`);
				out.push(...r.data);
				if (r.data.length < 250 || out.length >= r.count) return out;
			}
		};
		const everyRow = encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'id', condition: 'gte', value: 0 }] }));
		const clearReminders = async (schools: number[]) => {
			for (const s of schools) await main.api('DELETE', `${rowsApi}/${ids.get(table(s, 'reminders'))}/rows?filter=${everyRow}`);
		};

		/** All schools at once, as the schedule fires; waits for all by polling the execution list. */
		const allSchools = Array.from({ length: SCHOOLS }, (_, i) => i + 1);
		/** n8n's own time for each node of an execution, longest first. */
		const nodeTimes = async (id: string) => {
			const e = await main.execution(id);
			const runData = (e.raw as { resultData?: { runData?: Record<string, Array<{ executionTime?: number }>> } }).resultData?.runData ?? {};
			const ms = Object.entries(runData).map(([name, runs]) => [name, runs.reduce((t, r) => t + (r.executionTime ?? 0), 0)] as const);
			const total = ms.reduce((t, [, x]) => t + x, 0);
			return `${fmt(total)} ms in all: ` + ms.sort((a, b) => b[1] - a[1]).filter(([, x]) => x >= 5).map(([name, x]) => `${name} ${fmt(x)} ms`).join(', ');
		};
		const round = async (label: string, schools = allSchools): Promise<RoundResult & { ids: string[] }> => {
			await clearReminders(schools);
			robots.reset();
			const start = Date.now();
			const started = await Promise.all(
				schools.map(async (s) => {
					return [await main.startRun(wfId(s), 'Schedule', workflows.get(s)), s] as const;
				}),
			);
			const fireMs = Date.now() - start;
			const want = new Map(started);
			const done = new Map<string, Summary>();
			const limit = 100; // n8n's largest page
			while (done.size < want.size) {
				if (Date.now() - start > 15 * 60_000) throw new Error(`${label}: ${want.size - done.size} of ${want.size} executions unfinished after 15 minutes`);
				await delay(500);
				// Newest first, at most 100 a page; page back until every execution of this round is seen.
				let lastId: string | undefined;
				const seen = new Set<string>();
				for (let page = 0; page < 10 && seen.size < want.size; page++) {
					const q = `/rest/executions?limit=${limit}${lastId ? `&lastId=${lastId}` : ''}`;
					const r = await main.api<{ results: Summary[] }>('GET', q);
					for (const e of r.results) {
						if (!want.has(e.id)) continue;
						seen.add(e.id);
						if (['success', 'error', 'crashed', 'canceled'].includes(e.status)) done.set(e.id, e);
					}
					if (r.results.length < limit) break;
					lastId = r.results[r.results.length - 1].id;
				}
			}
			const list = [...done.values()];
			const bad = list.filter((e) => e.status !== 'success');
			if (bad.length) {
				const first = await main.execution(bad[0].id);
				throw new Error(`${label}: ${bad.length} execution(s) not successful, e.g. ${bad[0].id} (school ${ss(want.get(bad[0].id)!)}): ${bad[0].status} ${JSON.stringify(first.error)}`);
			}
			const end = Math.max(...list.map((e) => Date.parse(e.stoppedAt ?? '')));
			// Correctness: every absent person @mentioned once, by their own school's robot, and recorded once.
			if (robots.rejected.length) throw new Error(`${label}: the robots rejected ${robots.rejected.length} message(s), e.g. ${JSON.stringify(robots.rejected[0])}`);
			const mentions = new Map<number, Map<string, number>>();
			const messagesOf = new Map<number, number>();
			for (const m of robots.dingtalk) {
				const s = schoolOfRobot.get(m.robot);
				if (!s || !schools.includes(s)) throw new Error(`${label}: a message to an unexpected robot ${m.robot}`);
				messagesOf.set(s, (messagesOf.get(s) ?? 0) + 1);
				const count = mentions.get(s) ?? new Map<string, number>();
				mentions.set(s, count);
				const at = (m.body.at ?? {}) as { atUserIds?: string[] };
				for (const id of at.atUserIds ?? []) count.set(id, (count.get(id) ?? 0) + 1);
				// A digest never prints a phone number (it @mentions by user id).
				const text = String((m.body.text as { content?: string } | undefined)?.content ?? '');
				if (/(?<!\d)1[3-9]\d{9}(?!\d)/.test(text)) throw new Error(`${label}: a message to school ${ss(s)} shows a mobile number`);
			}
			const maxPerRobot = Math.max(0, ...messagesOf.values());
			if (maxPerRobot > ROBOT_PER_MINUTE) throw new Error(`${label}: one robot got ${maxPerRobot} messages, over its ${ROBOT_PER_MINUTE} a minute`);
			let people = 0;
			for (const s of schools) {
				const expected = missingOf.get(s)!.map((p) => p.userId).sort();
				const got = mentions.get(s) ?? new Map<string, number>();
				const twice = [...got].filter(([, n]) => n !== 1).map(([id]) => id);
				const ids2 = [...got.keys()].sort();
				if (twice.length || ids2.join() !== expected.join()) {
					throw new Error(`${label}: school ${ss(s)} reminded ${ids2.length} of ${expected.length} absent people${twice.length ? `, ${twice.length} more than once` : ''}`);
				}
				const keys = (await reminderRows(s)).map((r) => String(r.dedupeKey));
				const expectedKeys = missingOf.get(s)!.map((p) => `${p.staffId}|${DAY}|Morning|L1`).sort();
				if (keys.sort().join() !== expectedKeys.join()) {
					throw new Error(`${label}: school ${ss(s)} has ${keys.length} reminder records, ${expectedKeys.length} expected (${DAY} Morning L1 each)`);
				}
				people += expected.length;
			}
			const at = (t: string | null | undefined) => Date.parse(t ?? '');
			return {
				ids: list.map((e) => e.id),
				ms: end - start,
				fireMs,
				executions: list.length,
				people,
				messages: robots.dingtalk.length,
				runMs: list.map((e) => at(e.stoppedAt) - at(e.startedAt)).filter((x) => x >= 0),
				waitMs: list.map((e) => at(e.startedAt) - at(e.createdAt)).filter((x) => x >= 0),
				maxPerRobot,
			};
		};

		// ------------------------------------------------------------ phases
		const results: PhaseResult[] = [];
		const running = new Set(Array.from({ length: maxWorkers }, (_, i) => i));
		for (const n of WORKERS) {
			for (const i of [...running].filter((i) => i >= n)) {
				await stack.stopWorker(i);
				running.delete(i);
			}
			for (let i = 0; i < n; i++) {
				if (!running.has(i)) {
					await stack.startWorker(i);
					running.add(i);
				}
			}
			say(`\n--- ${n} worker(s), concurrency ${CONCURRENCY} each: ${SCHOOLS} runs at once, ${ROUNDS} measured round(s) after a warm-up of ${WARM_UP}`);
			const warm = await round(`${n} worker(s), warm-up`, allSchools.slice(0, WARM_UP));
			say(`  warm-up: ${warm.executions} executions in ${sec(warm.ms)}`);
			if (n === WORKERS[0]) {
				// The cost of one school's run with nothing else running.
				const alone = await round(`${n} worker(s), one school alone`, [1]);
				say(`  one school alone: ${sec(alone.ms)}; n8n's node times: ${await nodeTimes(alone.ids[0])}`);
			}
			const jobsBefore = Array.from({ length: n }, (_, i) => new Set(stack.jobsOf(i)));
			const cpu0 = cpuSample(stack, postgresPid, redisPid);
			const load0 = loadavg()[0];
			const tPhase = Date.now();
			const rounds: Array<RoundResult & { ids: string[] }> = [];
			for (let r = 1; r <= ROUNDS; r++) {
				const x = await round(`${n} worker(s), round ${r}`);
				rounds.push(x);
				say(
					`  round ${r}: ${x.executions} executions in ${sec(x.ms)} (all ${x.executions} queued in ${sec(x.fireMs)}); ${fmt(x.people)} people reminded once each in ${x.messages} messages (at most ${x.maxPerRobot} a robot); ` +
						`one run ${sec(median(x.runMs))} median, ${sec(Math.max(...x.runMs))} longest; waited in the queue ${sec(median(x.waitMs))} median, ${sec(Math.max(...x.waitMs))} longest`,
				);
			}
			const wallMs = Date.now() - tPhase;
			const cpu1 = cpuSample(stack, postgresPid, redisPid);
			const cpu: CpuSample = Object.fromEntries(Object.keys(cpu1).map((k) => [k, cpu1[k] - (cpu0[k] ?? 0)]));
			const phaseIds = new Set(rounds.flatMap((x) => x.ids));
			const jobs = Array.from({ length: n }, (_, i) => stack.jobsOf(i).filter((id) => phaseIds.has(id) && !jobsBefore[i].has(id)).length);
			const p: PhaseResult = { workers: n, rounds, jobs, cpu, wallMs, load: [load0, loadavg()[0]] };
			results.push(p);
			printPhase(p);
			// Where one run's time goes: n8n's own per-node times of the run of median length.
			const lastRound = rounds[rounds.length - 1];
			const byLength = lastRound.ids.map((id, k) => [id, lastRound.runMs[k]] as const).sort((a, b) => a[1] - b[1]);
			say(`  one run of median length in a burst, n8n's node times: ${await nodeTimes(byLength[Math.floor(byLength.length / 2)][0])}`);
		}

		try {
			const q = (sql: string) =>
				execFileSync('psql', ['-h', '127.0.0.1', '-p', String(stack.postgres.port), '-U', 'postgres', '-d', stack.postgres.database, '-tAc', sql], {
					encoding: 'utf8',
				}).trim();
			const [count, avg] = q('SELECT count(*), coalesce(avg(octet_length(data)), 0)::bigint FROM execution_data').split('|').map(Number);
			say(`\nexecution data saved in Postgres: ${fmt(count)} executions, ${fmt(avg / 1024)} KiB each on average (n8n saves every successful run's data by default)`);
		} catch (e) {
			say(`(could not read the execution data size: ${(e as Error).message.split('\n')[0]})`);
		}

		// ------------------------------------------------------------ summary
		const one = results.find((r) => r.workers === 1) ?? results[0];
		say(`\n=== district summary: ${SCHOOLS} schools x ${fmt(STAFF)} staff, Campus 02, ${ROUNDS} round(s) of ${SCHOOLS} runs a phase`);
		say('workers | executions/min | people reminded/min | robot messages/min | burst of all schools (mean) | speed-up | other processes');
		for (const r of results) {
			const t = rate(r);
			say(
				`${String(r.workers).padStart(7)} | ${fmt(t.execPerMin, 1).padStart(14)} | ${fmt(t.peoplePerMin).padStart(19)} | ${fmt(t.msgPerMin, 1).padStart(18)} | ${sec(t.burstMs).padStart(28)} | ${`${(t.execPerMin / rate(one).execPerMin).toFixed(2)}x`.padStart(8)} | ${fmt(othersShare(r) * 100)} % CPU`,
			);
		}
		const last = results[results.length - 1];
		const ppm = rate(last).people / rate(last).messages;
		say(
			`robots' limit: ${SCHOOLS} robots x ${ROBOT_PER_MINUTE} messages/min = ${fmt(SCHOOLS * ROBOT_PER_MINUTE)} messages/min, at ${ppm.toFixed(1)} people a message = ${fmt(SCHOOLS * ROBOT_PER_MINUTE * ppm)} people/min ` +
				`(each school's burst needs ${(rate(last).messages / (last.rounds.length * SCHOOLS)).toFixed(1)} messages, under one robot's ${ROBOT_PER_MINUTE} a minute)`,
		);
		say(`this machine has ${cpus().length} cores: beyond ${cpus().length} busy processes more workers only share the same cores, so 4 workers cannot scale linearly here`);
		say(`whole bench: ${sec(Date.now() - tBench)}`);
	} catch (e) {
		failure = e as Error;
	} finally {
		await stack.stop();
		await robots.close();
		rmSync(wfDir, { recursive: true, force: true });
	}
	if (failure) throw failure;
}

function rate(p: PhaseResult) {
	const ms = p.rounds.reduce((n, r) => n + r.ms, 0);
	const executions = p.rounds.reduce((n, r) => n + r.executions, 0);
	const people = p.rounds.reduce((n, r) => n + r.people, 0);
	const messages = p.rounds.reduce((n, r) => n + r.messages, 0);
	return {
		executions,
		people,
		messages,
		execPerMin: (executions / ms) * 60_000,
		peoplePerMin: (people / ms) * 60_000,
		msgPerMin: (messages / ms) * 60_000,
		burstMs: p.rounds.reduce((n, r) => n + r.ms, 0) / p.rounds.length,
	};
}

/** Share of the machine's CPU that processes outside the stack used during a phase's rounds. */
function othersShare(p: PhaseResult): number {
	const ours = Object.entries(p.cpu).filter(([k]) => k !== MACHINE).reduce((a, [, v]) => a + v, 0);
	return Math.max(0, p.cpu[MACHINE] - ours) / ((p.wallMs / 1000) * cpus().length);
}

function printPhase(p: PhaseResult): void {
	const t = rate(p);
	say(`  ${p.workers} worker(s): ${fmt(t.execPerMin, 1)} executions/min, ${fmt(t.peoplePerMin)} people reminded/min, ${fmt(t.msgPerMin, 1)} robot messages/min (a burst of ${SCHOOLS} schools: ${sec(t.burstMs)} on average)`);
	const ppm = t.people / t.messages;
	say(
		`  robots' limit for comparison: ${SCHOOLS} x ${ROBOT_PER_MINUTE} = ${fmt(SCHOOLS * ROBOT_PER_MINUTE)} messages/min = ${fmt(SCHOOLS * ROBOT_PER_MINUTE * ppm)} people/min at ${ppm.toFixed(1)} people a message; ` +
			`bursts back to back would give each robot ${(t.msgPerMin / SCHOOLS).toFixed(1)} messages/min, ${((t.msgPerMin / (SCHOOLS * ROBOT_PER_MINUTE)) * 100).toFixed(0)} % of its limit`,
	);
	say(`  jobs per worker: ${p.jobs.map((j, i) => `worker ${i}: ${j}`).join(', ')}`);
	const parts = Object.entries(p.cpu).filter(([k]) => k !== MACHINE);
	const ours = parts.reduce((a, [, v]) => a + v, 0);
	const capacity = (p.wallMs / 1000) * cpus().length;
	const others = Math.max(0, p.cpu[MACHINE] - ours);
	say(
		`  CPU over ${sec(p.wallMs)} of rounds (${cpus().length} cores = ${capacity.toFixed(0)} CPU-s): ` +
			parts.map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ') +
			` = ${ours.toFixed(1)} s (${((ours / capacity) * 100).toFixed(0)} % of the machine)`,
	);
	say(
		`  other processes on the machine: ${others.toFixed(1)} CPU-s (${((others / capacity) * 100).toFixed(0)} %)${others / capacity > 0.1 ? ': DISTURBED, these figures are low' : ''}; load average ${p.load[0].toFixed(2)} -> ${p.load[1].toFixed(2)}`,
	);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
