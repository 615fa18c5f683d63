import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { splitList } from '../shared/calendar';
import { InputError } from '../shared/errors';
import { calendarOptionsProperty, errorItem, problemItems, readCalendar, toNodeError } from '../shared/n8n';
import { Columns, isEmptyRow, type Row } from '../shared/rows';
import { parseSlots, type SlotInput } from '../shared/slots';
import { checkZone } from '../shared/time';
import {
	DEFAULT_ALERT_MESSAGE,
	DEFAULT_LOOK_BACK_DAYS,
	DEFAULT_MISSING_MESSAGE,
	DEFAULT_REPORTER_COLUMNS,
	DEFAULT_SUBMISSION_COLUMNS,
	DEFAULT_SUMMARY_MESSAGE,
	DEFAULT_SYMPTOMS,
	DEFAULT_ZERO_REPORT,
	DEFAULT_DUE_AT_COLUMN,
	dailySummary,
	findMissing,
	findMissingByDueTime,
	flagAbnormal,
	readAsOf,
	type CheckResult,
	type Contact,
	type ReporterKey,
	type SubmissionKey,
	type WatchOptions,
} from './checkin';
import {
	DEFAULT_FIELD_NAMES,
	buildLink,
	checkSecret,
	signClaims,
	verifySubmission,
	type LinkClaims,
	type LinkFieldNames,
} from './signature';
import { DEFAULT_FEVER_THRESHOLD } from './temperature';

type Operation = 'findMissing' | 'flagAbnormal' | 'dailySummary' | 'signLink' | 'verifySignature';

/**
 * The inputs of each operation. n8n evaluates this function's text in the editor (as the Merge
 * v3 node does), so it must stand alone: no imports, no outer variables.
 */
function configuredInputs(parameters: { operation?: string }) {
	const op = parameters.operation || 'findMissing';
	const main = 'main';
	if (op === 'findMissing') {
		return [
			{ type: main, displayName: 'Reporters', required: true },
			{ type: main, displayName: 'Submissions', required: true },
			{ type: main, displayName: 'On Duty (Optional)' },
		];
	}
	if (op === 'dailySummary') {
		return [
			{ type: main, displayName: 'Reporters', required: true },
			{ type: main, displayName: 'Submissions', required: true },
		];
	}
	if (op === 'flagAbnormal') {
		return [
			{ type: main, displayName: 'Readings', required: true },
			{ type: main, displayName: 'Reporters (Optional)' },
		];
	}
	return [{ type: main, displayName: op === 'signLink' ? 'Items' : 'Submissions', required: true }];
}

const WATCH_OPS: Operation[] = ['findMissing', 'flagAbnormal', 'dailySummary'];
const LINK_OPS: Operation[] = ['signLink', 'verifySignature'];

const REPORTER_COLUMN_LABELS: Record<ReporterKey, [string, string]> = {
	id: ['Reporter ID', 'Staff, student or area number: 工号, 学号, 编号'],
	name: ['Name', 'Person or place name: 姓名, 名称'],
	group: ['Group', 'Class, department or area: 班级, 部门, 区域'],
	mobile: ['Mobile', 'Used for @mentions only, never in message text'],
	userId: ['User ID', 'Chat app user ID, used for @mentions'],
	leaderName: ['Group Leader Name', 'Class teacher, department head or person in charge: 班主任, 组长, 负责人'],
	leaderMobile: ['Group Leader Mobile', 'Used for @mentions at level 2'],
	leaderUserId: ['Group Leader User ID', 'Used for @mentions at level 2'],
};

const SUBMISSION_COLUMN_LABELS: Record<SubmissionKey, [string, string]> = {
	reporterId: ['Reporter ID', 'The id of who or what reported'],
	timestamp: ['Submitted At', "When it was submitted. A time without a zone is read in the node's time zone."],
	name: ['Name', 'Used by Flag Abnormal when no reporters are connected'],
	group: ['Group', 'Used by Flag Abnormal when no reporters are connected'],
	temperature: ['Temperature', '体温: "36.5", "36.5℃", "３６.５", "36,5" and °F values are read'],
	symptoms: ['Symptoms', '症状: free text or a list; "无", "正常" and "none" mean none'],
};

function columnCollection(
	name: string,
	displayName: string,
	labels: Record<string, [string, string]>,
	defaults: Record<string, string>,
	ops: Operation[],
): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		displayOptions: { show: { operation: ops } },
		description:
			'Column names differ from school to school. Each setting lists the names to look for, separated by commas; the first one present is used.',
		options: Object.entries(labels)
			.map(([key, [label, hint]]) => ({
				displayName: label,
				name: key,
				type: 'string' as const,
				default: defaults[key],
				description: `${hint}. Default: ${defaults[key]}.`,
			}))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

const slotsProperty: INodeProperties = {
	displayName: 'Check Slots',
	name: 'slots',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {
		slot: [
			{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
			{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
		],
	},
	displayOptions: { show: { operation: WATCH_OPS } },
	description:
		'The daily checks. A report between Opens and Due is on time; within the make-up grace after Due it is late, not missing. A slot whose Due is earlier than Opens ends the next day.',
	options: [
		{
			displayName: 'Slot',
			name: 'slot',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Morning' },
				{ displayName: 'Opens', name: 'opens', type: 'string', default: '06:00', placeholder: 'HH:mm' },
				{ displayName: 'Due', name: 'due', type: 'string', default: '09:00', placeholder: 'HH:mm' },
				{
					displayName: 'Make-Up Grace (Minutes)',
					name: 'graceMinutes',
					type: 'number',
					default: 30,
					typeOptions: { minValue: 0, maxValue: 1440 },
					description: 'A report this long after Due still counts, as late',
				},
			],
		},
	],
};

/**
 * Link settings: for Sign Link, and for Find Missing when it adds personal links. n8n reads a
 * parameter that an operation does not show at its default, so one rule "hide when Add Personal
 * Link is off" would hide them from Sign Link too (Add Personal Link defaults to off): each
 * setting is listed once per case instead.
 */
function forLinks(property: INodeProperties, alsoFor: Operation[] = []): INodeProperties[] {
	return [
		{ ...property, displayOptions: { show: { operation: ['signLink', ...alsoFor] } } },
		{ ...property, displayOptions: { show: { operation: ['findMissing'], addPersonalLink: [true] } } },
	];
}

function only(ops: Operation[]) {
	return { show: { operation: ops } };
}

export class CheckInWatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Check-In Watch',
		name: 'checkInWatch',
		icon: { light: 'file:checkInWatch.svg', dark: 'file:checkInWatch.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"findMissing": "Find missing reports", "flagAbnormal": "Flag abnormal readings", "dailySummary": "Daily summary", "signLink": "Sign personal links", "verifySignature": "Verify signatures"}[$parameter["operation"]] }}',
		description:
			'Finds who or what has not reported by when (health check-ins, disinfection records, patrol logs), flags abnormal readings, summarises the day and signs personal form links',
		defaults: { name: 'Check-In Watch' },
		usableAsTool: true,
		inputs: `={{(${configuredInputs.toString()})($parameter)}}`,
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// One entry: n8n resolves a credential by its first entry of that name, so two entries
				// with different display rules leave one operation without its credential.
				// Add Personal Link exists only on Find Missing, so the hide rule touches nothing else.
				name: 'campusLinkSecretApi',
				required: true,
				testedBy: 'campusLinkSecretTest',
				displayOptions: {
					show: { operation: ['signLink', 'verifySignature', 'findMissing'] },
					hide: { addPersonalLink: [false] },
				},
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'findMissing',
				options: [
					{
						name: 'Daily Summary',
						value: 'dailySummary',
						action: 'Summarise the day per group',
						description:
							'One item per group with expected, submitted, late, missing and abnormal counts, and a zero report when nothing is abnormal. Inputs: reporters, submissions.',
					},
					{
						name: 'Find Missing',
						value: 'findMissing',
						action: 'Find missing reports',
						description:
							'One item per missing report with its slot, misses in a row and escalation level. Inputs: reporters, submissions, optionally who is on duty.',
					},
					{
						name: 'Flag Abnormal',
						value: 'flagAbnormal',
						action: 'Flag abnormal readings',
						description:
							'An alert item for a fever, a listed symptom, an unreadable reading or missed checks in a row. Inputs: readings, optionally reporters.',
					},
					{
						name: 'Sign Link',
						value: 'signLink',
						action: 'Add a signed personal form link',
						description: 'Adds personalLink: the form URL with the reporter ID and an HMAC signature',
					},
					{
						name: 'Verify Signature',
						value: 'verifySignature',
						action: 'Verify the signature of form submissions',
						description: 'Passes rows with a valid signature on; a bad or missing signature is an error',
					},
				],
			},
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
				displayOptions: { show: { operation: ['findMissing'], dueFrom: ['reporterColumn'] } },
				description:
					'The reporter column holding its due time (names separated by commas; the first present is used). A time without a zone is read in the time zone above. Any submission from the reporter counts.',
			},
			{
				displayName: 'Make-Up Grace (Minutes)',
				name: 'dueGraceMinutes',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0 },
				displayOptions: { show: { operation: ['findMissing'], dueFrom: ['reporterColumn'] } },
				description: "Until this long after the due time an item's status is overdue (make-up still open); then missing",
			},
			{
				displayName: 'Slot Name',
				name: 'dueSlotName',
				type: 'string',
				default: 'Due',
				displayOptions: { show: { operation: ['findMissing'], dueFrom: ['reporterColumn'] } },
				description: 'The slot of the output items, personal links and dedupe keys (e.g. "return")',
			},
			slotsProperty,
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
					{
						displayName: 'Administrator After Misses in a Row',
						name: 'adminAfterMisses',
						type: 'number',
						default: 3,
						typeOptions: { minValue: 0 },
					},
					{
						displayName: 'Administrator After Minutes Overdue',
						name: 'adminAfterMinutes',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
					},
					{
						displayName: 'Group Leader After Misses in a Row',
						name: 'leaderAfterMisses',
						type: 'number',
						default: 2,
						typeOptions: { minValue: 0 },
					},
					{
						displayName: 'Group Leader After Minutes Overdue',
						name: 'leaderAfterMinutes',
						type: 'number',
						default: 60,
						typeOptions: { minValue: 0 },
					},
				],
			},
			{
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
							'The targetGroup of level 3 items and of unknown-reporter items (e.g. the management chat). Empty keeps the reporter\'s group.',
					},
				],
			},
			{
				displayName: 'Fever Threshold (°C)',
				name: 'feverThreshold',
				type: 'number',
				default: DEFAULT_FEVER_THRESHOLD,
				typeOptions: { minValue: 35, maxValue: 42, numberPrecision: 1 },
				displayOptions: only(['flagAbnormal', 'dailySummary']),
				description: 'A reading at or above this (axillary, rounded to 0.1 °C) is abnormal',
			},
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
				displayName: 'Symptoms To Alert On',
				name: 'symptoms',
				type: 'string',
				default: DEFAULT_SYMPTOMS,
				displayOptions: only(['flagAbnormal', 'dailySummary']),
				description: 'Separated by commas. An answer naming one of them is abnormal; "无咳嗽" (a denial) is not.',
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
				name: 'message',
				type: 'string',
				typeOptions: { rows: 3 },
				default: DEFAULT_MISSING_MESSAGE,
				displayOptions: only(['findMissing']),
				description:
					'Reminder text. Placeholders: {name}, {group}, {slot}, {date}, {due}, {makeUpUntil}, {misses}, {minutesOverdue}, {level}. Phone numbers, ID numbers and temperatures are never offered.',
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
			{
				displayName: 'Add Personal Link',
				name: 'addPersonalLink',
				type: 'boolean',
				default: false,
				displayOptions: only(['findMissing']),
				description: 'Whether to add a signed personal form link to each missing report (needs the Campus Link Secret credential)',
			},
			...forLinks({
				displayName: 'Form URL',
				name: 'formUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://n8n.example.edu/form/check-in',
				description:
					"The check-in Form Trigger's production URL. Give the form one hidden field for each link field (see Link Field Names).",
			}),
			{
				displayName: 'Reporter ID Field',
				name: 'idField',
				type: 'string',
				default: 'reporterId, id, 工号, 学号, 编号',
				displayOptions: only(LINK_OPS),
				description: 'The field holding the reporter ID (names separated by commas; the first present is used)',
			},
			...forLinks({
				displayName: 'Sign Date and Slot',
				name: 'signDateSlot',
				type: 'boolean',
				default: true,
				description:
					'Whether the link also carries the date and the slot of the reminder, so that it cannot be reused for another check',
			}),
			...forLinks({
				displayName: 'Link Valid For (Hours)',
				name: 'validHours',
				type: 'number',
				default: 24,
				typeOptions: { minValue: 0 },
				description: 'After this the link is refused. 0: it never expires.',
			}),
			...forLinks({
				displayName: 'Link Field Names',
				name: 'linkFields',
				type: 'collection',
				placeholder: 'Rename a field',
				default: {},
				description: "Query parameter names, the same as the form's hidden field names",
				options: (Object.keys(DEFAULT_FIELD_NAMES) as Array<keyof LinkFieldNames>).map((k) => ({
					displayName: k === 'sig' ? 'Signature' : k === 'exp' ? 'Expiry' : k === 'id' ? 'ID' : k[0].toUpperCase() + k.slice(1),
					name: k,
					type: 'string' as const,
					default: DEFAULT_FIELD_NAMES[k],
				})),
			}, ['verifySignature']),
			columnCollection(
				'reporterColumns',
				'Reporter Columns',
				REPORTER_COLUMN_LABELS,
				DEFAULT_REPORTER_COLUMNS,
				WATCH_OPS,
			),
			columnCollection(
				'submissionColumns',
				'Submission Columns',
				SUBMISSION_COLUMN_LABELS,
				DEFAULT_SUBMISSION_COLUMNS,
				WATCH_OPS,
			),
			{ ...calendarOptionsProperty, displayOptions: only(WATCH_OPS) },
		],
	};

	methods = {
		credentialTest: {
			/** The secret never leaves n8n, so it is checked locally: present and long enough. */
			async campusLinkSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					checkSecret(credential.data?.secret);
					return { status: 'OK', message: 'The secret is long enough to sign links' };
				} catch (e) {
					return { status: 'Error', message: e instanceof Error ? e.message : String(e) };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as Operation;
		if (operation === 'signLink') return [await signLinks(this)];
		if (operation === 'verifySignature') return [await verifySignatures(this)];
		return [await watch(this, operation)];
	}
}

// ---------------------------------------------------------------------------------------------

function inputRows(ctx: IExecuteFunctions, index: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(index) ?? [];
	} catch {
		// An optional input that is not connected.
		return [];
	}
}

function mapping<K extends string>(ctx: IExecuteFunctions, name: string, defaults: Record<K, string>): Record<K, string> {
	const set = ctx.getNodeParameter(name, 0, {}) as IDataObject;
	const out = { ...defaults };
	for (const key of Object.keys(defaults) as K[]) {
		const v = set[key];
		if (typeof v === 'string' && v.trim()) out[key] = v;
	}
	return out;
}

function readAdmins(ctx: IExecuteFunctions, onDuty: INodeExecutionData[]): { admins: Contact[]; group: string } {
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

function watchOptions(ctx: IExecuteFunctions): WatchOptions {
	const zone = checkZone(String(ctx.getNodeParameter('timezone', 0, 'Asia/Shanghai')).trim() || 'Asia/Shanghai');
	const asOf = readAsOf(ctx.getNodeParameter('asOf', 0, '') as unknown, zone, DateTime.now());
	const slots = parseSlots((ctx.getNodeParameter('slots.slot', 0, []) as SlotInput[]) ?? []);
	const lookBackDays = Number(ctx.getNodeParameter('lookBackDays', 0, DEFAULT_LOOK_BACK_DAYS));
	return { zone, asOf, slots, lookBackDays, calendar: readCalendar(ctx, 0) };
}

async function linkSecret(ctx: IExecuteFunctions): Promise<string> {
	const cred = await ctx.getCredentials('campusLinkSecretApi');
	try {
		return checkSecret(cred.secret);
	} catch (e) {
		throw toNodeError(ctx, e);
	}
}

function linkNames(ctx: IExecuteFunctions): LinkFieldNames {
	const set = ctx.getNodeParameter('linkFields', 0, {}) as IDataObject;
	const out = { ...DEFAULT_FIELD_NAMES };
	for (const k of Object.keys(out) as Array<keyof LinkFieldNames>) {
		if (typeof set[k] === 'string' && (set[k] as string).trim()) out[k] = (set[k] as string).trim();
	}
	return out;
}

function linkFor(
	secret: string,
	formUrl: string,
	names: LinkFieldNames,
	claims: { id: string; date?: string; slot?: string },
	signDateSlot: boolean,
	validHours: number,
): string {
	const c: LinkClaims = { id: claims.id };
	if (signDateSlot) {
		if (claims.date) c.date = claims.date;
		if (claims.slot) c.slot = claims.slot;
	}
	if (validHours > 0) c.exp = Math.floor(Date.now() / 1000) + Math.round(validHours * 3600);
	return buildLink(formUrl, c, signClaims(secret, c), names);
}

/** Find Missing, Flag Abnormal and Daily Summary: whole datasets in, records out. */
async function watch(ctx: IExecuteFunctions, operation: Operation): Promise<INodeExecutionData[]> {
	const first = inputRows(ctx, 0);
	const second = inputRows(ctx, 1);
	const third = operation === 'findMissing' ? inputRows(ctx, 2) : [];
	const inputs = [first, second, third];
	let result: CheckResult;
	try {
		const watchOpts = watchOptions(ctx);
		const reporterColumns = mapping(ctx, 'reporterColumns', DEFAULT_REPORTER_COLUMNS);
		const submissionColumns = mapping(ctx, 'submissionColumns', DEFAULT_SUBMISSION_COLUMNS);
		const rowsOf = (items: INodeExecutionData[]) => items.map((i) => i.json as Row);
		if (operation === 'findMissing') {
			const { admins, group } = readAdmins(ctx, third);
			const esc = ctx.getNodeParameter('escalation', 0, {}) as IDataObject;
			const escalation: Record<string, number> = {};
			for (const [k, v] of Object.entries(esc)) escalation[k] = Number(v);
			const message = String(ctx.getNodeParameter('message', 0, DEFAULT_MISSING_MESSAGE));
			if (ctx.getNodeParameter('dueFrom', 0, 'slots') === 'reporterColumn') {
				result = findMissingByDueTime(
					rowsOf(first),
					rowsOf(second),
					{
						zone: watchOpts.zone,
						asOf: watchOpts.asOf,
						dueAtColumn: String(ctx.getNodeParameter('dueAtColumn', 0, DEFAULT_DUE_AT_COLUMN)),
						graceMinutes: Number(ctx.getNodeParameter('dueGraceMinutes', 0, 30)),
						slotName: String(ctx.getNodeParameter('dueSlotName', 0, 'Due')),
						escalation,
						admins,
						adminGroup: group,
						message,
						submissionColumns,
					},
					reporterColumns,
				);
			} else {
				result = findMissing(
					rowsOf(first),
					rowsOf(second),
					{
						...watchOpts,
						scope: ctx.getNodeParameter('scope', 0, 'latest') as 'latest' | 'allToday',
						escalation,
						admins,
						adminGroup: group,
						message,
						submissionColumns,
					},
					reporterColumns,
				);
			}
			if (ctx.getNodeParameter('addPersonalLink', 0, false) as boolean) {
				const secret = await linkSecret(ctx);
				const formUrl = String(ctx.getNodeParameter('formUrl', 0, ''));
				const names = linkNames(ctx);
				const signDateSlot = ctx.getNodeParameter('signDateSlot', 0, true) as boolean;
				const validHours = Number(ctx.getNodeParameter('validHours', 0, 24));
				for (const r of result.records) {
					if (r.data.kind !== 'missing report') continue;
					r.data.personalLink = linkFor(
						secret,
						formUrl,
						names,
						{ id: String(r.data.reporterId), date: String(r.data.date), slot: String(r.data.slot) },
						signDateSlot,
						validHours,
					);
				}
			}
		} else if (operation === 'flagAbnormal') {
			const { admins, group } = readAdmins(ctx, []);
			result = flagAbnormal(rowsOf(first), second.length ? rowsOf(second) : undefined, {
				zone: watchOpts.zone,
				watch: watchOpts,
				feverThreshold: Number(ctx.getNodeParameter('feverThreshold', 0, DEFAULT_FEVER_THRESHOLD)),
				checkTemperature: ctx.getNodeParameter('checkTemperature', 0, true) as boolean,
				checkSymptoms: ctx.getNodeParameter('checkSymptoms', 0, true) as boolean,
				symptoms: splitList(ctx.getNodeParameter('symptoms', 0, DEFAULT_SYMPTOMS)),
				missedInARow: Number(ctx.getNodeParameter('missedInARow', 0, 2)),
				onlyAsOfDate: ctx.getNodeParameter('onlyAsOfDate', 0, false) as boolean,
				alertLevel: Number(ctx.getNodeParameter('alertLevel', 0, 2)) === 3 ? 3 : 2,
				admins,
				adminGroup: group,
				message: String(ctx.getNodeParameter('alertMessage', 0, DEFAULT_ALERT_MESSAGE)),
				submissionColumns,
				reporterColumns,
			});
		} else {
			result = dailySummary(rowsOf(first), rowsOf(second), {
				...watchOpts,
				feverThreshold: Number(ctx.getNodeParameter('feverThreshold', 0, DEFAULT_FEVER_THRESHOLD)),
				symptoms: splitList(ctx.getNodeParameter('symptoms', 0, DEFAULT_SYMPTOMS)),
				includeTotal: ctx.getNodeParameter('includeTotal', 0, true) as boolean,
				listMissingNames: ctx.getNodeParameter('listMissingNames', 0, true) as boolean,
				message: String(ctx.getNodeParameter('summaryMessage', 0, DEFAULT_SUMMARY_MESSAGE)),
				zeroReport: String(ctx.getNodeParameter('zeroReport', 0, DEFAULT_ZERO_REPORT)),
				submissionColumns,
				reporterColumns,
			});
		}
	} catch (error) {
		// A whole dataset is unusable (a missing column, a bad setting): every item comes out
		// as one error item paired with all of them, or the node stops.
		if (!ctx.continueOnFail()) throw toNodeError(ctx, error);
		const item = errorItem(error, 0);
		item.pairedItem = inputs.flatMap((list, input) => list.map((_, i) => ({ item: i, input })));
		if (!(item.pairedItem as unknown[]).length) item.pairedItem = { item: 0 };
		return [item];
	}
	const out: INodeExecutionData[] = result.records.map((r) => ({
		json: r.data as IDataObject,
		pairedItem: r.sources.length ? r.sources.map((s) => ({ item: s.item, input: s.input })) : { item: 0 },
	}));
	for (let input = 0; input < inputs.length; input++) {
		const problems = result.problems.filter((p) => p.input === input).map((p) => p.problem);
		if (problems.length) out.push(...problemItems(ctx, problems, inputs[input], input));
	}
	return out;
}

async function signLinks(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	const secret = await linkSecret(ctx);
	const names = linkNames(ctx);
	for (let i = 0; i < items.length; i++) {
		try {
			const json = items[i].json as Row;
			if (isEmptyRow(json)) continue;
			const cols = new Columns<'id' | 'date' | 'slot'>(
				{ id: String(ctx.getNodeParameter('idField', i, 'reporterId, id')), date: 'date, 日期', slot: 'slot, 时段' },
				'items',
			);
			cols.resolve(json, ['id']);
			const id = cols.requiredText(json, 'id', i);
			const personalLink = linkFor(
				secret,
				String(ctx.getNodeParameter('formUrl', i, '')),
				names,
				{ id, date: cols.text(json, 'date'), slot: cols.text(json, 'slot') },
				ctx.getNodeParameter('signDateSlot', i, true) as boolean,
				Number(ctx.getNodeParameter('validHours', i, 24)),
			);
			out.push({ json: { ...items[i].json, personalLink }, pairedItem: { item: i } });
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push(errorItem(error instanceof InputError ? error.atRow(i) : error, i, items[i].json));
				continue;
			}
			throw toNodeError(ctx, error, i);
		}
	}
	return out;
}

async function verifySignatures(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	const secret = await linkSecret(ctx);
	const names = linkNames(ctx);
	const now = Math.floor(Date.now() / 1000);
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json as Row;
		if (isEmptyRow(json)) continue;
		try {
			const v = verifySubmission(secret, json, names, String(ctx.getNodeParameter('idField', i, 'reporterId, id')), now);
			if (!v.ok) {
				throw new NodeOperationError(ctx.getNode(), v.message, {
					itemIndex: i,
					description: `Field "${v.field}" of item ${i + 1}. The form must be opened from the personal link in the reminder.`,
				});
			}
			out.push({ json: { ...items[i].json, signatureValid: true }, pairedItem: { item: i } });
		} catch (error) {
			if (ctx.continueOnFail()) {
				// n8n routes an item to the error output only when its json holds nothing but
				// error, message and details: the failed submission is merged back in by n8n.
				out.push(errorItem(error, i, items[i].json));
				continue;
			}
			throw toNodeError(ctx, error, i);
		}
	}
	return out;
}
