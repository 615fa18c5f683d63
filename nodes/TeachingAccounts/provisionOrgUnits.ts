/**
 * Provision, step 1: the org units the people need, parents first. What exists is listed once;
 * 409 means another run made it. Pure TypeScript: the calls go through GoogleApi.
 */
import type { GoogleApi } from './googleTypes';
import { isConflict, pool } from './pacing';
import { normaliseOu } from './planRules';
import type { Person } from './provisionInput';
import { describeError, type Call, type Ledger } from './provisionLedger';

/** Every ancestor of an org unit path, root excluded, parents first. */
export function orgUnitChain(path: string): string[] {
	const parts = normaliseOu(path).split('/').filter(Boolean);
	return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

export interface OrgUnitsDone {
	created: string[];
	/** Units that could not be created, with the reason (a child of a failed unit fails too). */
	failed: Map<string, string>;
}

export async function ensureOrgUnits(api: GoogleApi, dir: Call, people: Person[], ledger: Ledger, concurrency: number): Promise<OrgUnitsDone> {
	const created: string[] = [];
	const failed = new Map<string, string>();
	const needed = new Set<string>();
	for (const p of people) for (const u of orgUnitChain(p.orgUnitPath)) needed.add(u);
	if (!needed.size) return { created, failed };
	let have = new Set<string>();
	try {
		have = new Set((await dir(() => api.listOrgUnits())).map((u) => normaliseOu(u.orgUnitPath ?? '')));
	} catch (e) {
		for (const p of people) ledger.fail(p, `Could not list org units: ${describeError(e)}`);
	}
	// Nobody left to provision: create nothing.
	if (ledger.outcomes.size && people.every((p) => ledger.has(p.row))) return { created, failed };
	const missing = [...needed].filter((u) => !have.has(u));
	const depths = [...new Set(missing.map((u) => u.split('/').length))].sort((a, b) => a - b);
	for (const d of depths) {
		await pool(missing.filter((u) => u.split('/').length === d), concurrency, async (path) => {
			const parent = path.slice(0, path.lastIndexOf('/')) || '/';
			if (failed.has(parent)) {
				failed.set(path, `parent ${parent} could not be created`);
				return;
			}
			try {
				await dir(() => api.insertOrgUnit({ name: path.slice(path.lastIndexOf('/') + 1), parentOrgUnitPath: parent }));
				created.push(path);
			} catch (e) {
				if (!isConflict(e)) failed.set(path, describeError(e));
			}
		});
	}
	return { created, failed };
}
