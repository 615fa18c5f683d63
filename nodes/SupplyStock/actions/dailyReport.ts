/**
 * Daily Report: one item with a ready-to-send message for the school leaders, paired with every
 * inventory row; an error item for every row that could not be used.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { evaluate } from '../supply';
import { dailyReport, type ReportLanguage } from '../supplyReport';
import { evaluationInputs, evaluationOptions, evaluationProperties, evaluationTables, tableProblemItems } from './common';

export const description: INodeProperties[] = evaluationProperties('dailyReport', [
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		default: 'zh-CN',
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
		description:
			'Whether to list only items that are not ok or are on order, and count the rest in one line (keeps long inventories within a chat message limit)',
	},
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const inputs = evaluationInputs(this, items);
	const result = evaluate(evaluationTables(inputs), evaluationOptions(this));
	const p = result.problems;
	const out = tableProblemItems(this, [p.inventory, p.history, p.headcount, p.orders], inputs);
	const report = dailyReport(result, result.asOf, {
		language: this.getNodeParameter('language', 0, 'zh-CN') as ReportLanguage,
		onlyAttention: this.getNodeParameter('onlyAttention', 0, false) as boolean,
	});
	const paired: IPairedItemData[] = items.map((_, i) => ({ item: i }));
	out.push({ json: report as unknown as IDataObject, pairedItem: paired.length ? paired : { item: 0 } });
	return [out];
}
