/** Flag Abnormal: alerts for fevers, symptoms, unreadable readings and missed checks in a row. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { inputItems } from '../../shared/router';
import { flagAbnormal } from '../abnormal';
import { DEFAULT_ALERT_MESSAGE } from '../messages';
import { only, readAdmins, readColumns, readFever, readWatchOptions, resultItems, rowsOf } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Check Temperature',
		name: 'checkTemperature',
		type: 'boolean',
		default: true,
		displayOptions: only(['flagAbnormal']),
		description: 'Whether to read the temperature column (it must then exist)',
	},
	{
		displayName: 'Check Symptoms',
		name: 'checkSymptoms',
		type: 'boolean',
		default: true,
		displayOptions: only(['flagAbnormal']),
		description: 'Whether to read the symptoms column (it must then exist)',
	},
	{
		displayName: 'Alert After Misses in a Row',
		name: 'missedInARow',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 0 },
		displayOptions: only(['flagAbnormal']),
		description: 'With the reporters connected: alert when someone missed this many checks in a row. 0 turns it off.',
	},
	{
		displayName: 'Only Readings of the As-Of Date',
		name: 'onlyAsOfDate',
		type: 'boolean',
		default: false,
		displayOptions: only(['flagAbnormal']),
		description: 'Whether to ignore older readings (turn on when the input carries the history)',
	},
	{
		displayName: 'Alert Level',
		name: 'alertLevel',
		type: 'options',
		default: 2,
		displayOptions: only(['flagAbnormal']),
		options: [
			{ name: '2: Group Leader', value: 2 },
			{ name: '3: Group Leader and Administrator on Duty', value: 3 },
		],
	},
	{
		displayName: 'Message',
		name: 'alertMessage',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_ALERT_MESSAGE,
		displayOptions: only(['flagAbnormal']),
		description:
			'Alert text. Placeholders: {name}, {group}, {slot}, {date}, {reason}. The reason is in words; the temperature value stays out of the text.',
	},
];

/** Inputs: 0 readings, 1 reporters (optional). Outputs: 0 alerts (and error items), 1 the readings with no alert ("Not Flagged"). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = [0, 1].map((k) => inputItems(this, k));
	const [readings, reporters] = inputs;
	const watch = readWatchOptions(this);
	const { admins, group } = readAdmins(this, []);
	const result = flagAbnormal(rowsOf(readings), reporters.length ? rowsOf(reporters) : undefined, {
		zone: watch.zone,
		watch,
		...readFever(this),
		checkTemperature: this.getNodeParameter('checkTemperature', 0, true) as boolean,
		checkSymptoms: this.getNodeParameter('checkSymptoms', 0, true) as boolean,
		missedInARow: Number(this.getNodeParameter('missedInARow', 0, 2)),
		onlyAsOfDate: this.getNodeParameter('onlyAsOfDate', 0, false) as boolean,
		alertLevel: Number(this.getNodeParameter('alertLevel', 0, 2)) === 3 ? 3 : 2,
		admins,
		adminGroup: group,
		message: String(this.getNodeParameter('alertMessage', 0, DEFAULT_ALERT_MESSAGE)),
		...readColumns(this),
	});
	return resultItems(this, result, inputs, 0);
}
