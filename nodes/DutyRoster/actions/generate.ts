/**
 * Generate: staff rows (input 1) and earlier roster rows (input 2) to assignments, unfilled seats
 * with their reasons, and a summary per person and per role.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError, excerpt } from '../../shared/errors';
import { calendarOptionsProperty, problemItems, readCalendar, toNodeError } from '../../shared/n8n';
import { inputItems, wholeDatasetErrors } from '../../shared/router';
import { generateRoster, type DutyInput } from '../roster';
import { json, paired, rosterOptions, withKind } from './common';
import { choiceProperty, noticeProperty, showFor } from '../../shared/parameters';

const EXAMPLE_DUTIES = [
	{ name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay', cadence: 'daily' },
	{ name: 'Administrator on duty', role: 'administrator', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'everyDay', cadence: 'daily' },
	{ name: 'Duty cadre', role: 'cadre', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'weekly' },
];

export const description: INodeProperties[] = [
	noticeProperty(
		'generateNotice',
		'Input 1: staff rows (ID, name, roles, unavailable dates, weekly cap, preferred and undesired days, mobile, userId). Input 2 (optional): earlier roster rows, whose weighted load carries over.',
		showFor('generate'),
	),
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 1 }).toISODate() }}",
		required: true,
		placeholder: '2026-03-02',
		description: 'First date of the roster (YYYY-MM-DD)',
		displayOptions: showFor('generate'),
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 28 }).toISODate() }}",
		required: true,
		placeholder: '2026-06-30',
		description: 'Last date of the roster (YYYY-MM-DD), at most a year after From',
		displayOptions: showFor('generate'),
	},
	choiceProperty('Duties Defined As', 'dutiesMode', 'fields', [
		['Fields Below', 'fields'],
		['JSON', 'json'],
	], { displayOptions: showFor('generate') }),
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
					choiceProperty('Cadence', 'cadence', 'daily', [
						['Daily', 'daily', 'A new assignment every day'],
						['Weekly', 'weekly', "One assignment covers the week's matching days"],
					]),
					choiceProperty('Days', 'days', 'schoolDays', [
						['School Days', 'schoolDays', 'Per the school calendar, make-up workdays included'],
						['Every Day', 'everyDay'],
						['Days Off Only', 'daysOff', 'Weekends, holidays and vacations'],
					]),
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
						default: 1,
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
export const calendarProperty: INodeProperties = { ...calendarOptionsProperty, displayOptions: showFor('generate') };

function readDuties(ctx: IExecuteFunctions): DutyInput[] {
	const mode = ctx.getNodeParameter('dutiesMode', 0, 'fields') as string;
	if (mode === 'json') {
		let value = ctx.getNodeParameter('dutiesJson', 0, '[]') as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value);
			} catch (e) {
				throw new InputError(`Not valid JSON: ${excerpt((e as Error).message, 120)}`, { field: 'Duties (JSON)' });
			}
		}
		if (!Array.isArray(value)) throw new InputError('Must be an array of duties', { field: 'Duties (JSON)' });
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
