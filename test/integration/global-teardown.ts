import { rmSync } from 'node:fs';
import type { N8nServer } from './harness';

/** Stops n8n and the fakes, and removes the run's folder (n8n user folder, tarball: ~100 MB). */
export default async function globalTeardown(): Promise<void> {
	const it = (globalThis as Record<string, unknown>).__campusIt as
		| { server: N8nServer; fakes: { close: () => Promise<void> }; root?: string }
		| undefined;
	if (!it) return;
	await it.server.stop();
	await it.fakes.close();
	if (it.root && !process.env.CAMPUS_KEEP_IT_FOLDER) rmSync(it.root, { recursive: true, force: true });
}
