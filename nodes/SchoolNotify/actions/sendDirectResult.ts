/**
 * Operation "Check DingTalk Read Status": for items that came out of "Send Direct Message" on
 * DingTalk (each with its task ID and recipient), reads DingTalk's result of those tasks and
 * sorts each person into Read, Unread or Failed (invalid, refused or not delivered). DingTalk
 * keeps results for 24 hours and reports at most 100 people a task.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { errorItem, toNodeError } from '../../shared/n8n';
import { isEmptyRow } from '../../shared/rows';
import { dingTalkResults } from '../apps/results';

export const DIRECT_RESULT = 'directResult';

const show = { show: { operation: [DIRECT_RESULT] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '={{ $json.taskId }}',
		required: true,
		displayOptions: show,
		description: 'The DingTalk task ID that "Send Direct Message" put on each sent item',
	},
	{
		displayName: 'Recipient',
		name: 'resultRecipient',
		type: 'string',
		default: '={{ $json.recipient }}',
		required: true,
		displayOptions: show,
		description: 'The person\'s DingTalk user ID',
	},
	{
		displayName: 'Wait for Result (Seconds)',
		name: 'resultWaitSeconds',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0, maxValue: 120 },
		displayOptions: show,
		description: 'How long to wait for tasks DingTalk is still sending; people of unfinished tasks come out on Unread as "pending"',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const read: INodeExecutionData[] = [];
	const unread: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const wanted: Array<{ row: number; taskId: string; recipient: string }> = [];
	for (let i = 0; i < items.length; i++) {
		if (isEmptyRow(items[i].json)) continue;
		try {
			const taskId = String(this.getNodeParameter('taskId', i, '') ?? '').trim();
			const recipient = String(this.getNodeParameter('resultRecipient', i, '') ?? '').trim();
			if (!/^\d+$/.test(taskId)) throw new InputError(`"${taskId.slice(0, 20)}" is not a DingTalk task ID`, { row: i, field: 'taskId' });
			if (!recipient) throw new InputError('The recipient is empty', { row: i, field: 'resultRecipient' });
			wanted.push({ row: i, taskId, recipient });
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this, error, i);
			failed.push(errorItem(error, i));
		}
	}
	const waitMs = Number(this.getNodeParameter('resultWaitSeconds', 0, 10)) * 1000;
	const tasks = wanted.length ? await dingTalkResults(this, wanted.map((w) => w.taskId), waitMs) : new Map();
	const checkedAt = new Date().toISOString();
	for (const w of wanted) {
		const task = tasks.get(w.taskId);
		const person = task?.people.get(w.recipient);
		const json: IDataObject = { ...items[w.row].json, taskId: w.taskId, recipient: w.recipient, checkedAt };
		const item = (extra: IDataObject): INodeExecutionData => ({ json: { ...json, ...extra }, pairedItem: { item: w.row } });
		if (task?.error && !task.people.size) failed.push(item({ readStatus: 'unknown', failedReason: `DingTalk gave no result for the task: ${task.error}` }));
		else if (person?.state === 'read') read.push(item({ readStatus: 'read' }));
		else if (person?.state === 'unread') unread.push(item({ readStatus: 'unread' }));
		else if (person) failed.push(item({ readStatus: person.state, failedReason: person.reason ?? person.state }));
		else unread.push(item({ readStatus: 'pending' }));
	}
	return [read, unread, failed];
}
