/**
 * A record of what every integration test made n8n do, for comparing two runs of the same suite
 * (single process vs queue mode: test/queue/suite.ts). Loaded by jest's setupFilesAfterEnv; does
 * nothing unless CAMPUS_RUN_LOG names a file.
 *
 * Per test it appends one JSON line: the executions the test waited for (status, error and the
 * output items of every node) and every message the fake robots accepted meanwhile, in order.
 * Values that differ between any two runs by nature are masked: loopback ports, execution ids,
 * signatures, row ids and the creation times of rows, and time stamps taken from the clock while
 * the test ran.
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

const MASKED_KEYS = new Set(['id', 'createdAt', 'updatedAt', 'executionId', 'timestamp', 'sign', 'startedAt', 'stoppedAt']);
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Masks what differs between two runs by nature; `window` is the real time the test ran in. */
export function normalise(v: unknown, window: { from: number; to: number }, key = ''): unknown {
	if (MASKED_KEYS.has(key) && v !== null && v !== undefined && v !== '') return '<masked>';
	if (typeof v === 'string') {
		if (ISO.test(v)) {
			const t = Date.parse(v);
			if (t >= window.from && t <= window.to) return '<now>';
		}
		return v
			.replace(/https?:\/\/(127\.0\.0\.1|localhost):\d+/g, '<local>')
			.replace(/\/(form-waiting|webhook-waiting|executions)\/\d+/g, '/$1/<exec>')
			.replace(/([?&](signature|sign|timestamp|token)=)[^&"\s)]+/g, '$1<masked>');
	}
	if (typeof v === 'number' && v >= window.from && v <= window.to) return '<now>';
	if (Array.isArray(v)) return v.map((x) => normalise(x, window));
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v).sort()) out[k] = normalise((v as Record<string, unknown>)[k], window, k);
		return out;
	}
	return v;
}

if (file) {
	let pending: ExecutionResult[] = [];
	let since = 0;
	let from = Date.now();
	const robots = () => state().fakes.robots;
	const journal = async (): Promise<{ next: number; entries: RunLogEntry['messages'] }> => {
		const r = await fetch(`${robots()}/__fake/journal?since=${since}`);
		return (await r.json()) as { next: number; entries: RunLogEntry['messages'] };
	};
	const flush = async (test: string) => {
		const j = await journal();
		since = j.next;
		const window = { from: from - 5_000, to: Date.now() + 5_000 };
		const entry: RunLogEntry = {
			file: basename(expect.getState().testPath ?? ''),
			test,
			executions: pending.map((e) => ({
				executionId: e.id,
				workflowId: e.workflowId,
				status: e.status,
				error: e.error?.message,
				nodes: normalise(e.nodes, window),
			})),
			messages: j.entries.map((m) => ({ channel: m.channel, robot: m.robot, body: normalise(m.body, window) })),
		};
		pending = [];
		from = Date.now();
		appendFileSync(file, `${JSON.stringify(entry)}\n`);
	};
	executionObservers.push((e) => pending.push(e));
	beforeAll(async () => {
		since = (await journal()).next;
		from = Date.now();
	});
	// What a file's beforeAll made n8n do is logged with its first test.
	afterEach(async () => flush(expect.getState().currentTestName ?? '?'));
	afterAll(async () => {
		if (pending.length) await flush('(after all)');
	});
}
