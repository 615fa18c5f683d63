/**
 * The OAuth 2.0 service-account flow with domain-wide delegation: a JWT signed with the
 * service account's key (RS256, node:crypto) is exchanged at the token URL for an access token.
 * Used by the credential's preAuthentication, which n8n runs when the stored token is empty or
 * an API call answers 401. Pure TypeScript: the HTTP post is handed in (n8n's httpRequest).
 * No secret is ever put into an error message.
 */
import { createSign } from 'crypto';

export const SCOPES = [
	'https://www.googleapis.com/auth/admin.directory.user',
	'https://www.googleapis.com/auth/admin.directory.orgunit',
	'https://www.googleapis.com/auth/classroom.courses',
	'https://www.googleapis.com/auth/classroom.rosters',
];
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountSettings {
	serviceAccountEmail: string;
	privateKey: string;
	/** The admin user the service account acts as (domain-wide delegation). */
	delegatedUser: string;
	tokenUrl?: string;
	scopes?: string[];
}

/**
 * A failure to get a token (bad key, refused delegation). Not retried: the credential is wrong.
 * Its name lets the transport tell it from a network failure after n8n wraps it.
 */
export class TokenError extends Error {
	constructor(
		message: string,
		readonly reason: string,
	) {
		super(message);
		this.name = 'GoogleTokenError';
	}
}

/** Reads the private key as pasted: PEM, PEM with literal \n, or the whole JSON key file. */
export function readKey(settings: ServiceAccountSettings): { email: string; key: string } {
	let key = String(settings.privateKey ?? '').trim();
	let email = String(settings.serviceAccountEmail ?? '').trim();
	if (key.startsWith('{')) {
		try {
			const json = JSON.parse(key) as { private_key?: string; client_email?: string };
			key = json.private_key ?? '';
			email = email || (json.client_email ?? '');
		} catch {
			throw new TokenError('The private key field holds JSON that cannot be read', 'badKey');
		}
	}
	key = key.replace(/\\n/g, '\n');
	if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
		throw new TokenError('The private key is not a PEM key (-----BEGIN PRIVATE KEY-----)', 'badKey');
	}
	if (!email) throw new TokenError('The service account email is empty', 'badKey');
	return { email, key };
}

function base64url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The signed JWT assertion of the OAuth 2.0 service-account flow (RS256). */
export function signAssertion(settings: ServiceAccountSettings, nowSeconds: number): string {
	const { email, key } = readKey(settings);
	const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
	const claims = base64url(
		JSON.stringify({
			iss: email,
			sub: String(settings.delegatedUser ?? '').trim(),
			scope: (settings.scopes ?? SCOPES).join(' '),
			aud: settings.tokenUrl || DEFAULT_TOKEN_URL,
			iat: nowSeconds,
			exp: nowSeconds + 3600,
		}),
	);
	let signature: Buffer;
	try {
		signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
	} catch {
		throw new TokenError('The private key cannot sign (is it the whole key?)', 'badKey');
	}
	return `${header}.${claims}.${base64url(signature)}`;
}

/** Posts a form and answers the parsed JSON body; throws on HTTP errors (n8n's httpRequest). */
export type PostForm = (url: string, form: string) => Promise<unknown>;

interface TokenAnswer {
	access_token?: string;
	expires_in?: number;
	error?: string;
	error_description?: string;
}

const HINT = 'Check the key and the domain-wide delegation of the scopes listed in the docs.';

/** Exchanges a fresh assertion for an access token. */
export async function fetchToken(settings: ServiceAccountSettings, post: PostForm, nowMs: number): Promise<string> {
	const url = settings.tokenUrl || DEFAULT_TOKEN_URL;
	const assertion = signAssertion(settings, Math.floor(nowMs / 1000));
	const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
	let json: TokenAnswer;
	try {
		json = (await post(url, form)) as TokenAnswer;
	} catch (e) {
		const err = e as { response?: { body?: unknown; data?: unknown }; cause?: { response?: { data?: unknown } }; context?: { data?: unknown } };
		const detail = (err?.response?.body ?? err?.response?.data ?? err?.cause?.response?.data ?? err?.context?.data) as TokenAnswer | undefined;
		const what = detail?.error_description ?? detail?.error ?? (e instanceof Error ? e.message : String(e));
		throw new TokenError(`Google refused the service account token: ${String(what).slice(0, 200)}. ${HINT}`, detail?.error ?? 'tokenError');
	}
	if (!json || typeof json.access_token !== 'string') {
		const what = json?.error_description ?? json?.error ?? 'no access_token';
		throw new TokenError(`Google refused the service account token: ${String(what).slice(0, 200)}. ${HINT}`, json?.error ?? 'tokenError');
	}
	return json.access_token;
}
