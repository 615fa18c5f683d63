/**
 * The credential types' preAuthentication: one token request through n8n's own HTTP helper
 * (n8n stores the answer with the credential). Errors name the platform's code, never a secret.
 */
import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { appAuthenticate, readToken, tokenRequest, TokenError } from './appAuth';
import { platformLabel, type AppPlatform } from './platforms';

export async function fetchAppToken(
	helper: IHttpRequestHelper,
	platform: AppPlatform,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const req = tokenRequest(platform, credentials);
	let body: unknown;
	try {
		body = await helper.helpers.httpRequest({
			method: req.method as IHttpRequestOptions['method'],
			url: req.url,
			qs: req.qs as IDataObject | undefined,
			body: req.body as IDataObject | undefined,
			json: true,
			ignoreHttpStatusErrors: true,
			timeout: 15_000,
		});
	} catch (error) {
		const e = error as { code?: string; cause?: { code?: string } };
		throw new TokenError(`Could not reach ${platformLabel(platform)} for an access token (${e.cause?.code ?? e.code ?? 'network error'})`);
	}
	return { ...readToken(platform, body, Date.now()) };
}

/** The hidden fields n8n fills by preAuthentication: the token (expirable) and its expiry. */
export function tokenProperties(displayName = 'Access Token'): INodeProperties[] {
	return [
		{ displayName, name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
		{ displayName: 'Expires At', name: 'expiresAt', type: 'hidden', default: 0 },
	];
}

/** A credential-test rule: the answer's `key` equal to `code` fails the test with `message`. */
export function bodyRule(key: 'errcode' | 'code', code: number, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key, value: code, message } };
}

/** A credential type's preAuthentication for one platform (n8n calls it with its helpers as this). */
export function preAuthenticationFor(platform: AppPlatform) {
	return async function (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return await fetchAppToken(this, platform, credentials);
	};
}

/** A credential type's authenticate for one platform. */
export function authenticateFor(platform: AppPlatform) {
	return async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> =>
		appAuthenticate(platform, credentials, requestOptions, Date.now()) as IHttpRequestOptions;
}
