/**
 * Errors raised by the domain modules. They carry the row and the field at fault so that the
 * node adapter can turn them into an n8n error (or an error output item) that names both.
 * Pure TypeScript: no n8n import.
 */
export interface InputErrorDetails {
	/** Index of the input item (row) at fault, when known. */
	row?: number;
	/** The column or parameter at fault. */
	field?: string;
	/** What the user can do about it. */
	hint?: string;
}

export class InputError extends Error {
	readonly row?: number;
	readonly field?: string;
	readonly hint?: string;

	constructor(message: string, details: InputErrorDetails = {}) {
		super(message);
		this.name = 'InputError';
		this.row = details.row;
		this.field = details.field;
		this.hint = details.hint;
	}

	/** The same error, placed at a row (kept if already placed). */
	atRow(row: number): InputError {
		if (this.row !== undefined) return this;
		return new InputError(this.message, { row, field: this.field, hint: this.hint });
	}

	/** "Row 3, field 体温: ..." style text for messages and error items. */
	describe(): string {
		const where: string[] = [];
		if (this.row !== undefined) where.push(`row ${this.row + 1}`);
		if (this.field !== undefined) where.push(`field "${this.field}"`);
		const prefix = where.length ? `${where.join(', ')}: ` : '';
		return `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}${this.message}`;
	}
}

/** A row that could not be used, with its reason: becomes an error output item. */
export interface RowProblem {
	row: number;
	field?: string;
	message: string;
}

export function problemFrom(error: unknown, row: number): RowProblem {
	if (error instanceof InputError) {
		return { row: error.row ?? row, field: error.field, message: error.message };
	}
	return { row, message: error instanceof Error ? error.message : String(error) };
}
