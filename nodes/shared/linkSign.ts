/**
 * Signing links: each purpose signs with its own key, derived from the one secret (HMAC with a
 * purpose label), over every claim, so a link made for one form fails on another. Pure
 * TypeScript: no n8n import (Node's crypto only).
 */
import { createHmac, randomBytes } from 'crypto';
import { InputError } from './errors';
import { LINK_VERSION, MAX_VALID_HOURS, DEFAULT_LINK_FIELDS, checkPurpose, readValidity, type LinkClaims, type LinkFields } from './linkClaims';
import { checkSecretFloor, type LinkSecrets } from './linkSecrets';

/** The signing key for one purpose: HMAC(secret, label + purpose). */
export function purposeKey(secret: string, purpose: string): Buffer {
	return createHmac('sha256', secret).update(`${LINK_VERSION}/purpose\n${purpose}`, 'utf8').digest();
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The signed text: version and every claim, URI-encoded, one a line (absent = empty line). */
export function canonicalClaims(c: LinkClaims): string {
	const fields = { id: c.person, date: c.date, slot: c.slot, request: c.request, purpose: c.purpose, nonce: c.nonce };
	for (const [field, v] of Object.entries(fields)) {
		// encodeURIComponent would throw a bare "URI malformed" for half of a character.
		if (v !== undefined && LONE_SURROGATE.test(v)) {
			const shown = v.slice(0, 40).replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
			throw new InputError(`The ${field} "${shown}" holds a broken character (half of a UTF-16 pair)`, {
				field,
				hint: 'Retype it in the table, or open the form from the personal link in the message',
			});
		}
	}
	return [LINK_VERSION, c.purpose, c.person, c.date, c.slot, c.request, c.nonce, String(c.exp)]
		.map((v) => encodeURIComponent(v ?? ''))
		.join('\n');
}

export function signWith(secret: string, claims: LinkClaims): string {
	return createHmac('sha256', purposeKey(secret, claims.purpose))
		.update(canonicalClaims(claims), 'utf8')
		.digest('base64url');
}

export interface IssueInput {
	purpose: string;
	person: string;
	date?: string;
	slot?: string;
	request?: string;
	/** true: add a random nonce (a single-use link that binds no request). */
	nonce?: boolean | string;
}

/** Makes the claims (expiring `validHours` after `nowSeconds`) and signs them with the current secret. */
export function issueLink(
	secrets: LinkSecrets,
	input: IssueInput,
	nowSeconds: number,
	validHours: unknown,
	maxHours = MAX_VALID_HOURS,
): { claims: LinkClaims; sig: string } {
	const person = String(input.person ?? '').trim();
	if (!person) throw new InputError('The link has no person to bind', { field: 'id' });
	const claims: LinkClaims = {
		purpose: checkPurpose(input.purpose),
		person,
		exp: Math.floor(nowSeconds) + Math.round(readValidity(validHours, 'validHours', maxHours) * 3600),
	};
	for (const k of ['date', 'slot', 'request'] as const) {
		const v = input[k] === undefined ? '' : String(input[k]).trim();
		if (v) claims[k] = v;
	}
	if (input.nonce === true) claims.nonce = randomBytes(12).toString('base64url');
	else if (typeof input.nonce === 'string' && input.nonce) claims.nonce = input.nonce;
	return { claims, sig: signWith(checkSecretFloor(secrets.current), claims) };
}

/** The form URL with the claims and signature as query parameters. */
export function linkUrl(formUrl: string, claims: LinkClaims, sig: string, names: LinkFields = DEFAULT_LINK_FIELDS): string {
	let url: URL;
	try {
		url = new URL(formUrl);
	} catch {
		throw new InputError(`"${formUrl.slice(0, 80)}" is not a URL`, {
			field: 'formUrl',
			hint: "Copy the Form Trigger's production URL, e.g. https://n8n.example.edu/form/check-in",
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(`"${formUrl.slice(0, 80)}" is not an http(s) URL`, { field: 'formUrl' });
	}
	url.searchParams.set(names.id, claims.person);
	url.searchParams.set(names.purpose, claims.purpose);
	for (const k of ['date', 'slot', 'request', 'nonce'] as const) {
		if (claims[k] !== undefined) url.searchParams.set(names[k], claims[k] as string);
	}
	url.searchParams.set(names.exp, String(claims.exp));
	url.searchParams.set(names.sig, sig);
	return url.toString();
}
