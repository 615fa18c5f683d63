/**
 * The comparison behind `npm run test:queue`: two logs of the integration suite are equal when
 * only what differs by nature differs (ids, ports, signatures, clock readings, row order of a
 * Data Table query), and any other change is reported with the test and the path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalise, type RunLogEntry } from '../integration/run-log';
import { compare, readLog } from '../queue/compare-runs';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'campus-compare-'));

function log(name: string, entries: RunLogEntry[]): string {
	const f = join(dir, name);
	writeFileSync(f, entries.map((e) => JSON.stringify(e)).join('\n'));
	return f;
}

function entry(executionId: string, port: number, at: string, rows: Array<Record<string, unknown>>, text: string): RunLogEntry {
	return {
		file: 'checkin.test.ts',
		test: 'Campus 02 reminds once',
		executions: [
			{
				executionId,
				workflowId: 'campusMissedChk1',
				status: 'success',
				nodes: { 'Read staff': [[rows]], 'Send reminders': [[[{ sentAt: at, link: `http://127.0.0.1:${port}/form/x?sig=abc${port}` }]]] },
			},
		],
		messages: [{ channel: 'dingtalk', robot: 'dingtalk:tok', body: { text: { content: text } } }],
	};
}

describe('normalise', () => {
	it('masks clock readings near the run, ports, ids and signatures, and keeps fixed dates', () => {
		expect(
			normalise(
				{
					id: 7,
					sentAt: '2026-11-24T18:01:02.345+08:00',
					asOf: '2025-09-01T09:40:00+08:00',
					date: '2026-11-24',
					text: 'due at 16:05, see http://localhost:5678/form-waiting/42?signature=xyz',
					count: 12,
				},
				NOW,
			),
		).toEqual({
			asOf: '2025-09-01T09:40:00+08:00',
			count: 12,
			date: '2026-11-24',
			id: '<masked>',
			sentAt: '<clock>',
			text: 'due at <hh:mm>, see <local>/form-waiting/<exec>?signature=<masked>',
		});
	});
});

describe('compare', () => {
	const rows = [{ name: '张伟' }, { name: '李娜' }];

	it('two runs that differ only by nature are equal, rows in any order', () => {
		const single = log('s1.jsonl', [entry('1', 25678, '2026-11-24T17:00:00+08:00', rows, '张伟 请补报 09:40')]);
		const queue = log('q1.jsonl', [entry('93', 28410, '2026-11-24T17:20:00+08:00', [...rows].reverse(), '张伟 请补报 09:41')]);
		expect(compare(readLog(single), readLog(queue), NOW)).toEqual([]);
	});

	it('reports a changed item, a changed message and a missing test, with the path', () => {
		const single = log('s2.jsonl', [entry('1', 25678, '2026-11-24T17:00:00+08:00', rows, '张伟 请补报'), { ...entry('2', 1, '', [], ''), test: 'another' }]);
		const queue = log('q2.jsonl', [entry('9', 28410, '2026-11-24T17:00:00+08:00', [{ name: '张伟' }, { name: '王芳' }], '王芳 请补报')]);
		const problems = compare(readLog(single), readLog(queue), NOW);
		expect(problems).toHaveLength(2);
		expect(problems[0]).toContain('checkin.test.ts › Campus 02 reminds once');
		expect(problems[0]).toContain('/executions/0/nodes/Read staff/0/0/');
		expect(problems[0]).toContain('王芳');
		expect(problems[0]).toContain('/messages/0/body/text/content');
		expect(problems[1]).toBe('checkin.test.ts › another: not in the queue run');
	});
});
