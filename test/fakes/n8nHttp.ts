/**
 * What n8n's httpRequestWithAuthentication does, for adapter tests: apply the credential type's
 * own `authenticate` (the real code), then send the request over real HTTP (to the fake robots),
 * honouring qs, json, returnFullResponse and ignoreHttpStatusErrors. Also n8n's credential test:
 * the test request through `authenticate`, judged by the `responseSuccessBody` rules the way
 * n8n's CredentialsTester does (a rule fails the test when body[key] === value).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { DingTalkRobotApi } from '../../credentials/DingTalkRobotApi.credentials';
import { FeishuBotApi } from '../../credentials/FeishuBotApi.credentials';
import { WeComRobotApi } from '../../credentials/WeComRobotApi.credentials';

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	weComRobotApi: new WeComRobotApi(),
	dingTalkRobotApi: new DingTalkRobotApi(),
	feishuBotApi: new FeishuBotApi(),
};

export class HttpError extends Error {
	constructor(
		message: string,
		readonly statusCode?: number,
		readonly code?: string,
	) {
		super(message);
	}
}

export async function send(o: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(o.baseURL ? `${o.baseURL.replace(/\/$/, '')}${o.url}` : o.url);
	for (const [k, v] of Object.entries((o.qs ?? {}) as IDataObject)) {
		if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
	}
	const res = await fetch(url, {
		method: o.method ?? 'GET',
		headers: { 'content-type': 'application/json', ...((o.headers ?? {}) as Record<string, string>) },
		body: o.body === undefined ? undefined : JSON.stringify(o.body),
	}).catch((error: { cause?: { code?: string }; message?: string }) => error);
	if (!(res instanceof Response)) {
		throw new HttpError(`request failed: ${res.cause?.code ?? res.message}`, undefined, res.cause?.code);
	}
	const text = await res.text();
	let body: unknown = text;
	if (o.json !== false) {
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	if (res.status >= 400 && !o.ignoreHttpStatusErrors) throw new HttpError(`HTTP ${res.status}`, res.status);
	return o.returnFullResponse ? { statusCode: res.status, headers: Object.fromEntries(res.headers), body } : body;
}

/** The test context's `http` hook: authenticates with the real credential code, then sends. */
export function n8nHttp(credentials: Record<string, IDataObject>) {
	return async (options: IHttpRequestOptions, credentialType?: string): Promise<unknown> => {
		let o: IHttpRequestOptions = JSON.parse(JSON.stringify(options));
		if (credentialType) {
			const type = CREDENTIAL_TYPES[credentialType];
			const auth = type?.authenticate;
			if (typeof auth !== 'function') throw new Error(`No authenticate function for ${credentialType}`);
			o = await auth(credentials[credentialType] as ICredentialDataDecryptedObject, o);
		}
		return await send(o);
	};
}

/** n8n's credential test for one of our credential types, against whatever the base URL names. */
export async function testCredential(
	type: string,
	data: IDataObject,
): Promise<{ status: 'OK' | 'Error'; message: string; body?: unknown }> {
	const ct = CREDENTIAL_TYPES[type];
	if (!ct.test || typeof ct.authenticate !== 'function') throw new Error('no test request');
	const request = JSON.parse(JSON.stringify(ct.test.request)) as IHttpRequestOptions;
	const body: unknown = await send(await ct.authenticate(data as ICredentialDataDecryptedObject, request)).catch(
		(error: Error) => ({ __failed: error.message }),
	);
	if ((body as { __failed?: string })?.__failed) {
		return { status: 'Error', message: String((body as { __failed: string }).__failed) };
	}
	for (const rule of ct.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const p = rule.properties as { key: string; value: unknown; message: string };
			if ((body as IDataObject)?.[p.key] === p.value) return { status: 'Error', message: p.message, body };
		}
	}
	return { status: 'OK', message: 'Connection successful!', body };
}
