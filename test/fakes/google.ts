/**
 * A local fake of the Google endpoints Teaching Accounts uses: the OAuth token endpoint, the
 * Directory API (users, org units) and the Classroom API (courses, teachers, students).
 *
 * It answers with the real shapes (the fields of the Directory and Classroom API references),
 * verifies the service-account JWT, enforces the per-user quotas (Directory 2,400 a minute ->
 * 403 userRateLimitExceeded; Classroom 1,200 a minute -> 429 RESOURCE_EXHAUSTED), answers 409 on
 * a duplicate, and creates users asynchronously (a new user is not listed and answers
 * 412 "User creation is not complete." / 404 for `creationDelayMs`).
 *
 * Faults: POST /__fake/fault {status: 429|500|503, count, every?, api?} or {crashAfter: n}
 * or {hangMs, count?} (the next `count` API requests get no answer for hangMs: a silent call)
 * (the n+1th API request is carried out, then its connection and every later API connection is
 * dropped until POST /__fake/recover); {status: 403, reason: 'userRateLimitExceeded'} answers as
 * Google's quota does. Sign-ins: POST /__fake/login {emails, at?}. State: GET /__fake/state. Test credentials:
 * GET /__fake/credentials. Reset: POST /__fake/reset.
 *
 * Standalone: `node bench/run-ts.js test/fakes/google.ts` prints its base URL (run-ts.js takes
 * only file arguments, so settings come from FAKE_GOOGLE_PORT, FAKE_GOOGLE_CREATION_DELAY_MS,
 * FAKE_GOOGLE_WINDOW_MS, FAKE_GOOGLE_DIRECTORY_PER_MINUTE, FAKE_GOOGLE_CLASSROOM_PER_MINUTE).
 */
import { NodeApiError, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type IHttpRequestHelper, type IHttpRequestOptions, type INode } from 'n8n-workflow';
import { createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { GoogleWorkspaceSchoolApi } from '../../credentials/GoogleWorkspaceSchoolApi.credentials';
import { createGoogle, type SchoolGoogle } from '../../nodes/TeachingAccounts/google';
import { n8nGoogleRequest } from '../../nodes/TeachingAccounts/transport';

/** Directory API user resource (the fields the fake keeps). */
interface User {
	kind?: string;
	id?: string;
	primaryEmail?: string;
	name?: { givenName?: string; familyName?: string; fullName?: string };
	password?: string;
	hashFunction?: string;
	changePasswordAtNextLogin?: boolean;
	orgUnitPath?: string;
	externalIds?: unknown;
	suspended?: boolean;
	creationTime?: string;
	lastLoginTime?: string;
}
/** Directory API orgunit resource. */
interface OrgUnit {
	kind?: string;
	name?: string;
	orgUnitPath?: string;
	parentOrgUnitPath?: string;
	orgUnitId?: string;
}
/** Classroom API course resource. */
interface Course {
	id?: string;
	name?: string;
	section?: string;
	descriptionHeading?: string;
	ownerId?: string;
	courseState?: string;
	creationTime?: string;
	enrollmentCode?: string;
}

export interface FakeGoogleOptions {
	port?: number;
	directoryPerMinute?: number;
	classroomPerMinute?: number;
	/** Length of the quota window (60,000 ms as at Google). */
	windowMs?: number;
	/** How long a new user stays "being created". */
	creationDelayMs?: number;
	/** Service account key the fake accepts (generated when absent). */
	publicKeyPem?: string;
	customerDomain?: string;
}

export interface Fault {
	status?: number;
	/** How many requests get the fault. */
	count?: number;
	/** Fault every k-th matching request (1 = each). */
	every?: number;
	api?: 'directory' | 'classroom';
	/** errors[0].reason of the injected answer, e.g. userRateLimitExceeded with status 403. */
	reason?: string;
	crashAfter?: number;
	/** No answer for this long (the request is not carried out). */
	hangMs?: number;
}

export interface FakeState {
	users: Array<User & { ready: boolean }>;
	orgUnits: OrgUnit[];
	courses: Course[];
	teachers: Record<string, string[]>;
	students: Record<string, string[]>;
	counters: {
		requests: number;
		directoryRequests: number;
		classroomRequests: number;
		rateLimited: number;
		faultsInjected: number;
		duplicates: number;
		insertsAccepted: number;
		dropped: number;
		tokens: number;
	};
	crashed: boolean;
	/** Start and end (ms since epoch) of the accepted API requests, by API. */
	window: { directory: [number, number]; classroom: [number, number] };
}

export interface FakeGoogle {
	url: string;
	tokenUrl: string;
	/** Credential values that the fake accepts. */
	credentials: { serviceAccountEmail: string; privateKey: string; delegatedUser: string; customer: string; apiRootUrl: string; tokenUrl: string };
	state(): FakeState;
	fault(f: Fault): void;
	recover(): void;
	reset(): void;
	/** Every access token given so far stops working (as when they expire): APIs answer 401. */
	revokeTokens(): void;
	close(): Promise<void>;
}

interface UserRecord {
	user: User;
	readyAt: number;
}

function withoutPassword(u: User): User {
	const copy = { ...u };
	delete copy.password;
	return copy;
}

function googleError(code: number, message: string, reason: string, domain = 'global') {
	return { error: { code, message, errors: [{ message, domain, reason }] } };
}

function grpcError(code: number, message: string, status: string) {
	return { error: { code, message, status } };
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
	const windowMs = options.windowMs ?? 60000;
	const quota = { directory: options.directoryPerMinute ?? 2400, classroom: options.classroomPerMinute ?? 1200 };
	const creationDelayMs = options.creationDelayMs ?? 50;
	const domain = options.customerDomain ?? 'school.example.cn';
	let publicKey = options.publicKeyPem;
	let privateKey = '';
	if (!publicKey) {
		const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
		publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
		privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	}
	const serviceAccountEmail = 'campus-accounts@school-project.iam.gserviceaccount.com';
	const delegatedUser = `admin@${domain}`;

	let users = new Map<string, UserRecord>();
	let orgUnits = new Map<string, OrgUnit>();
	let courses = new Map<string, Course>();
	let teachers = new Map<string, Set<string>>();
	let students = new Map<string, Set<string>>();
	const tokens = new Map<string, string>();
	let counters: FakeState['counters'];
	let hits: { directory: Map<string, number[]>; classroom: Map<string, number[]> };
	let windows: FakeState['window'];
	let faults: Array<Fault & { seen: number; left: number }> = [];
	let hangs: Array<{ ms: number; left: number }> = [];
	const hangTimers = new Set<ReturnType<typeof setTimeout>>();
	let crashAfter: number | undefined;
	let crashed = false;
	const sockets = new Set<Socket>();

	const reset = () => {
		users = new Map();
		orgUnits = new Map([['/', { orgUnitPath: '/', name: domain, orgUnitId: 'id:root', kind: 'admin#directory#orgUnit' }]]);
		courses = new Map();
		teachers = new Map();
		students = new Map();
		counters = { requests: 0, directoryRequests: 0, classroomRequests: 0, rateLimited: 0, faultsInjected: 0, duplicates: 0, insertsAccepted: 0, dropped: 0, tokens: 0 };
		hits = { directory: new Map(), classroom: new Map() };
		windows = { directory: [0, 0], classroom: [0, 0] };
		faults = [];
		hangs = [];
		crashAfter = undefined;
		crashed = false;
	};
	reset();

	const isReady = (r: UserRecord) => Date.now() >= r.readyAt;
	const readyUser = (key: string) => {
		const r = users.get(key.toLowerCase());
		return r && isReady(r) ? r : undefined;
	};

	const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
		res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
		res.end(JSON.stringify(body));
	};

	const readBody = (req: IncomingMessage) =>
		new Promise<string>((resolve, reject) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});

	const verifyAssertion = (assertion: string): { sub: string; scope: string } | string => {
		const parts = assertion.split('.');
		if (parts.length !== 3) return 'malformed assertion';
		const ok = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(publicKey as string, Buffer.from(parts[2], 'base64url'));
		if (!ok) return 'Invalid JWT Signature.';
		const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: string; scope?: string; exp?: number; iss?: string };
		if (!claims.sub) return 'no subject: domain-wide delegation needs the admin to impersonate';
		if (!claims.exp || claims.exp * 1000 < Date.now()) return 'Invalid JWT: Token must be a short-lived token';
		return { sub: claims.sub, scope: claims.scope ?? '' };
	};

	const underQuota = (api: 'directory' | 'classroom', subject: string): boolean => {
		const now = Date.now();
		const list = hits[api].get(subject) ?? [];
		while (list.length && list[0] <= now - windowMs) list.shift();
		if (list.length >= quota[api]) return false;
		list.push(now);
		hits[api].set(subject, list);
		if (!windows[api][0]) windows[api][0] = now;
		windows[api][1] = now;
		return true;
	};

	const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, api: 'directory' | 'classroom') => {
		const auth = req.headers.authorization ?? '';
		const subject = tokens.get(auth.replace(/^Bearer\s+/i, ''));
		if (!subject) {
			send(res, 401, googleError(401, 'Request had invalid authentication credentials.', 'authError'));
			return;
		}
		counters.requests++;
		const hang = hangs.find((h) => h.left > 0);
		if (hang) {
			// A silent call: no answer for hang.ms, then the connection closes with nothing done.
			hang.left--;
			counters.faultsInjected++;
			const timer = setTimeout(() => {
				hangTimers.delete(timer);
				req.socket.destroy();
			}, hang.ms);
			hangTimers.add(timer);
			return;
		}
		if (crashAfter !== undefined) {
			if (crashAfter <= 0) crashed = true;
			crashAfter--;
		}
		for (const f of faults) {
			if (f.left <= 0 || (f.api && f.api !== api)) continue;
			f.seen++;
			if ((f.seen - 1) % (f.every ?? 1) !== 0) continue;
			f.left--;
			counters.faultsInjected++;
			const status = f.status ?? 503;
			if (status === 429) send(res, 429, grpcError(429, 'Resource has been exhausted (e.g. check quota).', 'RESOURCE_EXHAUSTED'));
			else if (status === 403 && f.reason) send(res, 403, googleError(403, `Quota exceeded (${f.reason})`, f.reason, 'usageLimits'));
			else send(res, status, googleError(status, 'Backend Error', 'backendError'));
			return;
		}
		if (!underQuota(api, subject)) {
			counters.rateLimited++;
			if (api === 'directory') {
				send(res, 403, googleError(403, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'", 'userRateLimitExceeded', 'usageLimits'));
			} else {
				send(res, 429, grpcError(429, "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service 'classroom.googleapis.com'", 'RESOURCE_EXHAUSTED'));
			}
			return;
		}
		if (api === 'directory') counters.directoryRequests++;
		else counters.classroomRequests++;
		const body = req.method === 'GET' ? undefined : await readBody(req);
		const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
		const reply = (status: number, payload: unknown) => {
			if (crashed) {
				// The work is done, the answer never arrives: the crash a re-run must survive.
				counters.dropped++;
				req.socket.destroy();
				return;
			}
			send(res, status, payload);
		};
		const path = url.pathname;
		let m: RegExpExecArray | null;
		if (api === 'directory') {
			if (path === '/admin/directory/v1/users' && req.method === 'GET') {
				const max = Math.min(Number(url.searchParams.get('maxResults') ?? 100), 500);
				const start = Number(url.searchParams.get('pageToken') ?? 0);
				const all = [...users.values()].filter(isReady).map((r) => r.user).sort((a, b) => String(a.primaryEmail).localeCompare(String(b.primaryEmail)));
				const page = all.slice(start, start + max);
				const out: { kind: string; users: User[]; nextPageToken?: string } = { kind: 'admin#directory#users', users: page };
				if (start + max < all.length) out.nextPageToken = String(start + max);
				return reply(200, out);
			}
			if (path === '/admin/directory/v1/users' && req.method === 'POST') {
				const u = json as User;
				if (!u.primaryEmail || !u.name?.givenName || !u.name?.familyName || !u.password) {
					return reply(400, googleError(400, 'Invalid Input: primaryEmail, name.givenName, name.familyName and password are required', 'invalid'));
				}
				if (u.hashFunction && u.hashFunction === 'SHA-1' && !/^[0-9a-f]{40}$/.test(u.password)) {
					return reply(400, googleError(400, 'Invalid Password', 'invalid'));
				}
				const key = u.primaryEmail.toLowerCase();
				if (users.has(key)) {
					counters.duplicates++;
					return reply(409, googleError(409, 'Entity already exists.', 'duplicate'));
				}
				const ou = u.orgUnitPath ?? '/';
				if (!orgUnits.has(ou)) return reply(400, googleError(400, 'Invalid Input: INVALID_OU_ID', 'invalid'));
				const stored: User = {
					kind: 'admin#directory#user',
					id: randomUUID().replace(/-/g, '').slice(0, 21),
					primaryEmail: key,
					name: { ...u.name, fullName: `${u.name.familyName}${u.name.givenName}` },
					orgUnitPath: ou,
					externalIds: u.externalIds,
					changePasswordAtNextLogin: u.changePasswordAtNextLogin ?? false,
					hashFunction: u.hashFunction,
					password: u.password,
					suspended: false,
					creationTime: new Date().toISOString(),
					lastLoginTime: '1970-01-01T00:00:00.000Z',
				};
				users.set(key, { user: stored, readyAt: Date.now() + creationDelayMs });
				counters.insertsAccepted++;
				const visible = withoutPassword(stored);
				return reply(200, visible);
			}
			if ((m = /^\/admin\/directory\/v1\/users\/([^/]+)$/.exec(path))) {
				const key = decodeURIComponent(m[1]).toLowerCase();
				const r = users.get(key);
				if (!r) return reply(404, googleError(404, 'Resource Not Found: userKey', 'notFound'));
				if (!isReady(r)) {
					if (req.method === 'GET') return reply(404, googleError(404, 'Resource Not Found: userKey', 'notFound'));
					return reply(412, googleError(412, 'User creation is not complete.', 'conditionNotMet'));
				}
				if (req.method === 'GET') {
					const visible = withoutPassword(r.user);
					return reply(200, visible);
				}
				if (req.method === 'PATCH' || req.method === 'PUT') {
					const patch = json as User;
					if (patch.orgUnitPath && !orgUnits.has(patch.orgUnitPath)) return reply(400, googleError(400, 'Invalid Input: INVALID_OU_ID', 'invalid'));
					r.user = { ...r.user, ...patch, name: { ...r.user.name, ...(patch.name ?? {}) } };
					const visible = withoutPassword(r.user);
					return reply(200, visible);
				}
			}
			if ((m = /^\/admin\/directory\/v1\/customer\/([^/]+)\/orgunits$/.exec(path))) {
				if (req.method === 'GET') {
					const out: { kind: string; organizationUnits: OrgUnit[] } = { kind: 'admin#directory#orgUnits', organizationUnits: [...orgUnits.values()].filter((o) => o.orgUnitPath !== '/') };
					return reply(200, out);
				}
				const ou = json as OrgUnit;
				const parent = ou.parentOrgUnitPath ?? '/';
				if (!ou.name) return reply(400, googleError(400, 'Invalid Input: name', 'invalid'));
				if (!orgUnits.has(parent)) return reply(400, googleError(400, 'Invalid Parent Orgunit Id', 'invalid'));
				const full = `${parent === '/' ? '' : parent}/${ou.name}`;
				if (orgUnits.has(full)) {
					counters.duplicates++;
					return reply(409, googleError(409, 'Invalid Ou Id: Org unit already exists', 'duplicate'));
				}
				const stored: OrgUnit = { kind: 'admin#directory#orgUnit', name: ou.name, orgUnitPath: full, parentOrgUnitPath: parent, orgUnitId: `id:${randomUUID().slice(0, 8)}` };
				orgUnits.set(full, stored);
				return reply(200, stored);
			}
			return reply(404, googleError(404, `No fake for ${req.method} ${path}`, 'notFound'));
		}
		// Classroom.
		const userId = (id: string) => (id === 'me' ? subject : id.toLowerCase());
		if (path === '/v1/courses' && req.method === 'GET') {
			const out: { courses: Course[] } = { courses: [...courses.values()] };
			return reply(200, out);
		}
		if (path === '/v1/courses' && req.method === 'POST') {
			const c = json as Course;
			if (!c.name || !c.ownerId) return reply(400, grpcError(400, 'name and ownerId are required', 'INVALID_ARGUMENT'));
			const owner = userId(c.ownerId);
			if (owner !== subject && !readyUser(owner)) return reply(404, grpcError(404, 'Requested entity was not found.', 'NOT_FOUND'));
			const alias = c.id && c.id.startsWith('d:') ? c.id : undefined;
			if (alias && courses.has(alias)) {
				counters.duplicates++;
				return reply(409, grpcError(409, 'Requested entity already exists', 'ALREADY_EXISTS'));
			}
			const id = String(100000000000 + courses.size);
			const stored: Course = { ...c, id, ownerId: owner, courseState: c.courseState ?? 'PROVISIONED', creationTime: new Date().toISOString(), enrollmentCode: id.slice(-6) };
			courses.set(alias ?? id, stored);
			teachers.set(alias ?? id, new Set([owner]));
			students.set(alias ?? id, new Set());
			return reply(200, stored);
		}
		if ((m = /^\/v1\/courses\/([^/]+)\/(teachers|students)$/.exec(path)) && req.method === 'POST') {
			const courseKey = decodeURIComponent(m[1]);
			const course = courses.get(courseKey) ?? [...courses.values()].find((c) => c.id === courseKey);
			if (!course) return reply(404, grpcError(404, 'Requested entity was not found.', 'NOT_FOUND'));
			const key = courses.has(courseKey) ? courseKey : String(course.id);
			const who = userId(String((json as { userId?: string }).userId ?? ''));
			if (!readyUser(who)) return reply(404, grpcError(404, 'Requested entity was not found.', 'NOT_FOUND'));
			const set = (m[2] === 'teachers' ? teachers : students).get(key) as Set<string>;
			const other = (m[2] === 'teachers' ? students : teachers).get(key) as Set<string>;
			if (set.has(who) || other.has(who)) {
				counters.duplicates++;
				return reply(409, grpcError(409, 'Requested entity already exists', 'ALREADY_EXISTS'));
			}
			if (m[2] === 'teachers' && set.size >= 50) return reply(400, grpcError(400, 'CourseTeacherLimitReached', 'FAILED_PRECONDITION'));
			if (set.size + other.size >= 1000) return reply(400, grpcError(400, 'CourseMemberLimitReached', 'FAILED_PRECONDITION'));
			set.add(who);
			const profile = { id: readyUser(who)?.user.id, emailAddress: who };
			return reply(200, m[2] === 'teachers' ? ({ courseId: course.id, userId: who, profile }) : ({ courseId: course.id, userId: who, profile }));
		}
		return reply(404, grpcError(404, `No fake for ${req.method} ${path}`, 'NOT_FOUND'));
	};

	const state = (): FakeState => ({
		users: [...users.values()].map((r) => {
			// The state shows what Google stores: the password hash (never a plain password).
			return { ...r.user, ready: isReady(r) };
		}),
		orgUnits: [...orgUnits.values()],
		courses: [...courses.values()],
		teachers: Object.fromEntries([...teachers].map(([k, v]) => [k, [...v]])),
		students: Object.fromEntries([...students].map(([k, v]) => [k, [...v]])),
		counters: { ...counters },
		crashed,
		window: { directory: [...windows.directory] as [number, number], classroom: [...windows.classroom] as [number, number] },
	});

	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		(async () => {
			if (path.startsWith('/__fake/')) {
				if (path === '/__fake/state' && req.method === 'GET') return send(res, 200, state());
				if (path === '/__fake/credentials' && req.method === 'GET') return send(res, 200, fake.credentials);
				if (path === '/__fake/fault' && req.method === 'POST') {
					fake.fault(JSON.parse((await readBody(req)) || '{}') as Fault);
					return send(res, 200, { ok: true });
				}
				if (path === '/__fake/login' && req.method === 'POST') {
					// Someone signs in: {emails: [...], at?: ISO time (now)} sets lastLoginTime.
					const body = JSON.parse((await readBody(req)) || '{}') as { emails?: string[]; at?: string };
					const at = body.at ?? new Date().toISOString();
					let n = 0;
					for (const e of body.emails ?? []) {
						const r = users.get(e.toLowerCase());
						if (r) {
							r.user = { ...r.user, lastLoginTime: at };
							n++;
						}
					}
					return send(res, 200, { ok: true, updated: n });
				}
				if (path === '/__fake/recover' && req.method === 'POST') {
					fake.recover();
					return send(res, 200, { ok: true });
				}
				if (path === '/__fake/reset' && req.method === 'POST') {
					reset();
					return send(res, 200, { ok: true });
				}
				return send(res, 404, { error: 'unknown fake route' });
			}
			if (path === '/token' && req.method === 'POST') {
				const form = new URLSearchParams(await readBody(req));
				if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
					return send(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
				}
				const claims = verifyAssertion(form.get('assertion') ?? '');
				if (typeof claims === 'string') return send(res, 400, { error: 'invalid_grant', error_description: claims });
				if (!claims.scope.includes('admin.directory.user')) {
					return send(res, 400, { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' });
				}
				counters.tokens++;
				const token = `ya29.fake-${randomUUID()}`;
				tokens.set(token, claims.sub.toLowerCase());
				return send(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
			}
			const api = path.startsWith('/admin/directory/') ? 'directory' : path.startsWith('/v1/') ? 'classroom' : undefined;
			if (!api) return send(res, 404, googleError(404, 'Not Found', 'notFound'));
			if (crashed) {
				counters.dropped++;
				req.socket.destroy();
				return;
			}
			await handleApi(req, res, url, api);
		})().catch((e: unknown) => send(res, 500, googleError(500, e instanceof Error ? e.message : String(e), 'backendError')));
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const fake: FakeGoogle = {
		url,
		tokenUrl: `${url}/token`,
		credentials: { serviceAccountEmail, privateKey, delegatedUser, customer: 'my_customer', apiRootUrl: `${url}/`, tokenUrl: `${url}/token` },
		state,
		fault(f: Fault) {
			if (f.crashAfter !== undefined) crashAfter = f.crashAfter;
			if (f.hangMs !== undefined) hangs.push({ ms: f.hangMs, left: f.count ?? 1 });
			if (f.status !== undefined) faults.push({ ...f, seen: 0, left: f.count ?? 1 });
		},
		recover() {
			crashed = false;
			crashAfter = undefined;
			faults = [];
			hangs = [];
		},
		reset,
		revokeTokens: () => tokens.clear(),
		close: () =>
			new Promise<void>((resolve) => {
				for (const t of hangTimers) clearTimeout(t);
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
	return fake;
}

/**
 * What n8n does with the Google Workspace (School) credential, for tests outside n8n: the
 * credential's own preAuthentication (the real code) fills the expirable token when it is empty
 * and again after a 401, its `authenticate` adds the header, and the request goes over real HTTP
 * with n8n's options (qs, json, timeout, returnFullResponse, ignoreHttpStatusErrors). Failures
 * come out as n8n's do: a NodeApiError whose cause is the original error. The real n8n path is
 * exercised by test/integration/accounts.test.ts.
 */
export function n8nGoogleHttp(credentials: IDataObject) {
	const type = new GoogleWorkspaceSchoolApi();
	const node: INode = { id: 'n', name: 'Teaching Accounts', type: 'teachingAccounts', typeVersion: 1, position: [0, 0], parameters: {} };
	const creds = credentials as ICredentialDataDecryptedObject;
	const preAuthentication = async () => {
		const helper = { helpers: { httpRequest: (o: IHttpRequestOptions) => sendAsN8n(o) } } as unknown as IHttpRequestHelper;
		Object.assign(creds, await type.preAuthentication.call(helper, creds));
	};
	return async (options: IHttpRequestOptions, credentialType?: string): Promise<unknown> => {
		if (!credentialType) return await sendAsN8n(options);
		const attempt = async (expired: boolean) => {
			if (!creds.accessToken || expired) await preAuthentication();
			const headers = { ...(options.headers ?? {}), Authorization: `Bearer ${String(creds.accessToken)}` };
			return await sendAsN8n({ ...options, headers });
		};
		try {
			return await attempt(false);
		} catch (error) {
			if ((error as { response?: { status?: number } }).response?.status === 401) {
				try {
					return await attempt(true);
				} catch (again) {
					throw new NodeApiError(node, again as never);
				}
			}
			throw new NodeApiError(node, error as never);
		}
	};
}

/** The node's Google calls (google.ts over transport.ts) through the n8n emulation above. */
export function googleThroughN8n(credentials: IDataObject, timeoutMs?: number): SchoolGoogle {
	const http = n8nGoogleHttp({ ...credentials, accessToken: '' });
	const ctx = { helpers: { httpRequestWithAuthentication: (type: string, o: IHttpRequestOptions) => http(o, type) } } as unknown as IExecuteFunctions;
	return createGoogle({ customer: String(credentials.customer ?? ''), apiRootUrl: String(credentials.apiRootUrl ?? '') }, n8nGoogleRequest(ctx, timeoutMs));
}

/** One request as n8n's httpRequest sends it (axios semantics for errors and statuses). */
async function sendAsN8n(o: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(o.url);
	for (const [k, v] of Object.entries((o.qs ?? {}) as IDataObject)) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = { ...((o.headers ?? {}) as Record<string, string>) };
	let body: string | undefined;
	if (typeof o.body === 'string') body = o.body;
	else if (o.body !== undefined) {
		body = JSON.stringify(o.body);
		headers['content-type'] ??= 'application/json';
	}
	let res: Response;
	try {
		res = await fetch(url, { method: o.method ?? 'GET', headers, body, signal: o.timeout ? AbortSignal.timeout(o.timeout) : undefined });
	} catch (error) {
		const e = error as { name?: string; cause?: { code?: string }; message?: string };
		const code = e.name === 'TimeoutError' ? 'ECONNABORTED' : (e.cause?.code ?? 'ECONNRESET');
		throw Object.assign(new Error(code === 'ECONNABORTED' ? `timeout of ${o.timeout}ms exceeded` : String(e.message)), { code });
	}
	const text = await res.text();
	let data: unknown = text;
	try {
		data = o.json ? JSON.parse(text) : text;
	} catch {
		data = text;
	}
	const ignore = o.ignoreHttpStatusErrors;
	const throws = res.status >= 400 && (ignore === true ? false : typeof ignore === 'object' ? ignore.except.includes(res.status) : true);
	if (throws) {
		throw Object.assign(new Error(`Request failed with status code ${res.status}`), {
			response: { status: res.status, data, headers: Object.fromEntries(res.headers) },
		});
	}
	return o.returnFullResponse ? { statusCode: res.status, headers: Object.fromEntries(res.headers), body: data } : data;
}

if (require.main === module) {
	const env = (name: string) => (process.env[`FAKE_GOOGLE_${name}`] ? Number(process.env[`FAKE_GOOGLE_${name}`]) : undefined);
	startFakeGoogle({
		port: env('PORT'),
		creationDelayMs: env('CREATION_DELAY_MS'),
		windowMs: env('WINDOW_MS'),
		directoryPerMinute: env('DIRECTORY_PER_MINUTE'),
		classroomPerMinute: env('CLASSROOM_PER_MINUTE'),
	}).then((fake) => {
		process.stdout.write(`${fake.url}\n`);
		const stop = () => fake.close().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
