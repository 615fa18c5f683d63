/**
 * Check Swap: whether handing over or swapping two stored assignments breaks a hard rule, and
 * what it does to the balance. Input 1: roster rows; input 2 (optional): staff rows.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { inputItems } from '../../shared/router';
import { checkSwap } from '../roster';
import { json, readRows, rosterOptions, withKind } from './common';
import { showFor } from '../../shared/parameters';

export const description: INodeProperties[] = [
	{
		displayName: 'Person A',
		name: 'personA',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'T012 or 张三',
		description: 'The person giving away a duty (ID or name)',
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "Date of A's Duty",
		name: 'dateA',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-03-02',
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "A's Duty",
		name: 'dutyA',
		type: 'string',
		default: '',
		placeholder: 'Gate A',
		description: 'Needed only when A has more than one duty that day',
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "A's Shift",
		name: 'shiftA',
		type: 'string',
		default: '',
		placeholder: 'Night',
		description: 'Needed only when A has more than one shift that day',
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: 'Person B',
		name: 'personB',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'T034 or 李四',
		description: "The person taking A's duty (ID or name)",
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "Date of B's Duty",
		name: 'dateB',
		type: 'string',
		default: '',
		placeholder: '2026-03-05',
		description: "For a two-way swap: the date of B's duty that A takes in return. Empty: B simply takes A's duty.",
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "B's Duty",
		name: 'dutyB',
		type: 'string',
		default: '',
		displayOptions: showFor('checkSwap'),
	},
	{
		displayName: "B's Shift",
		name: 'shiftB',
		type: 'string',
		default: '',
		displayOptions: showFor('checkSwap'),
	},
];

export async function execute(this: IExecuteFunctions, roster: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const staff = inputItems(this, 1);
	const p = (name: string) => String(this.getNodeParameter(name, 0, '') ?? '');
	const { result, problems, staffProblems } = checkSwap(
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
	// One result by design: it is paired with every row it read (roster and staff), so that no
	// input item is left out; rows that could not be read come out as error items of their own.
	const read = [...readRows(roster, problems, 0), ...readRows(staff, staffProblems, 1)];
	return [[{ json: { ...result } as IDataObject, pairedItem: read.length ? read : { item: 0 } }, ...errors]];
}
