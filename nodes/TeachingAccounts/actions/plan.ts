/**
 * Plan Accounts: roster (input 1) + existing accounts (input 2) -> create, keep, update or
 * conflict for each person, with the reason. Domain logic: ../plan.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { inputItems } from '../../shared/router';
import { planAccounts } from '../plan';
import { classColumn, columnOption, idColumn, nameColumn, order, rowsOf, show } from './common';

export const description: INodeProperties[] = [
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
			classColumn('The class column'),
			columnOption('Entry Year', 'year', '入学年份, year, 年级', 'For {year}; else taken from an id starting with the year, or "2023级"'),
			columnOption('Guardian Phone', 'guardianPhone', '家长手机, guardianPhone', 'Kept for reminders and the chat-platform sheets'),
			idColumn('学号, 工号, id', 'Student or staff number'),
			nameColumn('姓名, name', 'The full name'),
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
			classColumn('The class the account is in'),
			columnOption('Email', 'email', 'primaryEmail, email, 邮箱', 'The account email or username'),
			idColumn('personId, externalIds, 学号, 工号', 'The person id stored on the account'),
			nameColumn('姓名, name', 'The name on the account'),
			columnOption('Org Unit', 'orgUnitPath', 'orgUnitPath', 'The org unit path of the account'),
		],
	},
];

export async function execute(this: IExecuteFunctions, roster: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const existing = inputItems(this, 1);
	const result = planAccounts(rowsOf(roster), rowsOf(existing), {
		domain: String(this.getNodeParameter('domain', 0)),
		studentPattern: String(this.getNodeParameter('studentPattern', 0, '')),
		teacherPattern: String(this.getNodeParameter('teacherPattern', 0, '')),
		studentOrgUnit: String(this.getNodeParameter('studentOrgUnit', 0, '/Students')),
		teacherOrgUnit: String(this.getNodeParameter('teacherOrgUnit', 0, '/Teachers')),
		defaultRole: this.getNodeParameter('defaultRole', 0, 'student') as 'student' | 'teacher',
		rosterColumns: this.getNodeParameter('rosterColumns', 0, {}) as IDataObject as Record<string, string>,
		accountColumns: this.getNodeParameter('accountColumns', 0, {}) as IDataObject as Record<string, string>,
	});
	const out: INodeExecutionData[] = result.accounts.map(({ row, ...a }) => ({ json: { ...a } as IDataObject, pairedItem: { item: row } }));
	out.push(...problemItems(this, result.problems, roster, 0));
	out.push(...problemItems(this, result.existingProblems, existing, 1));
	return [out.sort((a, b) => order(a) - order(b))];
}
