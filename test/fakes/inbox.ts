/**
 * The demo inbox: a page that shows what each chat robot received as a person would read it in
 * the chat app (sender group, time, title, text with @mentions, cards with their buttons), not as
 * raw JSON. It reads the fake robots' own journal over HTTP, so it shows exactly what they
 * accepted (and, below, what they refused and why). Loopback only; used by `npm start` and the
 * docs screenshots.
 *
 *   GET /            the inbox page (refreshes itself every 5 s)
 *   GET /messages    the same messages as JSON ({ channel, robot, at, view })
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface InboxEntry {
	channel: string;
	robot: string;
	at: number;
	body: Json;
}

/** A message as a chat app shows it. */
export interface MessageView {
	kind: string;
	title?: string;
	/** Lines of text, markdown reduced to what a reader sees. */
	lines: string[];
	mentions: string[];
	buttons: Array<{ text: string; url: string }>;
}

const CHANNEL_NAMES: Record<string, string> = { dingtalk: 'DingTalk 钉钉', wecom: 'WeCom 企业微信', feishu: 'Feishu 飞书' };

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Markdown as a reader sees it: headings, emphasis and quotes without their marks; links as their text. */
function mdLines(md: string): string[] {
	return md
		.split('\n')
		.map((l) =>
			l
				.replace(/^#{1,6}\s*/, '')
				.replace(/^>\s?/, '')
				.replace(/\*\*(.+?)\*\*/g, '$1')
				.replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
				.replace(/<at user_id="([^"]*)">([^<]*)<\/at>/g, (_, id: string, name: string) => `@${name || id}`),
		)
		.filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''));
}

function feishuCard(card: Json, view: MessageView): void {
	const header = isObj(card.header) && isObj(card.header.title) ? str(card.header.title.content) : '';
	if (header) view.title = header;
	for (const el of list(card.elements)) {
		if (!isObj(el)) continue;
		if (el.tag === 'markdown') view.lines.push(...mdLines(str(el.content)));
		if (el.tag === 'div' && isObj(el.text)) view.lines.push(...mdLines(str(el.text.content)));
		if (el.tag === 'action') {
			for (const a of list(el.actions)) {
				if (isObj(a) && isObj(a.text)) view.buttons.push({ text: str(a.text.content), url: str(a.url) });
			}
		}
	}
}

/** What a chat app shows for one robot message body. */
export function viewOf(channel: string, body: Json): MessageView {
	const view: MessageView = { kind: str(body.msgtype ?? body.msg_type) || 'unknown', lines: [], mentions: [], buttons: [] };
	if (channel === 'dingtalk') {
		const at = isObj(body.at) ? body.at : {};
		if (at.isAtAll) view.mentions.push('@所有人');
		for (const m of [...list(at.atUserIds), ...list(at.atMobiles)]) view.mentions.push(`@${str(m)}`);
		if (isObj(body.text)) view.lines.push(...str(body.text.content).split('\n'));
		if (isObj(body.markdown)) {
			view.title = str(body.markdown.title);
			view.lines.push(...mdLines(str(body.markdown.text)));
		}
		if (isObj(body.actionCard)) {
			const c = body.actionCard;
			view.title = str(c.title);
			view.lines.push(...mdLines(str(c.text)));
			if (c.singleTitle) view.buttons.push({ text: str(c.singleTitle), url: str(c.singleURL) });
			for (const b of list(c.btns)) if (isObj(b)) view.buttons.push({ text: str(b.title), url: str(b.actionURL) });
		}
	} else if (channel === 'wecom') {
		if (isObj(body.text)) {
			view.lines.push(...str(body.text.content).split('\n'));
			for (const m of [...list(body.text.mentioned_list), ...list(body.text.mentioned_mobile_list)]) {
				view.mentions.push(str(m) === '@all' ? '@所有人' : `@${str(m)}`);
			}
		}
		for (const k of ['markdown', 'markdown_v2']) {
			if (isObj(body[k])) view.lines.push(...mdLines(str((body[k] as Json).content)));
		}
		if (isObj(body.template_card)) {
			const c = body.template_card;
			view.title = isObj(c.main_title) ? str(c.main_title.title) : '';
			if (c.sub_title_text) view.lines.push(...str(c.sub_title_text).split('\n'));
			for (const j of list(c.jump_list)) if (isObj(j)) view.buttons.push({ text: str(j.title), url: str(j.url) });
		}
		if (isObj(body.news)) {
			for (const a of list(body.news.articles)) {
				if (!isObj(a)) continue;
				view.title = str(a.title);
				view.lines.push(str(a.description));
				view.buttons.push({ text: '阅读全文 Open', url: str(a.url) });
			}
		}
	} else if (channel === 'feishu') {
		if (isObj(body.content) && typeof body.content.text === 'string') view.lines.push(...mdLines(body.content.text));
		if (isObj(body.content) && isObj(body.content.post)) {
			const post = Object.values(body.content.post).find(isObj);
			if (post) {
				view.title = str(post.title);
				for (const para of list(post.content)) {
					view.lines.push(
						list(para)
							.map((seg) => (isObj(seg) ? (seg.tag === 'at' ? `@${str(seg.user_name || seg.user_id)}` : str(seg.text)) : ''))
							.join(''),
					);
				}
			}
		}
		if (isObj(body.card)) feishuCard(body.card, view);
	}
	for (const l of view.lines) {
		for (const m of l.matchAll(/@([^\s@，,。]+)/g)) if (!view.mentions.includes(`@${m[1]}`)) view.mentions.push(`@${m[1]}`);
	}
	return view;
}

const esc = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A link as a chat app shows a long one: its host and path, the signed query elided. */
function shortLink(url: string): string {
	try {
		const u = new URL(url.replace(/&amp;/g, '&'));
		return `${u.host}${u.pathname}${u.search ? '?…' : ''}`;
	} catch {
		return url;
	}
}

/** Text with its links made clickable and its @mentions highlighted (after escaping). */
function richLine(line: string): string {
	return esc(line)
		.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
		.replace(/(^|[\s：:（(])(https?:\/\/[^\s<]+)/g, (_, pre: string, url: string) => `${pre}<a href="${url}" target="_blank" rel="noopener">${shortLink(url)}</a>`)
		.replace(/@([^\s@，,。<]+)/g, '<span class="at">@$1</span>');
}

export function renderInbox(entries: InboxEntry[], rejected: Json[], robotsUrl: string): string {
	const groups = new Map<string, InboxEntry[]>();
	for (const e of entries) {
		const key = `${e.channel}|${e.robot}`;
		if (!groups.has(key)) groups.set(key, []);
		(groups.get(key) as InboxEntry[]).push(e);
	}
	const time = (ms: number) => new Date(ms).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
	const sections = [...groups.entries()].map(([key, msgs]) => {
		const [channel, robot] = key.split('|');
		const bubbles = msgs
			.slice()
			.reverse()
			.map((m) => {
				const v = viewOf(m.channel, m.body);
				return `<div class="msg"><div class="meta">${esc(time(m.at))} · ${esc(v.kind)}</div>
${v.title ? `<div class="title">${esc(v.title)}</div>` : ''}
<div class="text">${v.lines.map((l) => `<div>${richLine(l) || '&nbsp;'}</div>`).join('')}</div>
${v.buttons.map((b) => `<a class="btn" href="${esc(b.url)}" target="_blank" rel="noopener">${esc(b.text)}</a>`).join('')}
</div>`;
			})
			.join('\n');
		return `<section><h2>${esc(CHANNEL_NAMES[channel] ?? channel)} <small>robot ${esc(robot)} · ${msgs.length} message(s)</small></h2>${bubbles}</section>`;
	});
	const refused = rejected.length
		? `<section class="refused"><h2>Refused by the platform 被平台拒收 <small>${rejected.length}</small></h2>${rejected
				.slice(-20)
				.reverse()
				.map((r) => `<div class="msg">${esc(str(r.channel))} · code ${esc(str(r.code))}: ${esc(str(r.message))}</div>`)
				.join('')}</section>`
		: '';
	return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5">
<title>Demo inbox 演示收件箱</title><style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;background:#eef0f3;margin:0;padding:16px;color:#1f2329}
h1{font-size:20px;margin:0 0 4px} p.lead{margin:0 0 16px;color:#646a73}
section{background:#f5f6f7;border-radius:10px;padding:12px;margin:0 0 16px;max-width:720px}
h2{font-size:16px;margin:0 0 8px} h2 small{color:#8f959e;font-weight:normal}
.msg{background:#fff;border-radius:8px;padding:10px 12px;margin:8px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.meta{font-size:12px;color:#8f959e} .title{font-weight:600;margin:4px 0}
.text div{white-space:pre-wrap;word-break:break-all;line-height:1.5}
.at{color:#3370ff;font-weight:600} a{color:#3370ff}
.btn{display:inline-block;margin:8px 8px 0 0;padding:6px 14px;border-radius:6px;background:#3370ff;color:#fff;text-decoration:none}
.refused .msg{color:#a12b2b} .empty{color:#646a73}
</style></head><body>
<h1>Demo inbox 演示收件箱</h1>
<p class="lead">What the school's chat groups received from the demo's robots, newest first. 演示机器人发到各群的消息（最新在上）。 Raw data: <a href="${esc(robotsUrl)}/__fake/messages">JSON</a></p>
${sections.join('\n') || '<p class="empty">No messages yet. Run "Campus 02 Missed-check reminders" in n8n. 暂无消息：在 n8n 中运行 Campus 02。</p>'}
${refused}
</body></html>`;
}

async function getJson(url: string): Promise<Json> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${url} answered ${res.status}`);
	return (await res.json()) as Json;
}

/** Starts the inbox page for the fake robots at `robotsUrl`. */
export async function startInbox(robotsUrl: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		void (async () => {
			try {
				const journal = await getJson(`${robotsUrl}/__fake/journal?since=0`);
				const messages = await getJson(`${robotsUrl}/__fake/messages`);
				const entries = list(journal.entries).filter(isObj) as unknown as InboxEntry[];
				const path = (req.url ?? '/').split('?')[0];
				if (path === '/messages') {
					res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
					res.end(JSON.stringify(entries.map((e) => ({ channel: e.channel, robot: e.robot, at: e.at, view: viewOf(e.channel, e.body) }))));
					return;
				}
				if (path !== '/' && path !== '/index.html') {
					res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
					res.end('Not found. The inbox is at /');
					return;
				}
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.end(renderInbox(entries, list(messages.rejected).filter(isObj), robotsUrl));
			} catch (e) {
				res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`The demo robots could not be read: ${(e as Error).message}`);
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
