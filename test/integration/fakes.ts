/**
 * The fake external services the integration run points n8n at (loopback only), and the test
 * credentials that name them. Each fake lives in test/fakes and behaves as the documented API.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Fakes {
	urls: Record<string, string>;
	describe(): string;
	close(): Promise<void>;
}

interface Closable {
	baseUrl: string;
	close: () => Promise<void>;
}

export async function startFakes(options: { port?: number } = {}): Promise<Fakes> {
	const running: Record<string, Closable> = {};
	const dir = join(__dirname, '..', 'fakes');
	if (existsSync(join(dir, 'robots.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeRobots } = require('../fakes/robots') as {
			startFakeRobots: (o?: { port?: number }) => Promise<Closable>;
		};
		running.robots = await startFakeRobots(options.port ? { port: options.port } : undefined);
	}
	if (existsSync(join(dir, 'google.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeGoogle } = require('../fakes/google') as {
			startFakeGoogle: (o?: { port?: number }) => Promise<Closable>;
		};
		running.google = await startFakeGoogle(options.port ? { port: options.port + 1 } : undefined);
	}
	const urls = Object.fromEntries(Object.entries(running).map(([k, v]) => [k, v.baseUrl]));
	return {
		urls,
		describe: () => Object.entries(urls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
		close: async () => {
			for (const f of Object.values(running)) await f.close();
		},
	};
}

/** Credentials the ready-made workflows reference, pointed at the fakes. Filled in per service. */
export function testCredentials(fakes: Fakes): object[] {
	const list: object[] = [];
	void fakes;
	return list;
}
