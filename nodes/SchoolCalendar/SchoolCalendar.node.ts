import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { calendarOptionsProperty, errorItem, readCalendar, toNodeError } from '../shared/n8n';
import { checkDay, checkSlot, listDays, type SlotRow } from './schoolCalendar';

export class SchoolCalendar implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'School Calendar',
		name: 'schoolCalendar',
		icon: { light: 'file:schoolCalendar.svg', dark: 'file:schoolCalendar.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"checkDay": "Is it a school day?", "checkSlot": "Which check slot?", "listDays": "List days"}[$parameter["operation"]] }}',
		description:
			'Tells whether a date is a school day (weekends, China public holidays, make-up workdays and school vacations) and which check slot a time falls in',
		defaults: { name: 'School Calendar' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'checkDay',
				options: [
					{
						name: 'Check Day',
						value: 'checkDay',
						action: 'Check whether a date is a school day',
						description: 'Adds isSchoolDay, dayKind and dayReason to each item',
					},
					{
						name: 'Find Check Slot',
						value: 'checkSlot',
						action: 'Find the check slot a time falls in',
						description: 'Adds the slot name and whether the time is on time or late',
					},
					{
						name: 'List Days',
						value: 'listDays',
						action: 'List the days of a date range',
						description: 'Outputs one item per day from a start date to an end date',
					},
				],
			},
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
			{
				displayName: 'Time',
				name: 'timestamp',
				type: 'string',
				default: '={{ $now.toISO() }}',
				required: true,
				displayOptions: { show: { operation: ['checkSlot'] } },
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
				displayOptions: { show: { operation: ['checkSlot'] } },
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
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
				required: true,
				displayOptions: { show: { operation: ['listDays'] } },
				placeholder: '2026-03-01',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: "={{ $now.setZone('Asia/Shanghai').plus({ days: 6 }).toISODate() }}",
				required: true,
				displayOptions: { show: { operation: ['listDays'] } },
				placeholder: '2026-03-31',
			},
			{
				displayName: 'Only School Days',
				name: 'onlySchoolDays',
				type: 'boolean',
				default: false,
				displayOptions: { show: { operation: ['listDays'] } },
				description: 'Whether to output school days only',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: 'Asia/Shanghai',
				displayOptions: { show: { operation: ['checkSlot'] } },
				description: 'IANA time zone the slots are in',
			},
			calendarOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const calendar = readCalendar(this, i);
				if (operation === 'checkDay') {
					const date = String(this.getNodeParameter('date', i));
					out.push({ json: { ...items[i].json, ...checkDay(calendar, date) }, pairedItem: { item: i } });
				} else if (operation === 'checkSlot') {
					const slots = (this.getNodeParameter('slots.slot', i, []) as SlotRow[]) ?? [];
					const timestamp = this.getNodeParameter('timestamp', i) as unknown;
					const timezone = String(this.getNodeParameter('timezone', i));
					const result = checkSlot(calendar, slots, timestamp, timezone);
					out.push({ json: { ...items[i].json, ...(result as unknown as IDataObject) }, pairedItem: { item: i } });
				} else {
					const from = String(this.getNodeParameter('from', i));
					const to = String(this.getNodeParameter('to', i));
					const only = this.getNodeParameter('onlySchoolDays', i) as boolean;
					for (const day of listDays(calendar, from, to, only)) {
						out.push({ json: { ...day }, pairedItem: { item: i } });
					}
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push(errorItem(error, i, items[i].json));
					continue;
				}
				throw toNodeError(this, error, i);
			}
		}
		return [out];
	}
}
