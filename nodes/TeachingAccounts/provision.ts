/**
 * Provision Google Workspace: org units per class, users (password sent as a SHA-1 hash, change
 * at next login), Classroom courses per class and subject with teachers and students added
 * directly. Idempotent: what exists is looked up first, and 409 means "already there".
 *
 * Pure TypeScript: no n8n import and no network. The calls go through `GoogleApi` (plain data in
 * and out), which google.ts implements as REST requests through n8n's HTTP helpers.
 */
import { InputError } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import type { DirectoryUser, GoogleApi } from './googleTypes';
import {
	DEFAULT_RETRY,
	Pacer,
	isConflict,
	paced,
	pool,
	type CallStats,
	type Now,
	type RetryOptions,
	type Sleep,
} from './pacing';
import { initialPassword, sha1Hex } from './passwords';
import { normaliseOu } from './plan';
import { orgUnitChain, readAccounts, readCourses, type CourseKey, type Person } from './provisionInput';

export type { Course, DirectoryUser, GoogleApi, OrgUnit } from './googleTypes';
export { COURSE_COLUMNS, courseAlias, orgUnitChain, readAccounts, readCourses, type CourseKey } from './provisionInput';

export interface ProvisionOptions {
	passwordSecret: string;
	passwordLength?: number;
	/** ACTIVE (students see it at once) or PROVISIONED (the owner accepts it first). */
	courseState?: 'ACTIVE' | 'PROVISIONED';
	/** Course aliases are d:<prefix>-<class>-<subject>-<hash>; one prefix per school year. */
	courseAliasPrefix?: string;
	directoryPerMinute?: number;
	classroomPerMinute?: number;
	concurrency?: number;
	retry?: Partial<RetryOptions>;
	courseColumns?: Partial<Record<CourseKey, string>>;
	sleep: Sleep;
	now?: Now;
	random?: () => number;
}


export type UserResult = 'created' | 'exists' | 'updated';

export interface PersonOutcome {
	row: number;
	ok: boolean;
	account: Row;
	result?: UserResult;
	courses: string[];
	error?: string;
}

export interface CourseOutcome {
	row: number;
	ok: boolean;
	courseAlias: string;
	courseId: string;
	courseName: string;
	class: string;
	subject: string;
	result?: 'created' | 'exists';
	teachers: number;
	students: number;
	error?: string;
}

export interface ProvisionReport {
	people: PersonOutcome[];
	courses: CourseOutcome[];
	orgUnitsCreated: string[];
	stats: { directory: CallStats; classroom: CallStats; durationMs: number };
}

export const DEFAULT_DIRECTORY_PER_MINUTE = 2400;
export const DEFAULT_CLASSROOM_PER_MINUTE = 1200;

function describe(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export async function provision(api: GoogleApi, accountRows: Row[], courseRows: Row[], options: ProvisionOptions): Promise<ProvisionReport> {
	const now = options.now ?? Date.now;
	const started = now();
	const retry: RetryOptions = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
	const dirStats: CallStats = { requests: 0, rateLimited: 0, retried: 0 };
	const crStats: CallStats = { requests: 0, rateLimited: 0, retried: 0 };
	const dirPacer = new Pacer(options.directoryPerMinute ?? DEFAULT_DIRECTORY_PER_MINUTE, options.sleep, now);
	const crPacer = new Pacer(options.classroomPerMinute ?? DEFAULT_CLASSROOM_PER_MINUTE, options.sleep, now);
	const dir = <T>(fn: () => Promise<T>, retryNotFound = false) =>
		paced(dirPacer, fn, { retry, sleep: options.sleep, stats: dirStats, retryNotFound, random: options.random });
	const cr = <T>(fn: () => Promise<T>, retryNotFound = false) =>
		paced(crPacer, fn, { retry, sleep: options.sleep, stats: crStats, retryNotFound, random: options.random });
	const concurrency = Math.max(1, options.concurrency ?? 8);

	const { people, problems } = readAccounts(accountRows);
	const outcomes = new Map<number, PersonOutcome>();
	for (const p of problems) {
		outcomes.set(p.row, { row: p.row, ok: false, account: accountRows[p.row] ?? {}, courses: [], error: new InputError(p.message, { row: p.row, field: p.field }).describe() });
	}
	// The same email twice in the input: the later rows fail (one Google user is one person).
	const firstByEmail = new Map<string, Person>();
	const unique: Person[] = [];
	for (const p of people) {
		const first = firstByEmail.get(p.email);
		if (first) {
			outcomes.set(p.row, { row: p.row, ok: false, account: p.account, courses: [], error: `${p.email} is also on row ${first.row + 1}` });
			continue;
		}
		firstByEmail.set(p.email, p);
		unique.push(p);
	}
	const fail = (p: Person, error: string) => {
		const o = outcomes.get(p.row);
		if (o && o.ok) {
			o.ok = false;
			o.error = error;
		} else if (o) {
			o.error = o.error ? `${o.error}; ${error}` : error;
		} else outcomes.set(p.row, { row: p.row, ok: false, account: p.account, courses: [], error });
	};

	// 1. Org units, parents first.
	const orgUnitsCreated: string[] = [];
	const failedUnits = new Map<string, string>();
	const needed = new Set<string>();
	for (const p of unique) for (const u of orgUnitChain(p.orgUnitPath)) needed.add(u);
	if (needed.size) {
		let have = new Set<string>();
		try {
			have = new Set((await dir(() => api.listOrgUnits())).map((u) => normaliseOu(u.orgUnitPath ?? '')));
		} catch (e) {
			for (const p of unique) fail(p, `Could not list org units: ${describe(e)}`);
		}
		const missing = [...needed].filter((u) => !have.has(u));
		const depths = [...new Set(missing.map((u) => u.split('/').length))].sort((a, b) => a - b);
		if (!outcomes.size || unique.some((p) => !outcomes.has(p.row))) {
			for (const d of depths) {
				await pool(missing.filter((u) => u.split('/').length === d), concurrency, async (path) => {
					const parent = path.slice(0, path.lastIndexOf('/')) || '/';
					if (failedUnits.has(parent)) {
						failedUnits.set(path, `parent ${parent} could not be created`);
						return;
					}
					try {
						await dir(() => api.insertOrgUnit({ name: path.slice(path.lastIndexOf('/') + 1), parentOrgUnitPath: parent }));
						orgUnitsCreated.push(path);
					} catch (e) {
						if (!isConflict(e)) failedUnits.set(path, describe(e));
					}
				});
			}
		}
	}

	// 2. Users: list once, then insert what is missing and patch what moved.
	const existing = new Map<string, DirectoryUser>();
	let listError = '';
	let pageToken: string | undefined;
	do {
		try {
			const page = await dir(() => api.listUsers(pageToken));
			for (const u of page.users) if (u.primaryEmail) existing.set(u.primaryEmail.toLowerCase(), u);
			pageToken = page.nextPageToken || undefined;
		} catch (e) {
			listError = describe(e);
			pageToken = undefined;
		}
	} while (pageToken);
	const createdNow = new Set<string>();
	const ready = unique.filter((p) => !outcomes.has(p.row));
	if (listError) for (const p of ready) fail(p, `Could not list existing users: ${listError}`);
	await pool(listError ? [] : ready, concurrency, async (p) => {
		const unitError = orgUnitChain(p.orgUnitPath)
			.map((u) => failedUnits.get(u))
			.find(Boolean);
		if (unitError) {
			fail(p, `Org unit ${p.orgUnitPath} could not be created: ${unitError}`);
			return;
		}
		const externalIds = [{ type: 'organization', value: p.personId }];
		const found = existing.get(p.email);
		try {
			if (found) {
				const patch: DirectoryUser = {};
				if (normaliseOu(found.orgUnitPath ?? '/') !== p.orgUnitPath) patch.orgUnitPath = p.orgUnitPath;
				if (found.name?.familyName !== p.familyName || found.name?.givenName !== p.givenName) {
					patch.name = { familyName: p.familyName, givenName: p.givenName };
				}
				const ids = (found.externalIds as Array<{ value?: string }> | undefined) ?? [];
				if (!ids.some((x) => x.value === p.personId)) patch.externalIds = externalIds;
				if (Object.keys(patch).length) {
					await dir(() => api.patchUser(p.email, patch));
					outcomes.set(p.row, { row: p.row, ok: true, account: p.account, result: 'updated', courses: [] });
				} else {
					outcomes.set(p.row, { row: p.row, ok: true, account: p.account, result: 'exists', courses: [] });
				}
				return;
			}
			const password = initialPassword(options.passwordSecret, p.personId, options.passwordLength ?? 10);
			try {
				await dir(() =>
					api.insertUser({
						primaryEmail: p.email,
						name: { familyName: p.familyName, givenName: p.givenName },
						password: sha1Hex(password),
						hashFunction: 'SHA-1',
						changePasswordAtNextLogin: true,
						orgUnitPath: p.orgUnitPath,
						externalIds,
					}),
				);
				createdNow.add(p.email);
				outcomes.set(p.row, { row: p.row, ok: true, account: p.account, result: 'created', courses: [] });
			} catch (e) {
				if (!isConflict(e)) throw e;
				// Made by an earlier run (perhaps one that crashed before it saw the answer).
				createdNow.add(p.email);
				outcomes.set(p.row, { row: p.row, ok: true, account: p.account, result: 'exists', courses: [] });
			}
		} catch (e) {
			fail(p, `Google account ${p.email}: ${describe(e)}`);
		}
	});

	// 3. Classroom: courses, then teachers and students added directly (as admin).
	const { courses, problems: courseProblems } = readCourses(courseRows, unique, options);
	const courseOutcomes: CourseOutcome[] = courseProblems.map((p) => ({
		row: p.row,
		ok: false,
		courseAlias: '',
		courseId: '',
		courseName: '',
		class: '',
		subject: '',
		teachers: 0,
		students: 0,
		error: new InputError(p.message, { row: p.row, field: p.field }).describe(),
	}));
	const byEmail = new Map(unique.map((p) => [p.email, p]));
	const okEmail = (email: string) => {
		const p = byEmail.get(email);
		return p ? outcomes.get(p.row)?.ok === true : true;
	};
	const memberships: Array<{ course: CourseOutcome; email: string; as: 'teacher' | 'student' }> = [];
	const courseResults = await pool(courses, concurrency, async (c): Promise<CourseOutcome> => {
		const out: CourseOutcome = {
			row: c.row,
			ok: true,
			courseAlias: c.alias,
			courseId: c.alias,
			courseName: c.name,
			class: c.className,
			subject: c.subject,
			teachers: 0,
			students: 0,
		};
		const students = unique.filter((p) => p.role === 'student' && p.className === c.className);
		if (students.length > 1000) {
			out.ok = false;
			out.error = `${students.length} students: a course takes at most 1,000`;
			return out;
		}
		const owner = c.teacherEmails.find(okEmail);
		try {
			await cr(
				() =>
					api.createCourse({
						id: c.alias,
						name: c.name,
						section: c.className,
						descriptionHeading: c.subject,
						ownerId: owner ?? 'me',
						courseState: options.courseState ?? 'ACTIVE',
					}),
				owner !== undefined && createdNow.has(owner),
			);
			out.result = 'created';
		} catch (e) {
			if (isConflict(e)) out.result = 'exists';
			else {
				out.ok = false;
				out.error = describe(e);
			}
		}
		if (c.unknownTeachers.length) {
			out.error = `${out.error ? `${out.error}; ` : ''}teachers not in the accounts: ${c.unknownTeachers.join(', ')}`;
		}
		for (const email of c.teacherEmails) if (email !== owner) memberships.push({ course: out, email, as: 'teacher' });
		if (owner) out.teachers++;
		for (const s of students) memberships.push({ course: out, email: s.email, as: 'student' });
		return out;
	});
	courseOutcomes.push(...courseResults);

	await pool(memberships, concurrency, async (m) => {
		const person = byEmail.get(m.email);
		const label = m.course.courseName;
		if (!m.course.ok) {
			if (person) fail(person, `Not added to ${label}: the course could not be created (${m.course.error})`);
			return;
		}
		if (!okEmail(m.email)) return; // the person's own failure is already reported
		try {
			await cr(
				() => (m.as === 'teacher' ? api.addTeacher(m.course.courseAlias, m.email) : api.addStudent(m.course.courseAlias, m.email)),
				createdNow.has(m.email),
			);
		} catch (e) {
			if (!isConflict(e)) {
				if (person) fail(person, `Not added to ${label} as ${m.as}: ${describe(e)}`);
				m.course.error = `${m.course.error ? `${m.course.error}; ` : ''}${m.email}: ${describe(e)}`;
				return;
			}
		}
		if (m.as === 'teacher') m.course.teachers++;
		else m.course.students++;
		if (person) outcomes.get(person.row)?.courses.push(label);
	});
	for (const c of courseResults) {
		const owner = courses.find((x) => x.row === c.row)?.teacherEmails.find(okEmail);
		const p = owner ? byEmail.get(owner) : undefined;
		if (p && c.ok) outcomes.get(p.row)?.courses.push(c.courseName);
	}

	const ordered = [...outcomes.values()].sort((a, b) => a.row - b.row);
	for (const row of accountRows.keys()) {
		if (!outcomes.has(row) && !isEmptyRow(accountRows[row])) {
			// Not reachable by construction; kept so that no person can ever be dropped silently.
			ordered.push({ row, ok: false, account: accountRows[row], courses: [], error: 'Not processed' });
		}
	}
	return {
		people: ordered.sort((a, b) => a.row - b.row),
		courses: courseOutcomes.sort((a, b) => a.row - b.row),
		orgUnitsCreated,
		stats: { directory: dirStats, classroom: crStats, durationMs: now() - started },
	};
}
