/**
 * The package unchanged in n8n queue mode: Campus 02 missed-check reminders run on two workers
 * (PostgreSQL 17, Redis, one main) give what the single-process run gives (test/integration/
 * checkin.test.ts); a worker killed mid-run ends its execution with status "error", and the
 * people it had claimed are reminded by the first run that starts more than 5 minutes after it
 * (their claims then go stale), never before; a Redis restart loses no reminder. What can go
 * twice is the message in flight when the worker died (accepted by the robot, its answer never
 * back): "Send reminders" hands over each message and "Record what was sent" writes its people
 * before the next one goes. Robots take no idempotency key. docs/deployment/district.md says the same.
 */
import { readFileSync } from 'node:fs';
import { loadSampleSchool, morningCheckIns, outputOf, sampleSchool, setSettings, delay, type ExecutionResult } from '../integration/harness';
import { startQueueStack, type QueueStack } from './queue-harness';

const WF = 'campusMissedChk1';
const DAY = '2026-11-24'; // a Tuesday, a school day
/** The time every run starts at unless a test moves it (a claim is stale 5 minutes after it). */
const AS_OF = `${DAY}T09:40:00+08:00`;
type Staff = { staffId: string; name: string; mobile: string; userId: string; department: string };
const staff = sampleSchool().staff as Staff[];
const MISSING = staff.slice(20, 25);
/** Enough people for a DingTalk digest of more than one message. */
const MANY_MISSING = staff.slice(10, 110);
const keysOf = (missing: Staff[]) => missing.map((s) => `${s.staffId}|${DAY}|Morning|L1`).sort();

interface DingMessage {
	body: { text?: { content: string }; markdown?: { text: string }; at?: { atMobiles?: string[]; atUserIds?: string[] } };
}

let stack: QueueStack;
let missing = MISSING;
/** Workers a test killed and has not started again (reset() starts them). */
const down = new Set<number>();

async function kill(w: number): Promise<number> {
	down.add(w);
	const at = Date.now();
	await stack.killWorker(w);
	return at;
}
async function restart(w: number): Promise<void> {
	await stack.startWorker(w);
	down.delete(w);
}
const say = (m: string) => process.stderr.write(`[queue] ${m}\n`);

async function messages(): Promise<DingMessage[]> {
	const r = await fetch(`${stack.fakes.urls.robots}/__fake/messages`);
	return ((await r.json()) as { dingtalk: DingMessage[] }).dingtalk;
}
const textOf = (m: DingMessage) => m.body.text?.content ?? m.body.markdown?.text ?? '';
/** How many times each person was @mentioned across the given messages (default: all accepted). */
async function mentionCounts(list?: DingMessage[]): Promise<Record<string, number>> {
	const c: Record<string, number> = {};
	for (const m of list ?? (await messages())) for (const id of m.body.at?.atUserIds ?? []) c[id] = (c[id] ?? 0) + 1;
	return c;
}
const onceEach = (people: Staff[]) => Object.fromEntries(people.map((s) => [s.userId, 1]));
/** The dedupeKeys recorded as sent (claims are rows of their own). */
async function sentKeys(): Promise<string[]> {
	return (await stack.main.rows('campus_reminders'))
		.filter((r) => r.kind !== 'claim')
		.map((r) => String(r.dedupeKey))
		.sort();
}
async function claimRows(): Promise<Array<Record<string, unknown>>> {
	return (await stack.main.rows('campus_reminders')).filter((r) => r.kind === 'claim');
}

/** Saves the workflow with runs starting at `asOf` (n8n runs the stored workflow). */
async function setAsOf(asOf: string): Promise<void> {
	await stack.main.saveWorkflow(WF, (wf) => setSettings(wf, { asOf, formUrl: `${stack.main.url}/form/campus-health-checkin` }));
}

/** As checkin.test.ts: everyone but `absent` reported this morning; one id is not on the list. */
async function seedCheckIns(absent: Staff[]): Promise<void> {
	missing = absent;
	await stack.main.clearRows('campus_checkins');
	await stack.main.insertRows('campus_checkins', morningCheckIns(staff, absent, DAY));
}

/** Both workers up, no reminder records or claims, no robot messages, runs at AS_OF. */
async function reset(): Promise<void> {
	for (const w of down) await restart(w);
	await stack.main.clearRows('campus_reminders');
	await fetch(`${stack.fakes.urls.robots}/__fake/reset`, { method: 'POST' });
	stack.gate.mode = 'pass';
	stack.gate.passFirst = 0;
	await setAsOf(AS_OF);
}

/** Starts a run without waiting (as a schedule fires). */
async function startRun(): Promise<string> {
	return stack.main.startRun(WF, 'Schedule');
}

async function workerOf(id: string, timeoutMs = 30_000): Promise<number> {
	const t0 = Date.now();
	for (;;) {
		const w = stack.workerOf(id);
		if (w >= 0 || Date.now() - t0 > timeoutMs) return w;
		await delay(100);
	}
}

function expectSameAsSingleProcess(result: ExecutionResult): void {
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	const found = outputOf(result, 'Find who is missing');
	expect(found.filter((i) => i.kind === 'missing report').map((i) => i.reporterId).sort()).toEqual(missing.map((s) => s.staffId).sort());
	expect(found.filter((i) => i.kind === 'unknown reporter')).toHaveLength(1);
}

async function expectRemindedOnce(): Promise<void> {
	expect(await mentionCounts()).toEqual(onceEach(missing));
	const all = (await messages()).map(textOf).join('\n');
	for (const s of missing) {
		expect(all).toContain(s.name);
		expect(all).not.toContain(s.mobile);
	}
	expect(await sentKeys()).toEqual(keysOf(missing));
}

/** The lock and stalled-check settings the stack runs with (queue-harness.ts), in ms. */
const lockMs = () => Number(stack.sharedEnv.QUEUE_WORKER_LOCK_DURATION);
const stalledMs = () => Number(stack.sharedEnv.QUEUE_WORKER_STALLED_INTERVAL);

/**
 * Waits for a killed worker's execution to end and checks how: n8n 2.40.7 runs Bull with
 * maxStalledCount 0, so the job a dead worker held is failed once a live worker's stalled check
 * finds its lock expired, and the main saves the execution as "error" with n8n's
 * MaxStalledCountError; it is not retried. Returns the seconds from the kill.
 */
async function expectKilledExecutionFailed(id: string, killedAt: number): Promise<number> {
	const dead = await stack.main.waitForExecution(id, 120_000);
	const s = (Date.now() - killedAt) / 1000;
	say(`execution ${id} of the killed worker: ${dead.status} after ${s.toFixed(1)} s (lock ${lockMs() / 1000} s, stalled check every ${stalledMs() / 1000} s)`);
	expect(dead.status).toBe('error');
	expect(dead.error?.message ?? '').toMatch(/failed to be processed too many times/);
	// The bound the district guide gives (lock duration + stalled-check interval), with 30 s for
	// a busy machine: what is asserted is that n8n notices by itself, not how fast.
	expect(s).toBeLessThan((lockMs() + stalledMs()) / 1000 + 30);
	return s;
}

/**
 * A time written as Campus 02's own `$now.toISO()` writes it in Asia/Shanghai
 * (2026-11-24T09:45:01.000+08:00); the workflow reads claim times as instants.
 */
const shanghai = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, -1)}+08:00`;
const after = (ms: number) => shanghai(Date.parse(AS_OF) + ms);
/** The time of the latest claim on any of `people` (a claim holds 5 minutes from it). */
async function latestClaim(people: Staff[]): Promise<number> {
	const keys = new Set(keysOf(people));
	const times = (await claimRows()).filter((r) => keys.has(String(r.dedupeKey))).map((r) => Date.parse(String(r.sentAt)));
	return Math.max(...times);
}
/**
 * After a run was killed with people claimed: a run within 5 minutes of the dead run's start
 * sends nothing to them (and does not claim them); the first run more than 5 minutes after the
 * latest claim on them sends to them. Returns that run's result.
 */
async function catchUp(people: Staff[]): Promise<ExecutionResult> {
	await setAsOf(after(FIVE_MIN - 1000));
	const before = (await messages()).length;
	expectSameAsSingleProcess(await stack.main.run(WF, 'Schedule'));
	expect(await messages()).toHaveLength(before);
	const latest = await latestClaim(people);
	say(`latest claim on them ${((latest - Date.parse(AS_OF)) / 1000).toFixed(0)} s after the dead run's start`);
	await setAsOf(shanghai(latest + FIVE_MIN + 1000));
	const result = await stack.main.run(WF, 'Schedule');
	expectSameAsSingleProcess(result);
	return result;
}
const FIVE_MIN = 5 * 60_000;

beforeAll(async () => {
	stack = await startQueueStack({ workers: 2 });
	await loadSampleSchool(stack.main);
	await seedCheckIns(MISSING);
	await reset();
	say(`stack up: ${JSON.stringify(stack.timings)}`);
}, 600_000);

afterAll(async () => {
	await stack?.stop();
});

describe('Campus 02 missed-check reminders on a queue of two workers', () => {
	it('runs on a PostgreSQL that n8n supports: 17, and no version warning from the main or a worker', () => {
		expect(stack.postgres.version).toMatch(/^17\./);
		expect(stack.postgresVersionWarnings()).toEqual([]);
		// The warning is logged at every start, so its absence means something only if the log
		// holds the start: the main's log shows it ready.
		expect(readFileSync(stack.main.opts.log!, 'utf8')).not.toBe('');
	});

	it('six runs give the single-process result, remind each absent person once, and use both workers', async () => {
		const ids: string[] = [];
		const times: number[] = [];
		for (let i = 0; i < 6; i++) {
			const t = Date.now();
			const result = await stack.main.run(WF, 'Schedule');
			times.push((Date.now() - t) / 1000);
			expectSameAsSingleProcess(result);
			ids.push(result.id);
		}
		const byWorker = await Promise.all(ids.map((id) => workerOf(id)));
		say(`runs ${ids.join(',')} on workers ${byWorker.join(',')} in ${times.map((t) => t.toFixed(2)).join(', ')} s`);
		await expectRemindedOnce();
		expect(new Set(byWorker)).toEqual(new Set([0, 1]));
	});

	it('a worker killed before the robot got its reminder: the execution ends in "error"; its claims hold 5 minutes, then a run reminds everyone once', async () => {
		await reset();
		stack.gate.mode = 'holdBefore';
		const id = await startRun();
		await stack.gate.waitHeld(1);
		const w = await workerOf(id);
		expect(w).toBeGreaterThanOrEqual(0);
		const killedAt = await kill(w);
		stack.gate.mode = 'pass';
		stack.gate.release();
		expect(await messages()).toHaveLength(0);
		await expectKilledExecutionFailed(id, killedAt);
		// The killed run claimed the people before sending: its claims stay.
		expect((await claimRows()).map((r) => String(r.dedupeKey))).toEqual(expect.arrayContaining(keysOf(missing)));
		expect(await sentKeys()).toEqual([]);
		await restart(w);
		await catchUp(missing);
		await expectRemindedOnce();
	});

	// The case no sender can make exactly-once: the robot accepted a message but the worker died
	// before it learnt so. Group robots take no idempotency key and cannot be asked what they
	// received. Campus 02 records each message as the robot accepts it, so the run that takes the
	// stale claims over sends again only the message in flight: at least once for its people,
	// exactly once for the rest. Nobody a third time, and the record ends with one row per reminder.
	it('a worker killed with the second message of a digest accepted: only that message goes again once the claims are stale', async () => {
		await seedCheckIns(MANY_MISSING);
		await reset();
		// The first message goes through and is answered; the robot accepts the second, and its
		// answer is held.
		stack.gate.passFirst = 1;
		stack.gate.mode = 'holdAfter';
		const id = await startRun();
		await stack.gate.waitHeld(1);
		const w = await workerOf(id);
		const killedAt = await kill(w);
		stack.gate.mode = 'pass';
		stack.gate.release();
		const inKilledRun = await messages();
		expect(inKilledRun).toHaveLength(2);
		const firstTime = await mentionCounts(inKilledRun);
		const answered = await mentionCounts([inKilledRun[0]]);
		const inFlight = await mentionCounts([inKilledRun[1]]);
		const notYet = MANY_MISSING.filter((s) => !firstTime[s.userId]);
		say(`killed run: ${inKilledRun.length} messages accepted (${Object.keys(answered).length} people answered and recorded, ${Object.keys(inFlight).length} in flight), ${notYet.length} not yet sent`);
		expect(Object.values(firstTime).every((n) => n === 1)).toBe(true);
		await expectKilledExecutionFailed(id, killedAt);
		// The first message's people were recorded before the second message went.
		expect(await sentKeys()).toEqual(keysOf(MANY_MISSING.filter((s) => answered[s.userId])));
		await restart(w);
		await catchUp(MANY_MISSING);
		const total = await mentionCounts();
		say(`after the run that took the claims over: ${Object.values(total).filter((n) => n === 2).length} people twice, ${Object.values(total).filter((n) => n === 1).length} once`);
		// The people of the message in flight twice, the rest once, nobody three times.
		expect(total).toEqual(Object.fromEntries(MANY_MISSING.map((s) => [s.userId, inFlight[s.userId] ? 2 : 1])));
		expect(await sentKeys()).toEqual(keysOf(MANY_MISSING));
		await seedCheckIns(MISSING);
	});

	it('Redis restarted while a run is in flight: that run ends in "success", the next run is taken at once and reminds nobody twice', async () => {
		await reset();
		stack.gate.mode = 'holdBefore';
		const id = await startRun();
		await stack.gate.waitHeld(1);
		const t0 = Date.now();
		await stack.redis.restart(1000);
		stack.gate.mode = 'pass';
		stack.gate.release();
		const first = await stack.main.waitForExecution(id, 120_000);
		say(`execution ${id} across a Redis restart: ${first.status} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		// The worker holds the execution in memory and saves it to Postgres; Redis only queued it.
		expectSameAsSingleProcess(first);
		await expectRemindedOnce();
		// The queue is empty after the restart (no persistence); a run started now is taken.
		const t1 = Date.now();
		const next = await stack.main.run(WF, 'Schedule', { timeoutMs: 120_000 });
		expectSameAsSingleProcess(next);
		say(`first run after the restart: execution ${next.id} on worker ${await workerOf(next.id)}, done ${((Date.now() - t1) / 1000).toFixed(1)} s after it was started (${((Date.now() - t0) / 1000).toFixed(1)} s after the restart)`);
		await expectRemindedOnce();
	});
});
