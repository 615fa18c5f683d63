/**
 * What the Supply Stock operations share: the column mapping, the Evaluate / Daily Report
 * parameters (one block, shown for each operation that uses it), and reading the inputs.
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { inputItems } from '../../shared/router';
import { problemItems } from '../../shared/n8n';
import type { RowProblem } from '../../shared/errors';
import type { EvaluateOptions, EvaluateResult, SupplyTables } from '../supply';
import { DEFAULT_COLUMNS, type SupplyColumnKey } from '../supplyColumns';

const columnOption = (key: SupplyColumnKey, displayName: string, description: string): INodeProperties => ({
	displayName,
	name: key,
	type: 'string',
	default: `${DEFAULT_COLUMNS[key]}`,
	description: `${description} Several candidate names may be given, separated by commas`,
});

/** The Columns collection, shown for the given operation. */
export function columnsProperty(operation: string): INodeProperties {
	return {
		displayName: 'Columns',
		name: 'columns',
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		description:
			'Column names in your tables. Defaults take the Chinese or the English name; case, spaces and underscores are ignored (onHand matches "on hand").',
		options: [
			columnOption('count', 'Count', 'History: the count at the end of the day.'),
			columnOption('date', 'Date', 'History and headcount: the date.'),
			columnOption('headcount', 'Headcount', 'Headcount: people expected from that date on.'),
			columnOption('item', 'Item', 'All tables: the item name.'),
			columnOption('leadTime', 'Lead Time (Days)', 'Inventory: days from ordering to delivery.'),
			columnOption('onHand', 'On Hand', 'Inventory: the stock now.'),
			columnOption('orderId', 'Order ID', 'Open orders: the order number.'),
			columnOption('packSize', 'Pack Size', 'Inventory: units per pack; orders are whole packs (default 1).'),
			columnOption('perPerson', 'Per-Person Daily Use', 'Inventory: use per person a day, for items without history.'),
			columnOption('quantity', 'Quantity', 'Open orders: units ordered.'),
			columnOption('received', 'Received', 'History: units received that day, before the count.'),
			columnOption('status', 'Status', 'Open orders: ordered (已下单) or received (已到货).'),
			columnOption('targetCover', 'Target Days of Cover', 'Inventory: days of use an order tops up to.'),
			columnOption('unit', 'Unit', 'Inventory (and counts): the unit counted.'),
		],
	};
}

/**
 * The parameters Evaluate and Daily Report share, shown for one of them; `extra` (the report's
 * own parameters) goes before Options, where it always was.
 */
export function evaluationProperties(operation: string, extra: INodeProperties[] = []): INodeProperties[] {
	const show = { show: { operation: [operation] } };
	return [
		{
			displayName:
				'Connect the inventory table to input 1. Count history, headcount and open orders are optional inputs; without headcount rows the Headcount parameter below is used.',
			name: 'inputsNotice',
			type: 'notice',
			default: '',
			displayOptions: show,
		},
		{
			displayName: 'As Of Date',
			name: 'asOf',
			type: 'string',
			default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
			required: true,
			placeholder: '2026-03-02',
			displayOptions: show,
			description:
				'The evaluation date (YYYY-MM-DD): counts up to this day are used, and the forecast starts the day after. Keep today for a daily trigger.',
		},
		{
			displayName: 'Headcount',
			name: 'headcount',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			displayOptions: show,
			description:
				'Expected people in school per day, used for days no headcount row covers. 0 means not set: measured use is then forecast as it is, without scaling by headcount.',
		},
		{
			displayName: 'Service Level (%)',
			name: 'serviceLevel',
			type: 'number',
			default: 95,
			typeOptions: { minValue: 50, maxValue: 99.99, numberPrecision: 2 },
			displayOptions: show,
			description:
				'Chance of not running out while an order is on its way. Sets the safety stock: 95% means z = 1.645.',
		},
		...extra.map((p) => ({ ...p, displayOptions: show })),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: show,
			options: [
				{
					displayName: 'Assumed Variation (%)',
					name: 'assumedVariation',
					type: 'number',
					default: 25,
					typeOptions: { minValue: 0, maxValue: 500 },
					description:
						'Day-to-day variation of use (standard deviation as a share of the mean) assumed when it cannot be measured: fewer than two days of counts',
				},
				{
					displayName: 'History Days',
					name: 'historyDays',
					type: 'number',
					default: 30,
					typeOptions: { minValue: 0 },
					description: 'How many days of counts to measure use over. 0 uses all history.',
				},
			],
		},
		columnsProperty(operation),
	];
}

export function readColumns(ctx: IExecuteFunctions): Partial<Record<SupplyColumnKey, string>> {
	return ctx.getNodeParameter('columns', 0, {}) as Partial<Record<SupplyColumnKey, string>>;
}

export function rows(items: INodeExecutionData[]): Array<Record<string, unknown>> {
	return items.map((i) => (i.json ?? {}) as Record<string, unknown>);
}

/** The four inputs of Evaluate and Daily Report (unconnected ones are empty). */
export function evaluationInputs(ctx: IExecuteFunctions, first: INodeExecutionData[]): INodeExecutionData[][] {
	return [first, inputItems(ctx, 1), inputItems(ctx, 2), inputItems(ctx, 3)];
}

export function evaluationTables(inputs: INodeExecutionData[][]): SupplyTables {
	const [inventory, history, headcount, orders] = inputs.map(rows);
	return { inventory, history, headcount, orders };
}

/** Today's date in the workflow's time zone. */
function today(ctx: IExecuteFunctions): string | undefined {
	try {
		return DateTime.now().setZone(ctx.getTimezone()).toISODate() ?? undefined;
	} catch {
		return undefined;
	}
}

export function evaluationOptions(ctx: IExecuteFunctions): EvaluateOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const headcount = Number(ctx.getNodeParameter('headcount', 0, 0));
	return {
		asOf: String(ctx.getNodeParameter('asOf', 0)),
		serviceLevel: Number(ctx.getNodeParameter('serviceLevel', 0, 95)),
		historyDays: options.historyDays === undefined ? undefined : Number(options.historyDays),
		headcount: headcount > 0 ? headcount : undefined,
		assumedVariation: options.assumedVariation === undefined ? undefined : Number(options.assumedVariation) / 100,
		columns: readColumns(ctx),
		today: today(ctx),
	};
}

/** Error items for the rows of each input that could not be used (the first throws without continue on fail). */
export function tableProblemItems(ctx: IExecuteFunctions, problems: RowProblem[][], inputs: INodeExecutionData[][]): INodeExecutionData[] {
	return problems.flatMap((list, input) => problemItems(ctx, list, inputs[input], input));
}

export type { EvaluateResult };
