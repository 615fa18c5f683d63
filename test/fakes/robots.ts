/**
 * Local fake robot servers for WeCom, DingTalk and Feishu, on 127.0.0.1 with a random port.
 * They check what the real services check (token/key/hook id, signature and timestamp,
 * keyword, payload shape and size), keep the documented per-minute limits per robot, and answer
 * with the real error codes, as HTTP 200 with the code in the body.
 *
 * Run standalone: `node bench/run-ts.js test/fakes/robots.ts [port]` prints the base URL.
 * Another process (n8n) can read and steer it over HTTP:
 *   GET  /__fake/messages   accepted messages and rejections
 *   GET  /__fake/journal?since=N  every message accepted since the start (reset keeps it), from N
 *   POST /__fake/reset      forget messages, windows, throttles, faults and clock offset
 *   POST /__fake/fault      {"channel":"dingtalk","kind":"5xx"|"throttle"|"busy"|"drop","times":1}
 *   POST /__fake/advance    {"ms":60000}: move the fake's clock forward
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveFake } from './serve';
import * as path from 'node:path';

export type Channel = 'wecom' | 'dingtalk' | 'feishu';

export interface DingTalkRobot {
	accessToken: string;
	secret?: string;
	keyword?: string;
}
export interface WeComRobot {
	key: string;
}
export interface FeishuRobot {
	hookId: string;
	secret?: string;
	keyword?: string;
}

export interface FakeRobotsOptions {
	port?: number;
	dingtalk?: DingTalkRobot[];
	wecom?: WeComRobot[];
	feishu?: FeishuRobot[];
}

/** The robots served unless others are given. */
export const FAKE_ROBOTS: {
	dingtalk: Record<'signed' | 'plain' | 'keyword', DingTalkRobot>;
	wecom: Record<'plain', WeComRobot>;
	feishu: Record<'signed' | 'plain' | 'keyword', FeishuRobot>;
} = {
	dingtalk: {
		// a made-up signing secret, in DingTalk's SEC... form
		signed: { accessToken: 'dt-signed-token', secret: ['SEC', 'fake', 'dingtalk', 'signing'].join('0') },
		plain: { accessToken: 'dt-plain-token' },
		keyword: { accessToken: 'dt-keyword-token', keyword: '晨检' },
	},
	wecom: { plain: { key: 'wc-0000-key' } },
	feishu: {
		signed: { hookId: 'fs-signed-hook', secret: 'fakeFeishuSecret' },
		plain: { hookId: 'fs-plain-hook' },
		keyword: { hookId: 'fs-keyword-hook', keyword: '晨检' },
	},
};

/** Documented limits, enforced per robot over a sliding window. */
export const FAKE_LIMITS = {
	dingtalk: { perMinute: 20, throttleMs: 10 * 60_000, bytes: 20000 },
	wecom: { perMinute: 20, textBytes: 2048, markdownBytes: 4096 },
	feishu: { perSecond: 5, perMinute: 100, bytes: 20 * 1024 },
};

export interface Received {
	channel: Channel;
	robot: string;
	/** Fake clock, ms. */
	at: number;
	body: Record<string, unknown>;
}

export interface Rejected {
	channel: Channel;
	robot: string;
	at: number;
	code: number;
	status: number;
	message: string;
}

export interface Fault {
	channel: Channel;
	/** 5xx: answer HTTP 502; drop: close the connection; busy: Feishu 11232 / WeCom 45033;
	 *  throttle: DingTalk 130101 and its 10-minute throttle, WeCom 45009, Feishu 11232. */
	kind: '5xx' | 'drop' | 'busy' | 'throttle';
	times?: number;
}

export interface FakeRobots {
	baseUrl: string;
	dingtalk: Received[];
	wecom: Received[];
	feishu: Received[];
	rejected: Rejected[];
	/** All requests that reached a robot path, accepted or not. */
	requests: { channel: Channel; at: number }[];
	/** Every accepted message since the server started, in order; reset() does not clear it. */
	journal: Received[];
	setFault(fault: Fault): void;
	reset(): void;
	/** Moves the fake clock forward (the limits' windows and throttles follow it). */
	advance(ms: number): void;
	now(): number;
	close(): Promise<void>;
}

interface RobotState {
	sent: number[];
	throttledUntil: number;
}

/**
 * WeCom documents its limits in UTF-8 bytes but not how a line break counts; this fake takes
 * the strict reading (a line break counts 2, as CR LF), as the independent fake of issue 17 did.
 */
function weComLength(s: string): number {
	return utf8(s) + (s.match(/\n/g)?.length ?? 0);
}

function utf8(s: string): number {
	return Buffer.byteLength(s, 'utf8');
}

function texts(v: unknown, out: string[] = []): string[] {
	if (typeof v === 'string') out.push(v);
	else if (Array.isArray(v)) v.forEach((x) => texts(x, out));
	else if (v && typeof v === 'object') Object.values(v).forEach((x) => texts(x, out));
	return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const strList = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

export async function startFakeRobots(options: FakeRobotsOptions = {}): Promise<FakeRobots> {
	const dingRobots: DingTalkRobot[] = options.dingtalk ?? Object.values(FAKE_ROBOTS.dingtalk);
	const weRobots: WeComRobot[] = options.wecom ?? Object.values(FAKE_ROBOTS.wecom);
	const fsRobots: FeishuRobot[] = options.feishu ?? Object.values(FAKE_ROBOTS.feishu);
	let offset = 0;
	const now = () => Date.now() + offset;
	const state = new Map<string, RobotState>();
	const faults: Required<Fault>[] = [];
	const fake: FakeRobots = {
		baseUrl: '',
		dingtalk: [],
		wecom: [],
		feishu: [],
		rejected: [],
		requests: [],
		journal: [],
		setFault: (f) => faults.push({ times: 1, ...f }),
		reset: () => {
			fake.dingtalk.length = 0;
			fake.wecom.length = 0;
			fake.feishu.length = 0;
			fake.rejected.length = 0;
			fake.requests.length = 0;
			faults.length = 0;
			state.clear();
			offset = 0;
		},
		advance: (ms) => {
			offset += ms;
		},
		now,
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};

	const robotState = (id: string): RobotState => {
		let s = state.get(id);
		if (!s) state.set(id, (s = { sent: [], throttledUntil: 0 }));
		return s;
	};
	const countSince = (s: RobotState, ms: number) => {
		const t = now() - ms;
		return s.sent.filter((x) => x > t).length;
	};
	const takeFault = (channel: Channel): Required<Fault> | undefined => {
		const f = faults.find((x) => x.channel === channel && x.times > 0);
		if (f) f.times--;
		return f;
	};

	function answer(
		res: ServerResponse,
		channel: Channel,
		robot: string,
		code: number,
		message: string,
		status = 200,
	): void {
		const body =
			channel === 'feishu' ? { code, data: {}, msg: message } : { errcode: code, errmsg: message };
		if (code !== 0) fake.rejected.push({ channel, robot, at: now(), code, status, message });
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	}

	function accept(res: ServerResponse, channel: Channel, robot: string, body: Record<string, unknown>, s: RobotState) {
		s.sent.push(now());
		const received = { channel, robot, at: now(), body };
		fake[channel].push(received);
		fake.journal.push(received);
		answer(res, channel, robot, 0, channel === 'feishu' ? 'success' : 'ok');
	}

	function dingtalk(url: URL, raw: string, res: ServerResponse): void {
		const token = url.searchParams.get('access_token') ?? '';
		const robot = dingRobots.find((r) => r.accessToken === token);
		if (!robot) return answer(res, 'dingtalk', '?', 300001, 'token is not exist');
		const id = `dingtalk:${token}`;
		if (robot.secret) {
			const ts = url.searchParams.get('timestamp') ?? '';
			const sign = url.searchParams.get('sign') ?? '';
			if (!/^\d{13}$/.test(ts) || Math.abs(now() - Number(ts)) > 3600_000) {
				return answer(res, 'dingtalk', id, 310000, 'invalid timestamp');
			}
			const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64');
			if (sign !== expected) return answer(res, 'dingtalk', id, 310000, 'sign not match');
		}
		const s = robotState(id);
		if (s.throttledUntil > now()) {
			return answer(res, 'dingtalk', id, 130101, 'send too fast, exceed 20 times per minute');
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw);
		} catch {
			return answer(res, 'dingtalk', id, 40035, '缺少参数 json');
		}
		if (!isObj(body) || !dingTalkShapeOk(body)) return answer(res, 'dingtalk', id, 40035, '缺少参数 json');
		if (utf8(raw) > FAKE_LIMITS.dingtalk.bytes) {
			return answer(res, 'dingtalk', id, 460101, `message too long, exceed ${FAKE_LIMITS.dingtalk.bytes} bytes`);
		}
		if (robot.keyword && !texts(body).some((t) => t.includes(robot.keyword as string))) {
			return answer(res, 'dingtalk', id, 310000, 'keywords not in content');
		}
		if (countSince(s, 60_000) >= FAKE_LIMITS.dingtalk.perMinute) {
			s.throttledUntil = now() + FAKE_LIMITS.dingtalk.throttleMs;
			return answer(res, 'dingtalk', id, 130101, 'send too fast, exceed 20 times per minute');
		}
		accept(res, 'dingtalk', id, body, s);
	}

	function dingTalkShapeOk(b: Record<string, unknown>): boolean {
		if (b.at !== undefined) {
			if (!isObj(b.at) || !strList(b.at.atMobiles) || !strList(b.at.atUserIds)) return false;
		}
		const t = b.msgtype;
		if (t === 'text') return isObj(b.text) && isStr(b.text.content);
		if (t === 'markdown') return isObj(b.markdown) && isStr(b.markdown.title) && isStr(b.markdown.text);
		if (t === 'actionCard') {
			const c = b.actionCard;
			return isObj(c) && isStr(c.title) && isStr(c.text) && ((isStr(c.singleTitle) && isStr(c.singleURL)) || Array.isArray(c.btns));
		}
		if (t === 'link') return isObj(b.link) && isStr(b.link.title) && isStr(b.link.messageUrl);
		return false;
	}

	function wecom(url: URL, raw: string, res: ServerResponse): void {
		const key = url.searchParams.get('key') ?? '';
		if (!weRobots.some((r) => r.key === key)) {
			return answer(res, 'wecom', '?', 93000, 'invalid webhook url, hint: [fake], more info at https://open.work.weixin.qq.com/devtool/query?e=93000');
		}
		const id = `wecom:${key}`;
		const s = robotState(id);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw);
		} catch {
			return answer(res, 'wecom', id, 40008, 'invalid message type');
		}
		const t = isObj(body) ? body.msgtype : undefined;
		if (t === 'text') {
			const text = body.text;
			if (!isObj(text) || !isStr(text.content)) return answer(res, 'wecom', id, 44004, 'empty content');
			if (!strList(text.mentioned_list) || !strList(text.mentioned_mobile_list)) {
				return answer(res, 'wecom', id, 40008, 'invalid message type');
			}
			if (weComLength(text.content) > FAKE_LIMITS.wecom.textBytes) {
				return answer(res, 'wecom', id, 40058, `content exceed max length ${FAKE_LIMITS.wecom.textBytes}`);
			}
		} else if (t === 'markdown') {
			const md = body.markdown;
			if (!isObj(md) || !isStr(md.content)) return answer(res, 'wecom', id, 44004, 'empty content');
			if (weComLength(md.content) > FAKE_LIMITS.wecom.markdownBytes) {
				return answer(res, 'wecom', id, 40058, `content exceed max length ${FAKE_LIMITS.wecom.markdownBytes}`);
			}
		} else if (t === 'template_card') {
			const c = body.template_card;
			if (!isObj(c) || !isStr(c.card_type) || !isObj(c.main_title) || !isObj(c.card_action)) {
				return answer(res, 'wecom', id, 40058, 'invalid template_card');
			}
		} else if (t === 'news') {
			const n = body.news;
			const ok = isObj(n) && Array.isArray(n.articles) && n.articles.length >= 1 && n.articles.length <= 8 &&
				n.articles.every((a) => isObj(a) && isStr(a.title) && isStr(a.url));
			if (!ok) return answer(res, 'wecom', id, 40058, 'invalid news');
		} else {
			return answer(res, 'wecom', id, 40008, 'invalid message type');
		}
		if (countSince(s, 60_000) >= FAKE_LIMITS.wecom.perMinute) {
			return answer(res, 'wecom', id, 45009, 'api freq out of limit');
		}
		accept(res, 'wecom', id, body, s);
	}

	function feishu(hookId: string, raw: string, res: ServerResponse): void {
		const robot = fsRobots.find((r) => r.hookId === hookId);
		if (!robot) return answer(res, 'feishu', '?', 19001, 'param invalid: incoming webhook access token invalid');
		const id = `feishu:${hookId}`;
		if (utf8(raw) > FAKE_LIMITS.feishu.bytes) {
			return answer(res, 'feishu', id, 9499, 'Bad Request', 400);
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw);
		} catch {
			return answer(res, 'feishu', id, 9499, 'Bad Request', 400);
		}
		if (!isObj(body)) return answer(res, 'feishu', id, 9499, 'Bad Request', 400);
		if (robot.secret) {
			const ts = String(body.timestamp ?? '');
			const sign = String(body.sign ?? '');
			const fresh = /^\d{10}$/.test(ts) && Math.abs(now() / 1000 - Number(ts)) <= 3600;
			const expected = createHmac('sha256', `${ts}\n${robot.secret}`).update('').digest('base64');
			if (!fresh || sign !== expected) {
				return answer(res, 'feishu', id, 19021, 'sign match fail or timestamp is not within one hour from current time');
			}
		}
		const t = body.msg_type;
		if (!isStr(t)) return answer(res, 'feishu', id, 19002, 'params error, msg_type need');
		const ok =
			(t === 'text' && isObj(body.content) && isStr(body.content.text)) ||
			(t === 'interactive' && isObj(body.card)) ||
			(t === 'post' && isObj(body.content) && isObj(body.content.post));
		if (!ok) return answer(res, 'feishu', id, 9499, 'Bad Request', 400);
		if (robot.keyword && !texts(t === 'interactive' ? body.card : body.content).some((x) => x.includes(robot.keyword as string))) {
			return answer(res, 'feishu', id, 19024, 'Key Words Not Found');
		}
		const s = robotState(id);
		if (countSince(s, 1000) >= FAKE_LIMITS.feishu.perSecond || countSince(s, 60_000) >= FAKE_LIMITS.feishu.perMinute) {
			return answer(res, 'feishu', id, 11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[fake]');
		}
		accept(res, 'feishu', id, body, s);
	}

	function control(req: IncomingMessage, url: URL, raw: string, res: ServerResponse): void {
		const json = (v: unknown) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(v));
		};
		const p = url.pathname;
		if (req.method === 'GET' && p === '/__fake/messages') {
			return json({ dingtalk: fake.dingtalk, wecom: fake.wecom, feishu: fake.feishu, rejected: fake.rejected, now: now() });
		}
		if (req.method === 'GET' && p === '/__fake/journal') {
			const since = Number(url.searchParams.get('since') ?? 0);
			return json({ next: fake.journal.length, entries: fake.journal.slice(since) });
		}
		if (req.method === 'POST' && p === '/__fake/reset') {
			fake.reset();
			return json({ ok: true });
		}
		if (req.method === 'POST' && p === '/__fake/fault') {
			fake.setFault(JSON.parse(raw || '{}') as Fault);
			return json({ ok: true });
		}
		if (req.method === 'POST' && p === '/__fake/advance') {
			fake.advance(Number((JSON.parse(raw || '{}') as { ms?: number }).ms ?? 0));
			return json({ ok: true, now: now() });
		}
		res.writeHead(404);
		res.end();
	}

	function applyFault(channel: Channel, req: IncomingMessage, res: ServerResponse): boolean {
		const f = takeFault(channel);
		if (!f) return false;
		const robot = `${channel}:fault`;
		if (f.kind === 'drop') {
			req.socket.destroy();
			return true;
		}
		if (f.kind === '5xx') {
			fake.rejected.push({ channel, robot, at: now(), code: 502, status: 502, message: 'Bad Gateway' });
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body>502 Bad Gateway</body></html>');
			return true;
		}
		if (channel === 'dingtalk') {
			if (f.kind === 'throttle') {
				for (const r of dingRobots) robotState(`dingtalk:${r.accessToken}`).throttledUntil = now() + FAKE_LIMITS.dingtalk.throttleMs;
			}
			answer(res, channel, robot, 130101, 'send too fast, exceed 20 times per minute');
		} else if (channel === 'wecom') {
			if (f.kind === 'throttle') answer(res, channel, robot, 45009, 'api freq out of limit');
			else answer(res, channel, robot, 45033, 'api concurrent out of limit');
		} else {
			answer(res, channel, robot, 11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[fake]');
		}
		return true;
	}

	const served = await serveFake(options.port ?? 0, (req, res, raw, url) => {
		if (url.pathname.startsWith('/__fake/')) return control(req, url, raw, res);
		let channel: Channel | undefined;
		if (url.pathname === '/robot/send') channel = 'dingtalk';
		else if (url.pathname === '/cgi-bin/webhook/send') channel = 'wecom';
		else if (url.pathname.startsWith('/open-apis/bot/v2/hook/')) channel = 'feishu';
		if (!channel || req.method !== 'POST') {
			res.writeHead(404);
			return res.end();
		}
		fake.requests.push({ channel, at: now() });
		if (applyFault(channel, req, res)) return;
		if (channel === 'dingtalk') return dingtalk(url, raw, res);
		if (channel === 'wecom') return wecom(url, raw, res);
		return feishu(decodeURIComponent(url.pathname.slice('/open-apis/bot/v2/hook/'.length)), raw, res);
	});
	const server = served.server;
	fake.baseUrl = served.baseUrl;
	return fake;
}

// Standalone: node bench/run-ts.js test/fakes/robots.ts [port]
const argv = process.argv.slice(2);
const self = argv.findIndex((a) => path.resolve(a) === __filename);
if (self >= 0) {
	const port = Number(argv[self + 1] ?? 0) || 0;
	void startFakeRobots({ port }).then((fake) => {
		process.stdout.write(`${fake.baseUrl}\n`);
		process.stdout.write(`${JSON.stringify(FAKE_ROBOTS)}\n`);
	});
}
