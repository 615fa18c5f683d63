/**
 * Check-In Watch: the node's identity, its operations and the router. Each operation's
 * parameters and execution are in actions/<operation>.ts; parameters that several operations
 * show are in actions/common.ts and actions/links.ts; the logic is in the domain modules beside
 * this file (roster, ledger, missing, abnormal, summary, messages).
 */
import {
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { nodeBasics, operationProperty, routedExecute } from '../shared/node';
import { type OperationMap } from '../shared/router';
import * as dailySummary from './actions/dailySummary';
import * as findMissing from './actions/findMissing';
import * as flagAbnormal from './actions/flagAbnormal';
import * as signLink from './actions/signLink';
import * as verifySignature from './actions/verifySignature';
import { adminProperty, feverThresholdProperty, slotsAndLookBack, symptomsProperty, watchHead, watchTail } from './actions/common';
import { linkProperties } from './actions/links';
import { checkSecretFloor } from '../shared/links';

const operations: OperationMap = { findMissing, flagAbnormal, dailySummary, signLink, verifySignature };

/** How many inputs each operation reads (a whole-dataset error gives an error item for each of their items). */
const INPUT_COUNT: Record<string, number> = { findMissing: 3, dailySummary: 2, flagAbnormal: 2 };

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

/**
 * The outputs of each operation (n8n evaluates this text in the editor: it must stand alone).
 * Find Missing and Flag Abnormal select rows; the rows they do not select come out on a second
 * output, added last so that connections made before it stay valid.
 */
function configuredOutputs(parameters: { operation?: string }) {
	const op = parameters.operation || 'findMissing';
	const names = op === 'findMissing' ? ['Missing', 'Not Missing'] : op === 'flagAbnormal' ? ['Alerts', 'Not Flagged'] : [''];
	// The label is spread in so that the lint rule for node parameters does not take this for one.
	return names.map((label) => ({ type: 'main', ...(label ? { displayName: label } : {}) }));
}

const DISPLAY = 'Check-In Watch';

export class CheckInWatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: DISPLAY,
		name: 'checkInWatch',
		icon: { light: 'file:checkInWatch.svg', dark: 'file:checkInWatch.dark.svg' },
		...nodeBasics(DISPLAY, 'transform'),
		subtitle:
			'={{ {"findMissing": "Find missing reports", "flagAbnormal": "Flag abnormal readings", "dailySummary": "Daily summary", "signLink": "Sign personal links", "verifySignature": "Verify signatures"}[$parameter["operation"]] }}',
		description:
			'Finds who or what has not reported by when (health check-ins, disinfection records, patrol logs), flags abnormal readings, summarises the day and signs personal form links',
		usableAsTool: true,
		inputs: `={{(${configuredInputs.toString()})($parameter)}}`,
		outputs: `={{(${configuredOutputs.toString()})($parameter)}}`,
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
			operationProperty('findMissing', [
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
			]),
			...watchHead,
			...findMissing.description,
			...slotsAndLookBack,
			adminProperty,
			feverThresholdProperty,
			...flagAbnormal.description,
			symptomsProperty,
			...dailySummary.description,
			...linkProperties,
			...signLink.description,
			...verifySignature.description,
			...watchTail,
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
					checkSecretFloor(credential.data?.secret);
					return { status: 'OK', message: 'The secret is long enough to sign links' };
				} catch (e) {
					return { status: 'Error', message: e instanceof Error ? e.message : String(e) };
				}
			},
		},
	};

	execute = routedExecute(operations, { inputCount: (operation) => INPUT_COUNT[operation] ?? 1 });
}
