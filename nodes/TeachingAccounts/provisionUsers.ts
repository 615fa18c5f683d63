/**
 * Provision, step 2: the users. The domain's users are listed once; a missing user is inserted
 * (the password sent as a SHA-1 hash, changed at next login), one that moved or was renamed is
 * patched, and 409 means an earlier run made it. Pure TypeScript: the calls go through GoogleApi.
 */
import { excerpt } from '../shared/errors';
import type { DirectoryUser, GoogleApi } from './googleTypes';
import { isConflict, pool } from './pacing';
import { initialPassword, sha1Hex } from './passwords';
import { normaliseOu } from './planRules';
import type { Person } from './provisionInput';
import { describeError, type Call, type Ledger } from './provisionLedger';
import { orgUnitChain } from './provisionOrgUnits';

export interface UsersOptions {
	passwordSecret: string;
	passwordLength?: number;
	concurrency: number;
	/** Org units that could not be created (their people fail). */
	failedUnits: Map<string, string>;
}

/** All users of the domain by lowercase email, or the error that stopped the listing. */
async function listAll(api: GoogleApi, dir: Call): Promise<{ users: Map<string, DirectoryUser>; error: string }> {
	const users = new Map<string, DirectoryUser>();
	let pageToken: string | undefined;
	do {
		try {
			const page = await dir(() => api.listUsers(pageToken));
			for (const u of page.users) if (u.primaryEmail) users.set(u.primaryEmail.toLowerCase(), u);
			pageToken = page.nextPageToken || undefined;
		} catch (e) {
			return { users, error: describeError(e) };
		}
	} while (pageToken);
	return { users, error: '' };
}

/** What to change on an existing user, or undefined when nothing. */
export function userPatch(found: DirectoryUser, p: Person): DirectoryUser | undefined {
	const patch: DirectoryUser = {};
	if (normaliseOu(found.orgUnitPath ?? '/') !== p.orgUnitPath) patch.orgUnitPath = p.orgUnitPath;
	if (found.name?.familyName !== p.familyName || found.name?.givenName !== p.givenName) {
		patch.name = { familyName: p.familyName, givenName: p.givenName };
	}
	const ids = (found.externalIds as Array<{ value?: string }> | undefined) ?? [];
	if (!ids.some((x) => x.value === p.personId)) patch.externalIds = [{ type: 'organization', value: p.personId }];
	return Object.keys(patch).length ? patch : undefined;
}

/**
 * Creates or updates each person not yet failed. Returns the emails of users this run made (or
 * found made by a crashed earlier run): calls about them retry a 404 while Google finishes.
 */
export async function ensureUsers(api: GoogleApi, dir: Call, people: Person[], ledger: Ledger, options: UsersOptions): Promise<Set<string>> {
	const createdNow = new Set<string>();
	const ready = people.filter((p) => !ledger.has(p.row));
	const { users: existing, error: listError } = await listAll(api, dir);
	if (listError) {
		for (const p of ready) ledger.fail(p, `Could not list existing users: ${listError}`);
		return createdNow;
	}
	await pool(ready, options.concurrency, async (p) => {
		const unitError = orgUnitChain(p.orgUnitPath)
			.map((u) => options.failedUnits.get(u))
			.find(Boolean);
		if (unitError) {
			ledger.fail(p, `Org unit ${excerpt(p.orgUnitPath)} could not be created: ${excerpt(unitError, 200)}`);
			return;
		}
		const found = existing.get(p.email);
		try {
			if (found) {
				const patch = userPatch(found, p);
				if (patch) await dir(() => api.patchUser(p.email, patch));
				ledger.succeed(p, patch ? 'updated' : 'exists');
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
						externalIds: [{ type: 'organization', value: p.personId }],
					}),
				);
				createdNow.add(p.email);
				ledger.succeed(p, 'created');
			} catch (e) {
				if (!isConflict(e)) throw e;
				// Made by an earlier run (perhaps one that crashed before it saw the answer).
				createdNow.add(p.email);
				ledger.succeed(p, 'exists');
			}
		} catch (e) {
			ledger.fail(p, `Google account ${excerpt(p.email)}: ${describeError(e)}`);
		}
	});
	return createdNow;
}
