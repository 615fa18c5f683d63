/**
 * What every fake server does alike: listen on 127.0.0.1 (port 0: any free port), read each
 * request's body as text, hand it to the fake's own handler, and answer 500 with the error when
 * the handler throws.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeHandler = (req: IncomingMessage, res: ServerResponse, raw: string, url: URL) => void;

export async function serveFake(port: number, handle: FakeHandler): Promise<{ server: Server; baseUrl: string }> {
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			try {
				handle(req, res, raw, url);
			} catch (error) {
				res.writeHead(500);
				res.end(String(error));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
	return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
