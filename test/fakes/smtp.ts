/**
 * A local SMTP server for n8n's Send Email node (nodemailer), on 127.0.0.1 with a random port:
 * EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-stuffed, up to 10 MB), RSET, NOOP, QUIT, as RFC 5321
 * says; no STARTTLS and no AUTH are offered, so the credential sets "Disable STARTTLS" and no user.
 * A recipient in `refuse` is answered 550 (mailbox unavailable), as a real server refuses an
 * unknown address; the message still goes to the others.
 *
 * Another process (n8n in the integration tests) is read over HTTP on a second port:
 *   GET  /__fake/mail    every accepted message: from, to, subject, the decoded text and the
 *                        file names of its attachments
 *   POST /__fake/reset   forget them
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface FakeMail {
	from: string;
	to: string[];
	subject: string;
	text: string;
	raw: string;
}

export interface FakeSmtp {
	host: string;
	port: number;
	/** The HTTP control URL (GET /__fake/mail, POST /__fake/reset). */
	baseUrl: string;
	mail: FakeMail[];
	close(): Promise<void>;
}

const MAX_BYTES = 10 * 1024 * 1024;

/** The subject and text of a simple (or multipart) message, quoted-printable or base64 decoded. */
export function decodeMail(raw: string): { subject: string; text: string } {
	const [head, ...rest] = raw.split(/\r?\n\r?\n/);
	const headers = head.replace(/\r?\n[ \t]+/g, ' ');
	const subject = decodeWords(/^subject:\s*(.*)$/im.exec(headers)?.[1] ?? '');
	let body = rest.join('\n\n');
	const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
	let enc = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase() ?? '';
	if (boundary) {
		const part = body.split(`--${boundary}`).find((p) => /content-type:\s*text\/plain/i.test(p)) ?? '';
		const [ph, ...pb] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
		enc = /content-transfer-encoding:\s*(\S+)/i.exec(ph)?.[1]?.toLowerCase() ?? '';
		body = pb.join('\n\n');
	}
	return { subject, text: decodeBody(body, enc).trim() };
}

/**
 * The file names of a message's attachments (Content-Disposition: attachment), with RFC 2231
 * parameters (filename*=utf-8''..., continued as filename*0*, filename*1*...) and RFC 2047 words decoded.
 */
export function attachmentNames(raw: string): string[] {
	const names: string[] = [];
	for (const part of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
		const head = part.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
		const disposition = /^content-disposition:\s*attachment(.*)$/im.exec(head)?.[1];
		if (disposition === undefined) continue;
		const pieces = [...disposition.matchAll(/filename\*(\d*)\*?=\s*"?([^";]*)"?/gi)].sort((a, b) => Number(a[1] || 0) - Number(b[1] || 0));
		if (pieces.length) {
			const joined = pieces.map((p) => p[2]).join('');
			const value = joined.replace(/^[\w-]*'[\w-]*'/, '');
			try {
				names.push(decodeURIComponent(value));
			} catch {
				names.push(value);
			}
			continue;
		}
		names.push(decodeWords(/filename=\s*"?([^";]*)"?/i.exec(disposition)?.[1] ?? ''));
	}
	return names;
}

function decodeBody(body: string, enc: string): string {
	if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (enc === 'quoted-printable') {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
		try {
			return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
		} catch {
			return bytes;
		}
	}
	return body;
}

function decodeWords(s: string): string {
	return s
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _cs: string, kind: string, text: string) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
		);
}

export async function startFakeSmtp(options: { refuse?: string[] } = {}): Promise<FakeSmtp> {
	const mail: FakeMail[] = [];
	const refuse = new Set((options.refuse ?? []).map((a) => a.toLowerCase()));
	const sockets = new Set<Socket>();
	const smtp: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.setEncoding('utf8');
		const say = (line: string) => socket.write(`${line}\r\n`);
		let from = '';
		let to: string[] = [];
		let inData = false;
		let data = '';
		let buffer = '';
		say('220 fake-smtp.school.test ESMTP ready');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					const endAtStart = data === '' && buffer.startsWith('.\r\n') ? 0 : -1;
					if (end < 0 && endAtStart < 0) {
						if (data.length + buffer.length > MAX_BYTES) {
							say('552 message exceeds fixed maximum message size');
							socket.end();
						}
						return;
					}
					const cut = endAtStart === 0 ? 0 : end;
					data += buffer.slice(0, cut);
					buffer = buffer.slice(cut + (endAtStart === 0 ? 3 : 5));
					inData = false;
					const raw = data.replace(/\r\n\.\./g, '\r\n.');
					mail.push({ from, to, raw, ...decodeMail(raw) });
					say('250 2.0.0 OK queued');
					from = '';
					to = [];
					data = '';
					continue;
				}
				const nl = buffer.indexOf('\r\n');
				if (nl < 0) return;
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					say('250-fake-smtp.school.test');
					say('250-SIZE 10485760');
					say('250 8BITMIME');
				} else if (verb === 'HELO') say('250 fake-smtp.school.test');
				else if (verb === 'MAIL') {
					from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					say('250 2.1.0 OK');
				} else if (verb === 'RCPT') {
					const addr = (/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase();
					if (!addr.includes('@') || refuse.has(addr)) say('550 5.1.1 mailbox unavailable');
					else {
						to.push(addr);
						say('250 2.1.5 OK');
					}
				} else if (verb === 'DATA') {
					if (!to.length) say('554 5.5.1 no valid recipients');
					else {
						inData = true;
						data = '';
						say('354 end data with <CR><LF>.<CR><LF>');
					}
				} else if (verb === 'RSET') {
					from = '';
					to = [];
					say('250 OK');
				} else if (verb === 'NOOP') say('250 OK');
				else if (verb === 'QUIT') {
					say('221 bye');
					socket.end();
				} else say('502 5.5.2 command not implemented');
			}
		});
	});
	await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
	const control: HttpServer = createHttpServer((req, res) => {
		if (req.method === 'GET' && req.url === '/__fake/mail') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(mail.map((m) => ({ from: m.from, to: m.to, subject: m.subject, text: m.text, attachments: attachmentNames(m.raw) }))));
		} else if (req.method === 'POST' && req.url === '/__fake/reset') {
			mail.length = 0;
			res.writeHead(200).end('{}');
		} else res.writeHead(404).end();
	});
	await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
	return {
		host: '127.0.0.1',
		port: (smtp.address() as AddressInfo).port,
		baseUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
		mail,
		close: async () => {
			for (const s of sockets) s.destroy();
			await new Promise<void>((r) => smtp.close(() => r()));
			await new Promise<void>((r) => control.close(() => r()));
		},
	};
}
