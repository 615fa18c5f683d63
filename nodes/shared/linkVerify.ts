/**
 * Checking a presented link: its signature (current secret, or the previous one during the
 * rotation's grace), then its purpose and what the form expects, its expiry, and whether its
 * single use is spent. Comparison is constant-time. Pure TypeScript: no n8n import.
 */
import { timingSafeEqual } from 'crypto';
import { DEFAULT_LINK_FIELDS, useKey, type LinkClaims, type LinkFields } from './linkClaims';
import type { LinkSecrets } from './linkSecrets';
import { signWith } from './linkSign';

export type LinkReason = 'valid' | 'tampered' | 'expired' | 'foreign' | 'used';

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
