/**
 * Provision Google Workspace: the output of Plan Accounts (input 1) + courses (input 2) -> org
 * units, users and Classroom courses; a re-run creates nothing twice. Domain logic: ../provision.ts.
 */
import { sleep, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { InputError, excerpt } from '../../shared/errors';
import { inputItems } from '../../shared/router';
import { provision, type ProvisionReport } from '../provision';
import { choiceProperty, noticeProperty, property, showFor } from '../../shared/parameters';
import { apiError, failItem, googleFor, optionsOf, passwordSecretOf, rowsOf, throwIfAnyFailed } from './common';

export const description: INodeProperties[] = [
	noticeProperty(
		'provisionNotice',
		'Input 1: the output of Plan Accounts. Input 2 (optional): courses, one row per class and subject (班级, 科目, 任课教师 as 工号, email or name). Set Settings > On Error to "Continue (using error output)" to get every failed person with its reason.',
		showFor('provision'),
	),
	choiceProperty('Course State', 'courseState', 'ACTIVE', [
		['Active', 'ACTIVE', 'Students see the course at once'],
		['Provisioned', 'PROVISIONED', 'The owner accepts the course first'],
	], { displayOptions: showFor('provision') }),
	property('Course Alias Prefix', 'courseAliasPrefix', 'string', 'campus', {
		description:
			'Courses are found again by the alias d:&lt;prefix&gt;-&lt;class&gt;-&lt;subject&gt;. Use a new prefix (e.g. 2026) for a new school year.',
		displayOptions: showFor('provision'),
	}),
];

export async function execute(this: IExecuteFunctions, accounts: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const courses = inputItems(this, 1);
	const { google, secret: given } = await googleFor(this);
	const secret = passwordSecretOf(given);
	const o = optionsOf(this);
	let report: ProvisionReport;
	try {
		report = await provision(google, rowsOf(accounts), rowsOf(courses), {
			passwordSecret: secret,
			passwordLength: o.passwordLength !== undefined ? Number(o.passwordLength) : undefined,
			courseState: this.getNodeParameter('courseState', 0, 'ACTIVE') as 'ACTIVE' | 'PROVISIONED',
			courseAliasPrefix: String(this.getNodeParameter('courseAliasPrefix', 0, 'campus')),
			directoryPerMinute: o.directoryPerMinute !== undefined ? Number(o.directoryPerMinute) : undefined,
			classroomPerMinute: o.classroomPerMinute !== undefined ? Number(o.classroomPerMinute) : undefined,
			concurrency: o.concurrency !== undefined ? Number(o.concurrency) : undefined,
			retry: {
				...(o.maxRetries !== undefined ? { maxRetries: Number(o.maxRetries) } : {}),
				...(o.baseDelayMs !== undefined ? { baseDelayMs: Number(o.baseDelayMs) } : {}),
			},
			sleep,
		});
	} catch (error) {
		if (error instanceof InputError) throw error;
		throw apiError(this, error, 'Provisioning failed');
	}
	const out: INodeExecutionData[] = [];
	for (const p of report.people) {
		if (p.ok) {
			out.push({ json: { kind: 'user', ...(p.account as IDataObject), result: p.result, courses: p.courses.join('; ') }, pairedItem: { item: p.row } });
		} else {
			const a = p.account as IDataObject;
			const who = { personId: excerpt(a.personId ?? ''), name: excerpt(a.name ?? ''), primaryEmail: excerpt(a.primaryEmail ?? '') };
			out.push(failItem(p.error ?? 'Failed', p.row, 0, { kind: 'user', ...(p.field ? { field: p.field } : {}), ...who }));
		}
	}
	for (const c of report.courses) {
		const { row, ok, error, ...rest } = c;
		if (!ok) {
			out.push(failItem(error ?? 'Failed', row, 1, { kind: 'course', courseName: excerpt(c.courseName), courseAlias: c.courseAlias }));
			continue;
		}
		const json: IDataObject = { kind: 'course', ...(courses[row]?.json ?? {}), ...rest };
		if (error) json.warning = error;
		out.push({ json, pairedItem: { item: row, input: 1 } });
	}
	if (!this.continueOnFail()) throwIfAnyFailed(this, out);
	return [out];
}
