/**
 * The link secret: its floor (long and varied enough to sign links or derive passwords) and the
 * rotation rules. Rotating: sign with the new secret and keep the old one as `previous` with an
 * end date (`previousUntil`); until then links signed with either verify, afterwards only the
 * new. Set the end date to the longest validity of the links already sent (31 days at most), or
 * to now if the old secret leaked. Pure TypeScript: no n8n import.
 */
import { InputError } from './errors';

/** Shortest secret accepted for signing links or deriving passwords. */
export const MIN_SECRET_LENGTH = 16;
/** A secret needs at least this many different characters ("aaaa..." is refused). */
export const MIN_SECRET_DISTINCT = 8;
export interface LinkSecrets {
	current: string;
	/** The secret before the last rotation, accepted until `previousUntil`. */
	previous?: string;
	/** Unix seconds: the end of the grace period for `previous`. */
	previousUntil?: number;
}

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
