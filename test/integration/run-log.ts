/**
 * A record of what every integration test made n8n do, for comparing two runs of the same suite
 * (single process vs queue mode: test/queue/suite.ts). Loaded by jest's setupFilesAfterEnv; does
 * nothing unless CAMPUS_RUN_LOG names a file.
 *
 * Per test it appends one JSON line: the executions the test waited for (status, error and the
 * output items of every node) and every message the fake robots accepted meanwhile, in order.
 * Values that differ between any two runs by nature are masked: loopback ports, execution ids,
 * signatures, row ids, the Schedule Trigger's clock fields, and date-times near the day of the run.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { state } from './client';
import { executionObservers, type ExecutionResult } from './harness';

const file = process.env.CAMPUS_RUN_LOG;

export interface RunLogEntry {
	file: string;
	test: string;
	executions: Array<{ executionId: string; workflowId: string; status: string; error?: string; nodes: unknown }>;
	messages: Array<{ channel: string; robot: string; body: unknown }>;
}

const MASKED_KEYS = new Set([
	...['id', 'createdAt', 'updatedAt', 'executionId', 'projectId', 'dataTableId', 'timestamp', 'sign', 'sig', 'exp', 'startedAt', 'stoppedAt'],
	// What the Schedule Trigger puts out: the clock when it fired.
	...['Readable date', 'Readable time', 'Day of week', 'Year', 'Month', 'Day of month', 'Hour', 'Minute', 'Second', 'Timezone'],
]);
/** A date-time, or else a time of day alone ("due at 16:05"). */
const CLOCK = /(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)|\b\d{2}:\d{2}(?::\d{2})?\b/g;
/** Clock readings: within this many days of the run. Dates a test fixes lie further away. */
const NEAR_MS = 40 * 86400_000;

/**
 * Masks what differs between two runs by nature. Several tests build their scenario from the real
 * clock (a visit "now", a login "20 days ago"), so every date-time near the day of the run is
 * masked, in a value or inside a text, and so is a time of day inside a text; dates without a
 * time, and all other values, stay.
 */
export function normalise(v: unknown, now: number, key = ''): unknown {
	if (MASKED_KEYS.has(key) && v !== null && v !== undefined && v !== '') return '<masked>';
	const near = (t: number) => Math.abs(t - now) <= NEAR_MS;
	if (v === '<now>') return '<clock>'; // as logs of an earlier version of this file
	if (typeof v === 'string') {
		if (/^\d{10}$/.test(v) && near(Number(v) * 1000)) return '<clock>';
		return v
			.replace(CLOCK, (m, dateTime?: string) => {
				if (!dateTime) return '<hh:mm>';
				const t = Date.parse(dateTime.includes('T') ? dateTime : dateTime.replace(' ', 'T'));
				return Number.isNaN(t) || !near(t) ? m : '<clock>';
			})
			.replace(/https?:\/\/(127\.0\.0\.1|localhost):\d+/g, '<local>')
			.replace(/\/(form-waiting|webhook-waiting|executions)\/\d+/g, '/$1/<exec>')
			.replace(/([?&](signature|sign|sig|exp|timestamp|token)=)[^&"\s)]+/g, '$1<masked>');
	}
	if (typeof v === 'number' && (near(v) || near(v * 1000))) return '<clock>';
	if (Array.isArray(v)) {
		const list = v.map((x) => normalise(x, now));
		// Data table columns: n8n lists them in another order on Postgres than on SQLite.
		const isColumn = (x: unknown) => !!x && typeof x === 'object' && 'name' in x && 'index' in x && 'type' in x;
		return list.length && list.every(isColumn) ? list.sort((a, b) => Number((a as { index: number }).index) - Number((b as { index: number }).index)) : list;
	}
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v).sort()) out[k] = normalise((v as Record<string, unknown>)[k], now, k);
		return out;
	}
	return v;
}

let raced = false;
/**
 * Marks the current test's executions as racing on purpose (the same link sent several times at
 * once): which of them wins, and what each read on its way, differs from run to run. They are
 * logged by outcome alone (workflow, status, error), in a fixed order; the messages stay in full.
 */
export function executionsRaceInThisTest(): void {
	raced = true;
}

if (file) {
	let pending: ExecutionResult[] = [];
	let since = 0;
	const robots = () => state().fakes.robots;
	const journal = async (): Promise<{ next: number; entries: RunLogEntry['messages'] }> => {
		const r = await fetch(`${robots()}/__fake/journal?since=${since}`);
		return (await r.json()) as { next: number; entries: RunLogEntry['messages'] };
	};
	const flush = async (test: string) => {
		const j = await journal();
		since = j.next;
		const now = Date.now();
		const entry: RunLogEntry = {
			file: basename(expect.getState().testPath ?? ''),
			test,
			executions: raced
				? pending
						.map((e) => ({ executionId: '', workflowId: e.workflowId, status: e.status, error: e.error?.message, nodes: {} }))
						.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
				: pending.map((e) => ({
						executionId: e.id,
						workflowId: e.workflowId,
						status: e.status,
						error: e.error?.message,
						nodes: normalise(e.nodes, now),
					})),
			messages: j.entries.map((m) => ({ channel: m.channel, robot: m.robot, body: normalise(m.body, now) })),
		};
		pending = [];
		raced = false;
		appendFileSync(file, `${JSON.stringify(entry)}\n`);
	};
	executionObservers.push((e) => pending.push(e));
	beforeAll(async () => {
		since = (await journal()).next;
	});
	// What a file's beforeAll made n8n do is logged with its first test.
	afterEach(async () => flush(expect.getState().currentTestName ?? '?'));
	afterAll(async () => {
		if (pending.length) await flush('(after all)');
	});
}
