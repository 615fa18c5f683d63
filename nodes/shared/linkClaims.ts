/**
 * What a signed link binds (its claims), the names of its query parameters, and the rules for
 * its parts: a purpose label, a bounded validity, and the use key that makes a link single-use.
 * Pure TypeScript: no n8n import.
 */
import { InputError } from './errors';

export const LINK_VERSION = 'campus-link/v2';
/** Longest validity a link may have, in hours (31 days). */
export const MAX_VALID_HOURS = 31 * 24;

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
