/**
 * Plan Accounts: roster (input 1) + existing accounts (input 2) -> create, keep, update or
 * conflict for each person, with the reason. Domain logic: ../plan.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { inputItems } from '../../shared/router';
import { planAccounts } from '../plan';
import { choiceProperty, columnTableProperty, noticeProperty, showFor } from '../../shared/parameters';
import { order, rowsOf } from './common';

export const description: INodeProperties[] = [
	noticeProperty(
		'planNotice',
		'Input 1: the roster (姓名, 学号/工号, 班级, 角色). Input 2: the accounts that exist (for example from a Data Table or a Google Workspace Admin node). Plain passwords never appear in this output.',
		showFor('plan'),
	),
	{
		displayName: 'Email Domain',
		name: 'domain',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'school.edu.cn',
		description: 'The Google Workspace domain: usernames become username@domain',
		displayOptions: showFor('plan'),
	},
	{
		displayName: 'Student Username Pattern',
		name: 'studentPattern',
		type: 'string',
		default: '{surname}{given}{year}',
		description:
			'Placeholders: {surname}, {given} (pinyin), {s}, {g} (initials), {ID} (学号/工号), {year} (entry year), {class}. A clash gets a suffix from the ID.',
		displayOptions: showFor('plan'),
	},
	{
		displayName: 'Teacher Username Pattern',
		name: 'teacherPattern',
		type: 'string',
		default: '{surname}{given}',
		description: 'Same placeholders as for students',
		displayOptions: showFor('plan'),
	},
	{
		displayName: 'Student Org Unit',
		name: 'studentOrgUnit',
		type: 'string',
		default: '/Students',
		description: 'Each class gets an org unit below this one, e.g. /Students/一(2)班',
		displayOptions: showFor('plan'),
	},
	{
		displayName: 'Teacher Org Unit',
		name: 'teacherOrgUnit',
		type: 'string',
		default: '/Teachers',
		displayOptions: showFor('plan'),
	},
	choiceProperty('Default Role', 'defaultRole', 'student', [
		['Student', 'student'],
		['Teacher', 'teacher'],
	], { description: 'The role of a row whose 角色 (role) is empty or missing', displayOptions: showFor('plan') }),
	columnTableProperty({
		displayName: 'Roster Columns',
		name: 'rosterColumns',
		description: 'Column names, when the roster does not use the defaults. Several candidates may be separated by commas.',
		displayOptions: showFor('plan'),
		columns: {
			className: ['Class', 'The class column', '班级, class'],
			year: ['Entry Year', 'For {year}; else taken from an id starting with the year, or "2023级"', '入学年份, year, 年级'],
			guardianPhone: ['Guardian Phone', 'Kept for reminders and the chat-platform sheets', '家长手机, guardianPhone'],
			id: ['ID', 'Student or staff number', '学号, 工号, id'],
			name: ['Name', 'The full name', '姓名, name'],
			role: ['Role', '学生/student, 教师/teacher, 班主任/class teacher', '角色, role'],
			surname: ['Surname', 'Only when the surname cannot be told from the name', '姓, surname'],
			username: ['Username', 'A username chosen by hand (wins over the pattern)', '用户名, username'],
		},
	}),
	columnTableProperty({
		displayName: 'Existing Account Columns',
		name: 'accountColumns',
		displayOptions: showFor('plan'),
		columns: {
			className: ['Class', 'The class the account is in', '班级, class'],
			email: ['Email', 'The account email or username', 'primaryEmail, email, 邮箱'],
			id: ['ID', 'The person id stored on the account', 'personId, externalIds, 学号, 工号'],
			name: ['Name', 'The name on the account', '姓名, name'],
			orgUnitPath: ['Org Unit', 'The org unit path of the account', 'orgUnitPath'],
		},
	}),
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
