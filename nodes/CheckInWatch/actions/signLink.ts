/** Sign Link: adds personalLink (the form URL with the person, the purpose, an expiry and an HMAC signature) and linkExpiresAt to each item. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { readLinkSecrets, signedLink } from '../../shared/linkParams';
import { eachItem } from '../../shared/router';
import { Columns, isEmptyRow, type Row } from '../../shared/rows';
import { readLinkSettings } from './links';

/** Its parameters are the link parameters (./links.ts), shared with Find Missing and Verify Signature. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const secrets = await readLinkSecrets(this);
	const out = await eachItem(this, items, async (item, i) => {
		const json = item.json as Row;
		if (isEmptyRow(json)) return undefined;
		try {
			const requestField = String(this.getNodeParameter('requestField', i, 'requestId')).trim();
			const cols = new Columns<'id' | 'date' | 'slot' | 'request'>(
				{
					id: String(this.getNodeParameter('idField', i, 'reporterId, id')),
					date: 'date, 日期',
					slot: 'slot, 时段',
					request: requestField || '(no request field)',
				},
				'items',
			);
			cols.resolve(json, ['id']);
			const id = cols.requiredText(json, 'id', i);
			const link = signedLink(await readLinkSettings(this, i, secrets), {
				person: id,
				date: cols.text(json, 'date'),
				slot: cols.text(json, 'slot'),
				request: requestField ? cols.text(json, 'request') : undefined,
			});
			return { json: { ...item.json, personalLink: link.url, linkExpiresAt: link.expiresAt }, pairedItem: { item: i } };
		} catch (error) {
			throw error instanceof InputError ? error.atRow(i) : error;
		}
	});
	return [out];
}
