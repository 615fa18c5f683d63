/**
 * How each robot credential turns into a request: the webhook address (which is itself the
 * secret), and signing. Pure TypeScript (no n8n import): the credential types' `authenticate`
 * functions call these, so secrets are added at the last moment by n8n's own
 * httpRequestWithAuthentication and never pass through the node, its items or its logs.
 */
import { dingTalkSignedQuery, feishuSignedFields, trimBaseUrl } from './sign';

export const DEFAULT_BASE_URL = {
	wecom: 'https://qyapi.weixin.qq.com',
	dingtalk: 'https://oapi.dingtalk.com',
	feishu: 'https://open.feishu.cn',
} as const;

/** The part of n8n's request options that authentication touches. */
export interface AuthRequest {
	url: string;
	baseURL?: string;
	qs?: Record<string, unknown>;
	body?: unknown;
}

type Data = Record<string, unknown>;

function text(v: unknown): string {
	return v === undefined || v === null ? '' : String(v).trim();
}

/**
 * Accepts the bare key/token/hook id, or the whole webhook address pasted from the app (the
 * most common set-up mistake in other robot integrations), and returns the bare value.
 */
export function bareSecret(value: unknown, param: string): string {
	const s = text(value);
	const q = s.match(new RegExp(`[?&]${param}=([^&#\\s]+)`));
	if (q) return decodeURIComponent(q[1]);
	const hook = s.match(/\/hook\/([^/?#\s]+)/);
	if (hook) return decodeURIComponent(hook[1]);
	return s;
}

export function weComAuth(cred: Data, req: AuthRequest): AuthRequest {
	const base = trimBaseUrl(cred.baseUrl, DEFAULT_BASE_URL.wecom);
	return {
		...req,
		baseURL: undefined,
		url: `${base}/cgi-bin/webhook/send`,
		qs: { ...(req.qs ?? {}), key: bareSecret(cred.webhookKey, 'key') },
	};
}

export function dingTalkAuth(cred: Data, req: AuthRequest, nowMs: number): AuthRequest {
	const base = trimBaseUrl(cred.baseUrl, DEFAULT_BASE_URL.dingtalk);
	const qs: Record<string, unknown> = {
		...(req.qs ?? {}),
		access_token: bareSecret(cred.accessToken, 'access_token'),
	};
	const secret = text(cred.secret);
	if (secret) Object.assign(qs, dingTalkSignedQuery(secret, nowMs));
	return { ...req, baseURL: undefined, url: `${base}/robot/send`, qs };
}

export function feishuAuth(cred: Data, req: AuthRequest, nowMs: number): AuthRequest {
	const base = trimBaseUrl(cred.baseUrl, DEFAULT_BASE_URL.feishu);
	const hookId = encodeURIComponent(bareSecret(cred.hookId, 'hook'));
	const secret = text(cred.secret);
	let body = req.body;
	if (secret) {
		const fields = feishuSignedFields(secret, nowMs);
		body = { ...((req.body as Data | undefined) ?? {}), ...fields };
	}
	return { ...req, baseURL: undefined, url: `${base}/open-apis/bot/v2/hook/${hookId}`, body };
}
