/**
 * The Google calls: a service-account token with domain-wide delegation, and the Directory and
 * Classroom methods provisioning and auditing use, through @googleapis/admin and
 * @googleapis/classroom. Plain data in and out; errors become ApiError (pacing.ts).
 * No secret is ever logged or put into an error message.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { classroom, type classroom_v1 } from '@googleapis/classroom';
import { createSign } from 'crypto';
import { ApiError } from './pacing';
import type { DirectoryUser, GoogleApi, OrgUnit, Course } from './provision';

export const SCOPES = [
	'https://www.googleapis.com/auth/admin.directory.user',
	'https://www.googleapis.com/auth/admin.directory.orgunit',
	'https://www.googleapis.com/auth/classroom.courses',
	'https://www.googleapis.com/auth/classroom.rosters',
];
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleSettings {
	serviceAccountEmail: string;
	privateKey: string;
	/** The admin user the service account acts as (domain-wide delegation). */
	delegatedUser: string;
	/** my_customer or the customer id (C0xxxxxxx). */
	customer: string;
	/** Overrides both APIs' root, e.g. a private gateway or the test fake. Blank: Google. */
	apiRootUrl?: string;
	tokenUrl?: string;
	scopes?: string[];
}

/** Posts a form to the token URL and returns the parsed JSON (n8n's httpRequest in the node). */
export type PostForm = (url: string, form: Record<string, string>) => Promise<unknown>;

/** Reads the private key as pasted: PEM, PEM with literal \n, or the whole JSON key file. */
export function readKey(settings: GoogleSettings): { email: string; key: string } {
	let key = settings.privateKey.trim();
	let email = settings.serviceAccountEmail.trim();
	if (key.startsWith('{')) {
		try {
			const json = JSON.parse(key) as { private_key?: string; client_email?: string };
			key = json.private_key ?? '';
			email = email || (json.client_email ?? '');
		} catch {
			throw new ApiError('The private key field holds JSON that cannot be read', 400, 'badKey');
		}
	}
	key = key.replace(/\\n/g, '\n');
	if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
		throw new ApiError('The private key is not a PEM key (-----BEGIN PRIVATE KEY-----)', 400, 'badKey');
	}
	if (!email) throw new ApiError('The service account email is empty', 400, 'badKey');
	return { email, key };
}

function base64url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The signed JWT assertion of the OAuth 2.0 service-account flow (RS256). */
export function signAssertion(settings: GoogleSettings, nowSeconds: number): string {
	const { email, key } = readKey(settings);
	const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
	const claims = base64url(
		JSON.stringify({
			iss: email,
			sub: settings.delegatedUser.trim(),
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
		throw new ApiError('The private key cannot sign (is it the whole key?)', 400, 'badKey');
	}
	return `${header}.${claims}.${base64url(signature)}`;
}

/** An access token, fetched when first needed and again five minutes before it expires. */
export class TokenSource {
	private token = '';
	private expiresAt = 0;
	private inflight?: Promise<string>;

	constructor(
		private readonly settings: GoogleSettings,
		private readonly post: PostForm,
		private readonly now: () => number = Date.now,
	) {}

	async get(): Promise<string> {
		if (this.token && this.now() < this.expiresAt - 300000) return this.token;
		this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
		return this.inflight;
	}

	private async fetch(): Promise<string> {
		const url = this.settings.tokenUrl || DEFAULT_TOKEN_URL;
		const assertion = signAssertion(this.settings, Math.floor(this.now() / 1000));
		let json: { access_token?: string; expires_in?: number; error?: string; error_description?: string };
		try {
			json = (await this.post(url, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })) as typeof json;
		} catch (e) {
			const body = (e as { response?: { body?: unknown; data?: unknown } })?.response;
			const detail = (body?.body ?? body?.data) as { error?: string; error_description?: string } | undefined;
			const what = detail?.error_description ?? detail?.error ?? (e instanceof Error ? e.message : String(e));
			throw new ApiError(`Google refused the service account token: ${what}`, 401, detail?.error ?? 'tokenError');
		}
		if (!json || typeof json.access_token !== 'string') {
			throw new ApiError(`Google refused the service account token: ${json?.error_description ?? json?.error ?? 'no access_token'}`, 401, json?.error ?? 'tokenError');
		}
		this.token = json.access_token;
		this.expiresAt = this.now() + (json.expires_in ?? 3600) * 1000;
		return this.token;
	}
}

interface GoogleErrorBody {
	error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; message?: string }> };
}

/** Maps a gaxios error (either major version) to ApiError, without secrets. */
export function toApiError(e: unknown): ApiError {
	if (e instanceof ApiError) return e;
	const err = e as { response?: { status?: number; data?: unknown; headers?: unknown }; code?: string | number; message?: string };
	const res = err?.response;
	if (!res || typeof res.status !== 'number') {
		const code = typeof err?.code === 'string' ? err.code : '';
		return new ApiError(`No answer from Google${code ? ` (${code})` : ''}: ${err?.message ?? String(e)}`, 0, '', code);
	}
	const body = (typeof res.data === 'string' ? safeJson(res.data) : res.data) as GoogleErrorBody | undefined;
	const reason = body?.error?.errors?.[0]?.reason ?? body?.error?.status ?? '';
	const message = body?.error?.message ?? `HTTP ${res.status}`;
	let retryAfterMs: number | undefined;
	const headers = res.headers as { get?: (k: string) => string | null } & Record<string, string> | undefined;
	const ra = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
	if (ra && /^\d+$/.test(ra)) retryAfterMs = Number(ra) * 1000;
	return new ApiError(`${res.status} ${message}`, res.status, reason, '', retryAfterMs);
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Google's own user fields the audit reads. */
export type AuditUser = Pick<admin_directory_v1.Schema$User, 'primaryEmail' | 'lastLoginTime' | 'creationTime' | 'suspended' | 'orgUnitPath' | 'externalIds' | 'name'>;

export interface SchoolGoogle extends GoogleApi {
	listUsersForAudit(pageToken?: string, query?: string): Promise<{ users: AuditUser[]; nextPageToken?: string }>;
	/** One cheap read of each API: used by the credential test. */
	check(): Promise<void>;
}

/** Builds the API clients for one execution (nothing is kept between executions). */
export function createGoogle(settings: GoogleSettings, post: PostForm, now: () => number = Date.now): SchoolGoogle {
	const tokens = new TokenSource(settings, post, now);
	const root = settings.apiRootUrl?.trim() ? settings.apiRootUrl.trim().replace(/\/?$/, '/') : undefined;
	const common = {
		retry: false,
		// Node's own fetch: the clients' default would load node-fetch as an ES module.
		fetchImplementation: fetch,
		...(root ? { rootUrl: root } : {}),
	};
	const dir = admin({ version: 'directory_v1', ...common } as admin_directory_v1.Options);
	const room = classroom({ version: 'v1', ...common } as classroom_v1.Options);
	const customer = settings.customer?.trim() || 'my_customer';
	const call = async <T>(fn: (headers: { headers: Record<string, string> }) => Promise<{ data: T }>): Promise<T> => {
		const token = await tokens.get();
		try {
			const res = await fn({ headers: { Authorization: `Bearer ${token}` } });
			return res.data;
		} catch (e) {
			throw toApiError(e);
		}
	};
	const userFields = 'users(primaryEmail,name,orgUnitPath,externalIds,suspended),nextPageToken';
	return {
		async listUsers(pageToken) {
			const data = await call((h) => dir.users.list({ customer, maxResults: 500, projection: 'basic', pageToken, fields: userFields }, h));
			return { users: data.users ?? [], nextPageToken: data.nextPageToken ?? undefined };
		},
		async listUsersForAudit(pageToken, query) {
			const data = await call((h) =>
				dir.users.list(
					{
						customer,
						maxResults: 500,
						projection: 'basic',
						pageToken,
						query,
						fields: 'users(primaryEmail,name,orgUnitPath,externalIds,suspended,lastLoginTime,creationTime),nextPageToken',
					},
					h,
				),
			);
			return { users: data.users ?? [], nextPageToken: data.nextPageToken ?? undefined };
		},
		insertUser: (user: DirectoryUser) => call((h) => dir.users.insert({ requestBody: user, fields: 'id,primaryEmail' }, h)),
		patchUser: (userKey: string, patch: DirectoryUser) => call((h) => dir.users.patch({ userKey, requestBody: patch, fields: 'id,primaryEmail' }, h)),
		async listOrgUnits() {
			const data = await call((h) => dir.orgunits.list({ customerId: customer, type: 'all' }, h));
			return data.organizationUnits ?? [];
		},
		insertOrgUnit: (unit: OrgUnit) => call((h) => dir.orgunits.insert({ customerId: customer, requestBody: unit }, h)),
		createCourse: (course: Course) => call((h) => room.courses.create({ requestBody: course }, h)),
		addTeacher: (courseId: string, userId: string) => call((h) => room.courses.teachers.create({ courseId, requestBody: { userId } }, h)),
		addStudent: (courseId: string, userId: string) => call((h) => room.courses.students.create({ courseId, requestBody: { userId } }, h)),
		async check() {
			await call((h) => dir.users.list({ customer, maxResults: 1, fields: 'users(primaryEmail)' }, h));
			await call((h) => room.courses.list({ pageSize: 1 }, h));
		},
	};
}
