/**
 * Provision's record of what happened to each person and course, shared by its steps (org units,
 * users, Classroom). Pure TypeScript.
 */
import { excerpt } from '../shared/errors';
import type { Row } from '../shared/rows';
import type { Person } from './provisionInput';

export type UserResult = 'created' | 'exists' | 'updated';

export interface PersonOutcome {
	row: number;
	ok: boolean;
	account: Row;
	result?: UserResult;
	courses: string[];
	error?: string;
	/** The column at fault, when the failure is the row's own (e.g. a duplicate primaryEmail). */
	field?: string;
}

export interface CourseOutcome {
	row: number;
	ok: boolean;
	courseAlias: string;
	courseId: string;
	courseName: string;
	class: string;
	subject: string;
	result?: 'created' | 'exists';
	teachers: number;
	students: number;
	error?: string;
}

/** A paced call to one Google API (Directory or Classroom); retryNotFound for just-created users. */
export type Call = <T>(fn: () => Promise<T>, retryNotFound?: boolean) => Promise<T>;

/** A failure's text for an outcome, bounded (a remote answer may echo a long value). */
export function describeError(e: unknown): string {
	return excerpt(e instanceof Error ? e.message : String(e), 300);
}

/** The outcome of every person, by input row. */
export class Ledger {
	readonly outcomes = new Map<number, PersonOutcome>();

	has(row: number): boolean {
		return this.outcomes.has(row);
	}

	get(row: number): PersonOutcome | undefined {
		return this.outcomes.get(row);
	}

	succeed(p: Person, result: UserResult): void {
		this.outcomes.set(p.row, { row: p.row, ok: true, account: p.account, result, courses: [] });
	}

	/** Marks a person failed; a second failure is added to the first. */
	fail(p: { row: number; account: Row }, error: string, field?: string): void {
		const o = this.outcomes.get(p.row);
		if (o && o.ok) {
			o.ok = false;
			o.error = error;
		} else if (o) {
			o.error = o.error ? `${o.error}; ${error}` : error;
		} else this.outcomes.set(p.row, { row: p.row, ok: false, account: p.account, courses: [], error, ...(field ? { field } : {}) });
	}

	/** Whether the person's account is usable (people not in the input count as usable). */
	ok(p: Person | undefined): boolean {
		return p ? this.outcomes.get(p.row)?.ok === true : true;
	}
}
