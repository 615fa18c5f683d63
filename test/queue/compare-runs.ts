/**
 * Compares two logs of the integration suite (test/integration/run-log.ts), test by test: the
 * single-process run and a queue-mode round of test/queue/suite.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { normalise, type RunLogEntry } from '../integration/run-log';

export function readLog(file: string): Map<string, RunLogEntry> {
	const out = new Map<string, RunLogEntry>();
	if (!existsSync(file)) return out;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim()) continue;
		const e = JSON.parse(line) as RunLogEntry;
		out.set(`${e.file} › ${e.test}`, e);
	}
	return out;
}

/** Up to `max` paths where two values differ, with both sides. */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 5): string[] {
	if (out.length >= max) return out;
	if (JSON.stringify(a) === JSON.stringify(b)) return out;
	if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`, out, max);
		return out;
	}
	const show = (v: unknown) => (JSON.stringify(v) ?? 'undefined').slice(0, 160);
	out.push(`${path || '/'}: single ${show(a)} | queue ${show(b)}`);
	return out;
}

/** A node's items as a set: Postgres returns the rows of a Data Table query in another order
 * than SQLite when the query sets none. */
function itemsAsSets(nodes: unknown): unknown {
	const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
	return Object.fromEntries(
		Object.entries(nodes as Record<string, unknown[][][]>).map(([name, runs]) => [
			name,
			runs.map((outputs) => outputs.map((items) => [...items].sort(byText))),
		]),
	);
}

/**
 * What must be the same in two runs: everything but execution ids, masked again (the single-process
 * log may be from another day), with each node's items as a set.
 */
function comparable(e: RunLogEntry, now: number): unknown {
	return {
		executions: e.executions.map((x) => ({ ...normalise({ ...x, executionId: undefined, nodes: undefined }, now) as object, nodes: itemsAsSets(normalise(x.nodes, now)) })),
		messages: normalise(e.messages, now),
	};
}

/** Compares a queue round's log with the single-process log; returns the problems. */
export function compare(single: Map<string, RunLogEntry>, queue: Map<string, RunLogEntry>, now = Date.now()): string[] {
	const problems: string[] = [];
	for (const [key, s] of single) {
		const q = queue.get(key);
		if (!q) {
			problems.push(`${key}: not in the queue run`);
			continue;
		}
		const d = differences(comparable(s, now), comparable(q, now));
		if (d.length) problems.push(`${key}:\n    ${d.join('\n    ')}`);
	}
	for (const key of queue.keys()) if (!single.has(key)) problems.push(`${key}: only in the queue run`);
	return problems;
}
