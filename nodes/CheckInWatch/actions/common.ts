/**
 * What the watch operations (Find Missing, Flag Abnormal, Daily Summary) share: their common
 * parameters, reading them, and turning domain records into paired n8n items.
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { splitList } from '../../shared/calendar';
import { calendarOptionsProperty, problemItems, readCalendar } from '../../shared/n8n';
import { columnMappingProperty, readColumnMapping, readSlotInputs, slotsProperty, type ColumnLabels } from '../../shared/parameters';
import { Columns, isEmptyRow, type Row } from '../../shared/rows';
import { parseSlots } from '../../shared/slots';
import { notSelected } from '../../shared/router';
import { checkZone } from '../../shared/time';
import { DEFAULT_SYMPTOMS } from '../abnormal';
import { DEFAULT_REPORTER_COLUMNS, DEFAULT_SUBMISSION_COLUMNS, type ReporterKey, type SubmissionKey } from '../columns';
import { DEFAULT_LOOK_BACK_DAYS, readAsOf, type WatchOptions } from '../occurrences';
import type { CheckResult } from '../records';
import type { Contact } from '../roster';
import { DEFAULT_FEVER_THRESHOLD } from '../temperature';

export type Operation = 'findMissing' | 'flagAbnormal' | 'dailySummary' | 'signLink' | 'verifySignature';

export const WATCH_OPS: Operation[] = ['findMissing', 'flagAbnormal', 'dailySummary'];

export function only(ops: Operation[]) {
	return { show: { operation: ops } };
}

const REPORTER_COLUMN_LABELS: ColumnLabels<ReporterKey> = {
	id: ['Reporter ID', 'Staff, student or area number: 工号, 学号, 编号'],
	name: ['Name', 'Person or place name: 姓名, 名称'],
	group: ['Group', 'Class, department or area: 班级, 部门, 区域'],
	mobile: ['Mobile', 'Used for @mentions only, never in message text'],
	userId: ['User ID', 'Chat app user ID, used for @mentions'],
	leaderName: ['Group Leader Name', 'Class teacher, department head or person in charge: 班主任, 组长, 负责人'],
	leaderMobile: ['Group Leader Mobile', 'Used for @mentions at level 2'],
	leaderUserId: ['Group Leader User ID', 'Used for @mentions at level 2'],
};

const SUBMISSION_COLUMN_LABELS: ColumnLabels<SubmissionKey> = {
	reporterId: ['Reporter ID', 'The id of who or what reported'],
	timestamp: ['Submitted At', "When it was submitted. A time without a zone is read in the node's time zone."],
	name: ['Name', 'Used by Flag Abnormal when no reporters are connected'],
	group: ['Group', 'Used by Flag Abnormal when no reporters are connected'],
	temperature: ['Temperature', '体温: "36.5", "36.5℃", "３６.５", "36,5" and °F values are read'],
	symptoms: ['Symptoms', '症状: free text or a list; "无", "正常" and "none" mean none'],
};

/** Parameters every watch operation shows first: the as-of time, the zone, the slots, the look-back. */
export const watchHead: INodeProperties[] = [
	{
		displayName:
			'Connect the reporters (roster) to the first input and the submissions to the second. An empty table read needs "Always Output Data" on, so that the node still runs.',
		name: 'inputsNotice',
		type: 'notice',
		default: '',
		displayOptions: only(['findMissing', 'dailySummary']),
	},
	{
		displayName: 'As Of',
		name: 'asOf',
		type: 'string',
		default: '={{ $now.toISO() }}',
		displayOptions: only(WATCH_OPS),
		placeholder: '2026-03-02 09:05',
		description:
			'The time the check is made: slots due by then are checked. A time without a zone is read in the time zone below.',
	},
	{
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: 'Asia/Shanghai',
		displayOptions: only(WATCH_OPS),
		description: 'IANA time zone of the slots and of submission times written without a zone',
	},
];

export const slotsAndLookBack: INodeProperties[] = [
	slotsProperty({
		displayName: 'Check Slots',
		displayOptions: only(WATCH_OPS),
		description:
			'The daily checks. A report between Opens and Due is on time; within the make-up grace after Due it is late, not missing. A slot whose Due is earlier than Opens ends the next day.',
		fields: { namePlaceholder: 'Morning', grace: 'A report this long after Due still counts, as late' },
	}),
	{
		displayName: 'Look-Back (Days)',
		name: 'lookBackDays',
		type: 'number',
		default: DEFAULT_LOOK_BACK_DAYS,
		typeOptions: { minValue: 0, maxValue: 90 },
		displayOptions: only(WATCH_OPS),
		description:
			'How far back the submission history is read to count misses in a row. Feed at least this many days of submissions.',
	},
];

/** Who level 3 items go to: Find Missing and Flag Abnormal. */
export const adminProperty: INodeProperties = {
	displayName: 'Administrator on Duty',
	name: 'admin',
	type: 'collection',
	placeholder: 'Add contact',
	default: {},
	displayOptions: only(['findMissing', 'flagAbnormal']),
	description:
		'Who level 3 items go to. Rows on the On Duty input (e.g. from Duty Roster "Who Is On Duty": name, mobile, userId) take precedence.',
	options: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '' },
		{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
		{
			displayName: 'Target Group',
			name: 'targetGroup',
			type: 'string',
			default: '',
			placeholder: '后勤管理群',
			description:
				"The targetGroup of level 3 items and of unknown-reporter items (e.g. the management chat). Empty keeps the reporter's group.",
		},
	],
};

/** The fever threshold: Flag Abnormal and Daily Summary. */
export const feverThresholdProperty: INodeProperties = {
	displayName: 'Fever Threshold (°C)',
	name: 'feverThreshold',
	type: 'number',
	default: DEFAULT_FEVER_THRESHOLD,
	typeOptions: { minValue: 35, maxValue: 42, numberPrecision: 1 },
	displayOptions: only(['flagAbnormal', 'dailySummary']),
	description: 'A reading at or above this (axillary, rounded to 0.1 °C) is abnormal',
};

/** The symptoms to alert on: Flag Abnormal and Daily Summary. */
export const symptomsProperty: INodeProperties = {
	displayName: 'Symptoms To Alert On',
	name: 'symptoms',
	type: 'string',
	default: DEFAULT_SYMPTOMS,
	displayOptions: only(['flagAbnormal', 'dailySummary']),
	description: 'Separated by commas. An answer naming one of them is abnormal; "无咳嗽" (a denial) is not.',
};

/** Parameters every watch operation shows last: the column mappings and the calendar. */
export const watchTail: INodeProperties[] = [
	columnMappingProperty({
		name: 'reporterColumns',
		displayName: 'Reporter Columns',
		labels: REPORTER_COLUMN_LABELS,
		defaults: DEFAULT_REPORTER_COLUMNS,
		displayOptions: only(WATCH_OPS),
	}),
	columnMappingProperty({
		name: 'submissionColumns',
		displayName: 'Submission Columns',
		labels: SUBMISSION_COLUMN_LABELS,
		defaults: DEFAULT_SUBMISSION_COLUMNS,
		displayOptions: only(WATCH_OPS),
	}),
	{ ...calendarOptionsProperty, displayOptions: only(WATCH_OPS) },
];

export function readWatchOptions(ctx: IExecuteFunctions): WatchOptions {
	const zone = checkZone(String(ctx.getNodeParameter('timezone', 0, 'Asia/Shanghai')).trim() || 'Asia/Shanghai');
	const asOf = readAsOf(ctx.getNodeParameter('asOf', 0, '') as unknown, zone, DateTime.now());
	const slots = parseSlots(readSlotInputs(ctx));
	const lookBackDays = Number(ctx.getNodeParameter('lookBackDays', 0, DEFAULT_LOOK_BACK_DAYS));
	return { zone, asOf, slots, lookBackDays, calendar: readCalendar(ctx, 0) };
}

export function readColumns(ctx: IExecuteFunctions) {
	return {
		reporterColumns: readColumnMapping(ctx, 'reporterColumns', DEFAULT_REPORTER_COLUMNS),
		submissionColumns: readColumnMapping(ctx, 'submissionColumns', DEFAULT_SUBMISSION_COLUMNS),
	};
}

export function readFever(ctx: IExecuteFunctions): { feverThreshold: number; symptoms: string[] } {
	return {
		feverThreshold: Number(ctx.getNodeParameter('feverThreshold', 0, DEFAULT_FEVER_THRESHOLD)),
		symptoms: splitList(ctx.getNodeParameter('symptoms', 0, DEFAULT_SYMPTOMS)),
	};
}

/** The administrators on duty: rows of the On Duty input, else the Administrator on Duty parameter. */
export function readAdmins(ctx: IExecuteFunctions, onDuty: INodeExecutionData[]): { admins: Contact[]; group: string } {
	const param = ctx.getNodeParameter('admin', 0, {}) as IDataObject;
	const group = String(param.targetGroup ?? '').trim();
	const rows = onDuty.map((i) => i.json as Row).filter((r) => !isEmptyRow(r));
	if (rows.length) {
		const cols = new Columns<'name' | 'mobile' | 'userId'>(
			{ name: 'name, 姓名, 值班人', mobile: 'mobile, 手机, 手机号, phone', userId: 'userId, 用户ID, user id' },
			'people on duty',
		);
		cols.resolve(rows[0], []);
		const admins = rows
			.map((r) => ({ name: cols.text(r, 'name'), mobile: cols.text(r, 'mobile'), userId: cols.text(r, 'userId') }))
			.filter((c) => c.name || c.mobile || c.userId);
		if (admins.length) return { admins, group };
	}
	const c = { name: String(param.name ?? '').trim(), mobile: String(param.mobile ?? '').trim(), userId: String(param.userId ?? '').trim() };
	return { admins: c.name || c.mobile || c.userId ? [c] : [], group };
}

export function rowsOf(items: INodeExecutionData[]): Row[] {
	return items.map((i) => i.json as Row);
}

/**
 * The records as items paired with the rows they come from, then the unreadable rows of each
 * input: error items under continue-on-fail, else the first one stops the node. With `passOn`
 * (an input index), a second output holds every non-empty row of that input that no record and
 * no error item is paired with (a reporter who is not missing, a reading that is not abnormal),
 * unchanged and paired with its row, so that every input item comes out somewhere.
 */
export function resultItems(
	ctx: IExecuteFunctions,
	result: CheckResult,
	inputs: INodeExecutionData[][],
	passOn?: number,
): INodeExecutionData[][] {
	const out: INodeExecutionData[] = result.records.map((r) => ({
		json: r.data as IDataObject,
		pairedItem: r.sources.length ? r.sources.map((s) => ({ item: s.item, input: s.input })) : { item: 0 },
	}));
	for (let input = 0; input < inputs.length; input++) {
		const problems = result.problems.filter((p) => p.input === input).map((p) => p.problem);
		if (problems.length) out.push(...problemItems(ctx, problems, inputs[input], input));
	}
	if (passOn === undefined) return [out];
	return [out, notSelected(out, inputs[passOn] ?? [], passOn)];
}
