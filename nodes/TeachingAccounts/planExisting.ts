/**
 * Plan Accounts, step 2: the accounts that exist, read and indexed by person id and by username
 * (in the school's domain). A row without an email is a problem naming the row and the field.
 * Pure TypeScript.
 */
import { InputError, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { ACCOUNT_COLUMNS, columnsFor, eachRow, firstRow, flatText, localPart, type AccountKey } from './people';

/** One existing account, read. */
export interface Existing {
	row: number;
	email: string;
	username: string;
	id: string;
	name: string;
	className: string;
	orgUnitPath: string;
}

export interface ExistingIndex {
	byId: Map<string, Existing[]>;
	/** Accounts in the domain, by username (the first one wins). */
	byUsername: Map<string, Existing>;
	problems: RowProblem[];
}

/** Reads the existing accounts; a bare username is taken as username@domain. */
export function readExisting(rows: Row[], domain: string, columns?: Partial<Record<AccountKey, string>>): ExistingIndex {
	const ac = columnsFor(ACCOUNT_COLUMNS, columns, 'existing accounts');
	const sample = firstRow(rows);
	if (sample) ac.resolve(sample, ['email']);
	const parsed = eachRow(rows, (row, index): Existing => {
		const raw = flatText(ac.raw(row, 'email'));
		if (!raw) throw new InputError('The account has no email', { row: index, field: ac.column('email') ?? 'primaryEmail' });
		const email = (raw.includes('@') ? raw : `${raw}@${domain}`).toLowerCase();
		return {
			row: index,
			email,
			username: localPart(email),
			id: flatText(ac.raw(row, 'id')),
			name: flatText(ac.raw(row, 'name')),
			className: flatText(ac.raw(row, 'className')),
			orgUnitPath: flatText(ac.raw(row, 'orgUnitPath')),
		};
	});
	const byId = new Map<string, Existing[]>();
	const byUsername = new Map<string, Existing>();
	for (const { value: e } of parsed.values) {
		if (e.id) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
		if (e.email.endsWith(`@${domain}`) && !byUsername.has(e.username)) byUsername.set(e.username, e);
	}
	return { byId, byUsername, problems: parsed.problems };
}
