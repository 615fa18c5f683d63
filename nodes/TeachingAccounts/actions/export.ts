/**
 * Export: the output of Plan Accounts (input 1) + courses (input 2) -> the rows of OneRoster 1.1
 * CSV files, DingTalk or WeCom bulk-import sheets, or one initial-password sheet per class.
 * Convert to File makes the files. Domain logic: ../export.ts.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { isEmptyRow, type Row } from '../../shared/rows';
import { inputItems } from '../../shared/router';
import { exportFiles, type ExportFormat } from '../export';
import { settingsThatKeepPasswords, type SaveSettings } from '../passwords';
import { choiceProperty, noticeProperty, property, showFor } from '../../shared/parameters';
import { googleFor, optionsOf, passwordSecretOf, rowsOf } from './common';

const showFormat = (...exportFormat: string[]) => ({ show: { operation: ['export'], exportFormat } });

export const description: INodeProperties[] = [
	choiceProperty('Format', 'exportFormat', 'oneRoster', [
		['DingTalk Bulk Import (Xlsx)', 'dingtalk'],
		['Initial-Password Sheet per Class (Xlsx)', 'passwords'],
		['OneRoster 1.1 (CSV)', 'oneRoster'],
		['WeCom Bulk Import (Xlsx)', 'wecom'],
	], { displayOptions: showFor('export') }),
	noticeProperty(
		'passwordNotice',
		'Password sheets hold plain passwords: send each file only to its recipientEmail (the class teacher) and never store it in a table.',
		showFormat('passwords'),
	),
	{
		displayName: 'Include Initial Passwords',
		name: 'includePasswords',
		type: 'boolean',
		default: true,
		description:
			"Whether the sheets carry the 初始密码 column. Off: no plain password is in this node's output, so none stays in n8n's execution history; the sheets then list the accounts only.",
		displayOptions: showFormat('passwords'),
	},
	choiceProperty('Output', 'exportOutput', 'files', [
		['One Item per File', 'files', 'Fields file, format, rowCount, recipient and rows: Split Out "rows", then Convert to File'],
		['One Item per Row', 'rows', 'Each row with a "file" field naming the file it belongs to'],
	], { displayOptions: showFor('export') }),
	property('School ID', 'schoolId', 'string', 'school', {
		description: 'The sourcedId of the school in OneRoster files',
		displayOptions: showFormat('oneRoster'),
	}),
	{
		displayName: 'School Name',
		name: 'schoolName',
		type: 'string',
		default: '',
		displayOptions: showFormat('oneRoster'),
	},
	{
		displayName: 'School Year',
		name: 'schoolYear',
		type: 'string',
		default: '={{ $now.setZone("Asia/Shanghai").year }}',
		description: 'The year the school year starts in',
		displayOptions: showFormat('oneRoster'),
	},
];

export async function execute(this: IExecuteFunctions, accounts: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const courses = inputItems(this, 1);
	const format = this.getNodeParameter('exportFormat', 0) as ExportFormat;
	const o = optionsOf(this);
	let secret = '';
	if (format === 'passwords') {
		secret = passwordSecretOf((await googleFor(this)).secret);
	}
	const includePasswords = format === 'passwords' && (this.getNodeParameter('includePasswords', 0, true) as boolean);
	if (includePasswords) warnIfPasswordsAreKept(this);
	const result = exportFiles(rowsOf(accounts), rowsOf(courses), {
		format,
		schoolId: String(this.getNodeParameter('schoolId', 0, 'school')),
		schoolName: String(this.getNodeParameter('schoolName', 0, '')),
		schoolYear: String(this.getNodeParameter('schoolYear', 0, '')),
		passwordSecret: secret,
		passwordLength: o.passwordLength !== undefined ? Number(o.passwordLength) : undefined,
		includePasswords,
	});
	const errors = [...problemItems(this, result.problems, accounts), ...problemItems(this, result.courseProblems, courses, 1)];
	const used = accounts.map((_, i) => i).filter((i) => !isEmptyRow(accounts[i].json as Row) && !result.problems.some((p) => p.row === i));
	// Each file item is paired with every account row and course row it was made from.
	const paired = [
		...(used.length ? used : accounts.map((_, i) => i)).map((item) => ({ item, input: 0 })),
		...result.usedCourseRows.map((item) => ({ item, input: 1 })),
	];
	const shape = this.getNodeParameter('exportOutput', 0, 'files') as string;
	const out: INodeExecutionData[] = [];
	for (const f of result.files) {
		if (shape === 'rows') {
			for (const r of f.rows) out.push({ json: { file: f.file, ...r }, pairedItem: paired });
		} else {
			out.push({
				json: {
					file: f.file,
					format: f.format,
					rowCount: f.rows.length,
					columns: f.columns.join(','),
					recipientName: f.recipientName,
					recipientEmail: f.recipientEmail,
					rows: f.rows,
				},
				pairedItem: paired,
			});
		}
	}
	return [[...out, ...errors]];
}

/**
 * Plain passwords in the output stay in n8n's execution history unless the workflow saves no
 * execution data: say so in the editor (an execution hint), naming the settings to change.
 */
function warnIfPasswordsAreKept(ctx: IExecuteFunctions): void {
	if (typeof ctx.getWorkflowSettings !== 'function' || typeof ctx.addExecutionHints !== 'function') return;
	const keep = settingsThatKeepPasswords(ctx.getWorkflowSettings() as SaveSettings, ctx.getMode());
	if (!keep.length) return;
	ctx.addExecutionHints({
		type: 'warning',
		location: 'outputPane',
		message: `Plain initial passwords are in this output, and the workflow keeps execution data (${keep.join(', ')}): they stay in the execution history. In the workflow settings set these to "Do not save", or turn off Include Initial Passwords.`,
	});
}
