/**
 * What n8n does with our app credentials, for adapter tests over real HTTP (to test/fakes/apps.ts):
 * - httpRequestWithAuthentication: preAuthentication when the hidden expirable token is empty,
 *   the credential type's own authenticate, the request; on an error with response.status 401
 *   (what authenticate throws to ask for a renewal) preAuthentication with credentialsExpired =
 *   true, then authenticate and the request once more (n8n-core request-helpers/authentication.js);
 * - the token is written back into the shared credential object, as n8n stores it in its
 *   database for every worker (n8n/dist/credentials-helper.js preAuthentication);
 * - the credential test: preAuthentication always, then the test request through authenticate,
 *   judged by the responseSuccessBody rules (n8n's CredentialsTester).
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { DingTalkAppApi } from '../../credentials/DingTalkAppApi.credentials';
import { FeishuAppApi } from '../../credentials/FeishuAppApi.credentials';
import { WeComAppApi } from '../../credentials/WeComAppApi.credentials';
import { FAKE_APPS } from './apps';
import { send } from './n8nHttp';

export const APP_TYPES: Record<string, ICredentialType> = {
	dingTalkAppApi: new DingTalkAppApi(),
	weComAppApi: new WeComAppApi(),
	feishuAppApi: new FeishuAppApi(),
};

/** The three credentials as n8n would store them (no token yet), pointing at the fake. */
export function appCredentials(baseUrl: string, over: Partial<Record<string, IDataObject>> = {}): Record<string, IDataObject> {
	return {
		dingTalkAppApi: { ...FAKE_APPS.dingtalk, baseUrl, accessToken: '', expiresAt: 0, ...over.dingTalkAppApi },
		weComAppApi: { ...FAKE_APPS.wecom, baseUrl, accessToken: '', expiresAt: 0, ...over.weComAppApi },
		feishuAppApi: { ...FAKE_APPS.feishu, baseUrl, accessToken: '', expiresAt: 0, ...over.feishuAppApi },
	};
}

const helper: IHttpRequestHelper = { helpers: { httpRequest: async (o: IHttpRequestOptions) => (await send(o)) as never } } as IHttpRequestHelper;

function expirableName(type: ICredentialType): string {
	const p = type.properties.find((x) => x.type === 'hidden' && x.typeOptions?.expirable === true);
	if (!p) throw new Error(`${type.name} has no expirable property`);
	return p.name;
}

async function preAuthenticate(typeName: string, store: Record<string, IDataObject>, expired: boolean): Promise<void> {
	const type = APP_TYPES[typeName];
	const creds = store[typeName];
	if (creds[expirableName(type)] !== '' && !expired) return;
	const output = (await type.preAuthentication!.call(helper, creds as ICredentialDataDecryptedObject)) as IDataObject;
	if (output[expirableName(type)] === undefined) return;
	Object.assign(creds, output);
}

async function authenticate(typeName: string, store: Record<string, IDataObject>, o: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const auth = APP_TYPES[typeName].authenticate;
	if (typeof auth !== 'function') throw new Error('authenticate must be a function');
	return await auth(store[typeName] as ICredentialDataDecryptedObject, o);
}

/** The test context's `http` hook for the app credentials; `store` plays n8n's credential database. */
export function n8nAppHttp(store: Record<string, IDataObject>) {
	return async (options: IHttpRequestOptions, credentialType?: string): Promise<unknown> => {
		if (!credentialType) return await send(options);
		const o: IHttpRequestOptions = JSON.parse(JSON.stringify(options));
		try {
			await preAuthenticate(credentialType, store, false);
			return await send(await authenticate(credentialType, store, o));
		} catch (error) {
			if ((error as { response?: { status?: number } }).response?.status !== 401) throw error;
			await preAuthenticate(credentialType, store, true);
			return await send(await authenticate(credentialType, store, o));
		}
	};
}

function resolve(value: unknown, creds: IDataObject): unknown {
	if (typeof value === 'string') {
		const m = value.match(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/);
		return m ? creds[m[1]] : value;
	}
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value as IDataObject).map(([k, v]) => [k, resolve(v, creds)]));
	}
	return value;
}

/** n8n's credential test for an app credential. */
export async function testAppCredential(typeName: string, data: IDataObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const store = { [typeName]: { ...data } };
	const type = APP_TYPES[typeName];
	try {
		await preAuthenticate(typeName, store, true);
		const request = resolve(JSON.parse(JSON.stringify(type.test!.request)), store[typeName]) as IHttpRequestOptions;
		const body = (await send(await authenticate(typeName, store, request))) as IDataObject;
		for (const rule of type.test!.rules ?? []) {
			const p = rule.properties as { key: string; value: unknown; message: string };
			if (rule.type === 'responseSuccessBody' && body?.[p.key] === p.value) return { status: 'Error', message: p.message };
		}
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
