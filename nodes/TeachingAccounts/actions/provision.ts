/**
 * Provision Google Workspace: the output of Plan Accounts (input 1) + courses (input 2) -> org
 * units, users and Classroom courses; a re-run creates nothing twice. Domain logic: ../provision.ts.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { inputItems } from '../../shared/router';
import { provision, type ProvisionReport } from '../provision';
import { apiError, failItem, googleFor, optionsOf, rowsOf, show } from './common';

export const description: INodeProperties[] = [
	{
		displayName:
			'Input 1: the output of Plan Accounts. Input 2 (optional): courses, one row per class and subject (班级, 科目, 任课教师 as 工号, email or name). Set Settings > On Error to "Continue (using error output)" to get every failed person with its reason.',
		name: 'provisionNotice',
		type: 'notice',
		default: '',
		displayOptions: show('provision'),
	},
	{
		displayName: 'Course State',
		name: 'courseState',
		type: 'options',
		default: 'ACTIVE',
		options: [
			{ name: 'Active', value: 'ACTIVE', description: 'Students see the course at once' },
			{ name: 'Provisioned', value: 'PROVISIONED', description: 'The owner accepts the course first' },
		],
		displayOptions: show('provision'),
	},
	{
		displayName: 'Course Alias Prefix',
		name: 'courseAliasPrefix',
		type: 'string',
		default: 'campus',
		description:
			'Courses are found again by the alias d:&lt;prefix&gt;-&lt;class&gt;-&lt;subject&gt;. Use a new prefix (e.g. 2026) for a new school year.',
		displayOptions: show('provision'),
	},
];

export async function execute(this: IExecuteFunctions, accounts: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const courses = inputItems(this, 1);
	const { google, secret } = await googleFor(this);
	if (!secret) {
		throw new NodeOperationError(this.getNode(), 'The credential has no Initial Password Secret', {
			description: 'Initial passwords are derived from it; fill it in the credential',
		});
	}
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
			out.push(failItem(p.error ?? 'Failed', p.row, 0, { kind: 'user', personId: a.personId ?? '', name: a.name ?? '', primaryEmail: a.primaryEmail ?? '' }));
		}
	}
	for (const c of report.courses) {
		const { row, ok, error, ...rest } = c;
		if (!ok) {
			out.push(failItem(error ?? 'Failed', row, 1, { kind: 'course', courseName: c.courseName, courseAlias: c.courseAlias }));
			continue;
		}
		const json: IDataObject = { kind: 'course', ...(courses[row]?.json ?? {}), ...rest };
		if (error) json.warning = error;
		out.push({ json, pairedItem: { item: row, input: 1 } });
	}
	const failed = out.filter((i) => i.json.error !== undefined);
	if (failed.length && !this.continueOnFail()) {
		const firstFail = failed[0];
		const p = firstFail.pairedItem as { item: number };
		throw new NodeApiError(this.getNode(), { message: String(firstFail.json.error) } as JsonObject, {
			message: `${failed.length} of ${out.length} items failed: ${String(firstFail.json.error)}`,
			description:
				'A re-run is safe: nothing is created twice. Set Settings > On Error to "Continue (using error output)" to get each failure as an item.',
			itemIndex: p.item,
		});
	}
	return [out];
}
