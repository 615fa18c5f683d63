import {
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { operationProperties, type OperationMap } from '../shared/router';
import * as audit from './actions/audit';
import { optionsProperty, show } from './actions/common';
import * as deviceSurvey from './actions/deviceSurvey';
import * as exportOperation from './actions/export';
import * as plan from './actions/plan';
import * as provision from './actions/provision';

/** Each operation: its parameters and its execute (./actions/<operation>.ts). */
const operations: OperationMap = { plan, provision, audit, export: exportOperation, deviceSurvey };

/** How many inputs each operation reads (error items of a whole-dataset failure pair with all). */
const INPUTS: Record<string, number> = { plan: 2, provision: 2, audit: 1, export: 2, deviceSurvey: 2 };

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

const operationChoice = operationProperty('plan', [
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
]);

const DISPLAY = 'Teaching Accounts';

export class TeachingAccounts implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'teachingAccounts',
		icon: { light: 'file:teachingAccounts.svg', dark: 'file:teachingAccounts.dark.svg' },
		...nodeBasics(DISPLAY, 'transform'),
		subtitle:
			'={{ {"plan": "Plan accounts", "provision": "Provision Google Workspace", "audit": "Audit logins", "export": "Export", "deviceSurvey": "Device survey summary"}[$parameter["operation"]] }}',
		description:
			'Online-teaching accounts for a school: usernames from Chinese names, Google Workspace and Classroom provisioning, login audit, OneRoster/DingTalk/WeCom exports and a device survey summary',
		usableAsTool: true,
		inputs: `={{(${configuredInputs.toString()})($parameter)}}`,
		outputs: deviceSurvey.outputs,
		credentials: [
			{
				name: 'googleWorkspaceSchoolApi',
				required: false,
				displayOptions: show('provision', 'audit', 'export'),
			},
		],
		properties: [operationChoice, ...operationProperties(operations), optionsProperty],
	};

	execute = routedExecute(operations, { inputCount: (operation) => INPUTS[operation] ?? 1 });
}
