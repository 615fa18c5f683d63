/**
 * The n8n side of purpose-bound links (./links.ts): the parameters that a node signing or checking
 * links shows, reading the link secret credential (with its rotation fields), and turning one
 * item into a signed link or a checked one. Check-In Watch's Sign Link, Verify Signature and Find
 * Missing (with personal links) use it.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from './errors';
import {
	DEFAULT_LINK_FIELDS,
	MAX_VALID_HOURS,
	issueLink,
	linkUrl,
	readSecrets,
	verifyLink,
	type LinkCheck,
	type LinkFields,
	type LinkSecrets,
} from './links';
import { toNodeError } from './n8n';

/** The purpose a link gets when a workflow made before purposes existed does not say. */
export const DEFAULT_PURPOSE = 'checkin';

export const purposeProperty: INodeProperties = {
	displayName: 'Purpose',
	name: 'linkPurpose',
	type: 'string',
	default: DEFAULT_PURPOSE,
	placeholder: 'e.g. checkin, leave-request, leave-approval',
	description:
		'Which form or approval the link opens (lowercase letters, digits and hyphens). Each purpose signs with its own key: a link made for one purpose is refused by a form that checks another.',
};

export const validHoursProperty: INodeProperties = {
	displayName: 'Link Valid For (Hours)',
	name: 'validHours',
	type: 'number',
	default: 24,
	typeOptions: { minValue: 0 },
	description: `After this the link is refused. From more than 0 up to ${MAX_VALID_HOURS} hours (31 days); 0, a negative number or text is an error.`,
};

export const requestFieldProperty: INodeProperties = {
	displayName: 'Request Field',
	name: 'requestField',
	type: 'string',
	default: 'requestId',
	description:
		'The item field holding the request the link acts on (a leave, a swap, a visit). When present the link is bound to it and works once. Empty: none.',
};

export const singleUseProperty: INodeProperties = {
	displayName: 'Single Use',
	name: 'singleUse',
	type: 'boolean',
	default: false,
	description:
		'Whether a link that binds no request or date gets a random nonce, so that its first use can be recorded and a second refused',
};

/** Verify Signature: what the form already knows about the link it should receive. */
export const expectationProperty: INodeProperties = {
	displayName: 'Must Match',
	name: 'linkExpect',
	type: 'collection',
	placeholder: 'Add what the link must be for',
	default: {},
	options: [
		{ displayName: 'Person', name: 'person', type: 'string', default: '', description: 'The person the link must be made for (for example the approver on record)' },
		{ displayName: 'Request', name: 'request', type: 'string', default: '', description: 'The request the link must be bound to' },
		{ displayName: 'Date', name: 'date', type: 'string', default: '', description: 'The date a dated link must carry' },
		{ displayName: 'Slot', name: 'slot', type: 'string', default: '', description: 'The slot a link with a slot must carry' },
	],
};

export function linkFieldLabel(k: keyof LinkFields): string {
	const labels: Record<keyof LinkFields, string> = {
		purpose: 'Purpose',
		id: 'ID',
		date: 'Date',
		slot: 'Slot',
		request: 'Request',
		nonce: 'Nonce',
		exp: 'Expiry',
		sig: 'Signature',
	};
	return labels[k];
}

/** The secrets from the Campus Link Secret credential: the floor and the rotation rules apply. */
export async function readLinkSecrets(ctx: IExecuteFunctions): Promise<LinkSecrets> {
	const cred = await ctx.getCredentials('campusLinkSecretApi');
	try {
		return readSecrets(cred.secret, cred.previousSecret, cred.rotationGraceUntil);
	} catch (e) {
		throw toNodeError(ctx, e);
	}
}

/** Query parameter names, renamed where the node's Link Field Names say so. */
export function readLinkFields(set: IDataObject): LinkFields {
	const out = { ...DEFAULT_LINK_FIELDS };
	for (const k of Object.keys(out) as Array<keyof LinkFields>) {
		if (typeof set[k] === 'string' && (set[k] as string).trim()) out[k] = (set[k] as string).trim();
	}
	return out;
}

export interface SignSettings {
	secrets: LinkSecrets;
	formUrl: string;
	names: LinkFields;
	purpose: string;
	/** As typed: checked by readValidity when a link is made. */
	validHours: unknown;
	signDateSlot: boolean;
	singleUse: boolean;
}

/** One signed link for a person (and, as set, a date and slot and a request). */
export function signedLink(
	s: SignSettings,
	who: { person: string; date?: string; slot?: string; request?: string },
	nowSeconds = Math.floor(Date.now() / 1000),
): { url: string; expiresAt: string } {
	const { claims, sig } = issueLink(
		s.secrets,
		{
			purpose: s.purpose,
			person: who.person,
			date: s.signDateSlot ? who.date : undefined,
			slot: s.signDateSlot ? who.slot : undefined,
			request: who.request,
			nonce: s.singleUse && !who.request && !(s.signDateSlot && who.date),
		},
		nowSeconds,
		s.validHours,
	);
	return { url: linkUrl(s.formUrl, claims, sig, s.names), expiresAt: new Date(claims.exp * 1000).toISOString() };
}

/** What Verify Signature adds to a submission whose link is valid. */
export function checkedFields(check: LinkCheck): IDataObject {
	const c = check.claims;
	return {
		signatureValid: true,
		linkReason: check.reason,
		linkPurpose: c?.purpose ?? '',
		linkPerson: c?.person ?? '',
		linkRequest: c?.request ?? '',
		linkExpiresAt: c ? new Date(c.exp * 1000).toISOString() : '',
		linkUseKey: check.useKey ?? '',
	};
}

/** Checks one submission; throws an InputError (field: the signature) with the reason when refused. */
export function checkSubmission(
	secrets: LinkSecrets,
	fields: Record<string, unknown>,
	purpose: string,
	expect: IDataObject,
	names: LinkFields,
	nowSeconds = Math.floor(Date.now() / 1000),
): LinkCheck {
	const want = (k: string) => (expect[k] === undefined || expect[k] === null ? undefined : String(expect[k]).trim() || undefined);
	const check = verifyLink(
		secrets,
		fields,
		{ purpose, person: want('person'), request: want('request'), date: want('date'), slot: want('slot') },
		{ nowSeconds },
		names,
	);
	if (!check.valid) {
		throw new InputError(`${check.message} [${check.reason}]`, {
			field: names.sig,
			hint: 'The form must be opened from the personal link made for this person and this form',
		});
	}
	return check;
}
