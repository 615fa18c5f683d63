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

/** Longest excerpt of a bad value that an error message quotes. */
export const EXCERPT_LENGTH = 40;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** True when a text holds half of a character (a lone UTF-16 surrogate): it cannot be encoded. */
export function hasLoneSurrogate(text: string): boolean {
	return LONE_SURROGATE.test(text);
}

/**
 * A short, printable excerpt of a bad value for an error message: at most `max` characters
 * (whole characters, never half of one), line breaks and control characters shown as spaces,
 * a lone surrogate as U+FFFD, and "…" with the full length when cut.
 */
export function excerpt(value: unknown, max = EXCERPT_LENGTH): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if (value === undefined || value === null || typeof value !== 'object') text = String(value);
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = Object.prototype.toString.call(value);
		}
	}
	// Only the start is looked at, so a 1 MB value costs no more than a short one.
	const head = [...text.slice(0, max * 2 + 2)].slice(0, max + 1);
	const cut = head.length > max;
	const shown = (cut ? head.slice(0, max) : head)
		.join('')
		.replace(LONE_SURROGATES, '\uFFFD')
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
	return cut ? `${shown}… (${text.length} characters)` : shown;
}
