/**
 * Audit Logins: who has never logged in, or not for N days, from Google's lastLoginTime, with
 * whom to remind (the student or guardian, and the class teacher). Pure TypeScript.
 *
 * Google reports a never-used account as lastLoginTime "1970-01-01T00:00:00.000Z". On large
 * domains lastLoginTime can say "never" wrongly; the Reports API (accounts:last_login_time) is
 * the cross-check (see the docs).
 */
import { InputError, excerpt, type RowProblem } from '../shared/errors';
import type { Row } from '../shared/rows';
import { parseTimestamp } from '../shared/time';
import { eachRow, flatText } from './people';

export type LoginStatus = 'never' | 'stale' | 'active' | 'no account' | 'suspended';

export interface AuditOptions {
	/** Not logged in for this many days (or never) -> reminded. */
	days: number;
	/** "now" in ms (the adapter passes Date.now()). */
	now: number;
	includeActive?: boolean;
}

export interface LoginRecord {
	email: string;
	lastLoginTime?: string | null;
	creationTime?: string | null;
	suspended?: boolean | null;
}

export interface AuditRow {
	status: LoginStatus;
	reason: string;
	personId: string;
	name: string;
	role: string;
	class: string;
	primaryEmail: string;
	lastLoginTime: string;
	daysSinceLogin: number | null;
	/** Whom to remind: the guardian's phone when known (students), else the account. */
	remindTo: string;
	classTeacherName: string;
	classTeacherEmail: string;
	row: number;
}

const NEVER = /^1970-01-01/;

function txt(row: Row, ...keys: string[]): string {
	for (const k of keys) {
		const v = flatText(row[k]);
		if (v) return v;
	}
	return '';
}

export function auditLogins(
	people: Row[],
	logins: Map<string, LoginRecord> | undefined,
	options: AuditOptions,
): { rows: AuditRow[]; problems: RowProblem[] } {
	if (!Number.isFinite(options.days) || options.days < 0) {
		throw new InputError(`${excerpt(options.days)} days is not a number of days`, { field: 'days' });
	}
	const dayMs = 86400000;
	const { values, problems } = eachRow(people, (row, index) => {
		const email = txt(row, 'primaryEmail', 'email', '邮箱', '账号').toLowerCase();
		if (!email.includes('@')) {
			throw new InputError('No primaryEmail: feed this operation the output of Plan Accounts or Provision', { row: index, field: 'primaryEmail' });
		}
		const role = txt(row, 'role', '角色');
		const isClassTeacher = row.isClassTeacher === true || /班主任|class ?teacher|homeroom/i.test(role);
		return {
			index,
			email,
			row,
			role: /学生|student/i.test(role) ? 'student' : role ? 'teacher' : 'student',
			isClassTeacher,
			className: txt(row, 'class', '班级'),
			name: txt(row, 'name', '姓名'),
			personId: txt(row, 'personId', '学号', '工号', 'id'),
			guardianPhone: txt(row, 'guardianPhone', '家长手机', '家长电话'),
			inputLogin: txt(row, 'lastLoginTime', '最后登录时间'),
		};
	});
	const classTeachers = new Map<string, { name: string; email: string }>();
	for (const { value: p } of values) {
		if (p.isClassTeacher && p.className && !classTeachers.has(p.className)) {
			classTeachers.set(p.className, { name: p.name, email: p.email });
		}
	}
	const rows: AuditRow[] = [];
	for (const { value: p } of values) {
		const rec = logins ? logins.get(p.email) : { email: p.email, lastLoginTime: p.inputLogin || null };
		const teacher = p.role === 'student' ? classTeachers.get(p.className) : undefined;
		const base = {
			personId: p.personId,
			name: p.name,
			role: p.role,
			class: p.className,
			primaryEmail: p.email,
			remindTo: p.role === 'student' && p.guardianPhone ? p.guardianPhone : p.email,
			classTeacherName: teacher?.name ?? '',
			classTeacherEmail: teacher?.email ?? '',
			row: p.index,
		};
		if (!rec) {
			rows.push({ ...base, status: 'no account', reason: 'No Google account with this email', lastLoginTime: '', daysSinceLogin: null });
			continue;
		}
		if (rec.suspended) {
			rows.push({ ...base, status: 'suspended', reason: 'The account is suspended', lastLoginTime: rec.lastLoginTime ?? '', daysSinceLogin: null });
			continue;
		}
		const last = rec.lastLoginTime ?? '';
		if (!last || NEVER.test(last)) {
			rows.push({ ...base, status: 'never', reason: 'Has never logged in', lastLoginTime: '', daysSinceLogin: null });
			continue;
		}
		let at: number;
		try {
			at = parseTimestamp(last, 'UTC').toMillis();
		} catch (e) {
			problems.push({ row: p.index, field: 'lastLoginTime', message: e instanceof Error ? e.message : String(e) });
			continue;
		}
		const days = Math.floor((options.now - at) / dayMs);
		if (days >= options.days) {
			rows.push({ ...base, status: 'stale', reason: `Last login ${days} days ago`, lastLoginTime: new Date(at).toISOString(), daysSinceLogin: days });
		} else if (options.includeActive) {
			rows.push({ ...base, status: 'active', reason: `Logged in ${days} days ago`, lastLoginTime: new Date(at).toISOString(), daysSinceLogin: days });
		}
	}
	return { rows, problems };
}
