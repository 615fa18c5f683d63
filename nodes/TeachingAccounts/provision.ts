/**
 * Provision Google Workspace: org units per class, users (password sent as a SHA-1 hash, change
 * at next login), Classroom courses per class and subject with teachers and students added
 * directly. Idempotent: what exists is looked up first, and 409 means "already there".
 * The steps, one module each: provisionInput (reading the rows), provisionOrgUnits,
 * provisionUsers, provisionCourses; provisionLedger holds each person's outcome.
 *
 * Pure TypeScript: no n8n import and no network. The calls go through `GoogleApi` (plain data in
 * and out), which google.ts implements as REST requests through n8n's HTTP helpers.
 */
import { InputError, excerpt } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import type { GoogleApi } from './googleTypes';
import { DEFAULT_RETRY, Pacer, paced, type CallStats, type Now, type RetryOptions, type Sleep } from './pacing';
import { readAccounts, type CourseKey, type Person } from './provisionInput';
import { ensureCourses } from './provisionCourses';
import { Ledger, type Call, type CourseOutcome, type PersonOutcome } from './provisionLedger';
import { ensureOrgUnits } from './provisionOrgUnits';
import { ensureUsers } from './provisionUsers';

export type { Course, DirectoryUser, GoogleApi, OrgUnit } from './googleTypes';
export { COURSE_COLUMNS, courseAlias, readAccounts, readCourses, type CourseKey } from './provisionInput';
export { orgUnitChain } from './provisionOrgUnits';
export type { CourseOutcome, PersonOutcome, UserResult } from './provisionLedger';

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

export interface ProvisionReport {
	people: PersonOutcome[];
	courses: CourseOutcome[];
	orgUnitsCreated: string[];
	stats: { directory: CallStats; classroom: CallStats; durationMs: number };
}

export const DEFAULT_DIRECTORY_PER_MINUTE = 2400;
export const DEFAULT_CLASSROOM_PER_MINUTE = 1200;

/** A paced, retried caller of one API, with its request counts. */
function caller(perMinute: number, options: ProvisionOptions, retry: RetryOptions, now: Now): { call: Call; stats: CallStats } {
	const stats: CallStats = { requests: 0, rateLimited: 0, retried: 0 };
	const pacer = new Pacer(perMinute, options.sleep, now);
	const call: Call = (fn, retryNotFound = false) => paced(pacer, fn, { retry, sleep: options.sleep, stats, retryNotFound, random: options.random });
	return { call, stats };
}

/** The usable people, once each: a row that repeats an earlier row's email fails (one Google user is one person). */
function uniquePeople(people: Person[], ledger: Ledger): Person[] {
	const firstByEmail = new Map<string, Person>();
	const unique: Person[] = [];
	for (const p of people) {
		const first = firstByEmail.get(p.email);
		if (first) {
			const error = new InputError(`${excerpt(p.email)} is also on row ${first.row + 1}`, { row: p.row, field: 'primaryEmail' });
			ledger.fail(p, error.describe(), 'primaryEmail');
			continue;
		}
		firstByEmail.set(p.email, p);
		unique.push(p);
	}
	return unique;
}

export async function provision(api: GoogleApi, accountRows: Row[], courseRows: Row[], options: ProvisionOptions): Promise<ProvisionReport> {
	const now = options.now ?? Date.now;
	const started = now();
	const retry: RetryOptions = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
	const dir = caller(options.directoryPerMinute ?? DEFAULT_DIRECTORY_PER_MINUTE, options, retry, now);
	const cr = caller(options.classroomPerMinute ?? DEFAULT_CLASSROOM_PER_MINUTE, options, retry, now);
	const concurrency = Math.max(1, options.concurrency ?? 8);

	const ledger = new Ledger();
	const { people, problems } = readAccounts(accountRows);
	for (const p of problems) {
		ledger.fail({ row: p.row, account: accountRows[p.row] ?? {} }, new InputError(p.message, { row: p.row, field: p.field }).describe(), p.field);
	}
	const unique = uniquePeople(people, ledger);

	const units = await ensureOrgUnits(api, dir.call, unique, ledger, concurrency);
	const createdNow = await ensureUsers(api, dir.call, unique, ledger, {
		passwordSecret: options.passwordSecret,
		passwordLength: options.passwordLength,
		concurrency,
		failedUnits: units.failed,
	});
	const courses = await ensureCourses(api, cr.call, courseRows, unique, ledger, { ...options, concurrency, createdNow });

	const ordered = [...ledger.outcomes.values()];
	for (const row of accountRows.keys()) {
		if (!ledger.has(row) && !isEmptyRow(accountRows[row])) {
			// Not reachable by construction; kept so that no person can ever be dropped silently.
			ordered.push({ row, ok: false, account: accountRows[row], courses: [], error: 'Not processed' });
		}
	}
	return {
		people: ordered.sort((a, b) => a.row - b.row),
		courses: courses.sort((a, b) => a.row - b.row),
		orgUnitsCreated: units.created,
		stats: { directory: dir.stats, classroom: cr.stats, durationMs: now() - started },
	};
}
