import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { calendarOptionsProperty } from '../shared/n8n';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { operationProperties, type OperationMap } from '../shared/router';
import * as checkDay from './actions/checkDay';
import * as checkSlot from './actions/checkSlot';
import * as listDays from './actions/listDays';

const operations: OperationMap = { checkDay, checkSlot, listDays };

const DISPLAY = 'School Calendar';

export class SchoolCalendar implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'schoolCalendar',
		icon: { light: 'file:schoolCalendar.svg', dark: 'file:schoolCalendar.dark.svg' },
		...nodeBasics(DISPLAY, 'transform'),
		subtitle: '={{ {"checkDay": "Is it a school day?", "checkSlot": "Which check slot?", "listDays": "List days"}[$parameter["operation"]] }}',
		description:
			'Tells whether a date is a school day (weekends, China public holidays, make-up workdays and school vacations) and which check slot a time falls in',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			operationProperty('checkDay', [
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
			]),
			...operationProperties(operations),
			calendarOptionsProperty,
		],
	};

	execute = routedExecute(operations);
}
