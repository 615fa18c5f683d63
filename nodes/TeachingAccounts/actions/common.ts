/**
 * What the Teaching Accounts operations share: display helpers, the column-mapping entries that
 * several operations list, the Options collection (provision and export), reading items as rows,
 * the credential, and shaping Google failures into n8n errors.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { toNodeError } from '../../shared/n8n';
import { checkSecretFloor } from '../../shared/links';
import { showFor } from '../../shared/parameters';
import type { Row } from '../../shared/rows';
import { createGoogle, type SchoolGoogle } from '../google';
import { CREDENTIAL, DEFAULT_TIMEOUT_MS, n8nGoogleRequest } from '../transport';
import { ApiError } from '../pacing';

export { CREDENTIAL };

/** displayOptions for parameters of these operations (the node's credential uses it). */
export { showFor as show } from '../../shared/parameters';

/** The Options collection of Provision and Export (Google pacing and the password length). */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: showFor('provision', 'export'),
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
		{
			displayName: 'Request Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			default: 30000,
			typeOptions: { minValue: 1000 },
			description: 'A Google request with no answer after this long is given up and retried like a network failure',
		},
	],
};

export function rowsOf(items: INodeExecutionData[]): Row[] {
	return items.map((i) => (i.json ?? {}) as Row);
}

export function optionsOf(ctx: IExecuteFunctions): IDataObject {
	return ctx.getNodeParameter('options', 0, {}) as IDataObject;
}

/** Sort key: input 0 items first, each input in item order. */
export function order(item: INodeExecutionData): number {
	const p = item.pairedItem as { item: number; input?: number };
	return (p.input ?? 0) * 1e9 + p.item;
}

/**
 * An item for n8n's error output: only error and details (n8n merges the paired input item
 * back in), the details naming the person or course.
 */
export function failItem(message: string, item: number, input: number, details: IDataObject): INodeExecutionData {
	return { json: { error: message, details: { row: item + 1, ...details } }, pairedItem: input ? { item, input } : { item } };
}

/** The credential's values, or an error that says which credential to pick. */
export async function credentialOf(ctx: IExecuteFunctions): Promise<IDataObject> {
	try {
		return (await ctx.getCredentials(CREDENTIAL)) as IDataObject;
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'Select a Google Workspace (School) Service Account credential', {
			description: 'This operation needs the service account (and, for passwords, its Initial Password Secret)',
		});
	}
}

/** A Google failure as NodeApiError (status and reason kept), anything else as toNodeError. */
export function apiError(ctx: IExecuteFunctions, error: unknown, message: string, itemIndex?: number): Error {
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

/**
 * The Initial Password Secret of the credential, refused when missing, short or simple (the same
 * floor and wording as the link secret: nodes/shared/links.ts). The message never shows the value.
 */
export function passwordSecretOf(secret: string): string {
	return checkSecretFloor(secret, 'passwordSecret', 'The Initial Password Secret');
}

/** The Google calls of one execution (through n8n's HTTP helpers), and the password secret. */
export async function googleFor(ctx: IExecuteFunctions): Promise<{ google: SchoolGoogle; secret: string }> {
	const creds = await credentialOf(ctx);
	const timeout = Number(optionsOf(ctx).timeoutMs ?? DEFAULT_TIMEOUT_MS);
	const request = n8nGoogleRequest(ctx, Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS, creds);
	const google = createGoogle({ customer: String(creds.customer ?? ''), apiRootUrl: String(creds.apiRootUrl ?? '') }, request);
	return { google, secret: String(creds.passwordSecret ?? '') };
}

/**
 * Without continue-on-fail, a run with failed items stops with one error that counts them and
 * names the first (a re-run is safe: nothing is created twice).
 */
export function throwIfAnyFailed(ctx: IExecuteFunctions, out: INodeExecutionData[]): void {
	const failed = out.filter((i) => i.json.error !== undefined);
	if (!failed.length) return;
	const first = failed[0];
	const p = first.pairedItem as { item: number };
	throw new NodeApiError(ctx.getNode(), { message: String(first.json.error) } as JsonObject, {
		message: `${failed.length} of ${out.length} items failed: ${String(first.json.error)}`,
		description:
			'A re-run is safe: nothing is created twice. Set Settings > On Error to "Continue (using error output)" to get each failure as an item.',
		itemIndex: p.item,
	});
}
