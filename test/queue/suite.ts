/**
 * npm run test:queue: the package, unchanged, in n8n queue mode (Postgres, Redis, one main, two
 * workers), checked against the single-process run of the same tests.
 *
 * 1. The whole integration suite (test/integration) runs on one n8n process with SQLite and
 *    logs, test by test, every execution it waited for and every message the fake robots
 *    accepted (test/integration/run-log.ts). CAMPUS_SINGLE_RUN_LOG may name the log of such a
 *    run already made (CI's `npm test` writes one), which is then used instead.
 * 2. A queue stack starts (test/queue/queue-harness.ts). The same suite runs against it in
 *    rounds: on worker 0 alone, on worker 1 alone, then on both (approvals started on one worker
 *    may resume on the other). CAMPUS_QUEUE_ROUNDS=both,both runs other rounds.
 * 3. Each round must pass, and its log must equal the single-process log test by test: the same
 *    items out of every node and the same messages to the robots. Every ready-made workflow
 *    must have run on each worker.
 * 4. The fault tests (test/queue/queue.test.ts: a worker killed mid-run, Redis restarted) run
 *    on a stack of their own.
 *
 * Run: npm run test:queue   (CAMPUS_QUEUE_ONLY=suite|faults to run one part)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, workflowFiles } from '../integration/harness';
import { compare, readLog } from './compare-runs';
import { startQueueStack, type QueueStack } from './queue-harness';

const say = (m: string) => process.stderr.write(`[test:queue] ${m}\n`);
const JEST = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

/** Runs jest in a child process; async, as the fakes it talks to live in this process. */
function jest(args: string[], env: Record<string, string>): Promise<boolean> {
	return new Promise((done) => {
		const child = spawn(process.execPath, [JEST, ...args], { cwd: REPO, stdio: 'inherit', env: { ...process.env, ...env } });
		child.on('exit', (code) => done(code === 0));
	});
}

/** Ready-made workflow ids. */
function readyMadeWorkflows(): Map<string, string> {
	return new Map(
		workflowFiles().map((f) => {
			const wf = JSON.parse(readFileSync(f, 'utf8')) as { id: string; name: string };
			return [wf.id, wf.name];
		}),
	);
}

/**
 * Makes the stack as the single-process run found its n8n: no Data Tables (the tests create them)
 * and no executions, so that execution ids start at 1 again. Requests, register entries and their
 * dedupe keys carry the id of the execution that took them.
 */
async function freshStart(stack: QueueStack): Promise<void> {
	const pid = await stack.main.projectId();
	for (const t of Object.values(await stack.main.dataTables())) {
		await stack.main.api('DELETE', `/rest/projects/${pid}/data-tables/${t.id}`);
	}
	stack.postgres.sql('TRUNCATE execution_entity RESTART IDENTITY CASCADE');
}

/** Adds to `ran[i]` the workflows of the jobs worker i took since `seen[i]` jobs. */
async function recordWorkers(stack: QueueStack, seen: number[], ran: Array<Set<string>>): Promise<void> {
	for (let i = 0; i < ran.length; i++) {
		const jobs = stack.jobsOf(i);
		for (const id of new Set(jobs.slice(seen[i]))) {
			const e = await stack.main.api<{ workflowId: string }>('GET', `/rest/executions/${id}`).catch(() => undefined);
			if (e?.workflowId) ran[i].add(e.workflowId);
		}
		seen[i] = jobs.length;
	}
}

async function suite(root: string): Promise<boolean> {
	let singleLog = process.env.CAMPUS_SINGLE_RUN_LOG ?? '';
	if (!singleLog || !existsSync(singleLog)) {
		singleLog = join(root, 'single.jsonl');
		say(`1. the integration suite on one n8n process, logged to ${singleLog}`);
		if (!(await jest(['--selectProjects', 'integration', '--runInBand'], { CAMPUS_RUN_LOG: singleLog }))) {
			say('the single-process integration suite failed: fix that first');
			return false;
		}
	} else say(`1. using the single-process log ${singleLog}`);
	const single = readLog(singleLog);
	say(`   ${single.size} tests logged`);
	if (single.size === 0) {
		say('the single-process log is empty: nothing to compare with');
		return false;
	}

	const rounds = (process.env.CAMPUS_QUEUE_ROUNDS ?? '0,1,both').split(',').map((r) => r.trim());
	say(`2. a queue stack: Postgres, Redis, one main, two workers; rounds: ${rounds.join(', ')}`);
	const stack = await startQueueStack({
		workers: 2,
		workflowDirs: [join(REPO, 'workflows'), join(REPO, 'test', 'integration', 'fixtures')],
	});
	let ok = true;
	// Ctrl-C or a CI timeout stops the stack too (its processes would outlive this one).
	const onSignal = () => void stack.stop().finally(() => process.exit(130));
	process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
	try {
		const stateFile = join(root, 'queue-state.json');
		writeFileSync(
			stateFile,
			JSON.stringify({ opts: stack.main.opts, url: stack.main.url, cookie: stack.main.cookie, root: stack.root, fakes: stack.fakes.urls }),
		);
		const up = new Set([0, 1]);
		const seen = [0, 0];
		const ran = [new Set<string>(), new Set<string>()];
		for (const [n, round] of rounds.entries()) {
			const want = round === 'both' ? [0, 1] : [Number(round)];
			for (const i of [0, 1]) {
				if (up.has(i) && !want.includes(i)) {
					await stack.stopWorker(i);
					up.delete(i);
				} else if (!up.has(i) && want.includes(i)) {
					await stack.startWorker(i);
					up.add(i);
				}
			}
			if (n > 0) await freshStart(stack);
			const log = join(root, `queue-round${n + 1}.jsonl`);
			const t0 = Date.now();
			say(`   round ${n + 1}: the integration suite on worker(s) ${want.join(' and ')}`);
			const passed = await jest(['--selectProjects', 'integration', '--runInBand'], { CAMPUS_IT_STATE: stateFile, CAMPUS_RUN_LOG: log });
			const problems = compare(single, readLog(log));
			say(`   round ${n + 1}: tests ${passed ? 'passed' : 'FAILED'}, ${problems.length ? `${problems.length} test(s) differ from the single-process run` : 'every test equals the single-process run'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
			for (const p of problems) say(`   ✗ ${p}`);
			ok = ok && passed && problems.length === 0;
			await recordWorkers(stack, seen, ran);
		}
		const missing: string[] = [];
		for (const [id, name] of readyMadeWorkflows()) {
			const on = [0, 1].filter((i) => ran[i].has(id));
			say(`   ${name}: ran on worker(s) ${on.join(', ') || 'none'}`);
			if (on.length < 2) missing.push(name);
		}
		if (missing.length) {
			say(`3. ✗ not run on both workers: ${missing.join('; ')}`);
			ok = false;
		} else say('3. every ready-made workflow ran on both workers');
	} finally {
		process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
		await stack.stop();
	}
	return ok;
}

async function main(): Promise<void> {
	const only = process.env.CAMPUS_QUEUE_ONLY;
	const root = mkdtempSync(join(tmpdir(), 'campus-test-queue-'));
	let ok = true;
	if (only !== 'faults') ok = (await suite(root)) && ok;
	if (only !== 'suite') {
		say('4. fault tests: a worker killed mid-run, Redis restarted');
		ok = (await jest(['-c', 'test/queue/jest.config.js', '--runInBand'], {})) && ok;
	}
	say(ok ? 'queue mode: all passed' : 'queue mode: FAILED');
	if (ok && !process.env.CAMPUS_QUEUE_KEEP) rmSync(root, { recursive: true, force: true });
	else say(`logs kept in ${root}`);
	process.exit(ok ? 0 : 1);
}

void main();
