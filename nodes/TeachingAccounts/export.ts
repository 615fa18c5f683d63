/**
 * Export: rows for the files other platforms import. Our node outputs rows; n8n's Convert to
 * File makes the CSV/xlsx and Compression zips them. Each file is one `ExportFile` (its name, its
 * format, its columns in order, its rows, and who may receive it).
 * Pure TypeScript: no n8n import.
 */
import { InputError, excerpt } from '../shared/errors';
import type { Row } from '../shared/rows';
import { file, fileSafe, type ExportFile, type ExportOptions, type ExportResult, type Person } from './exportFile';
import { oneRoster } from './oneRoster';
import { initialPassword } from './passwords';
import { eachRow, flatText } from './people';

export { fileSafe, safeCell, type ExportFile, type ExportFormat, type ExportOptions, type ExportResult } from './exportFile';
export { ONEROSTER } from './oneRoster';

function t(row: Row, ...keys: string[]): string {
	for (const k of keys) {
		const v = flatText(row[k]);
		if (v) return v;
	}
	return '';
}

function readPeople(rows: Row[]) {
	const seenId = new Map<string, number>();
	const seenEmail = new Map<string, number>();
	return eachRow(rows, (row, index): Person => {
		if (t(row, 'action') === 'conflict') {
			throw new InputError(`Not exported: the plan marks a conflict (${excerpt(t(row, 'reason'), 200)})`, { row: index, field: 'action' });
		}
		const email = t(row, 'primaryEmail').toLowerCase();
		const personId = t(row, 'personId');
		if (!email || !personId) {
			throw new InputError('No primaryEmail or personId: feed this operation the output of Plan Accounts', {
				row: index,
				field: email ? 'personId' : 'primaryEmail',
			});
		}
		// One person, one row: a second row would give duplicate sourcedIds and accounts.
		const sameId = seenId.get(personId);
		if (sameId !== undefined) throw new InputError(`personId ${personId.slice(0, 40)} is also on row ${sameId + 1}`, { row: index, field: 'personId' });
		const sameEmail = seenEmail.get(email);
		if (sameEmail !== undefined) throw new InputError(`${email.slice(0, 80)} is also on row ${sameEmail + 1}`, { row: index, field: 'primaryEmail' });
		seenId.set(personId, index);
		seenEmail.set(email, index);
		const role = t(row, 'role');
		return {
			row: index,
			personId,
			name: t(row, 'name'),
			familyName: t(row, 'familyName'),
			givenName: t(row, 'givenName'),
			role: role === 'teacher' ? 'teacher' : 'student',
			isClassTeacher: row.isClassTeacher === true || row.isClassTeacher === 'true',
			className: t(row, 'class'),
			username: t(row, 'username') || email.split('@')[0],
			email,
			guardianPhone: t(row, 'guardianPhone'),
		};
	});
}

export function exportFiles(accountRows: Row[], courseRows: Row[], options: ExportOptions): ExportResult {
	const { values, problems } = readPeople(accountRows);
	const people = values.map((v) => v.value);
	const none = { courseProblems: [], usedCourseRows: [] };
	switch (options.format) {
		case 'oneRoster':
			return { ...oneRoster(people, courseRows, options), problems };
		case 'dingtalk':
			return { files: chatPlatform(people, 'dingtalk'), problems, ...none };
		case 'wecom':
			return { files: chatPlatform(people, 'wecom'), problems, ...none };
		case 'passwords':
			return { files: passwordSheets(people, options), problems, ...none };
		default:
			throw new InputError(`Unknown export format ${excerpt(options.format)}`, { field: 'exportFormat' });
	}
}

/** Columns of the bulk-import sheets (paste them into the platform's current template). */
export const CHAT_COLUMNS = {
	dingtalk: {
		students: ['学生姓名', '学号', '班级', '家长手机号', '账号'],
		teachers: ['姓名', '工号', '手机号', '部门', '职位', '邮箱'],
	},
	wecom: {
		students: ['学生姓名', '学号', '所在班级', '家长手机号', '账号'],
		teachers: ['姓名', '账号', '手机', '部门', '职务', '邮箱'],
	},
};

function chatPlatform(people: Person[], platform: 'dingtalk' | 'wecom'): ExportFile[] {
	const cols = CHAT_COLUMNS[platform];
	const students = people.filter((p) => p.role === 'student');
	const teachers = people.filter((p) => p.role === 'teacher');
	const studentRows = students.map((p) => {
		const r: Record<string, string> = { 学生姓名: p.name, 学号: p.personId, 家长手机号: p.guardianPhone, 账号: p.email };
		r[platform === 'dingtalk' ? '班级' : '所在班级'] = p.className;
		return r;
	});
	const teacherRows = teachers.map((p): Record<string, string> => {
		const position = p.isClassTeacher ? '班主任' : '教师';
		return platform === 'dingtalk'
			? { 姓名: p.name, 工号: p.personId, 手机号: '', 部门: p.className || '教师', 职位: position, 邮箱: p.email }
			: { 姓名: p.name, 账号: p.personId, 手机: '', 部门: p.className || '教师', 职务: position, 邮箱: p.email };
	});
	return [file(`${platform}-students.xlsx`, cols.students, studentRows), file(`${platform}-teachers.xlsx`, cols.teachers, teacherRows)];
}

export const PASSWORD_COLUMNS = ['姓名', '学号', '班级', '账号', '初始密码'];

/**
 * One initial-password sheet per class, addressed to that class's teacher only; teachers'
 * own passwords go in one sheet for the administrator.
 */
function passwordSheets(people: Person[], options: ExportOptions): ExportFile[] {
	const secret = options.passwordSecret ?? '';
	const length = options.passwordLength ?? 10;
	const byClass = new Map<string, Person[]>();
	for (const p of people) {
		if (p.role !== 'student') continue;
		byClass.set(p.className, [...(byClass.get(p.className) ?? []), p]);
	}
	const classTeacher = new Map<string, Person>();
	for (const p of people) if (p.role === 'teacher' && p.isClassTeacher && p.className && !classTeacher.has(p.className)) classTeacher.set(p.className, p);
	const include = options.includePasswords !== false;
	const columns = include ? PASSWORD_COLUMNS : PASSWORD_COLUMNS.filter((c) => c !== '初始密码');
	const sheet = (p: Person): Record<string, string> => {
		const r: Record<string, string> = { 姓名: p.name, 学号: p.personId, 班级: p.className, 账号: p.email };
		if (include) r.初始密码 = initialPassword(secret, p.personId, length);
		return r;
	};
	const files: ExportFile[] = [];
	for (const [className, list] of [...byClass].sort(([a], [b]) => a.localeCompare(b, 'zh-CN'))) {
		const teacher = classTeacher.get(className);
		files.push(
			file(`passwords-${fileSafe(className)}.xlsx`, columns, list.map(sheet), {
				name: teacher?.name ?? '',
				email: teacher?.email ?? '',
			}),
		);
	}
	const staff = people.filter((p) => p.role === 'teacher');
	if (staff.length) files.push(file('passwords-staff.xlsx', columns, staff.map(sheet)));
	return files;
}
