/**
 * Personal form links: the parameters that Sign Link, Verify Signature and Find Missing (with
 * Add Personal Link) share, the link secret, and making one link.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { toNodeError } from '../../shared/n8n';
import { DEFAULT_FIELD_NAMES, buildLink, checkSecret, signClaims, type LinkClaims, type LinkFieldNames } from '../signature';
import { only, type Operation } from './common';

const LINK_OPS: Operation[] = ['signLink', 'verifySignature'];

/**
 * Link settings: for Sign Link, and for Find Missing when it adds personal links. n8n reads a
 * parameter that an operation does not show at its default, so one rule "hide when Add Personal
 * Link is off" would hide them from Sign Link too (Add Personal Link defaults to off): each
 * setting is listed once per case instead.
 */
function forLinks(property: INodeProperties, alsoFor: Operation[] = []): INodeProperties[] {
	return [
		{ ...property, displayOptions: { show: { operation: ['signLink', ...alsoFor] } } },
		{ ...property, displayOptions: { show: { operation: ['findMissing'], addPersonalLink: [true] } } },
	];
}

export const linkProperties: INodeProperties[] = [
	{
		displayName: 'Add Personal Link',
		name: 'addPersonalLink',
		type: 'boolean',
		default: false,
		displayOptions: only(['findMissing']),
		description: 'Whether to add a signed personal form link to each missing report (needs the Campus Link Secret credential)',
	},
	...forLinks({
		displayName: 'Form URL',
		name: 'formUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.edu/form/check-in',
		description:
			"The check-in Form Trigger's production URL. Give the form one hidden field for each link field (see Link Field Names).",
	}),
	{
		displayName: 'Reporter ID Field',
		name: 'idField',
		type: 'string',
		default: 'reporterId, id, 工号, 学号, 编号',
		displayOptions: only(LINK_OPS),
		description: 'The field holding the reporter ID (names separated by commas; the first present is used)',
	},
	...forLinks({
		displayName: 'Sign Date and Slot',
		name: 'signDateSlot',
		type: 'boolean',
		default: true,
		description:
			'Whether the link also carries the date and the slot of the reminder, so that it cannot be reused for another check',
	}),
	...forLinks({
		displayName: 'Link Valid For (Hours)',
		name: 'validHours',
		type: 'number',
		default: 24,
		typeOptions: { minValue: 0 },
		description: 'After this the link is refused. 0: it never expires.',
	}),
	...forLinks(
		{
			displayName: 'Link Field Names',
			name: 'linkFields',
			type: 'collection',
			placeholder: 'Rename a field',
			default: {},
			description: "Query parameter names, the same as the form's hidden field names",
			options: (Object.keys(DEFAULT_FIELD_NAMES) as Array<keyof LinkFieldNames>).map((k) => ({
				displayName: k === 'sig' ? 'Signature' : k === 'exp' ? 'Expiry' : k === 'id' ? 'ID' : k[0].toUpperCase() + k.slice(1),
				name: k,
				type: 'string' as const,
				default: DEFAULT_FIELD_NAMES[k],
			})),
		},
		['verifySignature'],
	),
];

export async function linkSecret(ctx: IExecuteFunctions): Promise<string> {
	const cred = await ctx.getCredentials('campusLinkSecretApi');
	try {
		return checkSecret(cred.secret);
	} catch (e) {
		throw toNodeError(ctx, e);
	}
}

export function linkNames(ctx: IExecuteFunctions): LinkFieldNames {
	const set = ctx.getNodeParameter('linkFields', 0, {}) as IDataObject;
	const out = { ...DEFAULT_FIELD_NAMES };
	for (const k of Object.keys(out) as Array<keyof LinkFieldNames>) {
		if (typeof set[k] === 'string' && (set[k] as string).trim()) out[k] = (set[k] as string).trim();
	}
	return out;
}

export interface LinkSettings {
	secret: string;
	formUrl: string;
	names: LinkFieldNames;
	signDateSlot: boolean;
	validHours: number;
}

/** The link settings of item i. */
export async function readLinkSettings(ctx: IExecuteFunctions, i = 0, secret?: string): Promise<LinkSettings> {
	return {
		secret: secret ?? (await linkSecret(ctx)),
		formUrl: String(ctx.getNodeParameter('formUrl', i, '')),
		names: linkNames(ctx),
		signDateSlot: ctx.getNodeParameter('signDateSlot', i, true) as boolean,
		validHours: Number(ctx.getNodeParameter('validHours', i, 24)),
	};
}

export function linkFor(s: LinkSettings, claims: { id: string; date?: string; slot?: string }): string {
	const c: LinkClaims = { id: claims.id };
	if (s.signDateSlot) {
		if (claims.date) c.date = claims.date;
		if (claims.slot) c.slot = claims.slot;
	}
	if (s.validHours > 0) c.exp = Math.floor(Date.now() / 1000) + Math.round(s.validHours * 3600);
	return buildLink(s.formUrl, c, signClaims(s.secret, c), s.names);
}
