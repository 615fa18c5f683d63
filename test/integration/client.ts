/** The running n8n of this integration run (started by global-setup.ts). */
import { readFileSync } from 'node:fs';
import { N8nServer, type ServerOptions } from './harness';

export interface ItState {
	opts: ServerOptions;
	url: string;
	cookie: string;
	root: string;
	fakes: Record<string, string>;
}

export function state(): ItState {
	const file = process.env.CAMPUS_IT_STATE;
	if (!file) throw new Error('CAMPUS_IT_STATE is not set: run the integration tests with `npm run test:integration`');
	return JSON.parse(readFileSync(file, 'utf8')) as ItState;
}

export function n8n(): N8nServer {
	const s = state();
	const server = new N8nServer(s.opts);
	server.cookie = s.cookie;
	return server;
}
