/**
 * Who Is On Duty: the people whose stored assignment covers a moment or touches a date.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { splitList } from '../../shared/calendar';
import { problemItems } from '../../shared/n8n';
import { whoIsOnDuty } from '../roster';
import { json, paired, rosterOptions, show, withKind } from './common';

export const description: INodeProperties[] = [
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
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	if (items.length === 0) return [[]];
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
	return [[...out, ...errors]];
}
