/**
 * Who Is On Duty: the people whose stored assignment covers a moment or touches a date (output 1),
 * and every other roster row, unchanged (output 2, "Not On Duty").
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { splitList } from '../../shared/calendar';
import { problemItems } from '../../shared/n8n';
import { notSelected } from '../../shared/router';
import { whoIsOnDuty } from '../roster';
import { json, paired, rosterOptions, withKind } from './common';
import { choiceProperty, property, showFor } from '../../shared/parameters';

export const description: INodeProperties[] = [
	choiceProperty('Match', 'match', 'moment', [
		['At a Moment', 'moment', 'People whose shift covers the time (escalations)'],
		['On a Date', 'date', 'People with any shift on the date ("on duty tomorrow" reminders)'],
	], { displayOptions: showFor('whoIsOnDuty') }),
	property('Time', 'at', 'string', '={{ $now.toISO() }}', {
		placeholder: '2026-03-02 20:00',
		description: 'The moment to look at. A time without a zone is read in the time zone below.',
		displayOptions: { show: { operation: ['whoIsOnDuty'], match: ['moment'] } },
	}),
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
		displayOptions: showFor('whoIsOnDuty'),
	},
	{
		displayName: 'Roles',
		name: 'roleFilter',
		type: 'string',
		default: '',
		placeholder: 'guard',
		description: 'Only duties needing these roles, separated by commas; empty for all',
		displayOptions: showFor('whoIsOnDuty'),
	},
	choiceProperty('Output', 'onDutyOutput', 'perPerson', [
		['One Item per Person on Duty', 'perPerson', 'Flat fields name, mobile, userId, duty, shift, start, end'],
		['One Item for Everyone', 'oneItem', 'Names, mobiles and userIds joined by commas, ready for one message that @mentions them all'],
	], { displayOptions: showFor('whoIsOnDuty') }),
	choiceProperty('When Nobody Is On Duty', 'ifNobody', 'item', [
		['Output One Item Saying So', 'item', 'An item with onDuty false and a message, so the workflow can fall back'],
		['Output Nothing', 'nothing'],
	], { displayOptions: showFor('whoIsOnDuty') }),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	if (items.length === 0) return [[], []];
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
	// Every other row (off duty then, filtered out, not an assignment) comes out unchanged on the
	// last output, "Not On Duty"; the "Nobody is on duty" item does not count as selecting row 1.
	return [[...out, ...errors], notSelected(result.people.length ? [...out, ...errors] : errors, items, 0)];
}
