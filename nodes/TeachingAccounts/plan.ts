/**
 * Plan Accounts: roster rows + the accounts that exist -> for each person, create, keep, update
 * or conflict, with the reason, the username and the org unit. Stateless and deterministic:
 * the same inputs give the same plan, and a person who has an account keeps its username.
 * Pure TypeScript: no n8n import.
 */
import { InputError, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import {
	ACCOUNT_COLUMNS,
	ROSTER_COLUMNS,
	columnsFor,
	eachRow,
	anyRowHas,
	firstRow,
	flatText,
	localPart,
	excerpt,
	parseRole,
	rowIdReader,
	type AccountKey,
	type Role,
	type RosterKey,
} from './people';
import {
	checkPattern,
	isValidUsername,
	readName,
	renderPattern,
	suffixes,
	withSuffix,
	type NameReading,
} from './usernames';
import { classOrgUnit, entryYear, normaliseDomain, normaliseOu, unreadable } from './planRules';

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

interface Person {
	row: number;
	id: string;
	name: string;
	reading: NameReading;
	role: Role;
	isClassTeacher: boolean;
	className: string;
	explicitUsername: string;
	year: string;
	guardianPhone: string;
}

interface Existing {
	row: number;
	email: string;
	username: string;
	id: string;
	name: string;
	className: string;
	orgUnitPath: string;
}


export function planAccounts(roster: Row[], existingRows: Row[], options: PlanOptions): PlanResult {
	const domain = normaliseDomain(options.domain);
	const studentPattern = options.studentPattern?.trim() || DEFAULT_STUDENT_PATTERN;
	const teacherPattern = options.teacherPattern?.trim() || DEFAULT_TEACHER_PATTERN;
	const studentTokens = checkPattern(studentPattern, 'studentPattern');
	const teacherTokens = checkPattern(teacherPattern, 'teacherPattern');
	const studentRoot = normaliseOu(options.studentOrgUnit ?? '/Students');
	const teacherRoot = normaliseOu(options.teacherOrgUnit ?? '/Teachers');

	// Roster. Surname readings repeat (a few hundred surnames): cached for this call only.
	const surnameCache = new Map<string, string[]>();
	const rc = columnsFor(ROSTER_COLUMNS, options.rosterColumns, 'roster rows');
	const sample = firstRow(roster);
	if (sample) rc.resolve(sample, ['name']);
	// The ID column is found on each row (学号 for students, 工号 for teachers), not from the first row.
	const idMapping = options.rosterColumns?.id?.trim() || ROSTER_COLUMNS.id;
	if (sample && !anyRowHas(roster, idMapping)) rc.resolve(sample, ['id']);
	const rowId = rowIdReader(idMapping);
	const parsed = eachRow(roster, (row, index): Person => {
		const name = rc.requiredText(row, 'name', index);
		const roleField = rc.column('role') ?? '角色';
		let role;
		try {
			role = parseRole(rc.text(row, 'role'), options.defaultRole, roleField);
		} catch (e) {
			throw e instanceof InputError ? e.atRow(index) : e;
		}
		const found = rowId(row, role.role);
		if (!found.value) throw new InputError(`"${found.column}" is empty`, { row: index, field: found.column });
		const id = found.value;
		const className = rc.text(row, 'className');
		let reading: NameReading;
		try {
			reading = readName(name, rc.text(row, 'surname') || undefined, surnameCache);
		} catch (e) {
			throw new InputError(e instanceof Error ? e.message : String(e), { row: index, field: rc.column('name') });
		}
		const year = entryYear(rc.text(row, 'year'), id, className);
		const tokens = role.role === 'student' ? studentTokens : teacherTokens;
		const explicitUsername = rc.text(row, 'username');
		if (!explicitUsername && tokens.includes('year') && !year) {
			throw new InputError('No entry year: the username pattern uses {year}', {
				row: index,
				field: rc.column('year') ?? '入学年份',
				hint: 'Add a 入学年份 (year) column, or use a pattern without {year}',
			});
		}
		if (!explicitUsername && tokens.includes('class') && !className) {
			throw new InputError('No class: the username pattern uses {class}', { row: index, field: rc.column('className') ?? '班级' });
		}
		if (role.role === 'student' && !className) {
			throw new InputError('A student needs a class', { row: index, field: rc.column('className') ?? '班级' });
		}
		return {
			row: index,
			id,
			name,
			reading,
			role: role.role,
			isClassTeacher: role.isClassTeacher,
			className,
			explicitUsername,
			year,
			guardianPhone: rc.text(row, 'guardianPhone'),
		};
	});

	// Existing accounts.
	const ac = columnsFor(ACCOUNT_COLUMNS, options.accountColumns, 'existing accounts');
	const existingSample = firstRow(existingRows);
	if (existingSample) ac.resolve(existingSample, ['email']);
	const existingParsed = eachRow(existingRows, (row, index): Existing => {
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
	const existing = existingParsed.values.map((v) => v.value);
	const byId = new Map<string, Existing[]>();
	const byUsername = new Map<string, Existing>();
	for (const e of existing) {
		if (e.id) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
		if (e.email.endsWith(`@${domain}`) && !byUsername.has(e.username)) byUsername.set(e.username, e);
	}
	const taken = new Set<string>(byUsername.keys());

	const accounts: PlannedAccount[] = [];
	const seenIds = new Map<string, number>();
	const pendingDerived: Array<{ person: Person; out: PlannedAccount; base: string }> = [];

	for (const { value: p } of parsed.values) {
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
			if (pendingDerived.some((d) => d.out.username === explicit) || accounts.some((a) => a !== out && a.username === explicit)) {
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
		pendingDerived.push({ person: p, out, base });
	}

	// New people by base name: alone and free -> the base; otherwise a suffix from the id.
	const groups = new Map<string, Array<{ person: Person; out: PlannedAccount }>>();
	for (const d of pendingDerived) groups.set(d.base, [...(groups.get(d.base) ?? []), d]);
	for (const [base, members] of groups) {
		if (members.length === 1 && !taken.has(base)) {
			taken.add(base);
			assign(members[0].out, base, domain, 'New account');
		}
	}
	for (const [base, members] of groups) {
		if (members.length === 1 && members[0].out.username) continue;
		const why = members.length > 1 ? `${members.length} people would be ${base}` : `${base} is taken`;
		const sorted = [...members].sort((a, b) => (a.person.id < b.person.id ? -1 : a.person.id > b.person.id ? 1 : 0));
		for (const m of sorted) {
			for (const s of suffixes(m.person.id)) {
				const candidate = withSuffix(base, s);
				if (!taken.has(candidate)) {
					taken.add(candidate);
					assign(m.out, candidate, domain, `New account; ${why}, so the suffix "${s}" comes from the id`);
					break;
				}
			}
		}
	}
	return { accounts, problems: parsed.problems, existingProblems: existingParsed.problems };
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
