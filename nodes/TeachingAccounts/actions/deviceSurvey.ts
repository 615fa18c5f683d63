/**
 * Device Survey Summary: survey answers (input 1) + roster (input 2, optional) -> per class, the
 * students with no computer or phone at home, or one item per student to follow up.
 * Domain logic: ../survey.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { inputItems } from '../../shared/router';
import { summariseSurvey } from '../survey';
import { choiceProperty, columnTableProperty, showFor } from '../../shared/parameters';
import { isEmptyRow } from '../../shared/rows';
import { rowsOf } from './common';

export const description: INodeProperties[] = [
	choiceProperty('Device Survey Output', 'surveyOutput', 'classes', [
		['One Item per Class', 'classes', 'Counts and the names to follow up'],
		['One Item per Student to Follow Up', 'followUps'],
	], { description: 'Input 1: the survey answers. Input 2 (optional): the roster, to find who has not answered.', displayOptions: showFor('deviceSurvey') }),
	{
		displayName: 'Follow Up Phone-Only Homes',
		name: 'followUpPhoneOnly',
		type: 'boolean',
		default: false,
		description: "Whether homes with only a phone (often a parent's) are followed up too",
		displayOptions: showFor('deviceSurvey'),
	},
	columnTableProperty({
		displayName: 'Survey Columns',
		name: 'surveyColumns',
		displayOptions: showFor('deviceSurvey'),
		columns: {
			className: ['Class', 'The class column', '班级, class'],
			computer: ['Computer (Yes/No)', 'A yes/no column', '电脑, 家中是否有电脑, computer'],
			devices: ['Devices (Multiple Choice)', 'A column listing the devices, e.g. "电脑, 手机"', '家中设备, devices'],
			id: ['ID', 'Student number', '学号, id'],
			name: ['Name', 'The student name', '姓名, 学生姓名, name'],
			phone: ['Phone (Yes/No)', 'A yes/no column', '手机, 家中是否有手机, phone'],
			tablet: ['Tablet (Yes/No)', 'A yes/no column', '平板, tablet'],
		},
	}),
];

/**
 * The outputs (n8n evaluates this in the editor): with one item per student to follow up, the
 * answers that need none come out on a last output, "No Follow-up". Stringified into an
 * expression, so it uses nothing outside itself.
 */
function configuredOutputs(parameters: { operation?: string; surveyOutput?: string }) {
	return parameters.operation === 'deviceSurvey' && parameters.surveyOutput === 'followUps'
		? [
				{ type: 'main', displayName: 'Follow-Ups' },
				{ type: 'main', displayName: 'No Follow-Up' },
			]
		: [{ type: 'main' }];
}

/** The node's outputs expression. */
export const outputs: `={{${string}}}` = `={{(${configuredOutputs.toString()})($parameter)}}`;

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
		// Answers that need no follow-up (or were answered again later) come out on "No Follow-Up", as they came in.
		const followed = new Set(result.followUps.filter((f) => f.input === 0).map((f) => f.row));
		const bad = new Set(result.problems.map((p) => p.row));
		const none = answers.flatMap((item, i) => (followed.has(i) || bad.has(i) || isEmptyRow(item.json) ? [] : [{ json: item.json, pairedItem: { item: i } }]));
		out.push(...problemItems(this, result.problems, answers, 0));
		out.push(...problemItems(this, result.rosterProblems, roster, 1));
		return [out, none];
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
