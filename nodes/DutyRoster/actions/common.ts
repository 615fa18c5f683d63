/**
 * What the Duty Roster operations share: the parameters shown for several operations (time zone,
 * rules, column mappings) and the small helpers that turn items into rows and rows back into
 * paired items.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { choiceProperty, columnMappingProperty, showFor, type ColumnLabels } from '../../shared/parameters';
import { isEmptyRow, type Row } from '../../shared/rows';
import { ROSTER_COLUMNS, STAFF_COLUMNS, type RosterKey, type RosterOptions, type StaffKey } from '../roster';

const STAFF_LABELS: ColumnLabels<StaffKey> = {
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

const ROSTER_LABELS: ColumnLabels<RosterKey> = {
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

/** Time zone, rules and column mappings: after every operation's own parameters. */
export const commonProperties: INodeProperties[] = [
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
		displayOptions: showFor('generate', 'checkSwap'),
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
				displayName: 'Solver Time Limit (Seconds)',
				name: 'solverSeconds',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0, maxValue: 600 },
				description:
					'A safety limit for the exact solver (0: the fast heuristic roster only). The solver stops sooner, after a fixed amount of search, so that the same input always gives the same roster; a solve this limit stops is not used. The Summary output says whether the result is proven optimal, else the bound and the gap.',
				displayOptions: { show: { '/operation': ['generate'] } },
			},
			choiceProperty('Unknown Roles', 'unknownRoles', 'error', [
				['Error Naming the Row', 'error', 'A staff role no duty needs is probably a typo'],
				['Ignore', 'ignore', 'The staff table also serves other rosters'],
			]),
		],
	},
	columnMappingProperty({
		displayName: 'Staff Columns',
		name: 'staffColumns',
		labels: STAFF_LABELS,
		defaults: STAFF_COLUMNS,
		description: 'Which columns of the staff rows hold what. Chinese and English names are recognised by default.',
		displayOptions: showFor('generate', 'checkSwap'),
	}),
	columnMappingProperty({
		displayName: 'Roster Columns',
		name: 'rosterColumns',
		labels: ROSTER_LABELS,
		defaults: ROSTER_COLUMNS,
		description: 'Which columns of stored roster rows hold what. The Generate output columns are recognised by default.',
	}),
];

export function json(items: INodeExecutionData[]): Row[] {
	return items.map((i) => (i.json ?? {}) as Row);
}

export function paired(rows: number[], input = 0): IPairedItemData | IPairedItemData[] {
	if (rows.length === 0) return { item: 0, input };
	return rows.length === 1 ? { item: rows[0], input } : rows.map((item) => ({ item, input }));
}

/** The non-empty items of input `input` that are not among the problems, as pairedItem entries. */
export function readRows(items: INodeExecutionData[], problems: Array<{ row: number }>, input = 0): IPairedItemData[] {
	const bad = new Set(problems.map((p) => p.row));
	return items.flatMap((item, i) => (bad.has(i) || isEmptyRow(item.json) ? [] : [{ item: i, input }]));
}

/** Error items of this node say what they are: kind "error". */
export function withKind(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((i) => ({ ...i, json: { kind: 'error', ...i.json } }));
}

export function rosterOptions(ctx: IExecuteFunctions): RosterOptions {
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
