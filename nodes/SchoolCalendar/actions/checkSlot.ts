/** Find Check Slot: which daily check slot a time falls in, on time or late. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SchoolCalendar } from '../../shared/calendar';
import { readCalendar } from '../../shared/n8n';
import { eachItem } from '../../shared/router';
import { checkSlot, type SlotRow } from '../schoolCalendar';

const show = { show: { operation: ['checkSlot'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Time',
		name: 'timestamp',
		type: 'string',
		default: '={{ $now.toISO() }}',
		required: true,
		displayOptions: show,
		placeholder: '2026-03-02 08:55',
		description:
			'The time to place, e.g. a form submission time. A time without a zone is read in the time zone below.',
	},
	{
		displayName: 'Slots',
		name: 'slots',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {
			slot: [
				{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
				{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
			],
		},
		displayOptions: show,
		description: 'The daily check slots. A slot whose due time is earlier than its opening time ends the next day.',
		options: [
			{
				displayName: 'Slot',
				name: 'slot',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{
						displayName: 'Opens',
						name: 'opens',
						type: 'string',
						default: '06:00',
						placeholder: 'HH:mm',
						description: 'From this time a report counts for the slot',
					},
					{
						displayName: 'Due',
						name: 'due',
						type: 'string',
						default: '09:00',
						placeholder: 'HH:mm',
						description: 'A report after this time is late',
					},
					{
						displayName: 'Grace (Minutes)',
						name: 'graceMinutes',
						type: 'number',
						default: 30,
						typeOptions: { minValue: 0, maxValue: 1440 },
						description: 'A report this long after the due time still counts, as late',
					},
				],
			},
		],
	},
	{
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: 'Asia/Shanghai',
		displayOptions: show,
		description: 'IANA time zone the slots are in',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const calendars = new Map<string, SchoolCalendar>();
	const out = await eachItem(this, items, (item, i) => {
		const slots = (this.getNodeParameter('slots.slot', i, []) as SlotRow[]) ?? [];
		const timestamp = this.getNodeParameter('timestamp', i) as unknown;
		const timezone = String(this.getNodeParameter('timezone', i));
		const result = checkSlot(readCalendar(this, i, calendars), slots, timestamp, timezone);
		return { json: { ...item.json, ...(result as unknown as IDataObject) }, pairedItem: { item: i } };
	});
	return [out];
}
