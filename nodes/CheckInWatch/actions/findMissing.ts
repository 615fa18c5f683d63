/** Find Missing: who or what has not reported by when, with escalation and personal links. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemFrom } from '../../shared/errors';
import { inputItems } from '../../shared/router';
import { DEFAULT_DUE_AT_COLUMN } from '../columns';
import { findMissingByDueTime } from '../dueTime';
import { DEFAULT_MISSING_MESSAGE } from '../messages';
import { findMissing } from '../missing';
import type { CheckResult } from '../records';
import { only, readAdmins, readColumns, readWatchOptions, resultItems, rowsOf } from './common';
import { linkFor, readLinkSettings } from './links';

const byDueColumn = { show: { operation: ['findMissing'], dueFrom: ['reporterColumn'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Due Times From',
		name: 'dueFrom',
		type: 'options',
		default: 'slots',
		displayOptions: only(['findMissing']),
		options: [
			{
				name: 'Check Slots on School Days',
				value: 'slots',
				description: 'Every reporter reports in each slot of each school day',
			},
			{
				name: 'A Column of Each Reporter',
				value: 'reporterColumn',
				description:
					"Each reporter row owes one report by its own due time (e.g. a leave's expected return), on any day; the slots and the calendar are not used",
			},
		],
	},
	{
		displayName: 'Due At Column',
		name: 'dueAtColumn',
		type: 'string',
		default: DEFAULT_DUE_AT_COLUMN,
		displayOptions: byDueColumn,
		description:
			'The reporter column holding its due time (names separated by commas; the first present is used). A time without a zone is read in the time zone above. Any submission from the reporter counts.',
	},
	{
		displayName: 'Make-Up Grace (Minutes)',
		name: 'dueGraceMinutes',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 0 },
		displayOptions: byDueColumn,
		description: "Until this long after the due time an item's status is overdue (make-up still open); then missing",
	},
	{
		displayName: 'Slot Name',
		name: 'dueSlotName',
		type: 'string',
		default: 'Due',
		displayOptions: byDueColumn,
		description: 'The slot of the output items, personal links and dedupe keys (e.g. "return")',
	},
	{
		displayName: 'Slots To Check',
		name: 'scope',
		type: 'options',
		default: 'latest',
		displayOptions: only(['findMissing']),
		options: [
			{ name: 'Latest Due Slot', value: 'latest', description: 'Only the slot that fell due most recently today' },
			{ name: 'All Slots Due Today', value: 'allToday', description: 'Every slot of today that is due by now' },
		],
	},
	{
		displayName: 'Escalation',
		name: 'escalation',
		type: 'collection',
		placeholder: 'Change escalation',
		default: {},
		displayOptions: only(['findMissing']),
		description:
			'Level 1 reminds the reporter; level 2 adds the group leader; level 3 adds the administrator on duty. 0 turns a rule off.',
		options: [
			{ displayName: 'Administrator After Misses in a Row', name: 'adminAfterMisses', type: 'number', default: 3, typeOptions: { minValue: 0 } },
			{ displayName: 'Administrator After Minutes Overdue', name: 'adminAfterMinutes', type: 'number', default: 0, typeOptions: { minValue: 0 } },
			{ displayName: 'Group Leader After Misses in a Row', name: 'leaderAfterMisses', type: 'number', default: 2, typeOptions: { minValue: 0 } },
			{ displayName: 'Group Leader After Minutes Overdue', name: 'leaderAfterMinutes', type: 'number', default: 60, typeOptions: { minValue: 0 } },
		],
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_MISSING_MESSAGE,
		displayOptions: only(['findMissing']),
		description:
			'Reminder text. Placeholders: {name}, {group}, {slot}, {date}, {due}, {makeUpUntil}, {misses}, {minutesOverdue}, {level}. Phone numbers, ID numbers and temperatures are never offered.',
	},
];

function compute(ctx: IExecuteFunctions, inputs: INodeExecutionData[][]): CheckResult {
	const [reporters, submissions, onDuty] = inputs;
	const watch = readWatchOptions(ctx);
	const { reporterColumns, submissionColumns } = readColumns(ctx);
	const { admins, group } = readAdmins(ctx, onDuty);
	const escalation: Record<string, number> = {};
	for (const [k, v] of Object.entries(ctx.getNodeParameter('escalation', 0, {}) as IDataObject)) escalation[k] = Number(v);
	const message = String(ctx.getNodeParameter('message', 0, DEFAULT_MISSING_MESSAGE));
	const common = { escalation, admins, adminGroup: group, message, submissionColumns };
	if (ctx.getNodeParameter('dueFrom', 0, 'slots') === 'reporterColumn') {
		return findMissingByDueTime(
			rowsOf(reporters),
			rowsOf(submissions),
			{
				...common,
				zone: watch.zone,
				asOf: watch.asOf,
				dueAtColumn: String(ctx.getNodeParameter('dueAtColumn', 0, DEFAULT_DUE_AT_COLUMN)),
				graceMinutes: Number(ctx.getNodeParameter('dueGraceMinutes', 0, 30)),
				slotName: String(ctx.getNodeParameter('dueSlotName', 0, 'Due')),
			},
			reporterColumns,
		);
	}
	const scope = ctx.getNodeParameter('scope', 0, 'latest') as 'latest' | 'allToday';
	return findMissing(rowsOf(reporters), rowsOf(submissions), { ...watch, ...common, scope }, reporterColumns);
}

/**
 * Adds a signed personal link to each missing report. A report whose link cannot be made (a
 * value that cannot go into a URL) becomes a problem of its roster row, on its own.
 */
async function addLinks(ctx: IExecuteFunctions, result: CheckResult): Promise<void> {
	const settings = await readLinkSettings(ctx);
	result.records = result.records.filter((r) => {
		if (r.data.kind !== 'missing report') return true;
		try {
			r.data.personalLink = linkFor(settings, { id: String(r.data.reporterId), date: String(r.data.date), slot: String(r.data.slot) });
			return true;
		} catch (e) {
			const row = r.sources.find((s) => s.input === 0)?.item ?? 0;
			result.problems.push({ input: 0, problem: { ...problemFrom(e, row), row } });
			return false;
		}
	});
}

/**
 * Inputs: 0 reporters, 1 submissions, 2 who is on duty (optional). Outputs: 0 missing reports
 * (and error items), 1 the reporters with nothing missing ("Not Missing").
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = [0, 1, 2].map((k) => inputItems(this, k));
	const result = compute(this, inputs);
	if (this.getNodeParameter('addPersonalLink', 0, false) as boolean) await addLinks(this, result);
	return resultItems(this, result, inputs, 0);
}
