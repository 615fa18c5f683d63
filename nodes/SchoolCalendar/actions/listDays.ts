/** List Days: one item per day of a date range. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SchoolCalendar } from '../../shared/calendar';
import { readCalendar } from '../../shared/n8n';
import { eachItem } from '../../shared/router';
import { listDays } from '../schoolCalendar';

const show = { show: { operation: ['listDays'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
		required: true,
		displayOptions: show,
		placeholder: '2026-03-01',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 6 }).toISODate() }}",
		required: true,
		displayOptions: show,
		placeholder: '2026-03-31',
	},
	{
		displayName: 'Only School Days',
		name: 'onlySchoolDays',
		type: 'boolean',
		default: false,
		displayOptions: show,
		description: 'Whether to output school days only',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const calendars = new Map<string, SchoolCalendar>();
	const out = await eachItem(this, items, (_item, i) => {
		const from = String(this.getNodeParameter('from', i));
		const to = String(this.getNodeParameter('to', i));
		const only = this.getNodeParameter('onlySchoolDays', i) as boolean;
		return listDays(readCalendar(this, i, calendars), from, to, only).map((day) => ({
			json: { ...(day as unknown as IDataObject) },
			pairedItem: { item: i },
		}));
	});
	return [out];
}
