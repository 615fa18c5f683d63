/**
 * The Directory and Classroom calls that provisioning and the audit use, as plain REST requests
 * through a request function handed in (in the node: n8n's httpRequestWithAuthentication, with
 * the credential's token, n8n's proxy settings and a timeout; see transport.ts). Plain data in
 * and out; every failure becomes an ApiError (pacing.ts) that the pacing retries or reports.
 * Pure TypeScript: no n8n import, no network of its own.
 */
import { ApiError } from './pacing';
import type { Course, DirectoryUser, GoogleApi, OrgUnit } from './googleTypes';

export const DIRECTORY_ROOT = 'https://admin.googleapis.com/';
export const CLASSROOM_ROOT = 'https://classroom.googleapis.com/';

export interface GoogleSettings {
	/** my_customer or the customer id (C0xxxxxxx). */
	customer?: string;
	/** Overrides both APIs' root, e.g. a private gateway or the test fake. Blank: Google. */
	apiRootUrl?: string;
}

export interface GoogleRequest {
	method: 'GET' | 'POST' | 'PATCH';
	url: string;
	qs?: Record<string, string | number | undefined>;
	body?: unknown;
}

/** An HTTP answer, whatever its status. */
export interface GoogleResponse {
	status: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

/**
 * Sends one request. Answers every HTTP status as a GoogleResponse; throws only when there was
 * no answer (an error with a `code` such as ECONNRESET or ETIMEDOUT), or an ApiError.
 */
export type RequestFn = (request: GoogleRequest) => Promise<GoogleResponse>;

interface GoogleErrorBody {
	error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; message?: string }> } | string;
	error_description?: string;
}

/** Maps a non-2xx answer to ApiError: status, errors[0].reason (or the gRPC status), Retry-After. */
export function answerError(res: GoogleResponse): ApiError {
	const body = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as GoogleErrorBody | undefined;
	const err = typeof body?.error === 'object' ? body.error : undefined;
	const reason = err?.errors?.[0]?.reason ?? err?.status ?? (typeof body?.error === 'string' ? body.error : '');
	const message = err?.message ?? body?.error_description ?? `HTTP ${res.status}`;
	let retryAfterMs: number | undefined;
	const ra = res.headers?.['retry-after'] ?? res.headers?.['Retry-After'];
	if (ra !== undefined && /^\d+$/.test(String(ra))) retryAfterMs = Number(ra) * 1000;
	return new ApiError(`${res.status} ${String(message).slice(0, 300)}`, res.status, reason, '', retryAfterMs);
}

/** A failure without an answer (reset, refused, timed out) as ApiError with status 0. */
export function noAnswerError(e: unknown): ApiError {
	if (e instanceof ApiError) return e;
	const err = e as { code?: unknown; message?: unknown };
	const code = typeof err?.code === 'string' ? err.code : '';
	const message = typeof err?.message === 'string' ? err.message : String(e);
	return new ApiError(`No answer from Google${code ? ` (${code})` : ''}: ${message.slice(0, 200)}`, 0, '', code);
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Google's own user fields the audit reads. */
export type AuditUser = Pick<DirectoryUser, 'primaryEmail' | 'lastLoginTime' | 'creationTime' | 'suspended' | 'orgUnitPath' | 'externalIds' | 'name'>;

export interface SchoolGoogle extends GoogleApi {
	listUsersForAudit(pageToken?: string, query?: string): Promise<{ users: AuditUser[]; nextPageToken?: string }>;
	/** One cheap read of each API. */
	check(): Promise<void>;
}

const enc = encodeURIComponent;

/** The API calls of one execution (nothing is kept between executions). */
export function createGoogle(settings: GoogleSettings, request: RequestFn): SchoolGoogle {
	const root = settings.apiRootUrl?.trim() ? settings.apiRootUrl.trim().replace(/\/?$/, '/') : undefined;
	const directory = `${root ?? DIRECTORY_ROOT}admin/directory/v1/`;
	const classroom = `${root ?? CLASSROOM_ROOT}v1/`;
	const customer = settings.customer?.trim() || 'my_customer';
	const call = async <T>(req: GoogleRequest): Promise<T> => {
		let res: GoogleResponse;
		try {
			res = await request(req);
		} catch (e) {
			throw noAnswerError(e);
		}
		if (res.status < 200 || res.status > 299) throw answerError(res);
		return (res.body ?? {}) as T;
	};
	type UserList = { users?: DirectoryUser[]; nextPageToken?: string | null };
	const list = async (fields: string, pageToken?: string, query?: string, maxResults = 500) => {
		const data = await call<UserList>({
			method: 'GET',
			url: `${directory}users`,
			qs: { customer, maxResults, projection: 'basic', pageToken, query, fields },
		});
		return { users: data.users ?? [], nextPageToken: data.nextPageToken ?? undefined };
	};
	return {
		listUsers: (pageToken) => list('users(primaryEmail,name,orgUnitPath,externalIds,suspended),nextPageToken', pageToken),
		listUsersForAudit: (pageToken, query) =>
			list('users(primaryEmail,name,orgUnitPath,externalIds,suspended,lastLoginTime,creationTime),nextPageToken', pageToken, query),
		insertUser: (user: DirectoryUser) => call({ method: 'POST', url: `${directory}users`, qs: { fields: 'id,primaryEmail' }, body: user }),
		patchUser: (userKey: string, patch: DirectoryUser) =>
			call({ method: 'PATCH', url: `${directory}users/${enc(userKey)}`, qs: { fields: 'id,primaryEmail' }, body: patch }),
		async listOrgUnits() {
			const data = await call<{ organizationUnits?: OrgUnit[] }>({ method: 'GET', url: `${directory}customer/${enc(customer)}/orgunits`, qs: { type: 'all' } });
			return data.organizationUnits ?? [];
		},
		insertOrgUnit: (unit: OrgUnit) => call({ method: 'POST', url: `${directory}customer/${enc(customer)}/orgunits`, body: unit }),
		createCourse: (course: Course) => call({ method: 'POST', url: `${classroom}courses`, body: course }),
		addTeacher: (courseId: string, userId: string) => call({ method: 'POST', url: `${classroom}courses/${enc(courseId)}/teachers`, body: { userId } }),
		addStudent: (courseId: string, userId: string) => call({ method: 'POST', url: `${classroom}courses/${enc(courseId)}/students`, body: { userId } }),
		async check() {
			await list('users(primaryEmail)', undefined, undefined, 1);
			await call({ method: 'GET', url: `${classroom}courses`, qs: { pageSize: 1 } });
		},
	};
}
