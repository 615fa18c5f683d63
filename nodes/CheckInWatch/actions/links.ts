/**
 * Personal form links: the parameters that Sign Link, Verify Signature and Find Missing (with
 * Add Personal Link) share, and making one link. Purpose-bound links, validity, rotation and
 * single use live in nodes/shared/links.ts (issue 19); their n8n side in nodes/shared/linkParams.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { DEFAULT_LINK_FIELDS, type LinkFields, type LinkSecrets } from '../../shared/links';
import {
	expectationProperty,
	linkFieldLabel,
	purposeProperty,
	readLinkFields,
	readLinkSecrets,
	requestFieldProperty,
	signedLink,
	singleUseProperty,
	validHoursProperty,
	type SignSettings,
} from '../../shared/linkParams';
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
	...forLinks(purposeProperty, ['verifySignature']),
	...forLinks(validHoursProperty),
	{ ...requestFieldProperty, displayOptions: only(['signLink']) },
	{ ...singleUseProperty, displayOptions: only(['signLink']) },
	{ ...expectationProperty, displayOptions: only(['verifySignature']) },
	...forLinks(
		{
			displayName: 'Link Field Names',
			name: 'linkFields',
			type: 'collection',
			placeholder: 'Rename a field',
			default: {},
			description: "Query parameter names, the same as the form's hidden field names",
			options: (Object.keys(DEFAULT_LINK_FIELDS) as Array<keyof LinkFields>).map((k) => ({
				displayName: linkFieldLabel(k),
				name: k,
				type: 'string' as const,
				default: DEFAULT_LINK_FIELDS[k],
			})),
		},
		['verifySignature'],
	),
];

export function linkNames(ctx: IExecuteFunctions): LinkFields {
	return readLinkFields(ctx.getNodeParameter('linkFields', 0, {}) as IDataObject);
}

export type LinkSettings = SignSettings;

/** The link settings of item i (the secrets read once and passed in, or read here). */
export async function readLinkSettings(ctx: IExecuteFunctions, i = 0, secrets?: LinkSecrets): Promise<LinkSettings> {
	return {
		secrets: secrets ?? (await readLinkSecrets(ctx)),
		formUrl: String(ctx.getNodeParameter('formUrl', i, '')),
		names: linkNames(ctx),
		purpose: String(ctx.getNodeParameter('linkPurpose', i, 'checkin')),
		validHours: ctx.getNodeParameter('validHours', i, 24),
		signDateSlot: ctx.getNodeParameter('signDateSlot', i, true) as boolean,
		singleUse: ctx.getNodeParameter('singleUse', i, false) as boolean,
	};
}

/** One signed link for an ID (and, as set, its date and slot, and a request). */
export function linkFor(s: LinkSettings, claims: { id: string; date?: string; slot?: string; request?: string }): string {
	return signedLink(s, { person: claims.id, date: claims.date, slot: claims.slot, request: claims.request }).url;
}
