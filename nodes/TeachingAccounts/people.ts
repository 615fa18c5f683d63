/**
 * Reading people from roster rows and account rows: roles, ids, classes, emails.
 * Pure TypeScript: no n8n import.
 */
import { Columns, candidates, findColumn, isEmptyRow, type Row } from '../shared/rows';
import { InputError, problemFrom, type RowProblem } from '../shared/errors';

export type Role = 'student' | 'teacher';

/** Default column names (Chinese and English); each is overridable in the node. */
export const ROSTER_COLUMNS = {
	name: '姓名, name, fullName',
	id: '学号, 工号, id, personId, 编号',
	className: '班级, class',
	role: '角色, role, 身份',
	surname: '姓, surname, familyName',
	year: '入学年份, year, 年级',
	username: '用户名, username',
	guardianPhone: '家长手机, 家长电话, guardianPhone, 手机, phone, mobile',
} as const;

export type RosterKey = keyof typeof ROSTER_COLUMNS;

export const ACCOUNT_COLUMNS = {
	email: 'primaryEmail, email, 邮箱, 账号, username, 用户名',
	id: 'personId, externalId, externalIds, employeeId, 学号, 工号, id',
	name: '姓名, name, fullName',
	className: '班级, class',
	orgUnitPath: 'orgUnitPath, 组织部门',
	lastLoginTime: 'lastLoginTime, 最后登录时间, lastLogin',
} as const;

export type AccountKey = keyof typeof ACCOUNT_COLUMNS;

const STUDENT = /^(学生|student|pupil|s|stu|学)$/i;
const CLASS_TEACHER = /^(班主任|class ?teacher|homeroom( teacher)?|head ?teacher|form ?tutor)$/i;
const TEACHER = /^(教师|老师|teacher|staff|教职工|职工|员工|t|任课教师|科任教师|admin|管理员)$/i;

export interface ParsedRole {
	role: Role;
	isClassTeacher: boolean;
}

/**
 * At most `max` characters of a value for an error message (whole code points, so a character
 * outside the BMP is never cut in half), with … when cut.
 */
export function excerpt(value: unknown, max = 40): string {
	const chars = Array.from(String(value ?? ''));
	return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** "学生" / "student" -> student; "班主任" -> teacher and class teacher; else an error. */
export function parseRole(value: string, fallback: Role | undefined, field: string): ParsedRole {
	const v = value.trim();
	if (!v) {
		if (fallback) return { role: fallback, isClassTeacher: false };
		throw new InputError('The role is empty', { field, hint: 'Write 学生/student, 教师/teacher or 班主任/class teacher' });
	}
	if (STUDENT.test(v)) return { role: 'student', isClassTeacher: false };
	if (CLASS_TEACHER.test(v)) return { role: 'teacher', isClassTeacher: true };
	if (TEACHER.test(v)) return { role: 'teacher', isClassTeacher: false };
	throw new InputError(`"${excerpt(v)}" is not a role`, {
		field,
		hint: 'Write 学生/student, 教师/teacher or 班主任/class teacher',
	});
}

/** Builds a Columns resolver from the node's mapping (falling back to the defaults). */
export function columnsFor<K extends string>(
	defaults: Record<K, string>,
	overrides: Partial<Record<K, string>> | undefined,
	dataset: string,
): Columns<K> {
	const merged = { ...defaults } as Record<K, string>;
	for (const [k, v] of Object.entries(overrides ?? {}) as Array<[K, string | undefined]>) {
		if (typeof v === 'string' && v.trim()) merged[k] = v;
	}
	return new Columns<K>(merged, dataset);
}

/** The first non-empty row, used to resolve the columns of a dataset once. */
export function firstRow(rows: Row[]): Row | undefined {
	return rows.find((r) => !isEmptyRow(r));
}

/** Reads a value that may be a Google-shaped nested field (name.fullName, externalIds[0].value). */
export function flatText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (Array.isArray(value)) {
		for (const v of value) {
			const t = flatText(v && typeof v === 'object' && 'value' in (v as Row) ? (v as Row).value : v);
			if (t) return t;
		}
		return '';
	}
	if (typeof value === 'object') {
		const o = value as Row;
		if (typeof o.fullName === 'string') return o.fullName.trim();
		if (typeof o.familyName === 'string' || typeof o.givenName === 'string') {
			return `${String(o.familyName ?? '')}${String(o.givenName ?? '')}`.trim();
		}
		if ('value' in o) return flatText(o.value);
		return '';
	}
	return String(value).trim();
}

/** Runs `fn` on every non-empty row; InputErrors become problems naming the row. */
export function eachRow<T>(rows: Row[], fn: (row: Row, index: number) => T): { values: Array<{ index: number; value: T }>; problems: RowProblem[] } {
	const values: Array<{ index: number; value: T }> = [];
	const problems: RowProblem[] = [];
	rows.forEach((row, index) => {
		if (isEmptyRow(row)) return;
		try {
			values.push({ index, value: fn(row, index) });
		} catch (error) {
			problems.push(problemFrom(error, index));
		}
	});
	return { values, problems };
}

/** The local part of an email (or the username itself), lowercase. */
export function localPart(emailOrUsername: string): string {
	return emailOrUsername.trim().toLowerCase().split('@')[0];
}

/** Column names that hold a student number, and a staff number (for the per-role ID order). */
const STUDENT_ID = /^(学号|學號|studentid|studentno|studentnumber)$/i;
const STAFF_ID = /^(工号|工號|教工号|职工号|staffid|employeeid|teacherid)$/i;

/**
 * Reads the ID of roster rows, each on its own row: a student's 学号 first and a teacher's 工号
 * first, then the other candidates of the mapping in order (exact column names first, then
 * ignoring case, spaces, dashes and underscores). A roster whose students have 学号 and teachers
 * 工号 is read right whatever row comes first.
 */
export function rowIdReader(mapping: string): (row: Row, role: Role) => { value: string; column: string } {
	const names = candidates(mapping);
	const plain = (n: string) => n.replace(/[\s_-]/g, '');
	const order = (preferred: RegExp) => [...names.filter((n) => preferred.test(plain(n))), ...names.filter((n) => !preferred.test(plain(n)))];
	const byRole: Record<Role, string[]> = { student: order(STUDENT_ID), teacher: order(STAFF_ID) };
	const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());
	return (row, role) => {
		const ordered = byRole[role];
		for (const name of ordered) {
			if (Object.prototype.hasOwnProperty.call(row, name)) {
				const value = text(row[name]);
				if (value) return { value, column: name };
			}
		}
		let present: string | undefined;
		for (const name of ordered) {
			const col = findColumn(row, name);
			if (col === undefined) continue;
			present ??= col;
			const value = text(row[col]);
			if (value) return { value, column: col };
		}
		return { value: '', column: present ?? ordered[0] };
	};
}

/** True when some row has one of the mapping's columns (else the mapping names no column at all). */
export function anyRowHas(rows: Row[], mapping: string): boolean {
	return rows.some((r) => !isEmptyRow(r) && findColumn(r, mapping) !== undefined);
}
