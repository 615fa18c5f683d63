/**
 * Verify Signature: passes rows whose personal link is valid for this form on, with the link's
 * person, purpose, request, expiry and use key; a refused link (tampered, foreign, expired) is an
 * error naming its reason.
 */
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { checkSubmission, checkedFields, readLinkSecrets } from '../../shared/linkParams';
import { eachItem } from '../../shared/router';
import { isEmptyRow, type Row } from '../../shared/rows';
import { linkNames } from './links';

/** Its parameters are the link parameters (./links.ts), shared with Sign Link. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const secrets = await readLinkSecrets(this);
	const names = linkNames(this);
	const now = Math.floor(Date.now() / 1000);
	// Error items hold only error and details, so that n8n routes them to the error output; n8n
	// merges the failed submission back in.
	const out = await eachItem(this, items, (item, i) => {
		const json = item.json as Row;
		if (isEmptyRow(json)) return undefined;
		// The person's field: the first of the Reporter ID Field names that the submission has.
		const idNames = String(this.getNodeParameter('idField', i, 'reporterId, id'))
			.split(',')
			.map((x) => x.trim())
			.filter(Boolean);
		const idName = idNames.find((n) => json[n] !== undefined && json[n] !== null && String(json[n]).trim() !== '') ?? names.id;
		try {
			const check = checkSubmission(
				secrets,
				json as Record<string, unknown>,
				String(this.getNodeParameter('linkPurpose', i, 'checkin')),
				this.getNodeParameter('linkExpect', i, {}) as IDataObject,
				{ ...names, id: idName },
				now,
			);
			return { json: { ...item.json, ...checkedFields(check) }, pairedItem: { item: i } };
		} catch (error) {
			// The error names the row and the field (e.g. "Row 2, field "sig": ..."); the router turns
			// it into an error item or a NodeOperationError with the hint as its description.
			throw error instanceof InputError ? error.atRow(i) : error;
		}
	});
	return [out];
}
