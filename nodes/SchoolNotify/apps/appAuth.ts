/**
 * App credentials of the three platforms, as plain functions the credential types call
 * (no n8n import). The access token lives in the credential's hidden expirable field: n8n fills
 * it through `preAuthentication` and stores it with the credential, so every queue-mode worker
 * shares one token and no module keeps any.
 *
 * n8n renews such a token only when a request fails with HTTP 401; these platforms say "expired"
 * in an HTTP 200 (or 400) body instead. So the transport, on that answer, sends once more with
 * a RENEW_HEADER naming the fingerprint of the token it saw refused; `authenticate` then throws
 * an HTTP-401-shaped error if the stored token is still that one, which makes n8n call
 * preAuthentication (credentialsExpired = true), store the new token and send the request again.
 * A token some other worker already renewed is simply used. The same happens before a stored
 * token's own expiry time.
 */
import { createHash } from 'crypto';
import { trimBaseUrl } from '../sign';
import { APP_BASE_URL, platformLabel, type AppPlatform } from './platforms';

type Data = Record<string, unknown>;

/** The header the transport sets to ask for a renewal; never sent to the platform. */
export const RENEW_HEADER = 'x-campus-renew-token';

/** Renew this long before the platform's stated expiry. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;

export interface AuthRequest {
	url: string;
	baseURL?: string;
	method?: string;
	qs?: Data;
	headers?: Data;
	body?: unknown;
}

export function tokenFingerprint(token: unknown): string {
	return createHash('sha256').update(String(token ?? '')).digest('hex').slice(0, 16);
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

export function baseUrlOf(platform: AppPlatform, cred: Data): string {
	return trimBaseUrl(cred.baseUrl, APP_BASE_URL[platform]);
}

/** The token request each platform takes (secrets go in the query or body, never in logs). */
export function tokenRequest(platform: AppPlatform, cred: Data): AuthRequest {
	const base = baseUrlOf(platform, cred);
	if (platform === 'dingtalk') {
		return { method: 'GET', url: `${base}/gettoken`, qs: { appkey: text(cred.appKey), appsecret: text(cred.appSecret) } };
	}
	if (platform === 'wecom') {
		return { method: 'GET', url: `${base}/cgi-bin/gettoken`, qs: { corpid: text(cred.corpId), corpsecret: text(cred.corpSecret) } };
	}
	return {
		method: 'POST',
		url: `${base}/open-apis/auth/v3/tenant_access_token/internal`,
		body: { app_id: text(cred.appId), app_secret: text(cred.appSecret) },
	};
}

export class TokenError extends Error {
	constructor(
		message: string,
		readonly code?: number,
	) {
		super(message);
		this.name = 'TokenError';
	}
}

/** Reads the token answer, or throws a TokenError naming the platform's code (never a secret). */
export function readToken(platform: AppPlatform, body: unknown, nowMs: number): { accessToken: string; expiresAt: number } {
	const b = (body && typeof body === 'object' ? body : {}) as Data;
	const code = Number(platform === 'feishu' ? b.code : b.errcode);
	const token = text(platform === 'feishu' ? b.tenant_access_token : b.access_token);
	const seconds = Number(platform === 'feishu' ? b.expire : b.expires_in) || 7200;
	if (code !== 0 || !token) {
		const msg = text(platform === 'feishu' ? b.msg : b.errmsg).replace(/secret=[^&\s]+/gi, 'secret=***').slice(0, 160);
		throw new TokenError(
			`${platformLabel(platform)} gave no access token (error ${Number.isNaN(code) ? '?' : code}${msg ? `: ${msg}` : ''}). Check the app's key, secret${platform === 'wecom' ? ' and corp id' : ''}, and that the app is enabled.`,
			Number.isNaN(code) ? undefined : code,
		);
	}
	return { accessToken: token, expiresAt: nowMs + seconds * 1000 };
}

/** Thrown by authenticate to make n8n renew the token (its retry path keys on status 401). */
export class RenewTokenSignal extends Error {
	readonly response = { status: 401 };

	constructor(platform: AppPlatform) {
		super(`${platformLabel(platform)} access token is expired: renewing it`);
		this.name = 'RenewTokenSignal';
	}
}

/**
 * Adds the token (and the base URL) to a request. Throws a RenewTokenSignal when the transport
 * reports the stored token refused, or when the stored token is past its expiry time.
 */
export function appAuthenticate(platform: AppPlatform, cred: Data, req: AuthRequest, nowMs: number): AuthRequest {
	const headers: Data = { ...(req.headers ?? {}) };
	const renew = headers[RENEW_HEADER];
	delete headers[RENEW_HEADER];
	// The same options object comes back after a renewal: drop the request for it there too.
	if (req.headers) delete req.headers[RENEW_HEADER];
	const token = text(cred.accessToken);
	const expiresAt = Number(cred.expiresAt) || 0;
	if (renew !== undefined && renew === tokenFingerprint(token)) throw new RenewTokenSignal(platform);
	if (renew === undefined && token && expiresAt > 0 && nowMs > expiresAt - EXPIRY_MARGIN_MS) {
		throw new RenewTokenSignal(platform);
	}
	const base = baseUrlOf(platform, cred);
	const url = /^https?:\/\//i.test(req.url) ? req.url : `${base}${req.url.startsWith('/') ? '' : '/'}${req.url}`;
	if (platform === 'feishu') {
		headers.Authorization = `Bearer ${token}`;
		return { ...req, baseURL: undefined, url, headers };
	}
	return { ...req, baseURL: undefined, url, headers, qs: { ...(req.qs ?? {}), access_token: token } };
}
