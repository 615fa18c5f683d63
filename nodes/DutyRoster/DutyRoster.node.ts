import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
} from 'n8n-workflow';
import { DateTime } from 'luxon';
import { splitList } from '../shared/calendar';
import { InputError } from '../shared/errors';
import { calendarOptionsProperty, errorItem, problemItems, readCalendar, toNodeError } from '../shared/n8n';
import type { Row } from '../shared/rows';
import { buildCalendar } from './ical';
import {
	ROSTER_COLUMNS,
	STAFF_COLUMNS,
	checkSwap,
	generateRoster,
	parseRoster,
	whoIsOnDuty,
	type DutyInput,
	type RosterKey,
	type RosterOptions,
	type StaffKey,
} from './roster';

const main = NodeConnectionTypes.Main;

/** Inputs and outputs per operation (the first entry is the default). */
const INPUTS: Record<string, Array<{ type: string; displayName: string; required?: boolean }>> = {
	generate: [
		{ type: main, displayName: 'Staff', required: true },
		{ type: main, displayName: 'Earlier Roster (Optional)' },
	],
	checkSwap: [
		{ type: main, displayName: 'Roster', required: true },
		{ type: main, displayName: 'Staff (Optional)' },
	],
	whoIsOnDuty: [{ type: main, displayName: 'Roster', required: true }],
	exportCalendar: [{ type: main, displayName: 'Roster', required: true }],
};

const OUTPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	generate: [
		{ type: main, displayName: 'Assignments' },
		{ type: main, displayName: 'Unfilled and Errors' },
		{ type: main, displayName: 'Summary' },
	],
	checkSwap: [{ type: main, displayName: 'Result' }],
	whoIsOnDuty: [{ type: main, displayName: 'People on Duty' }],
	exportCalendar: [{ type: main, displayName: 'File' }],
};

// Evaluated by n8n in the editor, as Merge v3's configuredInputs is: self-contained, data passed in.
function byOperation(parameters: { operation?: string }, table: Record<string, unknown[]>) {
	return table[parameters.operation || 'generate'] || table.generate;
}

const show = (...operation: string[]) => ({ show: { operation } });

function columnOptions<K extends string>(defaults: Record<K, string>, labels: Record<K, string>): INodeProperties[] {
	return (Object.keys(defaults) as K[])
		.map((k) => ({
			displayName: labels[k],
			name: k,
			type: 'string' as const,
			default: defaults[k],
			description: `Column names to look for, separated by commas (first match wins). Default: ${defaults[k]}.`,
		}))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

const STAFF_LABELS: Record<StaffKey, string> = {
	id: 'ID Column',
	name: 'Name Column',
	roles: 'Roles Column',
	unavailable: 'Unavailable Dates Column',
	maxPerWeek: 'Weekly Cap Column',
	preferredDays: 'Preferred Days Column',
	undesiredDays: 'Undesired Days Column',
	mobile: 'Mobile Column',
	userId: 'User ID Column',
};

const ROSTER_LABELS: Record<RosterKey, string> = {
	kind: 'Kind Column',
	date: 'Date Column',
	endDate: 'End Date Column',
	duty: 'Duty Column',
	role: 'Role Column',
	shift: 'Shift Column',
	start: 'Start Column',
	end: 'End Column',
	personId: 'Person ID Column',
	personName: 'Person Name Column',
	mobile: 'Mobile Column',
	userId: 'User ID Column',
	weight: 'Weight Column',
	assignmentId: 'Assignment ID Column',
};

const EXAMPLE_DUTIES = [
	{ name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay', cadence: 'daily' },
	{ name: 'Administrator on duty', role: 'administrator', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'everyDay', cadence: 'daily' },
	{ name: 'Duty cadre', role: 'cadre', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'weekly' },
];

export class DutyRoster implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Duty Roster',
		name: 'dutyRoster',
		icon: { light: 'file:dutyRoster.svg', dark: 'file:dutyRoster.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"generate": "Generate roster", "whoIsOnDuty": "Who is on duty", "checkSwap": "Check swap", "exportCalendar": "Export calendar"}[$parameter["operation"]] }}',
		description:
			'Generates fair duty rosters under hard constraints (roles, leave, rest, caps), tells who is on duty, checks swaps and exports iCalendar files',
		defaults: { name: 'Duty Roster' },
		usableAsTool: true,
		inputs: `={{(${byOperation.toString()})($parameter, ${JSON.stringify(INPUTS)})}}`,
		outputs: `={{(${byOperation.toString()})($parameter, ${JSON.stringify(OUTPUTS)})}}`,
		requiredInputs: 1,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'generate',
				options: [
					{
						name: 'Check Swap',
						value: 'checkSwap',
						action: 'Check whether a swap breaks a rule',
						description: 'Whether a swap between two people breaks a hard constraint, and what it does to the balance',
					},
					{
						name: 'Export Calendar',
						value: 'exportCalendar',
						action: 'Export a roster as a calendar file',
						description: 'An .ics file for one person or the whole roster, with time zones',
					},
					{
						name: 'Generate',
						value: 'generate',
						action: 'Generate a duty roster',
						description: 'Assigns staff (input 1) to duties over a date range; earlier rosters (input 2) carry fairness over',
					},
					{
						name: 'Who Is On Duty',
						value: 'whoIsOnDuty',
						action: 'Find who is on duty',
						description: 'The people on duty at a time or on a date, read from stored roster rows',
					},
				],
			},
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
			{
				displayName: 'Match',
				name: 'match',
				type: 'options',
				default: 'moment',
				options: [
					{ name: 'At a Moment', value: 'moment', description: 'People whose shift covers the time (escalations)' },
					{ name: 'On a Date', value: 'date', description: 'People with any shift on the date ("on duty tomorrow" reminders)' },
				],
				displayOptions: show('whoIsOnDuty'),
			},
			{
				displayName: 'Time',
				name: 'at',
				type: 'string',
				default: '={{ $now.toISO() }}',
				placeholder: '2026-03-02 20:00',
				description: 'The moment to look at. A time without a zone is read in the time zone below.',
				displayOptions: { show: { operation: ['whoIsOnDuty'], match: ['moment'] } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'string',
				default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 1 }).toISODate() }}",
				placeholder: '2026-03-03',
				description: 'The date to look at (default tomorrow)',
				displayOptions: { show: { operation: ['whoIsOnDuty'], match: ['date'] } },
			},
			{
				displayName: 'Duties',
				name: 'dutyFilter',
				type: 'string',
				default: '',
				placeholder: 'Administrator on duty, Gate A',
				description: 'Only these duties, separated by commas; empty for all',
				displayOptions: show('whoIsOnDuty'),
			},
			{
				displayName: 'Roles',
				name: 'roleFilter',
				type: 'string',
				default: '',
				placeholder: 'guard',
				description: 'Only duties needing these roles, separated by commas; empty for all',
				displayOptions: show('whoIsOnDuty'),
			},
			{
				displayName: 'Output',
				name: 'onDutyOutput',
				type: 'options',
				default: 'perPerson',
				options: [
					{ name: 'One Item per Person on Duty', value: 'perPerson', description: 'Flat fields name, mobile, userId, duty, shift, start, end' },
					{
						name: 'One Item for Everyone',
						value: 'oneItem',
						description: 'Names, mobiles and userIds joined by commas, ready for one message that @mentions them all',
					},
				],
				displayOptions: show('whoIsOnDuty'),
			},
			{
				displayName: 'When Nobody Is On Duty',
				name: 'ifNobody',
				type: 'options',
				default: 'item',
				options: [
					{ name: 'Output One Item Saying So', value: 'item', description: 'An item with onDuty false and a message, so the workflow can fall back' },
					{ name: 'Output Nothing', value: 'nothing' },
				],
				displayOptions: show('whoIsOnDuty'),
			},
			{
				displayName: 'Person A',
				name: 'personA',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'T012 or 张三',
				description: 'The person giving away a duty (ID or name)',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "Date of A's Duty",
				name: 'dateA',
				type: 'string',
				default: '',
				required: true,
				placeholder: '2026-03-02',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "A's Duty",
				name: 'dutyA',
				type: 'string',
				default: '',
				placeholder: 'Gate A',
				description: 'Needed only when A has more than one duty that day',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "A's Shift",
				name: 'shiftA',
				type: 'string',
				default: '',
				placeholder: 'Night',
				description: 'Needed only when A has more than one shift that day',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: 'Person B',
				name: 'personB',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'T034 or 李四',
				description: "The person taking A's duty (ID or name)",
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "Date of B's Duty",
				name: 'dateB',
				type: 'string',
				default: '',
				placeholder: '2026-03-05',
				description: "For a two-way swap: the date of B's duty that A takes in return. Empty: B simply takes A's duty.",
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "B's Duty",
				name: 'dutyB',
				type: 'string',
				default: '',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: "B's Shift",
				name: 'shiftB',
				type: 'string',
				default: '',
				displayOptions: show('checkSwap'),
			},
			{
				displayName: 'Person',
				name: 'person',
				type: 'string',
				default: '',
				placeholder: 'T012 or 张三',
				description: "Whose calendar (ID or name). Empty: the whole roster, with each event naming who is on duty.",
				displayOptions: show('exportCalendar'),
			},
			{
				displayName: 'One File per Person',
				name: 'filePerPerson',
				type: 'boolean',
				default: false,
				description: 'Whether to output one item with its own file for each person in the roster (for mailing each their duties)',
				displayOptions: show('exportCalendar'),
			},
			{
				displayName: 'Calendar Name',
				name: 'calendarName',
				type: 'string',
				default: 'Duty Roster',
				displayOptions: show('exportCalendar'),
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: 'duty-roster.ics',
				description: "With one file per person, the person's ID is added before .ics",
				displayOptions: show('exportCalendar'),
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put the file in',
				displayOptions: show('exportCalendar'),
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: 'Asia/Shanghai',
				description: 'IANA time zone of the shift times',
			},
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'collection',
				placeholder: 'Add rule',
				default: {},
				description: 'Hard constraints and load weights',
				displayOptions: show('generate', 'checkSwap'),
				options: [
					{
						displayName: 'Holiday Weight',
						name: 'holidayWeight',
						type: 'number',
						default: 1.5,
						typeOptions: { minValue: 0.01, numberPrecision: 2 },
						description: 'Load factor of a shift on a weekend or public holiday (make-up workdays count as workdays)',
					},
					{
						displayName: 'Max Shifts per Day',
						name: 'maxPerDay',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 1 },
						description: 'Daily shifts one person may start on one date (weekly duties do not count)',
					},
					{
						displayName: 'Max Shifts per Week',
						name: 'maxPerWeek',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description: 'Assignments per person per week when the staff row sets no cap; 0 for no cap',
					},
					{
						displayName: 'Minimum Rest (Hours)',
						name: 'minRestHours',
						type: 'number',
						default: 8,
						typeOptions: { minValue: 0, maxValue: 72 },
						description: 'Hours between the end of one shift and the start of the next',
					},
					{
						displayName: 'Night Weight',
						name: 'nightWeight',
						type: 'number',
						default: 1.5,
						typeOptions: { minValue: 0.01, numberPrecision: 2 },
						description: 'Load factor of a night shift (crossing midnight or starting before 05:00)',
					},
					{
						displayName: 'Unknown Roles',
						name: 'unknownRoles',
						type: 'options',
						default: 'error',
						options: [
							{ name: 'Error Naming the Row', value: 'error', description: 'A staff role no duty needs is probably a typo' },
							{ name: 'Ignore', value: 'ignore', description: 'The staff table also serves other rosters' },
						],
					},
				],
			},
			{
				displayName: 'Staff Columns',
				name: 'staffColumns',
				type: 'collection',
				placeholder: 'Map a column',
				default: {},
				description: 'Which columns of the staff rows hold what. Chinese and English names are recognised by default.',
				displayOptions: show('generate', 'checkSwap'),
				options: columnOptions(STAFF_COLUMNS, STAFF_LABELS),
			},
			{
				displayName: 'Roster Columns',
				name: 'rosterColumns',
				type: 'collection',
				placeholder: 'Map a column',
				default: {},
				description: 'Which columns of stored roster rows hold what. The Generate output columns are recognised by default.',
				options: columnOptions(ROSTER_COLUMNS, ROSTER_LABELS),
			},
			{ ...calendarOptionsProperty, displayOptions: show('generate') },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const input = (index: number): INodeExecutionData[] => {
			try {
				return this.getInputData(index) ?? [];
			} catch {
				return [];
			}
		};
		try {
			if (operation === 'generate') return await generate.call(this, input(0), input(1));
			if (operation === 'whoIsOnDuty') return [onDuty.call(this, input(0))];
			if (operation === 'checkSwap') return [swap.call(this, input(0), input(1))];
			if (operation === 'exportCalendar') return [await exportCalendar.call(this, input(0))];
			throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
		} catch (error) {
			if (this.continueOnFail()) {
				const item = errorItem(error, 0);
				item.json.kind = 'error';
				return operation === 'generate' ? [[], [item], []] : [[item]];
			}
			throw toNodeError(this, error, error instanceof InputError ? error.row : 0);
		}
	}
}

function json(items: INodeExecutionData[]): Row[] {
	return items.map((i) => (i.json ?? {}) as Row);
}

function paired(rows: number[], input = 0): IPairedItemData | IPairedItemData[] {
	if (rows.length === 0) return { item: 0, input };
	return rows.length === 1 ? { item: rows[0], input } : rows.map((item) => ({ item, input }));
}

function rosterOptions(ctx: IExecuteFunctions): RosterOptions {
	const rules = ctx.getNodeParameter('rules', 0, {}) as IDataObject;
	const num = (v: unknown) => (v === undefined || v === '' || v === null ? undefined : Number(v));
	return {
		zone: String(ctx.getNodeParameter('timezone', 0, 'Asia/Shanghai')),
		minRestHours: num(rules.minRestHours),
		maxPerDay: num(rules.maxPerDay),
		maxPerWeek: num(rules.maxPerWeek),
		nightWeight: num(rules.nightWeight),
		holidayWeight: num(rules.holidayWeight),
		staffColumns: ctx.getNodeParameter('staffColumns', 0, {}) as Partial<Record<StaffKey, string>>,
		rosterColumns: ctx.getNodeParameter('rosterColumns', 0, {}) as Partial<Record<RosterKey, string>>,
	};
}

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

function withKind(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((i) => ({ ...i, json: { kind: 'error', ...i.json } }));
}

async function generate(this: IExecuteFunctions, staff: INodeExecutionData[], earlier: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const rules = this.getNodeParameter('rules', 0, {}) as IDataObject;
	const result = generateRoster(json(staff), readDuties(this), json(earlier), {
		...rosterOptions(this),
		from: String(this.getNodeParameter('from', 0)),
		to: String(this.getNodeParameter('to', 0)),
		calendar: readCalendar(this, 0),
		unknownRoles: rules.unknownRoles === 'ignore' ? 'ignore' : 'error',
	});
	const errors = [
		...withKind(problemItems(this, result.problems, staff, 0)),
		...withKind(problemItems(this, result.earlierProblems, earlier, 1)),
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

function onDuty(this: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	if (items.length === 0) return [];
	const match = this.getNodeParameter('match', 0, 'moment') as string;
	const { rosterColumns, zone } = rosterOptions(this);
	const result = whoIsOnDuty(json(items), {
		at: match === 'moment' ? this.getNodeParameter('at', 0, '') : undefined,
		date: match === 'date' ? String(this.getNodeParameter('date', 0, '')) : undefined,
		duties: splitList(this.getNodeParameter('dutyFilter', 0, '')),
		roles: splitList(this.getNodeParameter('roleFilter', 0, '')),
		zone,
		rosterColumns,
	});
	const errors = withKind(problemItems(this, result.problems, items, 0));
	const out: INodeExecutionData[] = [];
	if (result.people.length === 0) {
		if (this.getNodeParameter('ifNobody', 0, 'item') === 'item') {
			out.push({
				json: { onDuty: false, count: 0, names: '', mobiles: '', userIds: '', message: `Nobody is on duty ${result.asked}` },
				pairedItem: { item: 0 },
			});
		}
	} else if (this.getNodeParameter('onDutyOutput', 0, 'perPerson') === 'oneItem') {
		const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))].join(', ');
		const p = result.people.map((x) => x.data);
		out.push({
			json: {
				onDuty: true,
				count: new Set(p.map((x) => x.personId)).size,
				names: uniq(p.map((x) => x.name)),
				mobiles: uniq(p.map((x) => x.mobile)),
				userIds: uniq(p.map((x) => x.userId)),
				duties: uniq(p.map((x) => `${x.duty} ${x.shift}`.trim())),
				message: `On duty ${result.asked}: ${p.map((x) => `${x.name} (${x.duty} ${x.shift})`).join(', ')}`,
			},
			pairedItem: paired(result.people.flatMap((x) => x.rows)),
		});
	} else {
		for (const x of result.people) out.push({ json: { onDuty: true, ...x.data }, pairedItem: paired(x.rows) });
	}
	return [...out, ...errors];
}

function swap(this: IExecuteFunctions, roster: INodeExecutionData[], staff: INodeExecutionData[]): INodeExecutionData[] {
	const p = (name: string) => String(this.getNodeParameter(name, 0, '') ?? '');
	const { result, rows, problems, staffProblems } = checkSwap(
		json(roster),
		json(staff),
		{
			personA: p('personA'),
			dateA: p('dateA'),
			dutyA: p('dutyA'),
			shiftA: p('shiftA'),
			personB: p('personB'),
			dateB: p('dateB'),
			dutyB: p('dutyB'),
			shiftB: p('shiftB'),
		},
		rosterOptions(this),
	);
	const errors = [...withKind(problemItems(this, problems, roster, 0)), ...withKind(problemItems(this, staffProblems, staff, 1))];
	return [{ json: { ...result } as IDataObject, pairedItem: paired(rows) }, ...errors];
}

async function exportCalendar(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { zone, rosterColumns } = rosterOptions(this);
	const { entries, problems } = parseRoster(json(items), zone, rosterColumns);
	const errors = withKind(problemItems(this, problems, items, 0));
	const who = String(this.getNodeParameter('person', 0, '') ?? '').trim();
	const perPerson = this.getNodeParameter('filePerPerson', 0, false) as boolean;
	const calendarName = String(this.getNodeParameter('calendarName', 0, 'Duty Roster'));
	const fileName = String(this.getNodeParameter('fileName', 0, 'duty-roster.ics')) || 'duty-roster.ics';
	const field = String(this.getNodeParameter('binaryPropertyName', 0, 'data')) || 'data';
	const stamp = DateTime.utc();
	const files: Array<{ personId?: string; personName?: string; name: string; rows: number[] }> = [];
	if (who) {
		const e = entries.find((x) => x.personId === who) ?? entries.find((x) => x.personName === who);
		if (!e) throw new NodeOperationError(this.getNode(), `"${who}" has no duty in the roster rows`, { description: 'Check the Person parameter: an ID or a name from the roster' });
		files.push({ personId: e.personId, personName: e.personName, name: fileName, rows: [] });
	} else if (perPerson) {
		const ids = new Map<string, string>();
		for (const e of entries) if (!ids.has(e.personId)) ids.set(e.personId, e.personName);
		for (const [id, name] of ids) files.push({ personId: id, personName: name, name: fileName.replace(/(\.ics)?$/i, `-${id}.ics`), rows: [] });
	} else {
		files.push({ name: fileName, rows: [] });
	}
	const out: INodeExecutionData[] = [];
	for (const f of files) {
		const mine = f.personId === undefined ? entries : entries.filter((e) => e.personId === f.personId);
		const { text, events } = buildCalendar(entries, {
			zone: zone ?? 'Asia/Shanghai',
			calendarName: f.personName ? `${calendarName}: ${f.personName}` : calendarName,
			personId: f.personId,
			stamp,
		});
		const binary = await this.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), f.name, 'text/calendar');
		out.push({
			json: { fileName: f.name, events, personId: f.personId ?? '', personName: f.personName ?? '', timezone: zone },
			binary: { [field]: binary },
			pairedItem: paired(mine.map((e) => e.row)),
		});
	}
	return [...out, ...errors];
}
