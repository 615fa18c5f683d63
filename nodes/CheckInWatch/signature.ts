/**
 * Personal form links. n8n's Form Trigger cannot tell who filled a form, so every reminder
 * carries a link whose query parameters prefill hidden fields (the reporter's id and, if wanted,
 * the date and the slot) and an HMAC-SHA256 signature of them. The check-in workflow verifies the
 * signature before it stores a row. Pure TypeScript: no n8n import (Node's crypto only).
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { InputError, excerpt, hasLoneSurrogate } from '../shared/errors';
import { Columns, type Row } from '../shared/rows';

export const SIGNATURE_VERSION = 'campus-link/v1';
export const MIN_SECRET_LENGTH = 16;

export interface LinkClaims {
	id: string;
	date?: string;
	slot?: string;
	/** Expiry, Unix seconds. */
	exp?: number;
}

/** Query parameter (and Form Trigger hidden field) names. */
export interface LinkFieldNames {
	id: string;
	date: string;
	slot: string;
	exp: string;
	sig: string;
}

export const DEFAULT_FIELD_NAMES: LinkFieldNames = { id: 'id', date: 'date', slot: 'slot', exp: 'exp', sig: 'sig' };

/** Throws when a secret is too short to sign with. The message never shows the secret. */
export function checkSecret(secret: unknown): string {
	if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
		throw new InputError(`The link secret must be at least ${MIN_SECRET_LENGTH} characters long`, {
			field: 'secret',
			hint: 'Set a long random secret in the Campus Link Secret credential (for example 32 random characters)',
		});
	}
	return secret;
}

/**
 * The signed text: the version and every claim, each URI-encoded, one a line. Absent claims are
 * empty lines, so a link without a date cannot be replayed with one added.
 */
export function canonicalString(c: LinkClaims): string {
	for (const field of ['id', 'date', 'slot'] as const) {
		const v = c[field];
		// encodeURIComponent would throw a bare "URI malformed" for half of a character.
		if (v !== undefined && hasLoneSurrogate(v)) {
			throw new InputError(`The ${field} "${excerpt(v)}" holds a broken character (half of a UTF-16 pair)`, {
				field,
				hint: 'Retype it in the table, or open the form from the personal link in the reminder',
			});
		}
	}
	return [SIGNATURE_VERSION, c.id, c.date ?? '', c.slot ?? '', c.exp === undefined ? '' : String(c.exp)]
		.map((v) => encodeURIComponent(v))
		.join('\n');
}

/** HMAC-SHA256 of the canonical string, base64url without padding. */
export function signClaims(secret: string, claims: LinkClaims): string {
	return createHmac('sha256', checkSecret(secret)).update(canonicalString(claims), 'utf8').digest('base64url');
}

export type VerifyResult =
	| { ok: true }
	| { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'expired'; message: string };

/** Checks a submitted signature in constant time. */
export function verifyClaims(secret: string, claims: LinkClaims, sig: unknown, nowSeconds: number): VerifyResult {
	const given = typeof sig === 'string' ? sig.trim() : '';
	if (!given) {
		return {
			ok: false,
			reason: 'missing',
			message: 'The submission has no signature: open the form from your personal link in the reminder',
		};
	}
	if (!/^[A-Za-z0-9_-]{43}$/.test(given)) {
		return {
			ok: false,
			reason: 'malformed',
			message: 'The signature is not valid: open the form from your personal link in the reminder, without changing it',
		};
	}
	const expected = Buffer.from(signClaims(secret, claims), 'utf8');
	const actual = Buffer.from(given, 'utf8');
	if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
		return {
			ok: false,
			reason: 'mismatch',
			message:
				'The signature does not match: the link was changed, belongs to someone else, or was not made by this school',
		};
	}
	if (claims.exp !== undefined && nowSeconds > claims.exp) {
		return {
			ok: false,
			reason: 'expired',
			message: `The personal link expired at ${new Date(claims.exp * 1000).toISOString()}: use the link in the latest reminder`,
		};
	}
	return { ok: true };
}

/** The form URL with the claims and the signature as query parameters. */
export function buildLink(
	formUrl: string,
	claims: LinkClaims,
	sig: string,
	names: LinkFieldNames = DEFAULT_FIELD_NAMES,
): string {
	let url: URL;
	try {
		url = new URL(formUrl);
	} catch {
		throw new InputError(`"${excerpt(formUrl)}" is not a URL`, {
			field: 'formUrl',
			hint: "Copy the Form Trigger's production URL, e.g. https://n8n.example.edu/form/check-in",
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(`"${excerpt(formUrl)}" is not an http(s) URL`, { field: 'formUrl' });
	}
	url.searchParams.set(names.id, claims.id);
	if (claims.date !== undefined) url.searchParams.set(names.date, claims.date);
	if (claims.slot !== undefined) url.searchParams.set(names.slot, claims.slot);
	if (claims.exp !== undefined) url.searchParams.set(names.exp, String(claims.exp));
	url.searchParams.set(names.sig, sig);
	return url.toString();
}

/** Reads a typed expiry ("1767225600" or an ISO time) back to Unix seconds. */
export function readExpiry(value: unknown): number | undefined | null {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (/^\d{1,12}$/.test(text)) return Number(text);
	return null;
}

export type SubmissionCheck = { ok: true; claims: LinkClaims } | { ok: false; field: string; message: string };

/**
 * Checks one submitted row (a Form Trigger item): the reporter ID, the date, slot and expiry
 * hidden fields that are present, and the signature over them.
 */
export function verifySubmission(
	secret: string,
	row: Row,
	names: LinkFieldNames,
	idMapping: string,
	nowSeconds: number,
): SubmissionCheck {
	const cols = new Columns<'id' | 'date' | 'slot' | 'exp' | 'sig'>(
		{ id: idMapping, date: names.date, slot: names.slot, exp: names.exp, sig: names.sig },
		'submissions',
	);
	cols.resolve(row, []);
	const id = cols.text(row, 'id');
	if (!id) {
		return {
			ok: false,
			field: cols.column('id') ?? names.id,
			message: 'The submission has no reporter ID: open the form from your personal link in the reminder',
		};
	}
	const exp = readExpiry(cols.raw(row, 'exp'));
	if (exp === null) {
		return {
			ok: false,
			field: names.exp,
			message: 'The link expiry is not readable: open the form from your personal link in the reminder',
		};
	}
	const claims: LinkClaims = { id };
	const date = cols.text(row, 'date');
	const slot = cols.text(row, 'slot');
	if (date) claims.date = date;
	if (slot) claims.slot = slot;
	if (exp !== undefined) claims.exp = exp;
	const v = verifyClaims(secret, claims, cols.raw(row, 'sig'), nowSeconds);
	return v.ok ? { ok: true, claims } : { ok: false, field: names.sig, message: v.message };
}
