/**
 * The missed-check job for 2,000 staff in a real n8n: our Check-In Watch against the same job
 * built from n8n's own nodes (Compare Datasets plus Code), in the same n8n, on the same data.
 * Prints the median execution time of each and the ratio. Set BENCH_STAFF / BENCH_DAYS / BENCH_RUNS
 * to change the size.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	N8nServer,
	REPO,
	importWorkflows,
	installPackage,
	packPackage,
	type ServerOptions,
} from '../test/integration/harness';

const STAFF = Number(process.env.BENCH_STAFF ?? 2000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
	const root = mkdtempSync(join(tmpdir(), 'campus-bench-'));
	const opts: ServerOptions = { userFolder: join(root, 'user'), port: 27800 };
	installPackage(opts.userFolder, packPackage(join(root, 'pack')));
	await importWorkflows(opts, join(REPO, 'bench', 'workflows'));
	const server = new N8nServer(opts);
	await server.start();
	try {
		await server.login();
		await server.createDataTable('bench_staff', [
			{ name: 'staffId', type: 'string' },
			{ name: 'name', type: 'string' },
			{ name: 'department', type: 'string' },
			{ name: 'mobile', type: 'string' },
		]);
		await server.createDataTable('bench_checkins', [
			{ name: 'reporterId', type: 'string' },
			{ name: 'submittedAt', type: 'string' },
		]);
		const staff = Array.from({ length: STAFF }, (_, i) => ({
			staffId: `S${String(i + 1).padStart(5, '0')}`,
			name: `教师${i + 1}`,
			department: `部门${i % 40}`,
			mobile: `139${String(i).padStart(8, '0')}`,
		}));
		await server.insertRows('bench_staff', staff);
		const checkins: Array<Record<string, string>> = [];
		for (let d = DAYS - 1; d >= 0; d--) {
			const day = new Date(Date.UTC(2026, 10, 24 - d)).toISOString().slice(0, 10);
			staff.forEach((s, i) => {
				if ((i + d) % 20 === 0) return; // about 5% miss each slot
				checkins.push({ reporterId: s.staffId, submittedAt: `${day}T08:${String(i % 50).padStart(2, '0')}:00+08:00` });
				if (d > 0) checkins.push({ reporterId: s.staffId, submittedAt: `${day}T16:${String(i % 50).padStart(2, '0')}:00+08:00` });
			});
		}
		await server.insertRows('bench_checkins', checkins);
		console.log(`data: ${STAFF} staff, ${checkins.length} check-ins over ${DAYS} days`);

		const time = async (id: string, out: string): Promise<{ ms: number; items: number }> => {
			const r = await server.run(id, 'Start', { timeoutMs: 300_000 });
			if (r.status !== 'success') throw new Error(`${id}: ${r.status} ${r.error?.message ?? ''}`);
			const raw = (await server.api<{ startedAt: string; stoppedAt: string }>('GET', `/rest/executions/${r.id}`));
			return { ms: Date.parse(raw.stoppedAt) - Date.parse(raw.startedAt), items: r.nodes[out][0][0].length };
		};
		const ours: number[] = [];
		const base: number[] = [];
		let found = { ours: 0, base: 0 };
		await time('benchOurMissing1', 'Find who is missing'); // warm-up
		await time('benchBaseMissing', 'Reminder items');
		for (let i = 0; i < RUNS; i++) {
			const a = await time('benchOurMissing1', 'Find who is missing');
			const b = await time('benchBaseMissing', 'Reminder items');
			ours.push(a.ms);
			base.push(b.ms);
			found = { ours: a.items, base: b.items };
		}
		const o = median(ours);
		const b = median(base);
		console.log(`missed-check workflow, ${STAFF} staff, real n8n (median of ${RUNS} executions):`);
		console.log(`  Check-In Watch (escalation, history, calendar): ${o} ms, ${found.ours} reminders`);
		console.log(`  Compare Datasets + Code (no escalation):        ${b} ms, ${found.base} reminders`);
		console.log(`  ratio baseline / ours: ${(b / o).toFixed(2)}`);
	} finally {
		await server.stop();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
