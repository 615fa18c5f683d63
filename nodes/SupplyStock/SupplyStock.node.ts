import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
} from 'n8n-workflow';
import { problemItems, toNodeError } from '../shared/n8n';
import { evaluate, type EvaluateOptions, type ItemEvaluation } from './supply';
import { recordCounts } from './supplyRecord';
import { dailyReport, type ReportLanguage } from './supplyReport';
import { DEFAULT_COLUMNS, type SupplyColumnKey } from './supplyRows';

/**
 * The node's inputs by operation, as n8n's Merge node does. n8n evaluates this function's text
 * in the editor, so it must stand alone (no imports, plain 'main').
 */
const supplyInputs = (parameters: { operation?: string }) => {
	const names =
		parameters.operation === 'recordCount'
			? ['New Counts', 'Inventory', 'Count History']
			: ['Inventory', 'Count History', 'Headcount', 'Open Orders'];
	// The label is spread in so that the lint rule for node parameters does not take this for one.
	return names.map((label, i) => ({ type: 'main', required: i === 0, ...{ displayName: label } }));
};

const EVALUATE_OR_REPORT = { show: { operation: ['evaluate', 'dailyReport'] } };

const columnOption = (key: SupplyColumnKey, displayName: string, description: string): INodeProperties => ({
	displayName,
	name: key,
	type: 'string',
	default: `${DEFAULT_COLUMNS[key]}`,
	description: `${description} Several candidate names may be given, separated by commas`,
});

export class SupplyStock implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Supply Stock',
		name: 'supplyStock',
		icon: { light: 'file:supplyStock.svg', dark: 'file:supplyStock.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"evaluate": "Evaluate reorder triggers", "recordCount": "Check a count", "dailyReport": "Daily stock report"}[$parameter["operation"]] }}',
		description:
			'Reorder triggers for school supplies from measured daily use and the headcount ahead: days of cover, reorder point with safety stock, order in whole packs, count checks and a daily report',
		defaults: { name: 'Supply Stock' },
		usableAsTool: true,
		inputs: `={{(${supplyInputs})($parameter)}}`,
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'evaluate',
				options: [
					{
						name: 'Evaluate',
						value: 'evaluate',
						action: 'Evaluate stock and reorder triggers',
						description:
							'One item per inventory item: days of cover, run-out date, reorder point, status, and the order to place. Inputs: inventory, count history, headcount, open orders.',
					},
					{
						name: 'Record Count',
						value: 'recordCount',
						action: 'Check a daily count before storing it',
						description:
							'Rejects a negative count, an unknown item or a wrong unit, and flags a rise with no receipt. Inputs: new counts, inventory, count history.',
					},
					{
						name: 'Daily Report',
						value: 'dailyReport',
						action: 'Write the daily stock report',
						description:
							'One item with a ready-to-send message for the school leaders and one line per item. Same inputs as Evaluate.',
					},
				],
			},
			{
				displayName:
					'Connect the inventory table to input 1. Count history, headcount and open orders are optional inputs; without headcount rows the Headcount parameter below is used.',
				name: 'inputsNotice',
				type: 'notice',
				default: '',
				displayOptions: EVALUATE_OR_REPORT,
			},
			{
				displayName:
					'Connect the counts to check to input 1, the inventory to input 2 and, to detect jumps, the count history to input 3',
				name: 'recordNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['recordCount'] } },
			},
			{
				displayName: 'As Of Date',
				name: 'asOf',
				type: 'string',
				default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
				required: true,
				placeholder: '2026-03-02',
				displayOptions: EVALUATE_OR_REPORT,
				description:
					'The evaluation date (YYYY-MM-DD): counts up to this day are used, and the forecast starts the day after. Keep today for a daily trigger.',
			},
			{
				displayName: 'Headcount',
				name: 'headcount',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				displayOptions: EVALUATE_OR_REPORT,
				description:
					'Expected people in school per day, used for days no headcount row covers. 0 means not set: measured use is then forecast as it is, without scaling by headcount.',
			},
			{
				displayName: 'Service Level (%)',
				name: 'serviceLevel',
				type: 'number',
				default: 95,
				typeOptions: { minValue: 50, maxValue: 99.99, numberPrecision: 2 },
				displayOptions: EVALUATE_OR_REPORT,
				description:
					'Chance of not running out while an order is on its way. Sets the safety stock: 95% means z = 1.645.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'zh-CN',
				displayOptions: { show: { operation: ['dailyReport'] } },
				options: [
					{ name: 'Simplified Chinese', value: 'zh-CN' },
					{ name: 'English', value: 'en' },
				],
				description: 'The language of the report text',
			},
			{
				displayName: 'Only Items Needing Attention',
				name: 'onlyAttention',
				type: 'boolean',
				default: false,
				displayOptions: { show: { operation: ['dailyReport'] } },
				description:
					'Whether to list only items that are not ok or are on order, and count the rest in one line (keeps long inventories within a chat message limit)',
			},
			{
				displayName: 'Count Date',
				name: 'date',
				type: 'string',
				default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
				required: true,
				placeholder: '2026-03-02',
				displayOptions: { show: { operation: ['recordCount'] } },
				description: 'The date of a count row that has no date column (YYYY-MM-DD)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				displayOptions: EVALUATE_OR_REPORT,
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
			{
				displayName: 'Keep Other Columns',
				name: 'keepOtherColumns',
				type: 'boolean',
				default: true,
				displayOptions: { show: { operation: ['recordCount'] } },
				description: 'Whether to pass on the count row’s other columns (for example who counted) unchanged',
			},
			{
				displayName: 'Columns',
				name: 'columns',
				type: 'collection',
				placeholder: 'Map a column',
				default: {},
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
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const columns = this.getNodeParameter('columns', 0, {}) as Partial<Record<SupplyColumnKey, string>>;
		// An input left unconnected has no data; n8n then throws "Input index was not set".
		const input = (index: number): INodeExecutionData[] => {
			try {
				return this.getInputData(index) ?? [];
			} catch {
				return [];
			}
		};
		const rows = (items: INodeExecutionData[]) => items.map((i) => i.json as Record<string, unknown>);

		if (operation === 'recordCount') {
			const [counts, inventory, history] = [input(0), input(1), input(2)];
			let result;
			try {
				result = recordCounts(
					{ counts: rows(counts), inventory: rows(inventory), history: rows(history) },
					{
						date: String(this.getNodeParameter('date', 0)),
						columns,
						keepOtherColumns: this.getNodeParameter('keepOtherColumns', 0, true) as boolean,
					},
				);
			} catch (error) {
				throw toNodeError(this, error, 0);
			}
			const out: INodeExecutionData[] = [
				...problemItems(this, result.problems.counts, counts, 0),
				...problemItems(this, result.problems.inventory, inventory, 1),
				...problemItems(this, result.problems.history, history, 2),
			];
			for (const r of result.records) {
				const { row, other, ...record } = r;
				out.push({ json: { ...(other as IDataObject), ...record }, pairedItem: { item: row } });
			}
			return [out];
		}

		const [inventory, history, headcount, orders] = [input(0), input(1), input(2), input(3)];
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const headcountParam = Number(this.getNodeParameter('headcount', 0, 0));
		const evalOptions: EvaluateOptions = {
			asOf: String(this.getNodeParameter('asOf', 0)),
			serviceLevel: Number(this.getNodeParameter('serviceLevel', 0, 95)),
			historyDays: options.historyDays === undefined ? undefined : Number(options.historyDays),
			headcount: headcountParam > 0 ? headcountParam : undefined,
			assumedVariation: options.assumedVariation === undefined ? undefined : Number(options.assumedVariation) / 100,
			columns,
		};
		let result;
		try {
			result = evaluate(
				{ inventory: rows(inventory), history: rows(history), headcount: rows(headcount), orders: rows(orders) },
				evalOptions,
			);
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		const out: INodeExecutionData[] = [
			...problemItems(this, result.problems.inventory, inventory, 0),
			...problemItems(this, result.problems.history, history, 1),
			...problemItems(this, result.problems.headcount, headcount, 2),
			...problemItems(this, result.problems.orders, orders, 3),
		];
		if (operation === 'dailyReport') {
			const report = dailyReport(result, result.asOf, {
				language: this.getNodeParameter('language', 0, 'zh-CN') as ReportLanguage,
				onlyAttention: this.getNodeParameter('onlyAttention', 0, false) as boolean,
			});
			const paired: IPairedItemData[] = inventory.map((_, i) => ({ item: i }));
			out.push({ json: report as unknown as IDataObject, pairedItem: paired.length ? paired : { item: 0 } });
			return [out];
		}
		for (const e of result.items) {
			const { row, ...json } = e as ItemEvaluation;
			out.push({ json: json as unknown as IDataObject, pairedItem: { item: row } });
		}
		return [out];
	}
}
