/**
 * The shapes every export shares: a file of rows, the options, the person read from an account
 * row, and the cell rules (formula neutralisation). Pure TypeScript: no n8n import.
 */
import { createHash } from 'crypto';
import type { RowProblem } from '../shared/errors';
import type { CourseKey } from './provisionInput';

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

export interface Person {
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

export const shortHash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 10);

/** A file: its columns in order, each row with every column (formula cells neutralised). */
export function file(name: string, columns: string[], rows: Array<Record<string, string>>, recipient = { name: '', email: '' }): ExportFile {
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
