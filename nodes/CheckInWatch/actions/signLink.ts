/** Sign Link: adds personalLink, the form URL with the reporter ID and an HMAC signature, to each item. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { eachItem } from '../../shared/router';
import { Columns, isEmptyRow, type Row } from '../../shared/rows';
import { linkFor, linkSecret, readLinkSettings } from './links';

/** Its parameters are the link parameters (./links.ts), shared with Find Missing and Verify Signature. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const secret = await linkSecret(this);
	const out = await eachItem(this, items, async (item, i) => {
		const json = item.json as Row;
		if (isEmptyRow(json)) return undefined;
		try {
			const cols = new Columns<'id' | 'date' | 'slot'>(
				{ id: String(this.getNodeParameter('idField', i, 'reporterId, id')), date: 'date, 日期', slot: 'slot, 时段' },
				'items',
			);
			cols.resolve(json, ['id']);
			const id = cols.requiredText(json, 'id', i);
			const settings = await readLinkSettings(this, i, secret);
			const personalLink = linkFor(settings, { id, date: cols.text(json, 'date'), slot: cols.text(json, 'slot') });
			return { json: { ...item.json, personalLink }, pairedItem: { item: i } };
		} catch (error) {
			throw error instanceof InputError ? error.atRow(i) : error;
		}
	});
	return [out];
}
