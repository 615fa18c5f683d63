/**
 * Starts one real n8n for the whole integration run (jest globalSetup): the pinned n8n with this
 * package installed from its npm tarball, the fake external services, the ready-made workflows
 * and their credentials imported with n8n's CLI. Tests reach it through test/integration/client.ts.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	N8nServer,
	REPO,
	importCredentials,
	importWorkflows,
	installPackage,
	packPackage,
	type ServerOptions,
} from './harness';
import { startFakes, testCredentials } from './fakes';

export default async function globalSetup(): Promise<void> {
	// An n8n that is already running for the tests (the queue-mode stack of test/queue/suite.ts)
	// is used as it is.
	if (process.env.CAMPUS_IT_STATE && existsSync(process.env.CAMPUS_IT_STATE)) return;
	const t0 = Date.now();
	const say = (m: string) => process.stderr.write(`[integration] ${m} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
	const root = mkdtempSync(join(tmpdir(), 'campus-n8n-it-'));
	const opts: ServerOptions = { userFolder: join(root, 'user'), port: 25678 + (process.pid % 1000) * 2 };
	const fakes = await startFakes();
	say(`fake services on ${fakes.describe()}`);
	const tarball = packPackage(join(root, 'pack'));
	installPackage(opts.userFolder, tarball);
	say(`installed ${tarball.split('/').pop()} into ${opts.userFolder}/.n8n/nodes`);
	await importCredentials(opts, testCredentials(fakes));
	await importWorkflows(opts, join(REPO, 'workflows'));
	await importWorkflows(opts, join(REPO, 'test', 'integration', 'fixtures'));
	say('imported workflows and credentials with the n8n CLI');
	const server = new N8nServer(opts);
	await server.start();
	await server.login();
	say(`n8n ready at ${server.url}`);
	const stateFile = join(root, 'state.json');
	writeFileSync(
		stateFile,
		JSON.stringify({ opts, url: server.url, cookie: server.cookie, root, fakes: fakes.urls }),
	);
	process.env.CAMPUS_IT_STATE = stateFile;
	(globalThis as Record<string, unknown>).__campusIt = { server, fakes, root };
}
