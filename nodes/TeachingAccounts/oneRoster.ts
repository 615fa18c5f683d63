/**
 * OneRoster 1.1 bulk CSV rows: orgs, academic sessions, courses, classes, users and enrollments,
 * never with a sourcedId twice. Pure TypeScript: no n8n import.
 */
import { excerpt, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import { file, shortHash, type ExportOptions, type ExportResult, type Person } from './exportFile';
import { COURSE_COLUMNS } from './provisionInput';
import { columnsFor, firstRow } from './people';

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
export function oneRoster(people: Person[], courseRows: Row[], options: ExportOptions): Omit<ExportResult, 'problems'> {
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
			courseProblems.push({ row: index, field: cc.column('teachers') ?? '任课教师', message: `teachers not in the accounts, not enrolled in ${excerpt(className)} ${excerpt(subject)}: ${excerpt(shown, 200)}${unknown.length > 5 ? ' ...' : ''}` });
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
