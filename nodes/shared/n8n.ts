/**
 * Helpers shared by the node adapters (this file, unlike the rest of nodes/shared, imports
 * n8n-workflow): error shaping, error items for continueOnFail, the school calendar parameters.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { SchoolCalendar, splitList } from './calendar';
import { InputError, type RowProblem } from './errors';

/** Turns a domain error into a NodeOperationError that names the item and the field. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof InputError) {
		const idx = error.row ?? itemIndex;
		return new NodeOperationError(ctx.getNode(), error.describe(), {
			itemIndex: idx,
			description: error.hint,
		});
	}
	if (error instanceof Error && error.name === 'NodeApiError') return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

/**
 * The item n8n routes to the error output (or passes on) when the node continues on fail.
 * n8n moves an item to the error output only when its json holds nothing but `error`,
 * `message` and `details`; it then merges the paired input item back in, so nothing is lost.
 * `_input` is accepted for symmetry with callers and deliberately not copied.
 */
export function errorItem(
	error: unknown,
	itemIndex: number,
	_input?: IDataObject,
	inputIndex = 0,
): INodeExecutionData {
	const details: IDataObject = { row: itemIndex + 1 };
	let message: string;
	if (error instanceof InputError) {
		message = error.describe();
		if (error.row !== undefined) details.row = error.row + 1;
		if (error.field !== undefined) details.field = error.field;
		if (error.hint !== undefined) details.hint = error.hint;
	} else {
		message = error instanceof Error ? error.message : String(error);
	}
	return {
		json: { error: message, details },
		pairedItem: inputIndex ? { item: itemIndex, input: inputIndex } : { item: itemIndex },
	};
}

/** Rows the domain rejected: an error item each when continuing on fail, else the first throws. */
export function problemItems(
	ctx: IExecuteFunctions,
	problems: RowProblem[],
	_inputs?: INodeExecutionData[],
	inputIndex = 0,
): INodeExecutionData[] {
	if (problems.length === 0) return [];
	if (!ctx.continueOnFail()) {
		const p = problems[0];
		throw toNodeError(ctx, new InputError(p.message, { row: p.row, field: p.field }), p.row);
	}
	return problems.map((p) =>
		errorItem(new InputError(p.message, { row: p.row, field: p.field }), p.row, undefined, inputIndex),
	);
}

/** The "School Calendar" collection that every node with dates shows. */
export const calendarOptionsProperty: INodeProperties = {
	displayName: 'School Calendar',
	name: 'calendar',
	type: 'collection',
	placeholder: 'Add calendar setting',
	default: {},
	description:
		"Which days are school days. China's public holidays and make-up workdays are built in; add the school's calendar table, vacations and changes here.",
	options: [
		{
			displayName: 'Calendar Table Rows',
			name: 'calendarRows',
			type: 'json',
			default: '[]',
			placeholder: "={{ $('Read school calendar').all().map(i => i.json) }}",
			description:
				"The rows of the school's calendar Data Table (from, to, kind, name), read by a Data Table node earlier in the workflow. They add public holidays and make-up workdays for years the built-in data lacks, vacations, exam days and the school's own days.",
		},
		{
			displayName: 'Days Beyond the Holiday Data',
			name: 'unknownDays',
			type: 'options',
			default: 'error',
			options: [
				{
					name: 'Stop With an Error',
					value: 'error',
					description: 'A date in a year with no public-holiday data stops the node with an error naming the date',
				},
				{
					name: 'Treat as Ordinary Days (With a Warning)',
					value: 'ordinary',
					description:
						'Weekdays count as school days and weekends as days off; each answer carries a warning',
				},
			],
			description:
				'What to do with a date whose year neither the built-in data nor the calendar table covers (public holidays and make-up workdays unknown)',
		},
		{
			displayName: 'Extra Days Off',
			name: 'extraDaysOff',
			type: 'string',
			default: '',
			placeholder: '2026-04-03',
			description: 'Dates that are days off whatever the rest says, separated by commas',
		},
		{
			displayName: 'Extra School Days',
			name: 'extraSchoolDays',
			type: 'string',
			default: '',
			placeholder: '2026-03-07',
			description: 'Dates that are school days whatever the rest says, separated by commas',
		},
		{
			displayName: 'Use China Public Holidays',
			name: 'usePublicHolidays',
			type: 'boolean',
			default: true,
			description:
				'Whether to take national holidays and make-up workdays (调休) into account. The built-in data covers the years its chinese-days release has; the calendar table adds later years.',
		},
		{
			displayName: 'Vacations',
			name: 'vacations',
			type: 'string',
			default: '',
			placeholder: '2026-01-24..2026-02-28, 2026-07-04..2026-08-31',
			description: 'School vacations, as date ranges separated by commas or new lines',
			typeOptions: { rows: 2 },
		},
		{
			displayName: 'Weekend Days',
			name: 'weekendDays',
			type: 'multiOptions',
			default: [6, 7],
			options: [
				{ name: 'Monday', value: 1 },
				{ name: 'Tuesday', value: 2 },
				{ name: 'Wednesday', value: 3 },
				{ name: 'Thursday', value: 4 },
				{ name: 'Friday', value: 5 },
				{ name: 'Saturday', value: 6 },
				{ name: 'Sunday', value: 7 },
			],
		},
	],
};

/**
 * The calendar the node's "School Calendar" settings describe, for item `itemIndex`. Its warnings
 * (beyond the data, the data ending within a month) become execution hints shown on the node's
 * output. Pass `reuse` (one Map per execution) to build one calendar for items with the same
 * settings.
 */
export function readCalendar(ctx: IExecuteFunctions, itemIndex: number, reuse?: Map<string, SchoolCalendar>): SchoolCalendar {
	const c = ctx.getNodeParameter('calendar', itemIndex, {}) as IDataObject;
	const key = reuse ? JSON.stringify(c) : '';
	const known = reuse?.get(key);
	if (known) return known;
	try {
		const calendar = new SchoolCalendar({
			usePublicHolidays: c.usePublicHolidays === undefined ? true : Boolean(c.usePublicHolidays),
			weekendDays: Array.isArray(c.weekendDays) ? (c.weekendDays as number[]).map(Number) : undefined,
			vacations: splitList(c.vacations),
			extraSchoolDays: splitList(c.extraSchoolDays),
			extraDaysOff: splitList(c.extraDaysOff),
			calendarRows: c.calendarRows,
			unknownDays: c.unknownDays === 'ordinary' ? 'ordinary' : 'error',
			onWarning: (message) => {
				if (typeof ctx.addExecutionHints === 'function') {
					ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
				}
			},
		});
		reuse?.set(key, calendar);
		return calendar;
	} catch (error) {
		throw toNodeError(ctx, error, itemIndex);
	}
}
