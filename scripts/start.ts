/**
 * `npm start`: a real n8n on localhost:5678 with this package installed, every ready-made
 * workflow imported and the sample school in n8n Data Tables. No cloud account needed.
 * Its data lives in .local-n8n/ (gitignored): delete that folder to start afresh.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	N8nServer,
	OWNER,
	REPO,
	importCredentials,
	importWorkflows,
	installPackage,
	loadSampleSchool,
	packPackage,
	shiftCheckInClock,
	workflowFiles,
} from '../test/integration/harness';
import { startFakes, testCredentials } from '../test/integration/fakes';
import { startInbox } from '../test/fakes/inbox';
import { SchoolCalendar } from '../nodes/shared/calendar';
import { demoClock, shiftNow, DEMO_ZONE } from './demo-clock';
import { DateTime } from 'luxon';

/** The check-in workflows that run on the demo clock, and where each reads the time. */
const ON_DEMO_CLOCK: Record<string, string[]> = {
	campusHealthForm: ['Check-in row'],
	campusMissedChk1: ['School settings'],
	campusDailySumm1: ['School settings'],
	campusDisinfect1: ['School settings'],
};

interface WfNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

/** Replaces $now.toISO() in every string of a node's parameters (the demo clock). */
function shiftParameters(value: unknown, offset: number): unknown {
	if (typeof value === 'string') return shiftNow(value, offset);
	if (Array.isArray(value)) return value.map((v) => shiftParameters(v, offset));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftParameters(v, offset)]));
	}
	return value;
}

/**
 * Puts the demo's copies of the check-in workflows on the demo clock and publishes every
 * workflow whose form, link or schedule the demo needs. Returns the names it published.
 */
async function prepareDemo(server: N8nServer, offset: number, port: number): Promise<{ published: string[]; failed: string[] }> {
	const published: string[] = [];
	const failed: string[] = [];
	for (const file of workflowFiles()) {
		const json = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string; nodes: WfNode[] };
		// A sub-workflow (Execute Workflow Trigger) is published too: n8n publishes a workflow only when
		// the sub-workflows it calls are (Campus 30 calls Campus 30 Password sheets).
		const triggers = json.nodes.filter((n) => /formTrigger|scheduleTrigger|webhook|executeWorkflowTrigger/i.test(n.type));
		if (!triggers.length && !ON_DEMO_CLOCK[json.id]) continue;
		try {
			await server.deactivate(json.id).catch(() => undefined);
			const wf = (await server.workflow(json.id)) as { name: string; nodes: WfNode[]; connections: unknown; settings: unknown; versionId: string };
			for (const n of wf.nodes) {
				if (ON_DEMO_CLOCK[json.id]?.includes(n.name)) n.parameters = shiftParameters(n.parameters, offset) as Record<string, unknown>;
				if (n.name === 'School settings') {
					n.parameters = JSON.parse(JSON.stringify(n.parameters).replace(/http:\/\/localhost:5678\//g, `http://localhost:${port}/`));
				}
			}
			if (json.id === 'campusHealthForm') shiftCheckInClock(wf, offset);
			await server.api('PATCH', `/rest/workflows/${json.id}`, {
				name: wf.name,
				nodes: wf.nodes,
				connections: wf.connections,
				settings: wf.settings,
				versionId: wf.versionId,
			});
			if (triggers.length) {
				await server.activate(json.id);
				published.push(json.name);
			}
		} catch (e) {
			failed.push(`${json.name}: ${(e as Error).message.split('\n')[0]}`);
		}
	}
	return { published, failed };
}

async function main(): Promise<void> {
	const t0 = Date.now();
	const say = (m: string) => console.log(`[start] ${m} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
	const port = Number(process.env.N8N_PORT ?? 5678);
	const home = process.env.CAMPUS_N8N_HOME ?? join(REPO, '.local-n8n');
	const userFolder = join(home, 'user');
	mkdirSync(userFolder, { recursive: true });

	say('checking the pinned n8n (installed once per machine, 3 to 7 minutes the first time)');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../test/integration/ensure-n8n.js').ensureN8n();

	say('building and installing the package as n8n installs a community package');
	const tarball = packPackage(join(home, 'pack'));
	installPackage(userFolder, tarball);

	// Local stand-ins for the chat robots (and Google), so reminders can be seen without any
	// cloud account: the demo credentials point at them.
	const fakes = await startFakes({ port: port + 10 });
	const opts = { userFolder, port };
	const marker = join(home, 'imported.json');
	const imported = new Set<string>(existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as string[]) : []);
	const fresh = workflowFiles().filter((f) => !imported.has(f.split('/').pop() as string));
	if (!imported.size) await importCredentials(opts, testCredentials(fakes));
	if (fresh.length) {
		const dir = join(home, 'import');
		mkdirSync(dir, { recursive: true });
		for (const f of fresh) writeFileSync(join(dir, f.split('/').pop() as string), readFileSync(f));
		await importWorkflows(opts, dir);
		for (const f of fresh) imported.add(f.split('/').pop() as string);
		writeFileSync(marker, JSON.stringify([...imported]));
		say(`imported ${fresh.length} workflow(s)`);
	}

	const server = new N8nServer(opts);
	say('starting n8n');
	await server.start(180_000);
	await server.login();
	const filled = await loadSampleSchool(server);
	if (filled.length) say(`sample school loaded: ${filled.join(', ')}`);

	// The demo clock: a school-day morning whatever the hour (CAMPUS_DEMO_REAL_TIME=1 turns it off).
	const calendar = new SchoolCalendar({ vacations: ['2026-01-24..2026-02-28', '2026-07-04..2026-08-31'] });
	const isSchoolDay = (d: string) => {
		try {
			return calendar.isSchoolDay(d);
		} catch {
			return DateTime.fromISO(d).weekday <= 5; // beyond the holiday data: weekdays
		}
	};
	const clock = process.env.CAMPUS_DEMO_REAL_TIME === '1'
		? { offsetMinutes: 0, demoStart: DateTime.now().setZone(DEMO_ZONE), reason: 'the real time (CAMPUS_DEMO_REAL_TIME=1)' }
		: demoClock(DateTime.now(), isSchoolDay);
	const { published, failed } = await prepareDemo(server, clock.offsetMinutes, port);
	say(`published ${published.length} workflows (their forms, links and schedules answer)`);
	for (const f of failed) console.warn(`[start] could not publish ${f}`);
	const inbox = await startInbox(fakes.urls.robots, port + 20);
	const demoTime = clock.demoStart.toFormat('yyyy-MM-dd HH:mm');

	console.log(`
  n8n is ready: http://localhost:${port}
  Sign in as ${OWNER.email} / ${OWNER.password}

  Demo clock: the check-in workflows run as if it were ${demoTime} (Beijing time), ${clock.reason},
  so the morning check (due 09:00) has passed and its make-up window is open. The clock runs on
  from there. A school's own n8n uses the real time (see "Go live" in the README).

  Try first:
   1. Open the demo inbox: ${inbox.url}  (what the school's chat groups receive)
   2. In n8n open "Campus 02 Missed-check reminders" and click "Execute workflow": everyone who
      has not reported this morning is reminded in their department's group, with a personal link.
   3. Open one person's link from the inbox: the check-in form opens (it is published). Submit it;
      the answer says which check it counts for.
   4. Execute Campus 02 again: that person is not reminded, and nobody is reminded twice.
   5. Data tables (Overview > Data tables) hold the sample school: 120 staff, 30 classes, and
      campus_checkins / campus_reminders fill as you go.
  Stop with Ctrl+C. Data is kept in ${home}.
`);
	const stop = async () => {
		await server.stop();
		await inbox.close();
		await fakes.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
