/**
 * What the platforms' app APIs answer, per platform. Pure TypeScript. DingTalk and WeCom report
 * errors as HTTP 200 with an errcode in the body, Feishu mostly as HTTP 400 with a code: the body
 * is always read. A token the platform no longer accepts is its own kind ('expired') so that the
 * transport renews it once.
 */
import { platformLabel, type AppPlatform } from './platforms';

export type CallKind =
	/** Accepted (possibly with some recipients refused: see `refused`). */
	| 'ok'
	/** The access token is expired or revoked: renew it once and send again. */
	| 'expired'
	/** Over a rate limit: wait retryAfterMs, then send again (or defer). */
	| 'throttled'
	/** 5xx, a network error or "system busy": retry with backoff. */
	| 'server'
	/** App key/secret, agent id or IP refused: stop, every remaining person fails. */
	| 'auth'
	/** The message itself was refused (size, format, content): its recipients fail. */
	| 'invalid'
	/** Every recipient of the call was refused (WeCom 81013, a Feishu user outside the app). */
	| 'recipients';

export interface Refusal {
	id: string;
	reason: string;
}

export interface CallAnswer {
	kind: CallKind;
	code?: number;
	message: string;
	retryAfterMs?: number;
	/** Recipients the platform named as refused in an otherwise accepted call. */
	refused?: Refusal[];
	/** DingTalk: the asynchronous send task. */
	taskId?: string;
	/** WeCom msgid / Feishu message_id. */
	messageId?: string;
}

/** Codes meaning "this access token is no longer accepted". */
export const TOKEN_CODES: Record<AppPlatform, number[]> = {
	// 40014 invalid access_token (also what an expired token gives), 42001 access_token expired,
	// 40001 invalid credential / token
	dingtalk: [40014, 42001, 40001],
	wecom: [40014, 42001, 40001],
	// 99991663 invalid tenant access token, 99991668 invalid or expired token, 99991661 missing
	feishu: [99991663, 99991668, 99991661, 99991677],
};

export const REASONS = {
	notInDirectory: 'not in the directory or outside the app\'s visible range (left the school, or a wrong id)',
	noChatId: 'no chat id: the person has no id for this platform',
	duplicateToday: 'DingTalk delivers the same content to one person only once a day',
	dailyCap: 'DingTalk\'s daily limit for this person (500 notifications from one app) is reached',
	deliveryFailed: 'DingTalk could not deliver the notification',
	unlicensed: 'the member has no WeCom basic API licence',
} as const;

const MINUTE = 60_000;

function num(v: unknown): number | undefined {
	return v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** Keeps what may carry a secret out of messages. */
export function scrubAnswer(s: string): string {
	return s
		.replace(/(access_token|appsecret|corpsecret|app_secret|secret)=[^&\s"]+/gi, '$1=***')
		.replace(/Bearer\s+[\w.-]+/gi, 'Bearer ***')
		.slice(0, 200);
}

function split(v: unknown, sep: RegExp): string[] {
	if (Array.isArray(v)) return v.map(String).filter(Boolean);
	return str(v)
		.split(sep)
		.map((s) => s.trim())
		.filter(Boolean);
}

export function classifyCall(
	platform: AppPlatform,
	status: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): CallAnswer {
	const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
	const code = num(platform === 'feishu' ? b.code : b.errcode);
	const message = scrubAnswer(str(platform === 'feishu' ? b.msg : b.errmsg) || (typeof body === 'string' ? body : ''));
	const name = platformLabel(platform);
	if (code !== undefined && TOKEN_CODES[platform].includes(code)) return { kind: 'expired', code, message };
	if (status >= 500 || status === 0) return { kind: 'server', code, message: `HTTP ${status} from ${name}` };
	if (status === 429 || code === 99991400) {
		const reset = num(headers['x-ogw-ratelimit-reset']);
		return { kind: 'throttled', code, message: message || 'rate limited', retryAfterMs: reset !== undefined ? reset * 1000 : MINUTE };
	}
	if (platform === 'dingtalk') return dingTalk(code, message, b, status);
	if (platform === 'wecom') return weCom(code, message, b, status);
	return feishu(code, message, b, status);
}

function fallback(code: number | undefined, message: string, status: number): CallAnswer {
	if (status === 401 || status === 403) return { kind: 'auth', code, message: message || `HTTP ${status}` };
	return { kind: 'invalid', code, message: message || `HTTP ${status}, unexpected answer` };
}

function dingTalk(code: number | undefined, message: string, b: Record<string, unknown>, status: number): CallAnswer {
	if (code === 0) return { kind: 'ok', code, message: 'ok', taskId: b.task_id === undefined ? undefined : str(b.task_id) };
	switch (code) {
		case 90018: // this app's calls a second to one API are over the limit
		case 90002: // the platform-wide limit for this API
		case 143103: // one app's recipients a minute
		case 143104: // the company's recipients a minute
			return { kind: 'throttled', code, message, retryAfterMs: code === 90018 || code === 90002 ? 1000 : MINUTE };
		case -1:
			return { kind: 'server', code, message: message || 'system busy' };
		case 40089: // invalid appkey or appsecret
		case 60020: // server IP not in the app's allow list
		case 88:
			return { kind: 'auth', code, message };
		case 40056: // invalid agent id
		case 40015:
			return { kind: 'auth', code, message: `agent id refused: ${message}` };
		case 1430000:
			return { kind: 'recipients', code, message: message || 'no recipient' };
		default:
			return fallback(code, message, status);
	}
}

function weCom(code: number | undefined, message: string, b: Record<string, unknown>, status: number): CallAnswer {
	const refused: Refusal[] = [
		...split(b.invaliduser, /\|/).map((id) => ({ id: `user:${id.toLowerCase()}`, reason: REASONS.notInDirectory })),
		...split(b.invalidparty, /\|/).map((id) => ({ id: `department:${id}`, reason: 'department unknown or outside the app\'s visible range' })),
		...split(b.invalidtag, /\|/).map((id) => ({ id: `tag:${id}`, reason: 'tag unknown or outside the app\'s visible range' })),
		...split(b.unlicenseduser, /\|/).map((id) => ({ id: `user:${id.toLowerCase()}`, reason: REASONS.unlicensed })),
	];
	if (code === 0) return { kind: 'ok', code, message: 'ok', refused, messageId: b.msgid === undefined ? undefined : str(b.msgid) };
	switch (code) {
		case 81013: // user & party & tag all invalid
			return { kind: 'recipients', code, message: REASONS.notInDirectory, refused };
		case 45009: // api freq out of limit
		case 45033: // too many concurrent calls
			return { kind: 'throttled', code, message, retryAfterMs: MINUTE };
		case -1:
			return { kind: 'server', code, message: message || 'system busy' };
		case 40013: // invalid corpid
		case 40091: // invalid secret
		case 60020: // not allow to access from your ip
		case 301002: // the token belongs to another app (agent id)
		case 40056: // invalid agentid
		case 50001: // redirect/ip not trusted
			return { kind: 'auth', code, message };
		default:
			return fallback(code, message, status);
	}
}

function feishu(code: number | undefined, message: string, b: Record<string, unknown>, status: number): CallAnswer {
	const data = (b.data && typeof b.data === 'object' ? b.data : {}) as Record<string, unknown>;
	if (code === 0) return { kind: 'ok', code, message: 'ok', messageId: data.message_id === undefined ? undefined : str(data.message_id) };
	switch (code) {
		case 230020: // this user's 5 a second
			return { kind: 'throttled', code, message, retryAfterMs: 1000 };
		case 230013: // the bot is not available to this user
		case 99992351: // invalid user_id
		case 99992352: // invalid open_id
		case 99992361:
		case 230038: // cross-tenant p2p
			return { kind: 'recipients', code, message: `${REASONS.notInDirectory} (${code})` };
		case 230001: // invalid request parameter, e.g. "ext=invalid receive_id"
			if (/receive_id|email|user/i.test(message)) return { kind: 'recipients', code, message: `${REASONS.notInDirectory} (${code})` };
			return { kind: 'invalid', code, message };
		case 230006: // bot ability not activated
		case 99991672: // scope not applied
		case 10003:
		case 10014:
			return { kind: 'auth', code, message };
		case 1500:
		case 230099:
			return { kind: 'server', code, message };
		default:
			return fallback(code, message, status);
	}
}

// ---------------------------------------------------------------------------------------------
// DingTalk asynchronous results

export type PersonState = 'read' | 'unread' | 'invalid' | 'forbidden' | 'failed' | 'pending';

export interface PersonResult {
	state: PersonState;
	reason?: string;
	/** For forbidden: deferred until then (ms), or undefined when it fails for good. */
	retryAt?: number;
}

/** Where one person's DingTalk result sends the item: Failed for good, Deferred until retryAt, or Sent with its state. */
export type PersonVerdict =
	| { output: 'failed'; reason: string }
	| { output: 'deferred'; reason?: string; retryAt: number }
	| { output: 'sent'; state: string };

export function personVerdict(person: PersonResult | undefined, taskDone: boolean | undefined): PersonVerdict {
	if (person?.state === 'forbidden' && person.retryAt) return { output: 'deferred', reason: person.reason, retryAt: person.retryAt };
	if (person && (person.state === 'invalid' || person.state === 'failed' || person.state === 'forbidden')) {
		return { output: 'failed', reason: person.reason ?? person.state };
	}
	return { output: 'sent', state: person ? person.state : taskDone ? 'delivered' : 'pending' };
}

export interface SendResult {
	done: boolean;
	people: Map<string, PersonResult>;
}

/** Midnight in China after `now` (DingTalk's daily limits count per calendar day). */
export function nextChinaMidnight(now: number): number {
	const day = 24 * 3600_000;
	const shifted = now + 8 * 3600_000;
	return shifted - (shifted % day) + day - 8 * 3600_000;
}

/** Reads getsendprogress (status 2 = done) and getsendresult into one state per user id. */
export function readSendResult(progressBody: unknown, resultBody: unknown, now: number): SendResult {
	const progress = ((progressBody as Record<string, unknown>)?.progress ?? {}) as Record<string, unknown>;
	const done = num(progress.status) === 2;
	const r = ((resultBody as Record<string, unknown>)?.send_result ?? {}) as Record<string, unknown>;
	const people = new Map<string, PersonResult>();
	for (const id of split(r.read_user_id_list, /,/)) people.set(id, { state: 'read' });
	for (const id of split(r.unread_user_id_list, /,/)) people.set(id, { state: 'unread' });
	for (const id of split(r.failed_user_id_list, /,/)) people.set(id, { state: 'failed', reason: REASONS.deliveryFailed });
	for (const id of split(r.invalid_user_id_list, /,/)) people.set(id, { state: 'invalid', reason: REASONS.notInDirectory });
	const forbidden = new Map<string, string>();
	for (const f of (Array.isArray(r.forbidden_list) ? r.forbidden_list : []) as Array<Record<string, unknown>>) {
		forbidden.set(str(f.userid), str(f.code));
	}
	for (const id of split(r.forbidden_user_id_list, /,/)) {
		const code = forbidden.get(id) ?? '';
		if (code === '143106' || code === '143206') people.set(id, { state: 'forbidden', reason: REASONS.duplicateToday });
		else if (code === '143105' || code === '143205') people.set(id, { state: 'forbidden', reason: REASONS.dailyCap, retryAt: nextChinaMidnight(now) });
		else people.set(id, { state: 'forbidden', reason: `DingTalk rate limit (${code || 'forbidden'})`, retryAt: now + MINUTE });
	}
	return { done, people };
}
