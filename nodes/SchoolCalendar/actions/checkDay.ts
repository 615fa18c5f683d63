/** Check Day: is a date a school day, and why. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SchoolCalendar } from '../../shared/calendar';
import { readCalendar } from '../../shared/n8n';
import { eachItem } from '../../shared/router';
import { checkDay } from '../schoolCalendar';

export const description: INodeProperties[] = [
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
		required: true,
		displayOptions: { show: { operation: ['checkDay'] } },
		placeholder: '2026-03-02',
		description: 'The date to check, as YYYY-MM-DD. Map it from the item or keep today.',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const calendars = new Map<string, SchoolCalendar>();
	const out = await eachItem(this, items, (item, i) => {
		const result = checkDay(readCalendar(this, i, calendars), String(this.getNodeParameter('date', i)));
		return { json: { ...item.json, ...(result as unknown as IDataObject) }, pairedItem: { item: i } };
	});
	return [out];
}
