/**
 * HTTP to the platforms' app APIs through n8n's httpRequestWithAuthentication, so the token and
 * secrets are added by the credential types and never pass through the node, its items or logs.
 * An answer that says the token expired is followed by one renewal (see appAuth.ts) and one more
 * attempt; a second refusal is reported as a credential problem.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { classifyCall, scrubAnswer, type CallAnswer } from './answers';
import { RENEW_HEADER, tokenFingerprint } from './appAuth';
import { APP_CREDENTIAL, platformLabel, type AppPlatform } from './platforms';

export interface AppCall {
	method: 'GET' | 'POST';
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export interface RawAnswer {
	status: number;
	body: unknown;
	headers: Record<string, unknown>;
}

const TIMEOUT_MS = 15_000;

function parse(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** One request; network failures and a failed renewal come back as answers, never thrown. */
async function once(ctx: IExecuteFunctions, platform: AppPlatform, call: AppCall, renewFingerprint?: string): Promise<RawAnswer | CallAnswer> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: call.path,
		qs: call.qs,
		body: call.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TIMEOUT_MS,
		headers: renewFingerprint === undefined ? {} : { [RENEW_HEADER]: renewFingerprint },
	};
	try {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, APP_CREDENTIAL[platform], options)) as {
			statusCode?: number;
			body?: unknown;
			headers?: Record<string, unknown>;
		};
		return { status: Number(res?.statusCode ?? 200), body: parse(res?.body), headers: res?.headers ?? {} };
	} catch (error) {
		const e = error as { code?: string; message?: string; description?: string; cause?: { code?: string; message?: string } };
		const net = e.cause?.code ?? e.code;
		const text = [e.message, e.description, e.cause?.message].filter(Boolean).join(' ');
		if (/access token|gave no|secret|credential/i.test(text) && !(net && /^E[A-Z]+$/.test(net))) {
			return { kind: 'auth', message: scrubAnswer(text) };
		}
		return { kind: 'server', message: scrubAnswer(String(net ?? e.message ?? 'network error')) };
	}
}

async function storedFingerprint(ctx: IExecuteFunctions, platform: AppPlatform): Promise<string> {
	try {
		const cred = await ctx.getCredentials(APP_CREDENTIAL[platform]);
		return tokenFingerprint(cred.accessToken);
	} catch {
		return tokenFingerprint('');
	}
}

function isRaw(x: RawAnswer | CallAnswer): x is RawAnswer {
	return 'status' in x;
}

/** Sends one call and classifies the answer, renewing an expired token once. */
export async function callApp(ctx: IExecuteFunctions, platform: AppPlatform, call: AppCall): Promise<CallAnswer & { raw?: unknown }> {
	// The token this call will use: read before sending, so that a token another worker renewed
	// meanwhile is not renewed again (a first-ever token is only known after the call).
	const before = await storedFingerprint(ctx, platform);
	const first = await once(ctx, platform, call);
	if (!isRaw(first)) return first;
	const answer = classifyCall(platform, first.status, first.body, first.headers);
	if (answer.kind !== 'expired') return { ...answer, raw: first.body };
	const seen = before !== tokenFingerprint('') ? before : await storedFingerprint(ctx, platform);
	const second = await once(ctx, platform, call, seen);
	if (!isRaw(second)) return second;
	const again = classifyCall(platform, second.status, second.body, second.headers);
	if (again.kind === 'expired') {
		return {
			kind: 'auth',
			code: again.code,
			message: `${platformLabel(platform)} refused the access token again after renewing it (${again.code ?? ''} ${again.message}). Check that the app is enabled and its secret has not been reset.`,
		};
	}
	return { ...again, raw: second.body };
}
