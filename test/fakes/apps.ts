/**
 * Local fakes of the three platforms' app APIs for direct messages, on 127.0.0.1 with a random
 * port, behaving as their documents say:
 * - tokens: DingTalk /gettoken, WeCom /cgi-bin/gettoken, Feishu tenant_access_token/internal;
 *   a token lasts `tokenTtlMs` (7,200 s); a refused token answers DingTalk 40014 and WeCom
 *   42001 with HTTP 200, Feishu 99991663 with HTTP 400; `expireTokens()` revokes every token
 *   at once (the forced-expiry switch);
 * - DingTalk work notifications are asynchronous: asyncsend_v2 answers a task id, and after
 *   `resultDelayMs` getsendprogress says done and getsendresult lists invalid, forbidden (with
 *   forbidden_list codes: 143103 a minute's recipients, 143105 a person's 500 a day, 143106 the
 *   same content twice a day), failed, read and unread users;
 * - WeCom message/send answers errcode 0 with `invaliduser` for a partial success and 81013 when
 *   nobody is valid; over an app's calls a minute 45009; a member's 31st message in a minute (or
 *   1,001st in an hour) is accepted and silently dropped, as the document says;
 * - Feishu im/v1/messages: one receive_id a call; 230013 for a user outside the app, 99992352 for
 *   an unknown open_id, 230020 over 5 a second to one user, HTTP 429 + 99991400 with
 *   x-ogw-ratelimit-reset over the app's 50 a second or 1,000 a minute;
 * - a journal of every message a person really received (dropped and refused ones are not in it).
 *
 * Another process (n8n in the integration tests) is read and steered over HTTP:
 *   GET  /__fake/state          journal, dropped, tokenRequests, sendCalls, refusals
 *   POST /__fake/expire-tokens  revoke every token now
 *   POST /__fake/read           {"userId":"u001"}: that person reads their DingTalk notifications
 *   POST /__fake/reset          forget everything
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveFake } from './serve';

export type Platform = 'dingtalk' | 'wecom' | 'feishu';

export interface FakeAppsOptions {
	/** People in each directory (user ids). Default: u001..u600. */
	users?: string[];
	/** People who left (their ids are refused like unknown ones). */
	left?: string[];
	/** Departments: id -> user ids. */
	departments?: Record<string, string[]>;
	/** WeCom tags: id -> user ids. */
	tags?: Record<string, string[]>;
	tokenTtlMs?: number;
	resultDelayMs?: number;
	limits?: Partial<typeof FAKE_APP_LIMITS>;
}

export const FAKE_APPS = {
	dingtalk: { appKey: 'dingfakeappkey', appSecret: ['fake', 'dingtalk', 'app', 'secret'].join('-'), agentId: '2001' },
	wecom: { corpId: 'wwfakecorp', corpSecret: ['fake', 'wecom', 'app', 'secret'].join('-'), agentId: '1000002' },
	feishu: { appId: 'cli_fakeapp', appSecret: ['fake', 'feishu', 'app', 'secret'].join('-') },
};

export const FAKE_APP_LIMITS = {
	dingtalkCallsPerSecond: 20,
	dingtalkRecipientsPerMinute: 5000,
	dingtalkPerUserPerDay: 500,
	wecomCallsPerMinute: 10000,
	wecomPerMemberPerMinute: 30,
	wecomPerMemberPerHour: 1000,
	feishuCallsPerSecond: 50,
	feishuCallsPerMinute: 1000,
	feishuPerUserPerSecond: 5,
};

export interface Delivered {
	platform: Platform;
	/** The person (user id). */
	to: string;
	at: number;
	body: Record<string, unknown>;
	id: string;
}

export interface AppFault {
	platform: Platform;
	kind: '5xx' | 'drop' | 'throttle';
	times?: number;
}

interface Task {
	id: string;
	at: number;
	users: string[];
	invalid: string[];
	forbidden: Array<{ userid: string; code: string; count: number }>;
	delivered: string[];
}

export interface FakeApps {
	baseUrl: string;
	journal: Delivered[];
	/** WeCom messages accepted and then dropped for a member's limits. */
	dropped: Delivered[];
	/** Token requests per platform. */
	tokenRequests: Record<Platform, number>;
	/** Send calls per platform (accepted or not). */
	sendCalls: Record<Platform, number>;
	/** Answers that refused a call: platform, code, HTTP status. */
	refusals: Array<{ platform: Platform; code: number; status: number }>;
	/** Revokes every token now (the platforms may do so before expiry). */
	expireTokens(): void;
	markRead(userId: string): void;
	setFault(f: AppFault): void;
	advance(ms: number): void;
	now(): number;
	reset(): void;
	close(): Promise<void>;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function startFakeApps(options: FakeAppsOptions = {}): Promise<FakeApps> {
	const users = new Set(options.users ?? Array.from({ length: 600 }, (_, i) => `u${String(i + 1).padStart(3, '0')}`));
	const left = new Set(options.left ?? []);
	const departments = options.departments ?? { '10': ['u001', 'u002', 'u003'] };
	const tags = options.tags ?? { '7': ['u004', 'u005'] };
	const ttl = options.tokenTtlMs ?? 7200_000;
	const resultDelay = options.resultDelayMs ?? 50;
	const L = { ...FAKE_APP_LIMITS, ...(options.limits ?? {}) };
	const known = (u: string) => users.has(u) && !left.has(u);
	const openId = (u: string) => `ou_${u}`;
	const email = (u: string) => `${u}@school.example`;

	let offset = 0;
	let seq = 1000;
	const now = () => Date.now() + offset;
	let tokens = new Map<Platform, { token: string; expiresAt: number }>();
	let revoked = new Set<string>();
	let calls = new Map<string, number[]>();
	let memberSends = new Map<string, number[]>();
	let tasks = new Map<string, Task>();
	let read = new Set<string>();
	let sameContent = new Set<string>();
	let faults: Array<Required<AppFault>> = [];

	const fake: FakeApps = {
		baseUrl: '',
		journal: [],
		dropped: [],
		tokenRequests: { dingtalk: 0, wecom: 0, feishu: 0 },
		sendCalls: { dingtalk: 0, wecom: 0, feishu: 0 },
		refusals: [],
		expireTokens: () => {
			for (const t of tokens.values()) revoked.add(t.token);
			tokens = new Map();
		},
		markRead: (u) => void read.add(u),
		setFault: (f) => void faults.push({ times: 1, ...f }),
		advance: (ms) => void (offset += ms),
		now,
		reset: () => {
			offset = 0;
			tokens = new Map();
			revoked = new Set();
			calls = new Map();
			memberSends = new Map();
			tasks = new Map();
			read = new Set();
			sameContent = new Set();
			faults = [];
			fake.journal.length = 0;
			fake.dropped.length = 0;
			fake.refusals.length = 0;
			fake.tokenRequests = { dingtalk: 0, wecom: 0, feishu: 0 };
			fake.sendCalls = { dingtalk: 0, wecom: 0, feishu: 0 };
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};

	/** Counts one event in a sliding window; true when it is over `limit`. */
	function over(map: Map<string, number[]>, key: string, limit: number, windowMs: number, record = true): boolean {
		const t = now();
		const list = (map.get(key) ?? []).filter((x) => x > t - windowMs);
		map.set(key, list);
		if (list.length >= limit) return true;
		if (record) list.push(t);
		return false;
	}

	function issue(p: Platform): { token: string; expiresIn: number } {
		fake.tokenRequests[p]++;
		const t = now();
		const cur = tokens.get(p);
		// DingTalk and WeCom give the same token while it is valid; Feishu too, unless under 30 minutes are left.
		const keep = cur && cur.expiresAt > t && (p !== 'feishu' || cur.expiresAt - t >= 30 * 60_000);
		if (!keep) tokens.set(p, { token: `${p}-token-${++seq}`, expiresAt: t + ttl });
		const c = tokens.get(p)!;
		return { token: c.token, expiresIn: Math.round((c.expiresAt - t) / 1000) };
	}

	/** 'ok', 'expired' (was valid once) or 'invalid'. */
	function tokenState(p: Platform, token: string): 'ok' | 'expired' | 'invalid' {
		const cur = tokens.get(p);
		if (cur && cur.token === token && cur.expiresAt > now()) return 'ok';
		if (revoked.has(token) || (cur && cur.token === token) || token.startsWith(`${p}-token-`)) return 'expired';
		return 'invalid';
	}

	function send(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	}

	function refuse(res: ServerResponse, p: Platform, code: number, msg: string, status = 200, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
		fake.refusals.push({ platform: p, code, status });
		send(res, p === 'feishu' ? { code, msg, ...extra } : { errcode: code, errmsg: msg, ...extra }, status, headers);
	}

	function fault(p: Platform, req: IncomingMessage, res: ServerResponse): boolean {
		const i = faults.findIndex((f) => f.platform === p && f.times > 0);
		if (i < 0) return false;
		const f = faults[i];
		f.times--;
		if (f.kind === 'drop') req.socket.destroy();
		else if (f.kind === '5xx') {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html>502 Bad Gateway</html>');
		} else if (p === 'dingtalk') refuse(res, p, 90018, '当前应用调用该接口的并发量已经超过了设定的上限');
		else if (p === 'wecom') refuse(res, p, 45009, 'api freq out of limit');
		else refuse(res, p, 99991400, 'request trigger frequency limit', 429, {}, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '1' });
		return true;
	}

	// ---------------------------------------------------------------- DingTalk
	function dingtalk(path: string, url: URL, b: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
		if (path === '/gettoken') {
			const a = FAKE_APPS.dingtalk;
			if (url.searchParams.get('appkey') !== a.appKey || url.searchParams.get('appsecret') !== a.appSecret) {
				return refuse(res, 'dingtalk', 40089, '不合法的appKey或appSecret');
			}
			const t = issue('dingtalk');
			return send(res, { errcode: 0, errmsg: 'ok', access_token: t.token, expires_in: t.expiresIn });
		}
		const state = tokenState('dingtalk', url.searchParams.get('access_token') ?? '');
		if (state !== 'ok') return refuse(res, 'dingtalk', 40014, '不合法的access_token');
		if (String(b.agent_id) !== FAKE_APPS.dingtalk.agentId) return refuse(res, 'dingtalk', 40056, '不合法的agentid');
		if (path === '/topapi/message/corpconversation/asyncsend_v2') {
			fake.sendCalls.dingtalk++;
			if (fault('dingtalk', req, res)) return;
			if (over(calls, 'dingtalk:qps', L.dingtalkCallsPerSecond, 1000)) return refuse(res, 'dingtalk', 90018, '当前应用调用该接口的并发量已经超过了设定的上限');
			const msg = (b.msg ?? {}) as Record<string, unknown>;
			if (!['text', 'action_card', 'markdown', 'link', 'oa'].includes(String(msg.msgtype))) return refuse(res, 'dingtalk', 40008, '不合法的消息类型');
			const size = JSON.stringify(msg).length;
			if (size > 20000) return refuse(res, 'dingtalk', 34016, '消息内容长度超过限制');
			let list = String(b.userid_list ?? '').split(',').filter(Boolean);
			if (b.dept_id_list) for (const d of String(b.dept_id_list).split(',')) list.push(...(departments[d] ?? []));
			list = [...new Set(list)];
			if (!list.length) return refuse(res, 'dingtalk', 1430000, '接受者为空');
			const task: Task = { id: String(++seq), at: now(), users: list, invalid: [], forbidden: [], delivered: [] };
			const content = JSON.stringify(msg);
			for (const u of list) {
				if (!known(u)) task.invalid.push(u);
				else if (over(calls, 'dingtalk:recipients', L.dingtalkRecipientsPerMinute, 60_000)) task.forbidden.push({ userid: u, code: '143103', count: L.dingtalkRecipientsPerMinute });
				else if (sameContent.has(`${u}\u0000${content}`)) task.forbidden.push({ userid: u, code: '143106', count: 1 });
				else if (over(memberSends, `dingtalk:${u}`, L.dingtalkPerUserPerDay, DAY)) task.forbidden.push({ userid: u, code: '143105', count: L.dingtalkPerUserPerDay });
				else {
					sameContent.add(`${u}\u0000${content}`);
					task.delivered.push(u);
					fake.journal.push({ platform: 'dingtalk', to: u, at: now(), body: msg, id: task.id });
				}
			}
			tasks.set(task.id, task);
			return send(res, { errcode: 0, errmsg: 'ok', task_id: Number(task.id), request_id: `req${seq}` });
		}
		const task = tasks.get(String(b.task_id));
		const ready = task && Date.now() + offset - task.at >= resultDelay;
		if (path === '/topapi/message/corpconversation/getsendprogress') {
			return send(res, { errcode: 0, errmsg: 'ok', progress: { progress_in_percent: ready ? 100 : 0, status: ready ? 2 : task ? 1 : 0 } });
		}
		if (path === '/topapi/message/corpconversation/getsendresult') {
			if (!task) return send(res, { errcode: 0, errmsg: 'ok', send_result: {} });
			if (!ready) return send(res, { errcode: 0, errmsg: 'ok', send_result: {} });
			return send(res, {
				errcode: 0,
				errmsg: 'ok',
				send_result: {
					invalid_user_id_list: task.invalid,
					forbidden_user_id_list: task.forbidden.map((f) => f.userid),
					forbidden_list: task.forbidden,
					failed_user_id_list: [],
					read_user_id_list: task.delivered.filter((u) => read.has(u)),
					unread_user_id_list: task.delivered.filter((u) => !read.has(u)),
					invalid_dept_id_list: [],
				},
			});
		}
		res.writeHead(404);
		res.end();
	}

	// ---------------------------------------------------------------- WeCom
	function wecom(path: string, url: URL, b: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
		if (path === '/cgi-bin/gettoken') {
			const a = FAKE_APPS.wecom;
			if (url.searchParams.get('corpid') !== a.corpId) return refuse(res, 'wecom', 40013, 'invalid corpid');
			if (url.searchParams.get('corpsecret') !== a.corpSecret) return refuse(res, 'wecom', 40001, 'invalid credential');
			const t = issue('wecom');
			return send(res, { errcode: 0, errmsg: 'ok', access_token: t.token, expires_in: t.expiresIn });
		}
		const state = tokenState('wecom', url.searchParams.get('access_token') ?? '');
		if (state === 'expired') return refuse(res, 'wecom', 42001, 'access_token expired, hint: [fake]');
		if (state === 'invalid') return refuse(res, 'wecom', 40014, 'invalid access_token, hint: [fake]');
		if (path === '/cgi-bin/agent/get') {
			if (url.searchParams.get('agentid') !== FAKE_APPS.wecom.agentId) return refuse(res, 'wecom', 301002, 'not allow operate another agent with this accesstoken.');
			return send(res, { errcode: 0, errmsg: 'ok', agentid: Number(FAKE_APPS.wecom.agentId), name: 'Campus' });
		}
		if (path !== '/cgi-bin/message/send') {
			res.writeHead(404);
			res.end();
			return;
		}
		fake.sendCalls.wecom++;
		if (fault('wecom', req, res)) return;
		if (String(b.agentid) !== FAKE_APPS.wecom.agentId) return refuse(res, 'wecom', 301002, 'not allow operate another agent with this accesstoken.');
		if (over(calls, 'wecom:calls', L.wecomCallsPerMinute, 60_000)) return refuse(res, 'wecom', 45009, 'api freq out of limit');
		const type = String(b.msgtype);
		if (!['text', 'textcard', 'markdown'].includes(type)) return refuse(res, 'wecom', 40008, 'invalid message type');
		const part = (b[type] ?? {}) as Record<string, unknown>;
		if (type === 'text' && Buffer.byteLength(String(part.content ?? '')) > 2048) return refuse(res, 'wecom', 45002, 'content size out of limit');
		if (type === 'textcard' && (Buffer.byteLength(String(part.description ?? '')) > 512 || !part.url)) return refuse(res, 'wecom', 45002, 'content size out of limit');
		const ids = (v: unknown) => String(v ?? '').split('|').map((s) => s.trim()).filter(Boolean);
		// WeCom user ids are case-insensitive
		const invaliduser = ids(b.touser).filter((u) => !known(u.toLowerCase()));
		const invalidparty = ids(b.toparty).filter((d) => !departments[d]);
		const invalidtag = ids(b.totag).filter((t) => !tags[t]);
		const to = new Set<string>(ids(b.touser).map((u) => u.toLowerCase()).filter(known));
		for (const d of ids(b.toparty)) for (const u of departments[d] ?? []) if (known(u)) to.add(u);
		for (const t of ids(b.totag)) for (const u of tags[t] ?? []) if (known(u)) to.add(u);
		const lists = {
			invaliduser: invaliduser.map((u) => u.toLowerCase()).join('|'),
			invalidparty: invalidparty.join('|'),
			invalidtag: invalidtag.join('|'),
		};
		if (!to.size) return refuse(res, 'wecom', 81013, 'user & party & tag all invalid', 200, lists);
		const id = `msg${++seq}`;
		for (const u of to) {
			const entry = { platform: 'wecom' as const, to: u, at: now(), body: b, id };
			const minute = over(memberSends, `wecom:m:${u}`, L.wecomPerMemberPerMinute, 60_000, false);
			const hour = over(memberSends, `wecom:h:${u}`, L.wecomPerMemberPerHour, HOUR, false);
			if (minute || hour) fake.dropped.push(entry);
			else {
				over(memberSends, `wecom:m:${u}`, Infinity, 60_000);
				over(memberSends, `wecom:h:${u}`, Infinity, HOUR);
				fake.journal.push(entry);
			}
		}
		return send(res, { errcode: 0, errmsg: 'ok', ...lists, msgid: id });
	}

	// ---------------------------------------------------------------- Feishu
	function feishu(path: string, url: URL, b: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): void {
		if (path === '/open-apis/auth/v3/tenant_access_token/internal') {
			const a = FAKE_APPS.feishu;
			if (b.app_id !== a.appId || b.app_secret !== a.appSecret) return refuse(res, 'feishu', 10014, 'app secret invalid', 400);
			const t = issue('feishu');
			return send(res, { code: 0, msg: 'ok', tenant_access_token: t.token, expire: t.expiresIn });
		}
		const auth = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
		if (tokenState('feishu', auth) !== 'ok') return refuse(res, 'feishu', 99991663, 'Invalid access token for authorization. Please make a request with token attached.', 400);
		if (path === '/open-apis/bot/v3/info') return send(res, { code: 0, msg: 'ok', bot: { app_name: 'Campus', open_id: 'ou_bot' } });
		if (path !== '/open-apis/im/v1/messages') {
			res.writeHead(404);
			res.end();
			return;
		}
		fake.sendCalls.feishu++;
		if (fault('feishu', req, res)) return;
		const throttled = over(calls, 'feishu:s', L.feishuCallsPerSecond, 1000, false) || over(calls, 'feishu:m', L.feishuCallsPerMinute, 60_000, false);
		if (throttled) return refuse(res, 'feishu', 99991400, 'request trigger frequency limit', 429, {}, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '1' });
		over(calls, 'feishu:s', Infinity, 1000);
		over(calls, 'feishu:m', Infinity, 60_000);
		const idType = url.searchParams.get('receive_id_type');
		const rid = String(b.receive_id ?? '');
		let user: string | undefined;
		if (idType === 'user_id') user = users.has(rid) ? rid : undefined;
		else if (idType === 'open_id') {
			if (!/^ou_/.test(rid)) return refuse(res, 'feishu', 99992352, 'open_id is invalid', 400);
			user = [...users].find((u) => openId(u) === rid);
		} else if (idType === 'email') user = [...users].find((u) => email(u) === rid);
		else return refuse(res, 'feishu', 230001, 'Your request contains an invalid request parameter, ext=invalid receive_id_type.', 400);
		if (!user) return refuse(res, 'feishu', 230001, 'Your request contains an invalid request parameter, ext=invalid receive_id.', 400);
		if (left.has(user)) return refuse(res, 'feishu', 230013, 'Bot has NO availability to this user.', 400);
		if (!['text', 'interactive', 'post'].includes(String(b.msg_type))) return refuse(res, 'feishu', 230001, 'invalid msg_type', 400);
		try {
			JSON.parse(String(b.content));
		} catch {
			return refuse(res, 'feishu', 230001, 'invalid content', 400);
		}
		const limit = b.msg_type === 'text' ? 150 * 1024 : 30 * 1024;
		if (Buffer.byteLength(JSON.stringify(b)) > limit) return refuse(res, 'feishu', 230025, 'The length of the message content reaches its limit.', 400);
		if (over(memberSends, `feishu:${user}`, L.feishuPerUserPerSecond, 1000)) return refuse(res, 'feishu', 230020, 'This operation triggers the frequency limit.', 400);
		const id = `om_${++seq}`;
		fake.journal.push({ platform: 'feishu', to: user, at: now(), body: b, id });
		return send(res, { code: 0, msg: 'success', data: { message_id: id, msg_type: b.msg_type } });
	}

	function control(method: string, p: string, body: Record<string, unknown>, res: ServerResponse): void {
		if (method === 'GET' && p === '/__fake/state') {
			const { journal, dropped, tokenRequests, sendCalls, refusals } = fake;
			return send(res, { journal, dropped, tokenRequests, sendCalls, refusals });
		}
		if (method === 'POST' && p === '/__fake/expire-tokens') fake.expireTokens();
		else if (method === 'POST' && p === '/__fake/read') fake.markRead(String(body.userId ?? ''));
		else if (method === 'POST' && p === '/__fake/reset') fake.reset();
		else {
			res.writeHead(404);
			res.end();
			return;
		}
		send(res, { ok: true });
	}

	const served = await serveFake(0, (req, res, raw, url) => {
		let body: Record<string, unknown> = {};
		try {
			body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
		} catch {
			return send(res, { errcode: 40035, errmsg: 'invalid json' }, 400);
		}
		const p = url.pathname;
		if (p.startsWith('/__fake/')) return control(req.method ?? 'GET', p, body, res);
		if (p.startsWith('/open-apis/')) return feishu(p, url, body, req, res);
		if (p.startsWith('/cgi-bin/')) return wecom(p, url, body, req, res);
		return dingtalk(p, url, body, req, res);
	});
	const server = served.server;
	fake.baseUrl = served.baseUrl;
	return fake;
}

export const fakeOpenId = (u: string) => `ou_${u}`;
export const fakeEmail = (u: string) => `${u}@school.example`;
