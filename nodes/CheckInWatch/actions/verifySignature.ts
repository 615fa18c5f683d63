/** Verify Signature: passes rows with a valid personal-link signature on; a bad or missing one is an error. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { eachItem } from '../../shared/router';
import { isEmptyRow, type Row } from '../../shared/rows';
import { verifySubmission } from '../signature';
import { linkNames, linkSecret } from './links';

/** Its parameters are the link parameters (./links.ts), shared with Sign Link. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const secret = await linkSecret(this);
	const names = linkNames(this);
	const now = Math.floor(Date.now() / 1000);
	// Error items hold only error and details, so that n8n routes them to the error output; n8n
	// merges the failed submission back in.
	const out = await eachItem(this, items, (item, i) => {
		const json = item.json as Row;
		if (isEmptyRow(json)) return undefined;
		let v: ReturnType<typeof verifySubmission>;
		try {
			v = verifySubmission(secret, json, names, String(this.getNodeParameter('idField', i, 'reporterId, id')), now);
		} catch (error) {
			throw error instanceof InputError ? error.atRow(i) : error;
		}
		if (!v.ok) {
			throw new NodeOperationError(this.getNode(), v.message, {
				itemIndex: i,
				description: `Field "${v.field}" of item ${i + 1}. The form must be opened from the personal link in the reminder.`,
			});
		}
		return { json: { ...item.json, signatureValid: true }, pairedItem: { item: i } };
	});
	return [out];
}
