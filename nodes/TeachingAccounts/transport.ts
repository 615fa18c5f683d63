/**
 * The Google transport of the node: each request goes through n8n's
 * httpRequestWithAuthentication with the Google Workspace (School) credential, so n8n's proxy
 * settings apply, the access token comes from the credential's preAuthentication (and is renewed
 * by n8n after a 401), and every request has a timeout. Answers of any status come back to
 * google.ts, which maps them; retries and backoff stay in pacing.ts.
 */
import type { IAdditionalCredentialOptions, ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import type { GoogleRequest, GoogleResponse, RequestFn } from './google';
import { ApiError } from './pacing';

export const CREDENTIAL = 'googleWorkspaceSchoolApi';
export const DEFAULT_TIMEOUT_MS = 30000;

interface WrappedError {
	name?: string;
	message?: string;
	code?: unknown;
	reason?: unknown;
	httpCode?: unknown;
	cause?: WrappedError;
	response?: { status?: number; data?: unknown };
	context?: { data?: unknown };
}

/**
 * The request function google.ts takes, bound to this execution. `credentials` (read once with
 * getCredentials) is handed to every request, so that n8n does not read and decrypt the
 * credential again for each of thousands of calls; the token that preAuthentication puts into it
 * is then shared by the requests of this execution (and stored in the credential by n8n).
 */
export function n8nGoogleRequest(ctx: IExecuteFunctions, timeoutMs = DEFAULT_TIMEOUT_MS, credentials?: IDataObject): RequestFn {
	let extra: IAdditionalCredentialOptions | undefined;
	if (credentials) {
		const ref = ctx.getNode().credentials?.[CREDENTIAL];
		extra = { credentialsDecrypted: { id: ref?.id ?? '', name: ref?.name ?? '', type: CREDENTIAL, data: credentials as ICredentialDataDecryptedObject } };
	}
	return async (req: GoogleRequest): Promise<GoogleResponse> => {
		const qs: IDataObject = {};
		for (const [k, v] of Object.entries(req.qs ?? {})) if (v !== undefined && v !== '') qs[k] = v;
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			qs,
			json: true,
			timeout: timeoutMs,
			returnFullResponse: true,
			// Every status comes back as an answer, except 401: n8n then renews the token and resends.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};
		if (req.body !== undefined) options.body = req.body as IDataObject;
		try {
			const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL, options, extra)) as IN8nHttpFullResponse;
			return { status: res.statusCode, body: res.body, headers: res.headers };
		} catch (e) {
			throw fromN8nError(e);
		}
	};
}

/**
 * n8n wraps what failed in a NodeApiError whose `cause` is the original error: a token failure
 * from preAuthentication (not retried), an HTTP answer (401 after a renewal), or no answer
 * (ECONNRESET, ECONNABORTED on a timeout...).
 */
export function fromN8nError(e: unknown): Error {
	const err = (e ?? {}) as WrappedError;
	const original = err.cause ?? err;
	if (original.name === 'GoogleTokenError') {
		return new ApiError(String(original.message ?? 'Google refused the service account token'), 401, String(original.reason ?? 'tokenError'));
	}
	const response = original.response;
	if (response && typeof response.status === 'number') {
		return new ApiError(`${response.status} ${describe(response.data)}`, response.status, reason(response.data));
	}
	const status = Number(err.httpCode);
	if (status >= 400 && status < 600) {
		return new ApiError(`${status} ${String(err.message ?? '')}`.slice(0, 300), status, reason(err.context?.data));
	}
	const code = typeof original.code === 'string' ? original.code : typeof err.code === 'string' ? err.code : '';
	return Object.assign(new Error(String(original.message ?? err.message ?? 'request failed').slice(0, 200)), { code });
}

function describe(data: unknown): string {
	const d = data as { error?: { message?: string } | string; error_description?: string } | undefined;
	if (typeof d?.error === 'object' && d.error?.message) return d.error.message.slice(0, 300);
	return String(d?.error_description ?? d?.error ?? '').slice(0, 300);
}

function reason(data: unknown): string {
	const d = data as { error?: { errors?: Array<{ reason?: string }>; status?: string } } | undefined;
	return d?.error?.errors?.[0]?.reason ?? d?.error?.status ?? '';
}
