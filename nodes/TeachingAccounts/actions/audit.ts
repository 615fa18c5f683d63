/**
 * Audit Logins: accounts (input 1) -> those that never logged in, or not for N days, with whom
 * to remind. Login times from Google Workspace or from the rows. Domain logic: ../audit.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/n8n';
import { auditLogins, type LoginRecord } from '../audit';
import { choiceProperty, property, showFor } from '../../shared/parameters';
import { apiError, googleFor, order, rowsOf } from './common';

export const description: INodeProperties[] = [
	choiceProperty('Login Data', 'loginSource', 'google', [
		['Fetch From Google Workspace', 'google', 'Reads lastLoginTime with the credential'],
		['From the Input Rows', 'input', 'Each row has a lastLoginTime column'],
	], { displayOptions: showFor('audit') }),
	property('Days Without Login', 'days', 'number', 7, {
		typeOptions: { minValue: 0 },
		description: 'Accounts not used for this many days are listed, as are accounts never used',
		displayOptions: showFor('audit'),
	}),
	{
		displayName: 'Include Active Accounts',
		name: 'includeActive',
		type: 'boolean',
		default: false,
		description: 'Whether to output every account with its status, not only those to remind',
		displayOptions: showFor('audit'),
	},
];

export async function execute(this: IExecuteFunctions, people: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const source = this.getNodeParameter('loginSource', 0, 'google') as string;
	let logins: Map<string, LoginRecord> | undefined;
	if (source === 'google') {
		const { google } = await googleFor(this);
		logins = new Map();
		let pageToken: string | undefined;
		try {
			do {
				const page = await google.listUsersForAudit(pageToken);
				for (const u of page.users) {
					if (u.primaryEmail) logins.set(u.primaryEmail.toLowerCase(), { email: u.primaryEmail, lastLoginTime: u.lastLoginTime, creationTime: u.creationTime, suspended: u.suspended });
				}
				pageToken = page.nextPageToken;
			} while (pageToken);
		} catch (error) {
			throw apiError(this, error, 'Could not read the accounts from Google Workspace');
		}
	}
	const result = auditLogins(rowsOf(people), logins, {
		days: Number(this.getNodeParameter('days', 0, 7)),
		now: Date.now(),
		includeActive: this.getNodeParameter('includeActive', 0, false) as boolean,
	});
	const out: INodeExecutionData[] = result.rows.map(({ row, ...r }) => ({ json: { ...r } as IDataObject, pairedItem: { item: row } }));
	out.push(...problemItems(this, result.problems, people));
	return [out.sort((a, b) => order(a) - order(b))];
}
