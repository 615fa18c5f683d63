/**
 * Reading table rows whose column names differ from school to school.
 * A column is looked up by a list of candidate names (Chinese and English defaults, or the
 * user's own mapping). Pure TypeScript: no n8n import.
 */
import { InputError } from './errors';

export type Row = Record<string, unknown>;

/** Splits "姓名, name" (a mapping parameter) into candidate names. */
export function candidates(mapping: string | string[]): string[] {
	const list = Array.isArray(mapping) ? mapping : mapping.split(/[,，|]/);
	return list.map((s) => s.trim()).filter(Boolean);
}

function normalise(key: string): string {
	return key.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Resolves which actual column of `row` a mapping refers to. Exact match first, then a match
 * ignoring case, spaces, dashes and underscores. Returns undefined when none is present.
 */
export function findColumn(row: Row, mapping: string | string[]): string | undefined {
	const names = candidates(mapping);
	const keys = Object.keys(row);
	for (const n of names) if (keys.includes(n)) return n;
	const byNorm = new Map(keys.map((k) => [normalise(k), k]));
	for (const n of names) {
		const hit = byNorm.get(normalise(n));
		if (hit !== undefined) return hit;
	}
	return undefined;
}

/** True for the `{}` item a Data Table read emits (alwaysOutputData) when the table is empty. */
export function isEmptyRow(row: Row | undefined | null): boolean {
	return !row || Object.keys(row).length === 0;
}

/**
 * A column resolver for one dataset: resolves each mapping once against the first non-empty
 * row, so that a missing mapped column is one clear error that names it.
 */
export class Columns<K extends string> {
	private readonly resolved = new Map<K, string | undefined>();

	constructor(
		private readonly mappings: Record<K, string | string[]>,
		private readonly dataset: string,
	) {}

	/** Throws an InputError naming the column when a required mapping matches no column. */
	resolve(sample: Row, required: K[]): void {
		for (const key of Object.keys(this.mappings) as K[]) {
			this.resolved.set(key, findColumn(sample, this.mappings[key]));
		}
		for (const key of required) {
			if (this.resolved.get(key) === undefined) {
				const names = candidates(this.mappings[key]);
				throw new InputError(
					`The ${this.dataset} have no column ${names.map((n) => `"${n}"`).join(' or ')}`,
					{
						field: names[0],
						hint: `Columns found: ${Object.keys(sample).join(', ') || '(none)'}. Map the right column in the node's column settings.`,
					},
				);
			}
		}
	}

	has(key: K): boolean {
		return this.resolved.get(key) !== undefined;
	}

	column(key: K): string | undefined {
		return this.resolved.get(key);
	}

	/** The raw value, or undefined when the column is not mapped in this dataset. */
	raw(row: Row, key: K): unknown {
		const col = this.resolved.get(key) ?? findColumn(row, this.mappings[key]);
		return col === undefined ? undefined : row[col];
	}

	/** The trimmed text value; '' when absent. */
	text(row: Row, key: K): string {
		const v = this.raw(row, key);
		if (v === undefined || v === null) return '';
		return String(v).trim();
	}

	/** The trimmed text value, or an InputError naming the column when it is blank. */
	requiredText(row: Row, key: K, rowIndex: number): string {
		const v = this.text(row, key);
		if (!v) {
			const col = this.resolved.get(key) ?? candidates(this.mappings[key])[0];
			throw new InputError(`"${col}" is empty`, { row: rowIndex, field: col });
		}
		return v;
	}
}
