/**
 * Reading what Provision works on: the planned accounts (input 1) and the course rows (input 2),
 * each failure a problem naming the row and the field. Pure TypeScript: no n8n import.
 */
import { createHash } from 'crypto';
import { InputError, excerpt, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { columnsFor, eachRow, firstRow, localPart } from './people';
import { normaliseOu } from './planRules';
import { readClassSlug } from './usernames';

export const COURSE_COLUMNS = {
	className: '班级, class',
	subject: '科目, 学科, subject',
	teachers: '任课教师, 教师, teachers, teacher, 工号, teacherId',
	name: '课程名称, courseName',
} as const;
export type CourseKey = keyof typeof COURSE_COLUMNS;


export interface Person {
	row: number;
	email: string;
	personId: string;
	familyName: string;
	givenName: string;
	orgUnitPath: string;
	role: string;
	className: string;
	name: string;
	account: Row;
}

/** d:campus-yi2ban-shuxue-1a2b3c: stable, ASCII, unique per (class, subject). */
export function courseAlias(prefix: string, className: string, subject: string): string {
	const hash = createHash('sha1').update(`${className}\u0000${subject}`).digest('hex').slice(0, 6);
	const p = prefix.toLowerCase().replace(/[^a-z0-9_-]+/g, '') || 'campus';
	return `d:${p}-${readClassSlug(className).slice(0, 40)}-${readClassSlug(subject).slice(0, 40)}-${hash}`;
}

function text(row: Row, key: string): string {
	const v = row[key];
	return v === undefined || v === null ? '' : String(v).trim();
}

export function readAccounts(rows: Row[]): { people: Person[]; problems: RowProblem[] } {
	const { values, problems } = eachRow(rows, (row, index): Person => {
		const action = text(row, 'action');
		if (action === 'conflict') {
			throw new InputError(`Not provisioned: the plan marks a conflict (${excerpt(text(row, 'reason'), 200) || 'no reason given'})`, {
				row: index,
				field: 'action',
			});
		}
		const email = text(row, 'primaryEmail').toLowerCase();
		if (!email.includes('@')) {
			throw new InputError('No primaryEmail: feed this operation the output of Plan Accounts', { row: index, field: 'primaryEmail' });
		}
		const personId = text(row, 'personId');
		if (!personId) throw new InputError('No personId', { row: index, field: 'personId' });
		const name = text(row, 'name');
		return {
			row: index,
			email,
			personId,
			// Code points, so that a character outside the BMP is never cut in half.
			familyName: text(row, 'familyName') || Array.from(name)[0] || localPart(email),
			givenName: text(row, 'givenName') || Array.from(name).slice(1).join('') || localPart(email),
			orgUnitPath: normaliseOu(text(row, 'orgUnitPath') || '/'),
			role: text(row, 'role') || 'student',
			className: text(row, 'class'),
			name,
			account: row,
		};
	});
	return { people: values.map((v) => v.value), problems };
}

export interface CourseSpec {
	row: number;
	className: string;
	subject: string;
	name: string;
	alias: string;
	teacherEmails: string[];
	unknownTeachers: string[];
}

export function readCourses(rows: Row[], people: Person[], options: { courseColumns?: Partial<Record<CourseKey, string>>; courseAliasPrefix?: string }): { courses: CourseSpec[]; problems: RowProblem[] } {
	const cc = columnsFor(COURSE_COLUMNS, options.courseColumns, 'course rows');
	const sample = firstRow(rows);
	if (sample) cc.resolve(sample, ['className', 'subject']);
	const teachers = people.filter((p) => p.role === 'teacher');
	const byKey = new Map<string, string>();
	const nameCount = new Map<string, number>();
	for (const t of teachers) nameCount.set(t.name, (nameCount.get(t.name) ?? 0) + 1);
	for (const t of teachers) {
		byKey.set(t.personId, t.email);
		byKey.set(t.email, t.email);
		byKey.set(localPart(t.email), t.email);
		if (t.name && nameCount.get(t.name) === 1) byKey.set(t.name, t.email);
	}
	const seen = new Map<string, number>();
	const { values, problems } = eachRow(rows, (row, index): CourseSpec => {
		const className = cc.requiredText(row, 'className', index);
		const subject = cc.requiredText(row, 'subject', index);
		const alias = courseAlias(options.courseAliasPrefix ?? 'campus', className, subject);
		const before = seen.get(alias);
		if (before !== undefined) {
			throw new InputError(`${excerpt(className)} ${excerpt(subject)} is already on course row ${before + 1}`, { row: index, field: cc.column('subject') });
		}
		seen.set(alias, index);
		const teacherEmails: string[] = [];
		const unknownTeachers: string[] = [];
		for (const t of cc
			.text(row, 'teachers')
			.split(/[,;，；、\s]+/)
			.filter(Boolean)) {
			const email = byKey.get(t) ?? byKey.get(t.toLowerCase()) ?? (t.includes('@') ? t.toLowerCase() : undefined);
			if (email) {
				if (!teacherEmails.includes(email)) teacherEmails.push(email);
			} else unknownTeachers.push(t);
		}
		if (teacherEmails.length > 50) {
			throw new InputError(`${teacherEmails.length} teachers: a course takes at most 50`, { row: index, field: cc.column('teachers') });
		}
		return { row: index, className, subject, name: cc.text(row, 'name') || `${className} ${subject}`, alias, teacherEmails, unknownTeachers };
	});
	return { courses: values.map((v) => v.value), problems };
}
