/**
 * Device Survey Summary: survey answers (input 1) + roster (input 2, optional) -> per class, the
 * students with no computer or phone at home, or one item per student to follow up.
 * Domain logic: ../survey.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { inputItems } from '../../shared/router';
import { summariseSurvey } from '../survey';
import { classColumn, columnOption, idColumn, nameColumn, rowsOf, show } from './common';

export const description: INodeProperties[] = [
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
		description: "Whether homes with only a phone (often a parent's) are followed up too",
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
			classColumn('The class column'),
			columnOption('Computer (Yes/No)', 'computer', '电脑, 家中是否有电脑, computer', 'A yes/no column'),
			columnOption('Devices (Multiple Choice)', 'devices', '家中设备, devices', 'A column listing the devices, e.g. "电脑, 手机"'),
			idColumn('学号, id', 'Student number'),
			nameColumn('姓名, 学生姓名, name', 'The student name'),
			columnOption('Phone (Yes/No)', 'phone', '手机, 家中是否有手机, phone', 'A yes/no column'),
			columnOption('Tablet (Yes/No)', 'tablet', '平板, tablet', 'A yes/no column'),
		],
	},
];

export async function execute(this: IExecuteFunctions, answers: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const roster = inputItems(this, 1);
	const result = summariseSurvey(rowsOf(answers), rowsOf(roster), {
		columns: this.getNodeParameter('surveyColumns', 0, {}) as IDataObject as Record<string, string>,
		followUpPhoneOnly: this.getNodeParameter('followUpPhoneOnly', 0, false) as boolean,
	});
	const shape = this.getNodeParameter('surveyOutput', 0, 'classes') as string;
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
	out.push(...problemItems(this, result.problems, answers, 0));
	out.push(...problemItems(this, result.rosterProblems, roster, 1));
	return [out];
}
