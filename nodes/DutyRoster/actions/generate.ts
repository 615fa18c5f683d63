/**
 * Generate: staff rows (input 1) and earlier roster rows (input 2) to assignments, unfilled seats
 * with their reasons, and a summary per person and per role.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { calendarOptionsProperty, problemItems, readCalendar, toNodeError } from '../../shared/n8n';
import { inputItems, wholeDatasetErrors } from '../../shared/router';
import { generateRoster, type DutyInput } from '../roster';
import { json, paired, rosterOptions, show, withKind } from './common';

const EXAMPLE_DUTIES = [
	{ name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay', cadence: 'daily' },
	{ name: 'Administrator on duty', role: 'administrator', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'everyDay', cadence: 'daily' },
	{ name: 'Duty cadre', role: 'cadre', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'weekly' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Input 1: staff rows (ID, name, roles, unavailable dates, weekly cap, preferred and undesired days, mobile, userId). Input 2 (optional): earlier roster rows, whose weighted load carries over.',
		name: 'generateNotice',
		type: 'notice',
		default: '',
		displayOptions: show('generate'),
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 1 }).toISODate() }}",
		required: true,
		placeholder: '2026-03-02',
		description: 'First date of the roster (YYYY-MM-DD)',
		displayOptions: show('generate'),
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 28 }).toISODate() }}",
		required: true,
		placeholder: '2026-06-30',
		description: 'Last date of the roster (YYYY-MM-DD), at most a year after From',
		displayOptions: show('generate'),
	},
	{
		displayName: 'Duties Defined As',
		name: 'dutiesMode',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Fields Below', value: 'fields' },
			{ name: 'JSON', value: 'json' },
		],
		displayOptions: show('generate'),
	},
	{
		displayName: 'Duties',
		name: 'duties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add duty',
		default: {},
		description: 'The rotations to fill, e.g. a gate post, the administrator on duty, the duty cadre',
		displayOptions: { show: { operation: ['generate'], dutiesMode: ['fields'] } },
		options: [
			{
				displayName: 'Duty',
				name: 'duty',
				values: [
					{
				displayName: 'Cadence',
				name: 'cadence',
				type: 'options',
				default: 'daily',
				options: [
							{
								name: 'Daily',
								value: 'daily',
								description: 'A new assignment every day',
							},
							{
								name: 'Weekly',
								value: 'weekly',
								description: 'One assignment covers the week\'s matching days',
							},
						]
					},
					{
				displayName: 'Days',
				name: 'days',
				type: 'options',
				default: 'schoolDays',
				options: [
							{
								name: 'School Days',
								value: 'schoolDays',
								description: 'Per the school calendar, make-up workdays included',
							},
							{
								name: 'Every Day',
								value: 'everyDay',
							},
							{
								name: 'Days Off Only',
								value: 'daysOff',
								description: 'Weekends, holidays and vacations',
							},
			]
					},
					{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Gate A',
					},
					{
				displayName: 'People per Shift',
				name: 'peoplePerShift',
				type: 'number',
				default: 1
					},
					{
				displayName: 'Role Needed',
				name: 'role',
				type: 'string',
				default: '',
				placeholder: 'guard',
				description: 'Only staff with this role (in their roles column) are assigned',
					},
					{
				displayName: 'Shifts',
				name: 'shifts',
				type: 'string',
				default: 'Day 07:30-17:30',
				placeholder: 'Day 07:00-19:00, Night 19:00-07:00',
				description: 'Name and times, separated by commas. A shift that ends before it starts ends the next day.',
					},
					{
				displayName: 'Weight',
				name: 'weight',
				type: 'number',
				default: 1,
				description: 'Load of one shift of this duty before night and holiday factors (a weekly duty counts each day)',
					},
			],
			},
		],
	},
	{
		displayName: 'Duties (JSON)',
		name: 'dutiesJson',
		type: 'json',
		default: JSON.stringify(EXAMPLE_DUTIES, null, 2),
		description:
			'An array of duties: name, role, peoplePerShift, shifts ("Day 07:00-19:00, Night 19:00-07:00"), days (schoolDays, everyDay, daysOff), cadence (daily, weekly), weight',
		displayOptions: { show: { operation: ['generate'], dutiesMode: ['json'] } },
	},
];

/** Shown after the shared rules and column mappings. */
export const calendarProperty: INodeProperties = { ...calendarOptionsProperty, displayOptions: show('generate') };

function readDuties(ctx: IExecuteFunctions): DutyInput[] {
	const mode = ctx.getNodeParameter('dutiesMode', 0, 'fields') as string;
	if (mode === 'json') {
		let value = ctx.getNodeParameter('dutiesJson', 0, '[]') as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value);
			} catch (e) {
				throw new NodeOperationError(ctx.getNode(), `Duties (JSON) is not valid JSON: ${(e as Error).message}`);
			}
		}
		if (!Array.isArray(value)) throw new NodeOperationError(ctx.getNode(), 'Duties (JSON) must be an array of duties');
		return value as DutyInput[];
	}
	return (ctx.getNodeParameter('duties.duty', 0, []) as DutyInput[]) ?? [];
}

async function generate(ctx: IExecuteFunctions, staff: INodeExecutionData[], earlier: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const rules = ctx.getNodeParameter('rules', 0, {}) as IDataObject;
	const result = await generateRoster(json(staff), readDuties(ctx), json(earlier), {
		...rosterOptions(ctx),
		from: String(ctx.getNodeParameter('from', 0)),
		to: String(ctx.getNodeParameter('to', 0)),
		calendar: readCalendar(ctx, 0),
		unknownRoles: rules.unknownRoles === 'ignore' ? 'ignore' : 'error',
		timeLimit: rules.solverSeconds === undefined || rules.solverSeconds === '' ? undefined : Number(rules.solverSeconds),
	});
	const errors = [
		...withKind(problemItems(ctx, result.problems, staff, 0)),
		...withKind(problemItems(ctx, result.earlierProblems, earlier, 1)),
	];
	return [
		result.assignments.map((a) => ({ json: { ...a.data } as IDataObject, pairedItem: paired(a.rows) })),
		[...result.unfilled.map((u) => ({ json: { ...u.data } as IDataObject, pairedItem: paired(u.rows) })), ...errors],
		[
			...result.summary.map((s) => ({ json: { ...s.data } as IDataObject, pairedItem: paired(s.rows) })),
			...result.balance.map((b) => ({ json: { ...b.data } as IDataObject, pairedItem: paired(b.rows) })),
		],
	];
}

export async function execute(this: IExecuteFunctions, staff: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	try {
		return await generate(this, staff, inputItems(this, 1));
	} catch (error) {
		if (!this.continueOnFail()) throw toNodeError(this, error);
		// A failure of the whole run: one error item per staff and earlier row, on "Unfilled and Errors".
		return [[], withKind(wholeDatasetErrors(this, error, 2)), []];
	}
}
