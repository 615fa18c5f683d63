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
	workflowFiles,
} from '../test/integration/harness';
import { startFakes, testCredentials } from '../test/integration/fakes';

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

	console.log(`
  n8n is ready: http://localhost:${port}
  Sign in as ${OWNER.email} / ${OWNER.password}

  Try first:
   1. Open "Campus 01 Staff health check-in" and open its form (Test URL) to report a temperature.
   2. Open "Campus 02 Missed-check reminders" and click "Execute workflow": the reminders it
      sends appear in the local robot inbox: ${fakes.urls.robots ?? '(not started)'}/__fake/messages
   3. Data tables (Overview > Data tables) hold the sample school: 120 staff, 30 classes.
  Stop with Ctrl+C. Data is kept in ${home}.
`);
	const stop = async () => {
		await server.stop();
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
