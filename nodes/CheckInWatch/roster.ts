/**
 * The roster: who or what is expected to report (people or places), read from table rows.
 * Pure TypeScript: no n8n import.
 */
import { InputError, excerpt, hasLoneSurrogate, problemFrom, type RowProblem } from '../shared/errors';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { DEFAULT_REPORTER_COLUMNS, type ReporterKey } from './columns';

export interface Contact {
	name: string;
	mobile: string;
	userId: string;
}

export interface Reporter {
	/** 0-based index of the roster row. */
	row: number;
	id: string;
	name: string;
	group: string;
	mobile: string;
	userId: string;
	leader?: Contact;
}

export interface Roster {
	reporters: Reporter[];
	byId: Map<string, number>;
	problems: RowProblem[];
}

/** Reporter ids are compared as trimmed text: 1001 and "1001 " are the same reporter. */
export function normaliseId(value: unknown): string {
	if (value === undefined || value === null) return '';
	return (typeof value === 'string' ? value : String(value)).trim();
}

/**
 * Throws an InputError for an id holding half of a character (a lone surrogate, from a broken
 * copy and paste): it cannot go into a link or a message, so its row fails on its own.
 */
export function checkId(id: string, row: number, field: string | undefined): string {
	if (hasLoneSurrogate(id)) {
		throw new InputError(`"${excerpt(id)}" holds a broken character (half of a UTF-16 pair)`, {
			row,
			field,
			hint: 'Retype the id in the table',
		});
	}
	return id;
}

/** The first row that is not the `{}` of an empty table read. */
export function firstRow(rows: Row[]): Row | undefined {
	for (const r of rows) if (!isEmptyRow(r)) return r;
	return undefined;
}

/** Reads the expected reporters. Rows without an id, broken ids and repeated ids become problems. */
export function readRoster(rows: Row[], mapping: Record<ReporterKey, string> = DEFAULT_REPORTER_COLUMNS): Roster {
	const reporters: Reporter[] = [];
	const byId = new Map<string, number>();
	const problems: RowProblem[] = [];
	const sample = firstRow(rows);
	if (!sample) return { reporters, byId, problems };
	const cols = new Columns<ReporterKey>(mapping, 'reporters');
	cols.resolve(sample, ['id', 'name', 'group']);
	// Optional columns are looked up once, on the first row: Data Table rows all have the same keys.
	const text = (row: Row, key: ReporterKey): string => {
		const col = cols.column(key);
		return col === undefined ? '' : normaliseId(row[col]);
	};
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (isEmptyRow(row)) continue;
		try {
			const id = checkId(cols.requiredText(row, 'id', i), i, cols.column('id'));
			const seen = byId.get(id);
			if (seen !== undefined) {
				throw new InputError(
					`Reporter id "${excerpt(id)}" is already on row ${reporters[seen].row + 1}: each reporter is expected once`,
					{ row: i, field: cols.column('id') },
				);
			}
			const leaderName = text(row, 'leaderName');
			const leaderMobile = text(row, 'leaderMobile');
			const leaderUserId = text(row, 'leaderUserId');
			byId.set(id, reporters.length);
			reporters.push({
				row: i,
				id,
				name: text(row, 'name') || id,
				group: text(row, 'group'),
				mobile: text(row, 'mobile'),
				userId: text(row, 'userId'),
				leader:
					leaderName || leaderMobile || leaderUserId
						? { name: leaderName, mobile: leaderMobile, userId: leaderUserId }
						: undefined,
			});
		} catch (e) {
			problems.push(problemFrom(e, i));
		}
	}
	return { reporters, byId, problems };
}
