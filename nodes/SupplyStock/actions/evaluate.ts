/**
 * Evaluate: one item per inventory item with days of cover, run-out date, reorder point, status
 * and the order to place; an error item for every row that could not be used.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { evaluate } from '../supply';
import { evaluationInputs, evaluationOptions, evaluationProperties, evaluationTables, tableProblemItems } from './common';

export const description: INodeProperties[] = evaluationProperties('evaluate');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const inputs = evaluationInputs(this, items);
	const result = evaluate(evaluationTables(inputs), evaluationOptions(this));
	const p = result.problems;
	const out = tableProblemItems(this, [p.inventory, p.history, p.headcount, p.orders], inputs);
	for (const e of result.items) {
		const { row, ...json } = e;
		out.push({ json: json as unknown as IDataObject, pairedItem: { item: row } });
	}
	return [out];
}
