/**
 * The whole missed-check run, end to end, in a real n8n (issue 17): the ready-made Campus 02
 * workflow (calendar, reads, Find Missing with escalation, dedupe against what was sent, the
 * digest to the fake DingTalk robot, the bulk record) against the same job built from n8n's own
 * nodes (two Data Table reads, a Code filter, Compare Datasets, a Code node shaping reminders),
 * same n8n, same data, run alternately. The check-ins table holds a term of history, not one day.
 * Prints both medians and the ratio, per size.
 *
 * BENCH_SIZES (default "2000,10000"), BENCH_HISTORY_DAYS (school days of history, default 60 for
 * 2,000 staff and 20 for 10,000), BENCH_RUNS (default 5), BENCH_ABSENT (people absent, default 100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
} from '../test/integration/harness';
import { startFakes, testCredentials } from '../test/integration/fakes';

const SIZES = (process.env.BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ABSENT = Number(process.env.BENCH_ABSENT ?? 100);
const DAY = '2026-11-24'; // a Tuesday
const AS_OF = `${DAY}T09:40:00+08:00`;

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
	const opts: ServerOptions = { userFolder: join(root, 'user'), port: 27820 };
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
			const historyDays = Number(process.env.BENCH_HISTORY_DAYS ?? (size >= 10_000 ? 20 : 60));
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
			let rows = 0;
			const absentEvery = Math.max(1, Math.floor(size / ABSENT));
			for (const day of [...schoolDaysBefore(historyDays), DAY]) {
				const batch: Array<Record<string, string>> = [];
				staff.forEach((s, i) => {
					const slots = day === DAY ? ['08'] : ['08', '16'];
					for (const h of slots) {
						if (day === DAY && i % absentEvery === 0) continue; // absent this morning
						if (day !== DAY && (i + day.charCodeAt(9)) % 37 === 0) continue; // the odd miss
						batch.push({
							reporterId: s.staffId,
							name: s.name,
							department: s.department,
							slot: h === '08' ? 'Morning' : 'Afternoon',
							temperature: '36.5',
							symptoms: '无 None',
							location: '校内',
							submittedAt: `${day}T${h}:${String(i % 50).padStart(2, '0')}:00+08:00`,
						});
					}
				});
				await server.insertRows('campus_checkins', batch);
				rows += batch.length;
			}
			console.log(`${size} staff: ${rows} check-ins over ${historyDays} school days + the morning of ${DAY} (loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);

			const execMs = async (id: string): Promise<number> => {
				const raw = await server.api<{ startedAt: string; stoppedAt: string }>('GET', `/rest/executions/${id}`);
				return Date.parse(raw.stoppedAt) - Date.parse(raw.startedAt);
			};
			const ours = async (): Promise<{ ms: number; reminded: number; messages: number }> => {
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
				return { ms: await execMs(r.id), reminded: sent, messages: inbox.dingtalk.length };
			};
			const base = async (): Promise<{ ms: number; items: number }> => {
				const r = await server.run('benchBaseCampus', 'Start', { timeoutMs: 600_000 });
				if (r.status !== 'success') throw new Error(`baseline: ${r.status} ${r.error?.message ?? ''}`);
				return { ms: await execMs(r.id), items: (r.nodes['Reminder items']?.[0]?.[0] ?? []).length };
			};
			await ours(); // warm-up
			try {
				await base();
			} catch (e) {
				// The built-in way can fail where ours runs: say so, with n8n's reason, and go on.
				const x = await ours();
				const line = `${size} staff, ${rows} check-ins in the table:\n  Campus 02, whole workflow: ${x.ms} ms, ${x.reminded} people reminded\n  Compare Datasets + Code: FAILED (${(e as Error).message.slice(0, 160)})`;
				console.log(line);
				results.push(line);
				continue;
			}
			const a: number[] = [];
			const b: number[] = [];
			let last = { reminded: 0, messages: 0, items: 0 };
			for (let i = 0; i < RUNS; i++) {
				const x = await ours();
				const y = await base();
				a.push(x.ms);
				b.push(y.ms);
				last = { reminded: x.reminded, messages: x.messages, items: y.items };
			}
			const line =
				`${size} staff, ${rows} check-ins in the table, median of ${RUNS} alternate runs:\n` +
				`  Campus 02, whole workflow (send + record included): ${median(a)} ms, ${last.reminded} people reminded in ${last.messages} messages\n` +
				`  Compare Datasets + Code (reads, compare, shape; no send, no record): ${median(b)} ms, ${last.items} items\n` +
				`  ratio baseline / ours: ${(median(b) / median(a)).toFixed(2)}x`;
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
