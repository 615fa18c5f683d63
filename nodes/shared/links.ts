/**
 * Purpose-bound signed links. n8n's forms cannot tell who opens them, so a form that acts for a
 * person is opened from a link made for that person: its query parameters fill hidden fields and
 * carry an HMAC-SHA256 signature over all of them. A link binds
 * - the purpose: which form or approval it opens ("checkin", "leave-approval", ...);
 * - the person it was made for, and where it matters the date and slot, or the request;
 * - an expiry (a bounded validity: never "forever");
 * and each purpose signs with its own key, derived from the one secret (HMAC with a purpose
 * label), so a link made for one form fails on another. Comparison is constant-time.
 *
 * Rotating the secret: sign with the new secret and keep the old one as `previous` with an end
 * date (`previousUntil`); until then links signed with either verify, afterwards only the new.
 * Set the end date to the longest validity of the links already sent (31 days at most), or to
 * now if the old secret leaked.
 *
 * Single use: a link that changes state has a use key (`use|<purpose>|<request or nonce, or
 * person|date|slot>`); the workflow records it in a Data Table after the first use and passes
 * `used: true` on the next, which is refused. Pure TypeScript: no n8n import (Node's crypto only).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { InputError } from './errors';

export const LINK_VERSION = 'campus-link/v2';
/** Shortest secret accepted for signing links or deriving passwords. */
export const MIN_SECRET_LENGTH = 16;
/** A secret needs at least this many different characters ("aaaa..." is refused). */
export const MIN_SECRET_DISTINCT = 8;
/** Longest validity a link may have, in hours (31 days). */
export const MAX_VALID_HOURS = 31 * 24;

export type LinkReason = 'valid' | 'tampered' | 'expired' | 'foreign' | 'used';

export interface LinkClaims {
	purpose: string;
	/** The person the link was made for (staff ID, approver ID). */
	person: string;
	date?: string;
	slot?: string;
	/** The request it decides or acts on (leave, swap, visit). */
	request?: string;
	/** A random value, for single-use links that bind no request. */
	nonce?: string;
	/** Expiry, Unix seconds. */
	exp: number;
}

export interface LinkSecrets {
	current: string;
	/** The secret before the last rotation, accepted until `previousUntil`. */
	previous?: string;
	/** Unix seconds: the end of the grace period for `previous`. */
	previousUntil?: number;
}

/** Query parameter (and Form Trigger hidden field) names. */
export interface LinkFields {
	purpose: string;
	id: string;
	date: string;
	slot: string;
	request: string;
	nonce: string;
	exp: string;
	sig: string;
}

export const DEFAULT_LINK_FIELDS: LinkFields = {
	purpose: 'purpose',
	id: 'id',
	date: 'date',
	slot: 'slot',
	request: 'request',
	nonce: 'nonce',
	exp: 'exp',
	sig: 'sig',
};

/**
 * Refuses a secret that is too short or too simple. The message names the field and the length
 * needed, never the value.
 */
export function checkSecretFloor(
	value: unknown,
	field = 'secret',
	label = 'The link secret',
	min = MIN_SECRET_LENGTH,
): string {
	const hint = `Use a long random text, e.g. from "openssl rand -base64 32" (at least ${min} characters)`;
	if (typeof value !== 'string' || value.length < min) {
		const has = typeof value === 'string' ? ` (it has ${value.length})` : '';
		throw new InputError(`${label} must be at least ${min} characters long${has}`, { field, hint });
	}
	if (new Set(value).size < MIN_SECRET_DISTINCT) {
		throw new InputError(`${label} is too simple: it needs at least ${MIN_SECRET_DISTINCT} different characters`, {
			field,
			hint,
		});
	}
	return value;
}

/** Reads the secrets for signing and checking, with their floors and the rotation rules. */
export function readSecrets(current: unknown, previous?: unknown, previousUntil?: unknown): LinkSecrets {
	const secrets: LinkSecrets = { current: checkSecretFloor(current) };
	if (previous === undefined || previous === null || previous === '') return secrets;
	secrets.previous = checkSecretFloor(previous, 'previousSecret', 'The previous link secret');
	if (secrets.previous === secrets.current) {
		throw new InputError('The previous link secret is the same as the secret', { field: 'previousSecret' });
	}
	const until = readUntil(previousUntil);
	if (until === undefined) {
		throw new InputError('A previous link secret needs the date its grace period ends', {
			field: 'rotationGraceUntil',
			hint: 'Give an ISO date such as 2026-09-30T00:00:00+08:00, at most 31 days after the rotation',
		});
	}
	secrets.previousUntil = until;
	return secrets;
}

function readUntil(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value);
	const text = String(value).trim();
	if (/^\d{1,12}$/.test(text)) return Number(text);
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) {
		throw new InputError(`"${text.slice(0, 40)}" is not a date`, { field: 'rotationGraceUntil' });
	}
	return Math.floor(ms / 1000);
}

/**
 * A validity in hours: a number (or numeric text) above 0 and at most `maxHours`. Anything else,
 * 0 and negatives included, is an error naming the field: no link is ever valid forever.
 */
export function readValidity(value: unknown, field = 'validHours', maxHours = MAX_VALID_HOURS): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const n = typeof text === 'number' ? text : typeof text === 'string' && /^[+]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
	const shown = String(value).slice(0, 40);
	if (!Number.isFinite(n)) {
		throw new InputError(`"${shown}" is not a number of hours`, { field, hint: `Give hours from 1 to ${maxHours}` });
	}
	if (n <= 0) {
		throw new InputError(`A link must expire: ${shown} hours is not a validity`, {
			field,
			hint: `Give hours from 1 to ${maxHours}; a link valid forever is no longer possible`,
		});
	}
	if (n > maxHours) {
		throw new InputError(`${shown} hours is longer than the longest validity, ${maxHours} hours`, {
			field,
			hint: 'Send new links instead (for example at the start of each month)',
		});
	}
	return n;
}

/** Checks a purpose label: lowercase letters, digits and hyphens, starting with a letter. */
export function checkPurpose(value: unknown, field = 'purpose'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^[a-z][a-z0-9-]{0,39}$/.test(text)) {
		throw new InputError(`"${String(value ?? '').slice(0, 40)}" is not a link purpose`, {
			field,
			hint: 'Use a short lowercase label naming the form, e.g. checkin or leave-approval',
		});
	}
	return text;
}

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

/**
 * The key a workflow records after the link's first use, or undefined for a link that may be
 * used again (a standing link: its form records once per check instead).
 */
export function useKey(c: Pick<LinkClaims, 'purpose' | 'person' | 'date' | 'slot' | 'request' | 'nonce'>): string | undefined {
	const e = (v: string | undefined) => encodeURIComponent(v ?? '');
	if (c.request) return `use|${e(c.purpose)}|req:${e(c.request)}`;
	if (c.nonce) return `use|${e(c.purpose)}|nonce:${e(c.nonce)}`;
	if (c.date) return `use|${e(c.purpose)}|${e(c.person)}|${e(c.date)}|${e(c.slot)}`;
	return undefined;
}

/** What the form (or approval) expects: its own purpose, and what it already knows. */
export interface LinkExpectation {
	purpose: string;
	person?: string;
	date?: string;
	slot?: string;
	request?: string;
}

export interface LinkCheck {
	reason: LinkReason;
	valid: boolean;
	/** A sentence for the person who opened the link. */
	message: string;
	/** The claims, when the signature matched. */
	claims?: LinkClaims;
	signedWith?: 'current' | 'previous';
	useKey?: string;
}

const MESSAGES: Record<LinkReason, string> = {
	valid: 'The link is valid',
	tampered:
		'This link is not valid: the signature does not match (the link was changed, or not made by this school): open your own personal link, without changing it',
	foreign: 'This link was made for another person, form or check: open your own personal link',
	expired: 'This link has expired: use the link in your latest message',
	used: 'This link has already been used: it works once',
};

function refuse(reason: LinkReason, extra: Partial<LinkCheck> = {}, detail = ''): LinkCheck {
	return { reason, valid: reason === 'valid', message: MESSAGES[reason] + detail, ...extra };
}

function text(v: unknown): string | undefined {
	if (v === undefined || v === null) return undefined;
	const t = String(v).trim();
	return t ? t : undefined;
}

function sameSig(expected: string, given: string): boolean {
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(given, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

export interface VerifyOptions {
	nowSeconds: number;
	/** The link's use key is already recorded (its Data Table row exists). */
	used?: boolean | ((key: string) => boolean);
}

/**
 * Checks a presented link (its fields, by name). Order: tampered (no or wrong signature, or a
 * field missing), foreign (another purpose, person, date, slot or request than expected),
 * expired, used. A link whose purpose field is absent is taken as made for the expected purpose.
 * The expected person and request must match; the expected date and slot must match when the
 * link carries them (a standing link carries neither).
 */
export function verifyLink(
	secrets: LinkSecrets,
	fields: Record<string, unknown>,
	expect: LinkExpectation,
	options: VerifyOptions,
	names: LinkFields = DEFAULT_LINK_FIELDS,
): LinkCheck {
	const sig = text(fields[names.sig]);
	const person = text(fields[names.id]);
	const expText = text(fields[names.exp]);
	if (!sig) {
		return { ...refuse('tampered'), message: 'The submission has no signature: open the form from your own personal link' };
	}
	if (!/^[A-Za-z0-9_-]{43}$/.test(sig) || !person || !expText || !/^\d{1,12}$/.test(expText)) {
		return refuse('tampered');
	}
	const claims: LinkClaims = { purpose: text(fields[names.purpose]) ?? expect.purpose, person, exp: Number(expText) };
	for (const k of ['date', 'slot', 'request', 'nonce'] as const) {
		const v = text(fields[names[k]]);
		if (v) claims[k] = v;
	}
	let signedWith: 'current' | 'previous' | undefined;
	if (sameSig(signWith(secrets.current, claims), sig)) signedWith = 'current';
	else if (
		secrets.previous &&
		secrets.previousUntil !== undefined &&
		options.nowSeconds <= secrets.previousUntil &&
		sameSig(signWith(secrets.previous, claims), sig)
	) {
		signedWith = 'previous';
	}
	if (!signedWith) return refuse('tampered');
	const found = { claims, signedWith, useKey: useKey(claims) };
	if (claims.purpose !== expect.purpose) return refuse('foreign', found);
	for (const k of ['person', 'date', 'slot', 'request'] as const) {
		const want = text(expect[k]);
		// A standing link carries no date or slot: those are compared only when it does.
		if ((k === 'date' || k === 'slot') && claims[k] === undefined) continue;
		if (want !== undefined && want !== claims[k]) return refuse('foreign', found);
	}
	if (options.nowSeconds > claims.exp) {
		return refuse('expired', found, ` (at ${new Date(claims.exp * 1000).toISOString()})`);
	}
	const used = typeof options.used === 'function' ? !!found.useKey && options.used(found.useKey) : !!options.used;
	if (used && found.useKey) return refuse('used', found);
	return refuse('valid', found);
}
