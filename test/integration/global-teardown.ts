import type { N8nServer } from './harness';

export default async function globalTeardown(): Promise<void> {
	const it = (globalThis as Record<string, unknown>).__campusIt as
		| { server: N8nServer; fakes: { close: () => Promise<void> } }
		| undefined;
	if (!it) return;
	await it.server.stop();
	await it.fakes.close();
}
