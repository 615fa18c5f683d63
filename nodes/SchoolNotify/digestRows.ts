/**
 * Reading digest rows: one person per input item, with the fields that name the group, the
 * person, how to @mention them and the text of their line. Pure TypeScript: no n8n import.
 */
import type { RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';
import { isEveryone, MOBILE } from './mentions';

export interface DigestFields {
	targetGroup: string;
	name: string;
	mobile: string;
	userId: string;
	line: string;
	/** Extra people to @mention with this line (escalations): mobiles, and user ids (Feishu). */
	alsoMobiles?: string;
	alsoUserIds?: string;
	/** When the person was last reminded (for the "least recently reminded first" order). */
	lastReminded?: string;
}

export const DEFAULT_DIGEST_FIELDS: DigestFields = {
	targetGroup: 'targetGroup',
	name: 'recipientName',
	mobile: 'recipientMobile',
	userId: 'recipientUserId',
	line: 'message',
	alsoMobiles: 'mentionMobiles',
	alsoUserIds: 'mentionUserIds',
	lastReminded: 'lastRemindedAt',
};

export interface DigestPerson {
	row: number;
	target: string;
	name: string;
	mobile?: string;
	userId?: string;
	line?: string;
	/** Others to @mention with this line (escalations: the group leader, the administrator on duty). */
	alsoMobiles?: string[];
	alsoUserIds?: string[];
	/** The row's last-reminded time, as given (ISO text). */
	lastReminded?: string;
}

function listField(row: Row, name: string): string[] {
	if (!name) return [];
	const v = row[name];
	const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,，;；\s]+/) : [];
	return list.map((x) => String(x).trim()).filter(Boolean);
}

function field(row: Row, name: string): string {
	if (!name) return '';
	const v = row[name];
	return v === undefined || v === null ? '' : String(v).trim();
}

/** Reads one person per input item; rows without a name become problems, `{}` rows are skipped. */
export function readDigestRows(
	rows: Row[],
	fields: DigestFields,
): { people: DigestPerson[]; problems: RowProblem[]; skipped: number[] } {
	const people: DigestPerson[] = [];
	const problems: RowProblem[] = [];
	const skipped: number[] = [];
	rows.forEach((r, row) => {
		if (isEmptyRow(r)) {
			skipped.push(row);
			return;
		}
		const name = field(r, fields.name);
		if (!name) {
			problems.push({ row, field: fields.name, message: `"${fields.name}" is empty: a digest line needs the person's name` });
			return;
		}
		const mobile = field(r, fields.mobile).replace(/[\s-]/g, '');
		people.push({
			row,
			target: field(r, fields.targetGroup),
			name,
			mobile: mobile && MOBILE.test(mobile) ? mobile : undefined,
			// An id that means everyone ("all", "@all") is not a person's: it is not mentioned.
			userId: isEveryone(field(r, fields.userId)) ? undefined : field(r, fields.userId) || undefined,
			line: field(r, fields.line) || undefined,
			alsoMobiles: listField(r, fields.alsoMobiles ?? DEFAULT_DIGEST_FIELDS.alsoMobiles!)
				.map((m) => m.replace(/[\s-]/g, ''))
				.filter((m) => MOBILE.test(m)),
			alsoUserIds: listField(r, fields.alsoUserIds ?? DEFAULT_DIGEST_FIELDS.alsoUserIds!).filter((id) => !isEveryone(id)),
			lastReminded: field(r, fields.lastReminded ?? DEFAULT_DIGEST_FIELDS.lastReminded!) || undefined,
		});
	});
	return { people, problems, skipped };
}

