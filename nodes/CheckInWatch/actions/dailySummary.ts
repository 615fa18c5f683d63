/** Daily Summary: per group, expected, submitted, late, missing and abnormal counts, and a zero report. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { inputItems } from '../../shared/router';
import { DEFAULT_SUMMARY_MESSAGE, DEFAULT_ZERO_REPORT } from '../messages';
import { dailySummary } from '../summary';
import { only, readColumns, readFever, readWatchOptions, resultItems, rowsOf } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Include Whole-School Total',
		name: 'includeTotal',
		type: 'boolean',
		default: true,
		displayOptions: only(['dailySummary']),
		description: 'Whether to add one item with the totals of all groups',
	},
	{
		displayName: 'List Names of Those Missing',
		name: 'listMissingNames',
		type: 'boolean',
		default: true,
		displayOptions: only(['dailySummary']),
		description: 'Whether the group message lists who has not reported (names only)',
	},
	{
		displayName: 'Message',
		name: 'summaryMessage',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_SUMMARY_MESSAGE,
		displayOptions: only(['dailySummary']),
		description:
			'Summary text. Placeholders: {group}, {date}, {expected}, {submitted}, {late}, {missing}, {abnormal}, {zero}, {missingList}.',
	},
	{
		displayName: 'Zero Report Text',
		name: 'zeroReport',
		type: 'string',
		default: DEFAULT_ZERO_REPORT,
		displayOptions: only(['dailySummary']),
		description: 'Put in {zero} when a group has no abnormal case',
	},
];

/** Inputs: 0 reporters, 1 submissions. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = [0, 1].map((k) => inputItems(this, k));
	const [reporters, submissions] = inputs;
	const result = dailySummary(rowsOf(reporters), rowsOf(submissions), {
		...readWatchOptions(this),
		...readFever(this),
		includeTotal: this.getNodeParameter('includeTotal', 0, true) as boolean,
		listMissingNames: this.getNodeParameter('listMissingNames', 0, true) as boolean,
		message: String(this.getNodeParameter('summaryMessage', 0, DEFAULT_SUMMARY_MESSAGE)),
		zeroReport: String(this.getNodeParameter('zeroReport', 0, DEFAULT_ZERO_REPORT)),
		...readColumns(this),
	});
	return resultItems(this, result, inputs);
}
