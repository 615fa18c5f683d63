/**
 * Record Count: checks daily count rows before they are stored. Passes each good row with its
 * checks (previous count, implied use, a flag for a rise with no receipt); an error item for a
 * negative count, an unknown item, a wrong unit or an unreadable row of any input.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { inputItems } from '../../shared/router';
import { recordCounts } from '../supplyRecord';
import { columnsProperty, readColumns, rows, tableProblemItems } from './common';

const show = { show: { operation: ['recordCount'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			'Connect the counts to check to input 1, the inventory to input 2 and, to detect jumps, the count history to input 3',
		name: 'recordNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Count Date',
		name: 'date',
		type: 'string',
		default: "={{ $now.setZone('Asia/Shanghai').toISODate() }}",
		required: true,
		placeholder: '2026-03-02',
		displayOptions: show,
		description: 'The date of a count row that has no date column (YYYY-MM-DD)',
	},
	{
		displayName: 'Keep Other Columns',
		name: 'keepOtherColumns',
		type: 'boolean',
		default: true,
		displayOptions: show,
		description: 'Whether to pass on the count row’s other columns (for example who counted) unchanged',
	},
	columnsProperty('recordCount'),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const inputs = [items, inputItems(this, 1), inputItems(this, 2)];
	const [counts, inventory, history] = inputs.map(rows);
	const result = recordCounts(
		{ counts, inventory, history },
		{
			date: String(this.getNodeParameter('date', 0)),
			columns: readColumns(this),
			keepOtherColumns: this.getNodeParameter('keepOtherColumns', 0, true) as boolean,
		},
	);
	const p = result.problems;
	const out = tableProblemItems(this, [p.counts, p.inventory, p.history], inputs);
	for (const r of result.records) {
		const { row, other, ...record } = r;
		out.push({ json: { ...(other as IDataObject), ...record }, pairedItem: { item: row } });
	}
	return [out];
}
