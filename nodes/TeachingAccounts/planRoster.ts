/**
 * Plan Accounts, step 1: the roster rows read as people (name reading, role, ID per role, class,
 * entry year), each bad row a problem naming the row and the field. Pure TypeScript.
 */
import { InputError, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { ROSTER_COLUMNS, anyRowHas, columnsFor, eachRow, firstRow, parseRole, rowIdReader, type Role, type RosterKey } from './people';
import { entryYear } from './planRules';
import { readName, type NameReading } from './usernames';

/** One roster row, read. */
export interface Person {
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

export interface RosterReadOptions {
	defaultRole?: Role;
	rosterColumns?: Partial<Record<RosterKey, string>>;
	/** The placeholders of each role's username pattern ({year} and {class} need their column). */
	tokens: Record<Role, string[]>;
}

/** Reads the roster: one Person per usable row, a problem per bad row. */
export function readRosterPeople(roster: Row[], options: RosterReadOptions): { people: Person[]; problems: RowProblem[] } {
	// Surname readings repeat (a few hundred surnames): cached for this call only.
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
		const tokens = options.tokens[role.role];
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
	return { people: parsed.values.map((v) => v.value), problems: parsed.problems };
}
