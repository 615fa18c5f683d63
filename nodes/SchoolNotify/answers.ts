/**
 * What a robot's answer means, per channel. Pure TypeScript (no n8n import).
 * All three report most errors as HTTP 200 with a code in the body, so the body is always read.
 */
import { channelLabel, type Channel } from './channels';

export type AnswerKind =
	/** Delivered. */
	| 'ok'
	/** The robot is throttled for a while: stop sending to it until retryAfterMs has passed. */
	| 'throttled'
	/** A passing overload: retry this message soon with backoff. */
	| 'busy'
	/** 5xx or a network error: retry with backoff. */
	| 'server'
	/** Bad token, key, hook id, signature, timestamp or IP: report at once, never retry. */
	| 'auth'
	/** The service refused this message (size, shape, keyword): report it, never retry. */
	| 'invalid';

export interface Answer {
	kind: AnswerKind;
	code?: number;
	message: string;
	/** For 'throttled': how long the robot stays closed. */
	retryAfterMs?: number;
}

const MINUTE = 60_000;

/** DingTalk throttles an over-limit robot for 10 minutes. */
export const DINGTALK_THROTTLE_MS = 10 * MINUTE;
/** WeCom does not document how long 45009 lasts: wait for the minute window to pass. */
export const WECOM_THROTTLE_MS = MINUTE;

function codeOf(body: unknown, keys: string[]): number | undefined {
	if (!body || typeof body !== 'object') return undefined;
	for (const k of keys) {
		const v = (body as Record<string, unknown>)[k];
		if (v !== undefined && v !== null && v !== '' && !Number.isNaN(Number(v))) return Number(v);
	}
	return undefined;
}

function msgOf(body: unknown, keys: string[]): string {
	if (!body || typeof body !== 'object') return typeof body === 'string' ? body.slice(0, 200) : '';
	for (const k of keys) {
		const v = (body as Record<string, unknown>)[k];
		if (typeof v === 'string' && v) return v.length > 200 ? `${v.slice(0, 200)}…` : v;
	}
	return '';
}

/** Drops anything that could carry a secret (hint ids and URLs are kept out of messages). */
export function scrubSecrets(text: string): string {
	return text
		.replace(/(access_token|key|sign|timestamp)=[^&\s"]+/gi, '$1=***')
		.replace(/\/hook\/[^/?\s"]+/g, '/hook/***');
}

export function classify(channel: Channel, status: number, body: unknown): Answer {
	if (status >= 500 || status === 0) {
		return { kind: 'server', message: `HTTP ${status} from the ${channelLabel(channel)} server` };
	}
	if (status === 429) {
		return { kind: 'busy', message: `HTTP 429 from the ${channelLabel(channel)} server` };
	}
	if (channel === 'dingtalk') return classifyDingTalk(status, body);
	if (channel === 'wecom') return classifyWeCom(status, body);
	return classifyFeishu(status, body);
}

function httpFallback(status: number, channel: Channel, message: string, code?: number): Answer {
	if (status === 401 || status === 403) return { kind: 'auth', code, message: message || `HTTP ${status}` };
	if (status >= 400) {
		return { kind: 'invalid', code, message: message || `HTTP ${status} from the ${channelLabel(channel)} server` };
	}
	return { kind: 'invalid', code, message: message || 'unexpected answer' };
}

function classifyDingTalk(status: number, body: unknown): Answer {
	const code = codeOf(body, ['errcode']);
	const message = scrubSecrets(msgOf(body, ['errmsg']));
	if (code === 0) return { kind: 'ok', code, message: 'ok' };
	switch (code) {
		case 130101:
			return { kind: 'throttled', code, message: message || 'send too fast', retryAfterMs: DINGTALK_THROTTLE_MS };
		case 300001:
		case 300005:
		case 400101:
		case 400102:
			return { kind: 'auth', code, message: `access token refused: ${message}` };
		case 310000:
			// 310000 covers a bad signature, a stale timestamp, a missing keyword and a blocked IP.
			if (/keyword/i.test(message)) return { kind: 'invalid', code, message: `keyword missing: ${message}` };
			return { kind: 'auth', code, message: `signature, timestamp or IP refused: ${message}` };
		default:
			return httpFallback(status, 'dingtalk', message, code);
	}
}

function classifyWeCom(status: number, body: unknown): Answer {
	const code = codeOf(body, ['errcode']);
	const message = scrubSecrets(msgOf(body, ['errmsg']));
	if (code === 0) return { kind: 'ok', code, message: 'ok' };
	switch (code) {
		case 45009:
			return { kind: 'throttled', code, message: message || 'api freq out of limit', retryAfterMs: WECOM_THROTTLE_MS };
		case 45033:
		case -1:
			return { kind: 'busy', code, message: message || 'system busy' };
		case 93000:
		case 40014:
			return { kind: 'auth', code, message: `webhook key refused: ${message}` };
		case 93004:
			return { kind: 'auth', code, message: `the robot was removed from the group: ${message}` };
		default:
			return httpFallback(status, 'wecom', message, code);
	}
}

function classifyFeishu(status: number, body: unknown): Answer {
	const code = codeOf(body, ['code', 'StatusCode']);
	const message = scrubSecrets(msgOf(body, ['msg', 'StatusMessage']));
	if (code === 0) return { kind: 'ok', code, message: 'ok' };
	switch (code) {
		case 11232:
			// Can come under quota at busy moments (on the hour and half hour): retry, then defer.
			return { kind: 'busy', code, message: message || 'frequency limited' };
		case 19001:
			return { kind: 'auth', code, message: `hook id refused: ${message}` };
		case 19021:
			return { kind: 'auth', code, message: `signature or timestamp refused: ${message}` };
		case 19022:
			return { kind: 'auth', code, message: `server IP refused: ${message}` };
		case 19024:
			return { kind: 'invalid', code, message: `keyword missing: ${message}` };
		default:
			return httpFallback(status, 'feishu', message, code);
	}
}
