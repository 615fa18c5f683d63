import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { InputError } from '../shared/errors';
import { errorItem, problemItems, toNodeError } from '../shared/n8n';
import { isEmptyRow, type Row } from '../shared/rows';
import { auditLogins, type LoginRecord } from './audit';
import { exportFiles, type ExportFormat } from './export';
import { ApiError } from './pacing';
import { planAccounts } from './plan';
import { provision, type ProvisionReport } from './provision';
import { summariseSurvey } from './survey';
import { createGoogle, type GoogleSettings, type PostForm, type SchoolGoogle } from './google';

const CREDENTIAL = 'googleWorkspaceSchoolApi';

/**
 * The inputs each operation takes (n8n evaluates this in the editor, as Merge v3 does). It is
 * stringified into an expression, so it must not use anything outside itself.
 */
function configuredInputs(parameters: { operation?: string }) {
	const names: Record<string, string[]> = {
		plan: ['Roster', 'Existing Accounts'],
		provision: ['Accounts', 'Courses'],
		audit: ['Accounts'],
		export: ['Accounts', 'Courses'],
		deviceSurvey: ['Survey Answers', 'Roster'],
	};
	return (names[parameters.operation ?? 'plan'] ?? ['Input']).map((displayName) => ({ type: 'main', displayName, required: false }));
}

const show = (...operation: string[]) => ({ show: { operation } });

const columnOption = (displayName: string, name: string, dflt: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: dflt,
	description,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'plan',
		options: [
			{
				name: 'Audit Logins',
				value: 'audit',
				action: 'Find accounts that never logged in',
				description: 'Accounts that have never logged in, or not for N days, with whom to remind',
			},
			{
				name: 'Device Survey Summary',
				value: 'deviceSurvey',
				action: 'Summarise a home device survey',
				description: 'Per class, the students with no computer or phone at home, to follow up',
			},
			{
				name: 'Export',
				value: 'export',
				action: 'Export rows for import files',
				description: 'OneRoster 1.1 CSV, DingTalk or WeCom bulk-import sheets, or one initial-password sheet per class',
			},
			{
				name: 'Plan Accounts',
				value: 'plan',
				action: 'Plan accounts from a roster',
				description: 'Usernames from Chinese names: create, keep, update or conflict for each person, with the reason',
			},
			{
				name: 'Provision Google Workspace',
				value: 'provision',
				action: 'Create users org units and classroom courses',
				description: 'Creates users, an org unit per class and Classroom courses; a re-run creates nothing twice',
			},
		],
	},
	{
		displayName:
			'Input 1: the roster (姓名, 学号/工号, 班级, 角色). Input 2: the accounts that exist (for example from a Data Table or a Google Workspace Admin node). Plain passwords never appear in this output.',
		name: 'planNotice',
		type: 'notice',
		default: '',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Email Domain',
		name: 'domain',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'school.edu.cn',
		description: 'The Google Workspace domain: usernames become username@domain',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Student Username Pattern',
		name: 'studentPattern',
		type: 'string',
		default: '{surname}{given}{year}',
		description:
			'Placeholders: {surname}, {given} (pinyin), {s}, {g} (initials), {ID} (学号/工号), {year} (entry year), {class}. A clash gets a suffix from the ID.',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Teacher Username Pattern',
		name: 'teacherPattern',
		type: 'string',
		default: '{surname}{given}',
		description: 'Same placeholders as for students',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Student Org Unit',
		name: 'studentOrgUnit',
		type: 'string',
		default: '/Students',
		description: 'Each class gets an org unit below this one, e.g. /Students/一(2)班',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Teacher Org Unit',
		name: 'teacherOrgUnit',
		type: 'string',
		default: '/Teachers',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Default Role',
		name: 'defaultRole',
		type: 'options',
		default: 'student',
		options: [
			{ name: 'Student', value: 'student' },
			{ name: 'Teacher', value: 'teacher' },
		],
		description: 'The role of a row whose 角色 (role) is empty or missing',
		displayOptions: show('plan'),
	},
	{
		displayName: 'Roster Columns',
		name: 'rosterColumns',
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		description: 'Column names, when the roster does not use the defaults. Several candidates may be separated by commas.',
		displayOptions: show('plan'),
		options: [
			columnOption('Class', 'className', '班级, class', 'The class column'),
			columnOption('Entry Year', 'year', '入学年份, year, 年级', 'For {year}; else taken from an id starting with the year, or "2023级"'),
			columnOption('Guardian Phone', 'guardianPhone', '家长手机, guardianPhone', 'Kept for reminders and the chat-platform sheets'),
			columnOption('ID', 'id', '学号, 工号, id', 'Student or staff number'),
			columnOption('Name', 'name', '姓名, name', 'The full name'),
			columnOption('Role', 'role', '角色, role', '学生/student, 教师/teacher, 班主任/class teacher'),
			columnOption('Surname', 'surname', '姓, surname', 'Only when the surname cannot be told from the name'),
			columnOption('Username', 'username', '用户名, username', 'A username chosen by hand (wins over the pattern)'),
		],
	},
	{
		displayName: 'Existing Account Columns',
		name: 'accountColumns',
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		displayOptions: show('plan'),
		options: [
			columnOption('Class', 'className', '班级, class', 'The class the account is in'),
			columnOption('Email', 'email', 'primaryEmail, email, 邮箱', 'The account email or username'),
			columnOption('ID', 'id', 'personId, externalIds, 学号, 工号', 'The person id stored on the account'),
			columnOption('Name', 'name', '姓名, name', 'The name on the account'),
			columnOption('Org Unit', 'orgUnitPath', 'orgUnitPath', 'The org unit path of the account'),
		],
	},
	{
		displayName:
			'Input 1: the output of Plan Accounts. Input 2 (optional): courses, one row per class and subject (班级, 科目, 任课教师 as 工号, email or name). Set Settings > On Error to "Continue (using error output)" to get every failed person with its reason.',
		name: 'provisionNotice',
		type: 'notice',
		default: '',
		displayOptions: show('provision'),
	},
	{
		displayName: 'Course State',
		name: 'courseState',
		type: 'options',
		default: 'ACTIVE',
		options: [
			{ name: 'Active', value: 'ACTIVE', description: 'Students see the course at once' },
			{ name: 'Provisioned', value: 'PROVISIONED', description: 'The owner accepts the course first' },
		],
		displayOptions: show('provision'),
	},
	{
		displayName: 'Course Alias Prefix',
		name: 'courseAliasPrefix',
		type: 'string',
		default: 'campus',
		description:
			'Courses are found again by the alias d:&lt;prefix&gt;-&lt;class&gt;-&lt;subject&gt;. Use a new prefix (e.g. 2026) for a new school year.',
		displayOptions: show('provision'),
	},
	{
		displayName: 'Login Data',
		name: 'loginSource',
		type: 'options',
		default: 'google',
		options: [
			{ name: 'Fetch From Google Workspace', value: 'google', description: 'Reads lastLoginTime with the credential' },
			{ name: 'From the Input Rows', value: 'input', description: 'Each row has a lastLoginTime column' },
		],
		displayOptions: show('audit'),
	},
	{
		displayName: 'Days Without Login',
		name: 'days',
		type: 'number',
		default: 7,
		typeOptions: { minValue: 0 },
		description: 'Accounts not used for this many days are listed, as are accounts never used',
		displayOptions: show('audit'),
	},
	{
		displayName: 'Include Active Accounts',
		name: 'includeActive',
		type: 'boolean',
		default: false,
		description: 'Whether to output every account with its status, not only those to remind',
		displayOptions: show('audit'),
	},
	{
		displayName: 'Format',
		name: 'exportFormat',
		type: 'options',
		default: 'oneRoster',
		options: [
			{ name: 'DingTalk Bulk Import (Xlsx)', value: 'dingtalk' },
			{ name: 'Initial-Password Sheet per Class (Xlsx)', value: 'passwords' },
			{ name: 'OneRoster 1.1 (CSV)', value: 'oneRoster' },
			{ name: 'WeCom Bulk Import (Xlsx)', value: 'wecom' },
		],
		displayOptions: show('export'),
	},
	{
		displayName:
			'Password sheets hold plain passwords: send each file only to its recipientEmail (the class teacher) and never store it in a table.',
		name: 'passwordNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['export'], exportFormat: ['passwords'] } },
	},
	{
		displayName: 'Output',
		name: 'exportOutput',
		type: 'options',
		default: 'files',
		options: [
			{
				name: 'One Item per File',
				value: 'files',
				description: 'Fields file, format, rowCount, recipient and rows: Split Out "rows", then Convert to File',
			},
			{
				name: 'One Item per Row',
				value: 'rows',
				description: 'Each row with a "file" field naming the file it belongs to',
			},
		],
		displayOptions: show('export'),
	},
	{
		displayName: 'School ID',
		name: 'schoolId',
		type: 'string',
		default: 'school',
		description: 'The sourcedId of the school in OneRoster files',
		displayOptions: { show: { operation: ['export'], exportFormat: ['oneRoster'] } },
	},
	{
		displayName: 'School Name',
		name: 'schoolName',
		type: 'string',
		default: '',
		displayOptions: { show: { operation: ['export'], exportFormat: ['oneRoster'] } },
	},
	{
		displayName: 'School Year',
		name: 'schoolYear',
		type: 'string',
		default: '={{ $now.setZone("Asia/Shanghai").year }}',
		description: 'The year the school year starts in',
		displayOptions: { show: { operation: ['export'], exportFormat: ['oneRoster'] } },
	},
	{
		displayName: 'Device Survey Output',
		name: 'surveyOutput',
		type: 'options',
		default: 'classes',
		options: [
			{ name: 'One Item per Class', value: 'classes', description: 'Counts and the names to follow up' },
			{ name: 'One Item per Student to Follow Up', value: 'followUps' },
		],
		description: 'Input 1: the survey answers. Input 2 (optional): the roster, to find who has not answered.',
		displayOptions: show('deviceSurvey'),
	},
	{
		displayName: 'Follow Up Phone-Only Homes',
		name: 'followUpPhoneOnly',
		type: 'boolean',
		default: false,
		description: 'Whether homes with only a phone (often a parent\'s) are followed up too',
		displayOptions: show('deviceSurvey'),
	},
	{
		displayName: 'Survey Columns',
		name: 'surveyColumns',
		type: 'collection',
		placeholder: 'Map a column',
		default: {},
		displayOptions: show('deviceSurvey'),
		options: [
			columnOption('Class', 'className', '班级, class', 'The class column'),
			columnOption('Computer (Yes/No)', 'computer', '电脑, 家中是否有电脑, computer', 'A yes/no column'),
			columnOption('Devices (Multiple Choice)', 'devices', '家中设备, devices', 'A column listing the devices, e.g. "电脑, 手机"'),
			columnOption('ID', 'id', '学号, id', 'Student number'),
			columnOption('Name', 'name', '姓名, 学生姓名, name', 'The student name'),
			columnOption('Phone (Yes/No)', 'phone', '手机, 家中是否有手机, phone', 'A yes/no column'),
			columnOption('Tablet (Yes/No)', 'tablet', '平板, tablet', 'A yes/no column'),
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show('provision', 'export'),
		options: [
			{
				displayName: 'Classroom Requests per Minute',
				name: 'classroomPerMinute',
				type: 'number',
				default: 1200,
				description: "Google's Classroom quota per user; requests are paced within it",
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 8,
				typeOptions: { minValue: 1, maxValue: 32 },
				description: 'Requests in flight at once (the pace stays within the quota)',
			},
			{
				displayName: 'Directory Requests per Minute',
				name: 'directoryPerMinute',
				type: 'number',
				default: 2400,
				description: "Google's Directory API quota per user; requests are paced within it",
			},
			{
				displayName: 'Initial Backoff (Ms)',
				name: 'baseDelayMs',
				type: 'number',
				default: 1000,
				description: 'First wait after a rate-limit or server error; it doubles on each retry',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 6,
				description: 'Retries of a request after 403 rate limits, 429, 5xx or no answer',
			},
			{
				displayName: 'Password Length',
				name: 'passwordLength',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 8, maxValue: 32 },
			},
		],
	},
];

function rowsOf(items: INodeExecutionData[]): Row[] {
	return items.map((i) => (i.json ?? {}) as Row);
}

function readSettings(c: IDataObject): GoogleSettings {
	return {
		serviceAccountEmail: String(c.serviceAccountEmail ?? ''),
		privateKey: String(c.privateKey ?? ''),
		delegatedUser: String(c.delegatedUser ?? ''),
		customer: String(c.customer ?? '') || 'my_customer',
		apiRootUrl: String(c.apiRootUrl ?? ''),
		tokenUrl: String(c.tokenUrl ?? '') || undefined,
	};
}

function apiError(ctx: IExecuteFunctions, error: unknown, message: string, itemIndex?: number): Error {
	if (error instanceof ApiError) {
		return new NodeApiError(ctx.getNode(), { message: error.message, reason: error.reason } as JsonObject, {
			message,
			description: error.message,
			httpCode: error.status ? String(error.status) : undefined,
			itemIndex,
		});
	}
	return toNodeError(ctx, error, itemIndex);
}

export class TeachingAccounts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Teaching Accounts',
		name: 'teachingAccounts',
		icon: { light: 'file:teachingAccounts.svg', dark: 'file:teachingAccounts.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"plan": "Plan accounts", "provision": "Provision Google Workspace", "audit": "Audit logins", "export": "Export", "deviceSurvey": "Device survey summary"}[$parameter["operation"]] }}',
		description:
			'Online-teaching accounts for a school: usernames from Chinese names, Google Workspace and Classroom provisioning, login audit, OneRoster/DingTalk/WeCom exports and a device survey summary',
		defaults: { name: 'Teaching Accounts' },
		usableAsTool: true,
		inputs: `={{(${configuredInputs.toString()})($parameter)}}`,
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'googleWorkspaceSchoolApi',
				required: false,
				testedBy: 'googleWorkspaceSchoolApiTest',
				displayOptions: show('provision', 'audit', 'export'),
			},
		],
		properties,
	};

	methods = {
		credentialTest: {
			async googleWorkspaceSchoolApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const post: PostForm = async (url, form) => {
					const res = await fetch(url, { method: 'POST', body: new URLSearchParams(form) });
					const json = (await res.json().catch(() => ({}))) as IDataObject;
					if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { body: json } });
					return json;
				};
				try {
					await createGoogle(readSettings(credential.data ?? {}), post).check();
					return { status: 'OK', message: 'Token received; the Directory and Classroom APIs answered' };
				} catch (error) {
					const what = error instanceof Error ? error.message : String(error);
					return { status: 'Error', message: `${what}. Check domain-wide delegation of the scopes listed in the docs.` };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const first = this.getInputData(0);
		const second = operation === 'audit' ? [] : this.getInputData(1) ?? [];
		try {
			switch (operation) {
				case 'plan':
					return [planOperation(this, first, second)];
				case 'provision':
					return [await provisionOperation(this, first, second)];
				case 'audit':
					return [await auditOperation(this, first)];
				case 'export':
					return [await exportOperation(this, first, second)];
				case 'deviceSurvey':
					return [surveyOperation(this, first, second)];
				default:
					throw new NodeOperationError(this.getNode(), `Unknown operation ${operation}`);
			}
		} catch (error) {
			throw toNodeError(this, error);
		}
	}
}

/** Whole-input failures (a missing mapped column) when continuing: every item gets the reason. */
function wholeInputFailure(ctx: IExecuteFunctions, error: unknown, items: INodeExecutionData[], input = 0): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw toNodeError(ctx, error);
	return items.map((_, i) => errorItem(error, i, undefined, input));
}

/**
 * An item for n8n's error output: only error and details (n8n merges the paired input item
 * back in), the details naming the person or course.
 */
function failItem(message: string, item: number, input: number, details: IDataObject): INodeExecutionData {
	return { json: { error: message, details: { row: item + 1, ...details } }, pairedItem: input ? { item, input } : { item } };
}

function planOperation(ctx: IExecuteFunctions, roster: INodeExecutionData[], existing: INodeExecutionData[]): INodeExecutionData[] {
	let result;
	try {
		result = planAccounts(rowsOf(roster), rowsOf(existing), {
			domain: String(ctx.getNodeParameter('domain', 0)),
			studentPattern: String(ctx.getNodeParameter('studentPattern', 0, '')),
			teacherPattern: String(ctx.getNodeParameter('teacherPattern', 0, '')),
			studentOrgUnit: String(ctx.getNodeParameter('studentOrgUnit', 0, '/Students')),
			teacherOrgUnit: String(ctx.getNodeParameter('teacherOrgUnit', 0, '/Teachers')),
			defaultRole: ctx.getNodeParameter('defaultRole', 0, 'student') as 'student' | 'teacher',
			rosterColumns: ctx.getNodeParameter('rosterColumns', 0, {}) as IDataObject as Record<string, string>,
			accountColumns: ctx.getNodeParameter('accountColumns', 0, {}) as IDataObject as Record<string, string>,
		});
	} catch (error) {
		if (error instanceof InputError && error.field && ['domain', 'studentPattern', 'teacherPattern'].includes(error.field)) {
			throw toNodeError(ctx, error);
		}
		return wholeInputFailure(ctx, error, roster);
	}
	const out: INodeExecutionData[] = result.accounts.map(({ row, ...a }) => ({ json: { ...a } as IDataObject, pairedItem: { item: row } }));
	out.push(...problemItems(ctx, result.problems, roster, 0));
	out.push(...problemItems(ctx, result.existingProblems, existing, 1));
	return out.sort((a, b) => order(a) - order(b));
}

function order(item: INodeExecutionData): number {
	const p = item.pairedItem as { item: number; input?: number };
	return (p.input ?? 0) * 1e9 + p.item;
}

async function googleFor(ctx: IExecuteFunctions): Promise<{ google: SchoolGoogle; secret: string }> {
	let creds: IDataObject;
	try {
		creds = (await ctx.getCredentials(CREDENTIAL)) as IDataObject;
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'Select a Google Workspace (School) Service Account credential', {
			description: 'This operation needs the service account (and, for passwords, its Initial Password Secret)',
		});
	}
	const post: PostForm = async (url, form) =>
		ctx.helpers.httpRequest({
			method: 'POST',
			url,
			body: new URLSearchParams(form).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			json: true,
		});
	return { google: createGoogle(readSettings(creds), post), secret: String(creds.passwordSecret ?? '') };
}

function options(ctx: IExecuteFunctions): IDataObject {
	return ctx.getNodeParameter('options', 0, {}) as IDataObject;
}

async function provisionOperation(ctx: IExecuteFunctions, accounts: INodeExecutionData[], courses: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { google, secret } = await googleFor(ctx);
	if (!secret) {
		throw new NodeOperationError(ctx.getNode(), 'The credential has no Initial Password Secret', {
			description: 'Initial passwords are derived from it; fill it in the credential',
		});
	}
	const o = options(ctx);
	let report: ProvisionReport;
	try {
		report = await provision(google, rowsOf(accounts), rowsOf(courses), {
			passwordSecret: secret,
			passwordLength: o.passwordLength !== undefined ? Number(o.passwordLength) : undefined,
			courseState: ctx.getNodeParameter('courseState', 0, 'ACTIVE') as 'ACTIVE' | 'PROVISIONED',
			courseAliasPrefix: String(ctx.getNodeParameter('courseAliasPrefix', 0, 'campus')),
			directoryPerMinute: o.directoryPerMinute !== undefined ? Number(o.directoryPerMinute) : undefined,
			classroomPerMinute: o.classroomPerMinute !== undefined ? Number(o.classroomPerMinute) : undefined,
			concurrency: o.concurrency !== undefined ? Number(o.concurrency) : undefined,
			retry: {
				...(o.maxRetries !== undefined ? { maxRetries: Number(o.maxRetries) } : {}),
				...(o.baseDelayMs !== undefined ? { baseDelayMs: Number(o.baseDelayMs) } : {}),
			},
			sleep,
		});
	} catch (error) {
		if (error instanceof InputError) return wholeInputFailure(ctx, error, accounts);
		throw apiError(ctx, error, 'Provisioning failed');
	}
	const out: INodeExecutionData[] = [];
	for (const p of report.people) {
		if (p.ok) {
			out.push({ json: { kind: 'user', ...(p.account as IDataObject), result: p.result, courses: p.courses.join('; ') }, pairedItem: { item: p.row } });
		} else {
			const a = p.account as IDataObject;
			out.push(failItem(p.error ?? 'Failed', p.row, 0, { kind: 'user', personId: a.personId ?? '', name: a.name ?? '', primaryEmail: a.primaryEmail ?? '' }));
		}
	}
	for (const c of report.courses) {
		const { row, ok, error, ...rest } = c;
		if (!ok) {
			out.push(failItem(error ?? 'Failed', row, 1, { kind: 'course', courseName: c.courseName, courseAlias: c.courseAlias }));
			continue;
		}
		const json: IDataObject = { kind: 'course', ...(courses[row]?.json ?? {}), ...rest };
		if (error) json.warning = error;
		out.push({ json, pairedItem: { item: row, input: 1 } });
	}
	const failed = out.filter((i) => i.json.error !== undefined);
	if (failed.length && !ctx.continueOnFail()) {
		const firstFail = failed[0];
		const p = firstFail.pairedItem as { item: number };
		throw new NodeApiError(ctx.getNode(), { message: String(firstFail.json.error) } as JsonObject, {
			message: `${failed.length} of ${out.length} items failed: ${String(firstFail.json.error)}`,
			description:
				'A re-run is safe: nothing is created twice. Set Settings > On Error to "Continue (using error output)" to get each failure as an item.',
			itemIndex: p.item,
		});
	}
	return out;
}

async function auditOperation(ctx: IExecuteFunctions, people: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const source = ctx.getNodeParameter('loginSource', 0, 'google') as string;
	let logins: Map<string, LoginRecord> | undefined;
	if (source === 'google') {
		const { google } = await googleFor(ctx);
		logins = new Map();
		let pageToken: string | undefined;
		try {
			do {
				const page = await google.listUsersForAudit(pageToken);
				for (const u of page.users) {
					if (u.primaryEmail) logins.set(u.primaryEmail.toLowerCase(), { email: u.primaryEmail, lastLoginTime: u.lastLoginTime, creationTime: u.creationTime, suspended: u.suspended });
				}
				pageToken = page.nextPageToken;
			} while (pageToken);
		} catch (error) {
			throw apiError(ctx, error, 'Could not read the accounts from Google Workspace');
		}
	}
	let result;
	try {
		result = auditLogins(rowsOf(people), logins, {
			days: Number(ctx.getNodeParameter('days', 0, 7)),
			now: Date.now(),
			includeActive: ctx.getNodeParameter('includeActive', 0, false) as boolean,
		});
	} catch (error) {
		throw toNodeError(ctx, error);
	}
	const out: INodeExecutionData[] = result.rows.map(({ row, ...r }) => ({ json: { ...r } as IDataObject, pairedItem: { item: row } }));
	out.push(...problemItems(ctx, result.problems, people));
	return out.sort((a, b) => order(a) - order(b));
}

async function exportOperation(ctx: IExecuteFunctions, accounts: INodeExecutionData[], courses: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const format = ctx.getNodeParameter('exportFormat', 0) as ExportFormat;
	const o = options(ctx);
	let secret = '';
	if (format === 'passwords') {
		secret = (await googleFor(ctx)).secret;
		if (!secret) throw new NodeOperationError(ctx.getNode(), 'The credential has no Initial Password Secret');
	}
	let result;
	try {
		result = exportFiles(rowsOf(accounts), rowsOf(courses), {
			format,
			schoolId: String(ctx.getNodeParameter('schoolId', 0, 'school')),
			schoolName: String(ctx.getNodeParameter('schoolName', 0, '')),
			schoolYear: String(ctx.getNodeParameter('schoolYear', 0, '')),
			passwordSecret: secret,
			passwordLength: o.passwordLength !== undefined ? Number(o.passwordLength) : undefined,
		});
	} catch (error) {
		return wholeInputFailure(ctx, error, accounts);
	}
	const errors = problemItems(ctx, result.problems, accounts);
	const used = accounts.map((_, i) => i).filter((i) => !isEmptyRow(accounts[i].json as Row) && !result.problems.some((p) => p.row === i));
	const paired = (used.length ? used : accounts.map((_, i) => i)).map((item) => ({ item, input: 0 }));
	const shape = ctx.getNodeParameter('exportOutput', 0, 'files') as string;
	const out: INodeExecutionData[] = [];
	for (const f of result.files) {
		if (shape === 'rows') {
			for (const r of f.rows) out.push({ json: { file: f.file, ...r }, pairedItem: paired });
		} else {
			out.push({
				json: {
					file: f.file,
					format: f.format,
					rowCount: f.rows.length,
					columns: f.columns.join(','),
					recipientName: f.recipientName,
					recipientEmail: f.recipientEmail,
					rows: f.rows,
				},
				pairedItem: paired,
			});
		}
	}
	return [...out, ...errors];
}

function surveyOperation(ctx: IExecuteFunctions, answers: INodeExecutionData[], roster: INodeExecutionData[]): INodeExecutionData[] {
	let result;
	try {
		result = summariseSurvey(rowsOf(answers), rowsOf(roster), {
			columns: ctx.getNodeParameter('surveyColumns', 0, {}) as IDataObject as Record<string, string>,
			followUpPhoneOnly: ctx.getNodeParameter('followUpPhoneOnly', 0, false) as boolean,
		});
	} catch (error) {
		return wholeInputFailure(ctx, error, answers);
	}
	const shape = ctx.getNodeParameter('surveyOutput', 0, 'classes') as string;
	const out: INodeExecutionData[] = [];
	if (shape === 'followUps') {
		for (const { row, input, ...f } of result.followUps) out.push({ json: { ...f }, pairedItem: { item: row, input } });
	} else {
		for (const c of result.classes) {
			const rows = result.classRows.get(c.class) ?? [];
			const paired = rows.length ? rows.map((item) => ({ item, input: 0 })) : [{ item: 0, input: roster.length ? 1 : 0 }];
			out.push({ json: { ...c }, pairedItem: paired });
		}
	}
	out.push(...problemItems(ctx, result.problems, answers, 0));
	out.push(...problemItems(ctx, result.rosterProblems, roster, 1));
	return out;
}
