/**
 * Export: rows for the files other platforms import. Our node outputs rows; n8n's Convert to
 * File makes the CSV/xlsx and Compression zips them. Each file is one `ExportFile` (its name, its
 * format, its columns in order, its rows, and who may receive it).
 * Pure TypeScript: no n8n import.
 */
import { createHash } from 'crypto';
import { InputError, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import { initialPassword } from './passwords';
import { COURSE_COLUMNS, type CourseKey } from './provision';
import { columnsFor, eachRow, firstRow, flatText } from './people';

export type ExportFormat = 'oneRoster' | 'dingtalk' | 'wecom' | 'passwords';

export interface ExportFile {
	file: string;
	format: 'csv' | 'xlsx';
	columns: string[];
	rows: Array<Record<string, string>>;
	/** Who the file is for (the class teacher for a password sheet); '' for the administrator. */
	recipientName: string;
	recipientEmail: string;
}

export interface ExportOptions {
	format: ExportFormat;
	schoolId?: string;
	schoolName?: string;
	/** OneRoster academic session: school year (e.g. 2026), start and end dates. */
	schoolYear?: string;
	termStart?: string;
	termEnd?: string;
	passwordSecret?: string;
	passwordLength?: number;
	/** false: password sheets leave the 初始密码 column out (nothing secret in the output). */
	includePasswords?: boolean;
	courseColumns?: Partial<Record<CourseKey, string>>;
}

export interface ExportResult {
	files: ExportFile[];
	/** Account rows (input 1) not exported, with the reason. */
	problems: RowProblem[];
	/** Course rows (input 2) not used, or used in part, with the reason. */
	courseProblems: RowProblem[];
	/** Course rows (input 2) the files were made from. */
	usedCourseRows: number[];
}

/**
 * A cell that a spreadsheet would read as a formula (= + - @, or a tab or carriage return
 * first) gets a leading apostrophe, as OWASP advises against CSV injection. Plain numbers and
 * phone numbers (+86 138..., -5) are left alone: they cannot call anything.
 */
export function safeCell(value: string): string {
	if (!/^[=+\-@\t\r]/.test(value)) return value;
	if (/^[+-]?\d[\d\s().-]*$/.test(value)) return value;
	return `'${value}`;
}

interface Person {
	row: number;
	personId: string;
	name: string;
	familyName: string;
	givenName: string;
	role: 'student' | 'teacher';
	isClassTeacher: boolean;
	className: string;
	username: string;
	email: string;
	guardianPhone: string;
}

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
			throw new InputError(`Not exported: the plan marks a conflict (${t(row, 'reason')})`, { row: index, field: 'action' });
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

const shortHash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 10);

function file(name: string, columns: string[], rows: Array<Record<string, string>>, recipient = { name: '', email: '' }): ExportFile {
	return {
		file: name,
		format: name.endsWith('.csv') ? 'csv' : 'xlsx',
		columns,
		rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, safeCell(r[c] ?? '')]))),
		recipientName: recipient.name,
		recipientEmail: recipient.email,
	};
}

/** A class name as a file name: keeps Chinese, drops what file systems refuse. */
export function fileSafe(name: string): string {
	return name.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '') || 'class';
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
			throw new InputError(`Unknown export format ${String(options.format)}`, { field: 'exportFormat' });
	}
}

export const ONEROSTER = {
	manifest: ['propertyName', 'value'],
	orgs: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
	academicSessions: ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
	courses: ['sourcedId', 'status', 'dateLastModified', 'schoolYearSourcedId', 'title', 'courseCode', 'grades', 'orgSourcedId', 'subjects', 'subjectCodes'],
	classes: ['sourcedId', 'status', 'dateLastModified', 'title', 'grades', 'courseSourcedId', 'classCode', 'classType', 'location', 'schoolSourcedId', 'termSourcedIds', 'subjects', 'subjectCodes', 'periods'],
	users: ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password'],
	enrollments: ['sourcedId', 'status', 'dateLastModified', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'],
};

/**
 * OneRoster 1.1 bulk CSV. Classes need a course and a term, so courses.csv and
 * academicSessions.csv come too (the manifest lists them); status and dateLastModified are blank,
 * as bulk files require.
 */
function oneRoster(people: Person[], courseRows: Row[], options: ExportOptions): Omit<ExportResult, 'problems'> {
	const school = options.schoolId?.trim() || 'school';
	const year = options.schoolYear?.trim() || String(new Date().getFullYear());
	const termId = `term-${year}`;
	const start = options.termStart?.trim() || `${year}-09-01`;
	const end = options.termEnd?.trim() || `${Number(year) + 1}-07-15`;
	const userId = (p: Person) => `u-${p.personId}`;
	const classId = (className: string, subject = '') => `c-${shortHash(`${className}\u0000${subject}`)}`;
	// The homeroom course has its own id, so that a subject named "homeroom" cannot take it.
	const courseId = (subject: string) => (subject ? `k-${shortHash(subject === 'homeroom' ? 'subject\u0000homeroom' : subject)}` : `k-${shortHash('homeroom')}`);

	const cc = columnsFor(COURSE_COLUMNS, options.courseColumns, 'course rows');
	const sample = firstRow(courseRows);
	if (sample) cc.resolve(sample, ['className', 'subject']);
	const teachersByKey = new Map<string, Person>();
	for (const p of people) if (p.role === 'teacher') for (const k of [p.personId, p.email, p.username, p.name]) teachersByKey.set(k, p);

	const classNames = [...new Set(people.filter((p) => p.role === 'student' && p.className).map((p) => p.className))];
	const courseSubjects = new Set<string>(['']);
	const classes: Array<Record<string, string>> = [];
	const enrollments: Array<Record<string, string>> = [];
	const enrolled = new Set<string>();
	const courseProblems: RowProblem[] = [];
	const usedCourseRows: number[] = [];
	const enrol = (cls: string, p: Person, role: string, primary: boolean) => {
		// A person is enrolled once in a class (a teacher named twice, or by id and by name).
		const sourcedId = `e-${shortHash(`${cls}\u0000${userId(p)}`)}`;
		if (enrolled.has(sourcedId)) return;
		enrolled.add(sourcedId);
		enrollments.push({
			sourcedId,
			classSourcedId: cls,
			schoolSourcedId: school,
			userSourcedId: userId(p),
			role,
			primary: primary ? 'true' : 'false',
			beginDate: start,
			endDate: end,
		});
	};
	for (const name of classNames) {
		const id = classId(name);
		classes.push({ sourcedId: id, title: name, courseSourcedId: courseId(''), classCode: name, classType: 'homeroom', schoolSourcedId: school, termSourcedIds: termId });
		for (const p of people) {
			if (p.role === 'student' && p.className === name) enrol(id, p, 'student', false);
			if (p.role === 'teacher' && p.isClassTeacher && p.className === name) enrol(id, p, 'teacher', true);
		}
	}
	const classRow = new Map<string, number>();
	courseRows.forEach((row, index) => {
		if (isEmptyRow(row)) return;
		const className = cc.text(row, 'className');
		const subject = cc.text(row, 'subject');
		if (!className || !subject) {
			const field = !className ? (cc.column('className') ?? '班级') : (cc.column('subject') ?? '科目');
			courseProblems.push({ row: index, field, message: `"${field}" is empty: the course row is not exported` });
			return;
		}
		const id = classId(className, subject);
		const before = classRow.get(id);
		if (before !== undefined) {
			courseProblems.push({ row: index, field: cc.column('subject') ?? '科目', message: `${className} ${subject} is already on course row ${before + 1}; this row is not exported` });
			return;
		}
		classRow.set(id, index);
		usedCourseRows.push(index);
		courseSubjects.add(subject);
		classes.push({ sourcedId: id, title: `${className} ${subject}`, courseSourcedId: courseId(subject), classCode: `${className}-${subject}`, classType: 'scheduled', schoolSourcedId: school, termSourcedIds: termId, subjects: subject });
		const teacherKeys = cc.text(row, 'teachers').split(/[,;，；、\s]+/).filter(Boolean);
		const unknown: string[] = [];
		let primary = true;
		for (const k of teacherKeys) {
			const p = teachersByKey.get(k) ?? teachersByKey.get(k.toLowerCase());
			if (!p) unknown.push(k);
			else {
				enrol(id, p, 'teacher', primary);
				primary = false;
			}
		}
		if (unknown.length) {
			const shown = unknown.slice(0, 5).map((k) => k.slice(0, 40)).join(', ');
			courseProblems.push({ row: index, field: cc.column('teachers') ?? '任课教师', message: `teachers not in the accounts, not enrolled in ${className} ${subject}: ${shown}${unknown.length > 5 ? ' ...' : ''}` });
		}
		for (const p of people) if (p.role === 'student' && p.className === className) enrol(id, p, 'student', false);
	});
	const users = people.map((p) => ({
		sourcedId: userId(p),
		enabledUser: 'true',
		orgSourcedIds: school,
		role: p.role,
		username: p.email,
		userIds: `{SIS:${p.personId}}`,
		givenName: p.givenName,
		familyName: p.familyName,
		identifier: p.personId,
		email: p.email,
	}));
	const courses = [...courseSubjects].map((s) => ({
		sourcedId: courseId(s),
		schoolYearSourcedId: termId,
		title: s || 'Homeroom',
		courseCode: s || 'homeroom',
		orgSourcedId: school,
		subjects: s,
	}));
	const manifest = [
		['manifest.version', '1.0'],
		['oneroster.version', '1.1'],
		['file.academicSessions', 'bulk'],
		['file.categories', 'absent'],
		['file.classes', 'bulk'],
		['file.classResources', 'absent'],
		['file.courses', 'bulk'],
		['file.courseResources', 'absent'],
		['file.demographics', 'absent'],
		['file.enrollments', 'bulk'],
		['file.lineItems', 'absent'],
		['file.orgs', 'bulk'],
		['file.resources', 'absent'],
		['file.results', 'absent'],
		['file.users', 'bulk'],
		['source.systemName', 'n8n-nodes-campus-logistics'],
		['source.systemCode', ''],
	].map(([propertyName, value]) => ({ propertyName, value }));
	const files = [
		file('manifest.csv', ONEROSTER.manifest, manifest),
		file('orgs.csv', ONEROSTER.orgs, [{ sourcedId: school, name: options.schoolName?.trim() || school, type: 'school', identifier: school }]),
		file('academicSessions.csv', ONEROSTER.academicSessions, [{ sourcedId: termId, title: `${year}`, type: 'schoolYear', startDate: start, endDate: end, schoolYear: String(Number(end.slice(0, 4)) || year) }]),
		file('courses.csv', ONEROSTER.courses, courses),
		file('classes.csv', ONEROSTER.classes, classes),
		file('users.csv', ONEROSTER.users, users),
		file('enrollments.csv', ONEROSTER.enrollments, enrollments),
	];
	for (const f of files) {
		if (!f.columns.includes('sourcedId')) continue;
		const ids = new Set(f.rows.map((r) => r.sourcedId));
		if (ids.size !== f.rows.length) throw new Error(`${f.file} would hold a sourcedId twice`);
	}
	return { files, courseProblems, usedCourseRows };
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
