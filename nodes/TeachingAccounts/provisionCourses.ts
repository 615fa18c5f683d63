/**
 * Provision, step 3: Classroom. One course per class and subject (found again by its alias, 409
 * meaning it exists), owned by its first usable teacher; the other teachers and the class's
 * students added directly, as a domain admin may. Pure TypeScript: the calls go through GoogleApi.
 */
import { InputError, excerpt } from '../shared/errors';
import type { Row } from '../shared/rows';
import type { GoogleApi } from './googleTypes';
import { isConflict, pool } from './pacing';
import { readCourses, type CourseKey, type CourseSpec, type Person } from './provisionInput';
import { describeError, type Call, type CourseOutcome, type Ledger } from './provisionLedger';

export interface CoursesOptions {
	courseState?: 'ACTIVE' | 'PROVISIONED';
	courseAliasPrefix?: string;
	courseColumns?: Partial<Record<CourseKey, string>>;
	concurrency: number;
	/** Emails of users made by this run (calls about them retry a 404 while Google finishes). */
	createdNow: Set<string>;
}

/** A class takes at most this many students (Google Classroom's limit). */
export const MAX_STUDENTS = 1000;

interface Membership {
	course: CourseOutcome;
	email: string;
	as: 'teacher' | 'student';
}

function outcomeOf(c: CourseSpec): CourseOutcome {
	return { row: c.row, ok: true, courseAlias: c.alias, courseId: c.alias, courseName: c.name, class: c.className, subject: c.subject, teachers: 0, students: 0 };
}

const note = (c: CourseOutcome, text: string) => {
	c.error = `${c.error ? `${c.error}; ` : ''}${text}`;
};

export async function ensureCourses(api: GoogleApi, cr: Call, courseRows: Row[], people: Person[], ledger: Ledger, options: CoursesOptions): Promise<CourseOutcome[]> {
	const { courses, problems } = readCourses(courseRows, people, options);
	const outcomes: CourseOutcome[] = problems.map((p) => ({
		row: p.row,
		ok: false,
		courseAlias: '',
		courseId: '',
		courseName: '',
		class: '',
		subject: '',
		teachers: 0,
		students: 0,
		error: new InputError(p.message, { row: p.row, field: p.field }).describe(),
	}));
	const byEmail = new Map(people.map((p) => [p.email, p]));
	const okEmail = (email: string) => ledger.ok(byEmail.get(email));
	const memberships: Membership[] = [];
	const created = await pool(courses, options.concurrency, async (c): Promise<CourseOutcome> => {
		const out = outcomeOf(c);
		const students = people.filter((p) => p.role === 'student' && p.className === c.className);
		if (students.length > MAX_STUDENTS) {
			out.ok = false;
			out.error = `${students.length} students: a course takes at most 1,000`;
			return out;
		}
		const owner = c.teacherEmails.find(okEmail);
		try {
			await cr(
				() =>
					api.createCourse({
						id: c.alias,
						name: c.name,
						section: c.className,
						descriptionHeading: c.subject,
						ownerId: owner ?? 'me',
						courseState: options.courseState ?? 'ACTIVE',
					}),
				owner !== undefined && options.createdNow.has(owner),
			);
			out.result = 'created';
		} catch (e) {
			if (isConflict(e)) out.result = 'exists';
			else {
				out.ok = false;
				out.error = describeError(e);
			}
		}
		if (c.unknownTeachers.length) note(out, `teachers not in the accounts: ${excerpt(c.unknownTeachers.join(', '), 120)}`);
		for (const email of c.teacherEmails) if (email !== owner) memberships.push({ course: out, email, as: 'teacher' });
		if (owner) out.teachers++;
		for (const s of students) memberships.push({ course: out, email: s.email, as: 'student' });
		return out;
	});
	outcomes.push(...created);

	await pool(memberships, options.concurrency, async (m) => {
		const person = byEmail.get(m.email);
		const label = excerpt(m.course.courseName);
		if (!m.course.ok) {
			if (person) ledger.fail(person, `Not added to ${label}: the course could not be created (${m.course.error})`);
			return;
		}
		if (!okEmail(m.email)) return; // the person's own failure is already reported
		try {
			await cr(
				() => (m.as === 'teacher' ? api.addTeacher(m.course.courseAlias, m.email) : api.addStudent(m.course.courseAlias, m.email)),
				options.createdNow.has(m.email),
			);
		} catch (e) {
			if (!isConflict(e)) {
				if (person) ledger.fail(person, `Not added to ${label} as ${m.as}: ${describeError(e)}`);
				note(m.course, `${excerpt(m.email)}: ${describeError(e)}`);
				return;
			}
		}
		if (m.as === 'teacher') m.course.teachers++;
		else m.course.students++;
		if (person) ledger.get(person.row)?.courses.push(label);
	});
	// The owner's courses: the owner is not added as a member.
	for (const c of created) {
		const owner = courses.find((x) => x.row === c.row)?.teacherEmails.find(okEmail);
		const p = owner ? byEmail.get(owner) : undefined;
		if (p && c.ok) ledger.get(p.row)?.courses.push(c.courseName);
	}
	return outcomes;
}
