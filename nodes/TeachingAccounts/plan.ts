/**
 * Plan Accounts: roster rows + the accounts that exist -> for each person, create, keep, update
 * or conflict, with the reason, the username and the org unit. Stateless and deterministic:
 * the same inputs give the same plan, and a person who has an account keeps its username.
 * Pure TypeScript: no n8n import.
 */
import type { RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { excerpt, localPart, type AccountKey, type Role, type RosterKey } from './people';
import { assignDerived, type Derived } from './planDerived';
import { readExisting, type Existing } from './planExisting';
import { readRosterPeople } from './planRoster';
import { classOrgUnit, normaliseDomain, normaliseOu, unreadable } from './planRules';
import { checkPattern, isValidUsername, renderPattern } from './usernames';

export { classOrgUnit, entryYear, normaliseOu } from './planRules';

export type PlanAction = 'create' | 'keep' | 'update' | 'conflict';

export interface PlanOptions {
	/** The Google Workspace domain, e.g. school.edu.cn. */
	domain: string;
	studentPattern?: string;
	teacherPattern?: string;
	/** Students go to <root>/<class>. */
	studentOrgUnit?: string;
	teacherOrgUnit?: string;
	defaultRole?: Role;
	rosterColumns?: Partial<Record<RosterKey, string>>;
	accountColumns?: Partial<Record<AccountKey, string>>;
}

/** One output row: flat, Data Table friendly. */
export interface PlannedAccount {
	action: PlanAction;
	reason: string;
	personId: string;
	name: string;
	familyName: string;
	givenName: string;
	role: Role;
	isClassTeacher: boolean;
	class: string;
	username: string;
	primaryEmail: string;
	orgUnitPath: string;
	previousOrgUnitPath: string;
	previousName: string;
	guardianPhone: string;
	/** Index of the roster row (input item) this plan row comes from. */
	row: number;
}

export interface PlanResult {
	accounts: PlannedAccount[];
	/** Roster rows that could not be read (missing name or id, bad role). */
	problems: RowProblem[];
	/** Existing-account rows that could not be read (no email). */
	existingProblems: RowProblem[];
}

export const DEFAULT_STUDENT_PATTERN = '{surname}{given}{year}';
export const DEFAULT_TEACHER_PATTERN = '{surname}{given}';

export function planAccounts(roster: Row[], existingRows: Row[], options: PlanOptions): PlanResult {
	const domain = normaliseDomain(options.domain);
	const studentPattern = options.studentPattern?.trim() || DEFAULT_STUDENT_PATTERN;
	const teacherPattern = options.teacherPattern?.trim() || DEFAULT_TEACHER_PATTERN;
	const tokens = { student: checkPattern(studentPattern, 'studentPattern'), teacher: checkPattern(teacherPattern, 'teacherPattern') };
	const studentRoot = normaliseOu(options.studentOrgUnit ?? '/Students');
	const teacherRoot = normaliseOu(options.teacherOrgUnit ?? '/Teachers');

	const { people, problems } = readRosterPeople(roster, { defaultRole: options.defaultRole, rosterColumns: options.rosterColumns, tokens });
	const { byId, byUsername, problems: existingProblems } = readExisting(existingRows, domain, options.accountColumns);
	const taken = new Set<string>(byUsername.keys());

	const accounts: PlannedAccount[] = [];
	const seenIds = new Map<string, number>();
	const pendingDerived: Array<Derived<PlannedAccount>> = [];

	for (const p of people) {
		const orgUnitPath = p.role === 'student' ? classOrgUnit(studentRoot, p.className) : teacherRoot;
		const out: PlannedAccount = {
			action: 'create',
			reason: '',
			personId: p.id,
			name: p.name,
			familyName: p.reading.surname,
			givenName: p.reading.given || p.reading.surname,
			role: p.role,
			isClassTeacher: p.isClassTeacher,
			class: p.className,
			username: '',
			primaryEmail: '',
			orgUnitPath,
			previousOrgUnitPath: '',
			previousName: '',
			guardianPhone: p.guardianPhone,
			row: p.row,
		};
		accounts.push(out);
		const conflict = (reason: string) => {
			out.action = 'conflict';
			out.reason = reason;
		};
		const firstRowOfId = seenIds.get(p.id);
		if (firstRowOfId !== undefined) {
			conflict(`Duplicate id ${excerpt(p.id)}: the same id is on roster row ${firstRowOfId + 1}`);
			continue;
		}
		seenIds.set(p.id, p.row);

		const matches = byId.get(p.id) ?? [];
		if (matches.length > 1) {
			conflict(`Id ${p.id} has ${matches.length} existing accounts (${matches.map((m) => m.email).join(', ')}); keep one`);
			continue;
		}
		const explicit = p.explicitUsername ? localPart(p.explicitUsername) : '';
		if (p.explicitUsername && !isValidUsername(explicit)) {
			conflict(`The username "${excerpt(p.explicitUsername)}" is not valid (a-z 0-9 . - _ ', at most 64)`);
			continue;
		}
		if (matches.length === 1) {
			const m = matches[0];
			if (explicit && explicit !== m.username) {
				conflict(`Already has the account ${m.email}; the roster asks for ${explicit} (renames are not done automatically)`);
				continue;
			}
			settleExisting(out, m, 'matched by id');
			taken.add(m.username);
			continue;
		}
		if (explicit) {
			const holder = byUsername.get(explicit);
			if (holder && !(holder.id === '' && holder.name === p.name)) {
				conflict(`The username ${explicit} belongs to another account (${holder.email}${holder.id ? `, id ${holder.id}` : ''})`);
				continue;
			}
			if (holder) {
				settleExisting(out, holder, 'matched by username and name (the account has no id)');
				continue;
			}
			if (pendingDerived.some((d) => d.target.username === explicit) || accounts.some((a) => a !== out && a.username === explicit)) {
				conflict(`The username ${explicit} is asked for by another roster row`);
				continue;
			}
			taken.add(explicit);
			out.username = explicit;
			out.primaryEmail = `${explicit}@${domain}`;
			out.reason = 'New account (username from the roster)';
			continue;
		}
		const bad = unreadable(p.reading, p.name);
		if (bad !== undefined) {
			conflict(`Cannot read "${excerpt(bad)}" as pinyin; give this person a username in a 用户名 (username) column`);
			continue;
		}
		const base = renderPattern(p.role === 'student' ? studentPattern : teacherPattern, {
			reading: p.reading,
			id: p.id,
			year: p.year,
			className: p.className,
		});
		if (!base) {
			conflict('The username pattern gives an empty name for this person; give a username column');
			continue;
		}
		// An account without an id but with this name and username is this person's.
		const holder = byUsername.get(base);
		if (holder && holder.id === '' && holder.name === p.name) {
			settleExisting(out, holder, 'matched by username and name (the account has no id)');
			continue;
		}
		pendingDerived.push({ id: p.id, base, target: out });
	}

	assignDerived(pendingDerived, taken, (out, username, reason) => assign(out, username, domain, reason));
	return { accounts, problems, existingProblems };
}

function assign(out: PlannedAccount, username: string, domain: string, reason: string): void {
	out.action = 'create';
	out.username = username;
	out.primaryEmail = `${username}@${domain}`;
	out.reason = reason;
}

function settleExisting(out: PlannedAccount, m: Existing, how: string): void {
	out.username = m.username;
	out.primaryEmail = m.email;
	const changes: string[] = [];
	if (m.orgUnitPath && normaliseOu(m.orgUnitPath) !== out.orgUnitPath) {
		changes.push(`org unit ${m.orgUnitPath} -> ${out.orgUnitPath}`);
		out.previousOrgUnitPath = m.orgUnitPath;
	} else if (!m.orgUnitPath && m.className && out.role === 'student' && m.className !== out.class) {
		changes.push(`class ${m.className} -> ${out.class}`);
	}
	if (m.name && m.name.replace(/\s/g, '') !== out.name.replace(/\s/g, '')) {
		changes.push(`name ${m.name} -> ${out.name}`);
		out.previousName = m.name;
	}
	if (changes.length) {
		out.action = 'update';
		out.reason = `Account exists (${how}); ${changes.join('; ')}`;
	} else {
		out.action = 'keep';
		out.reason = `Account exists (${how})`;
	}
}
