import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { type OperationMap } from '../shared/router';
import * as checkSwap from './actions/checkSwap';
import { commonProperties } from './actions/common';
import * as exportCalendar from './actions/exportCalendar';
import * as generate from './actions/generate';
import * as whoIsOnDuty from './actions/whoIsOnDuty';

const main = NodeConnectionTypes.Main;

/** One module per operation: its parameters and its execute (nodes/DutyRoster/actions). */
const operations: OperationMap = { generate, whoIsOnDuty, checkSwap, exportCalendar };

/** Inputs and outputs per operation (the first entry is the default). */
const INPUTS: Record<string, Array<{ type: string; displayName: string; required?: boolean }>> = {
	generate: [
		{ type: main, displayName: 'Staff', required: true },
		{ type: main, displayName: 'Earlier Roster (Optional)' },
	],
	checkSwap: [
		{ type: main, displayName: 'Roster', required: true },
		{ type: main, displayName: 'Staff (Optional)' },
	],
	whoIsOnDuty: [{ type: main, displayName: 'Roster', required: true }],
	exportCalendar: [{ type: main, displayName: 'Roster', required: true }],
};

const OUTPUTS: Record<string, Array<{ type: string; displayName: string }>> = {
	generate: [
		{ type: main, displayName: 'Assignments' },
		{ type: main, displayName: 'Unfilled and Errors' },
		{ type: main, displayName: 'Summary' },
	],
	checkSwap: [{ type: main, displayName: 'Result' }],
	// Rows a lookup does not select come out on a last output, so every row is accounted for.
	whoIsOnDuty: [{ type: main, displayName: 'People on Duty' }, { type: main, displayName: 'Not On Duty' }],
	exportCalendar: [{ type: main, displayName: 'File' }, { type: main, displayName: 'Not in Calendar' }],
};

// Evaluated by n8n in the editor, as Merge v3's configuredInputs is: self-contained, data passed in.
function byOperation(parameters: { operation?: string }, table: Record<string, unknown[]>) {
	return table[parameters.operation || 'generate'] || table.generate;
}

const DISPLAY = 'Duty Roster';

export class DutyRoster implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'dutyRoster',
		icon: { light: 'file:dutyRoster.svg', dark: 'file:dutyRoster.dark.svg' },
		...nodeBasics(DISPLAY, 'transform'),
		subtitle:
			'={{ {"generate": "Generate roster", "whoIsOnDuty": "Who is on duty", "checkSwap": "Check swap", "exportCalendar": "Export calendar"}[$parameter["operation"]] }}',
		description:
			'Generates fair duty rosters under hard constraints (roles, leave, rest, caps), tells who is on duty, checks swaps and exports iCalendar files',
		usableAsTool: true,
		inputs: `={{(${byOperation.toString()})($parameter, ${JSON.stringify(INPUTS)})}}`,
		outputs: `={{(${byOperation.toString()})($parameter, ${JSON.stringify(OUTPUTS)})}}`,
		requiredInputs: 1,
		properties: [
			operationProperty('generate', [
				{
					name: 'Check Swap',
					value: 'checkSwap',
					action: 'Check whether a swap breaks a rule',
					description: 'Whether a swap between two people breaks a hard constraint, and what it does to the balance',
				},
				{
					name: 'Export Calendar',
					value: 'exportCalendar',
					action: 'Export a roster as a calendar file',
					description: 'An .ics file for one person or the whole roster, with time zones',
				},
				{
					name: 'Generate',
					value: 'generate',
					action: 'Generate a duty roster',
					description: 'Assigns staff (input 1) to duties over a date range; earlier rosters (input 2) carry fairness over',
				},
				{
					name: 'Who Is On Duty',
					value: 'whoIsOnDuty',
					action: 'Find who is on duty',
					description: 'The people on duty at a time or on a date, read from stored roster rows; the other rows come out on Not On Duty',
				},
			]),
			...generate.description,
			...whoIsOnDuty.description,
			...checkSwap.description,
			...exportCalendar.description,
			...commonProperties,
			generate.calendarProperty,
		],
	};

	execute = routedExecute(operations, { inputCount: (operation) => INPUTS[operation]?.length ?? 1 });
}
