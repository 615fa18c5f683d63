/**
 * Initial passwords without storing them: HMAC-SHA256(secret, person id) mapped onto an
 * unambiguous alphabet. The same secret and id give the same password on every run, so a
 * re-run (or the per-class password sheet) reproduces it. Google receives only its SHA-1 hash.
 * Pure TypeScript: no n8n import.
 */
import { createHash, createHmac } from 'crypto';
import { InputError } from '../shared/errors';

/** No 0/O/o, 1/l/I/i: nothing a parent can misread from a printed sheet. */
export const LOWER = 'abcdefghjkmnpqrstuvwxyz';
export const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const DIGITS = '23456789';
export const ALPHABET = LOWER + UPPER + DIGITS;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 32;

/** A stream of unbiased indexes below `n`, from HMAC blocks (rejection sampling). */
function* indexes(secret: string, message: string): Generator<number> {
	for (let block = 0; ; block++) {
		const bytes = createHmac('sha256', secret).update(`${message}\u0000${block}`).digest();
		for (const b of bytes) yield b;
	}
}

function pick(stream: Generator<number>, set: string): string {
	const limit = 256 - (256 % set.length);
	for (;;) {
		const b = stream.next().value as number;
		if (b < limit) return set[b % set.length];
	}
}

/**
 * The initial password of a person: first a lowercase letter, an uppercase letter and a digit
 * (so every policy that asks for the three is met), then the rest from the whole alphabet.
 */
export function initialPassword(secret: string, personId: string, length = 10): string {
	if (!secret) {
		throw new InputError('No password secret is set', {
			field: 'passwordSecret',
			hint: 'Fill "Initial Password Secret" in the Google Workspace (School) credential',
		});
	}
	if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
		throw new InputError(`Password length ${length} is out of range (8 to 32)`, { field: 'passwordLength' });
	}
	const id = personId.trim();
	if (!id) throw new InputError('The person id is empty', { field: 'personId' });
	const stream = indexes(secret, `campus-logistics/initial-password/v1/${id}`);
	let out = pick(stream, LOWER) + pick(stream, UPPER) + pick(stream, DIGITS);
	while (out.length < length) out += pick(stream, ALPHABET);
	return out;
}

/** The SHA-1 hex digest Google's users.insert takes with hashFunction "SHA-1". */
export function sha1Hex(text: string): string {
	return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** The workflow settings that decide whether n8n keeps an execution's data. */
export interface SaveSettings {
	saveDataSuccessExecution?: string;
	saveDataErrorExecution?: string;
	saveManualExecutions?: string | boolean;
}

/**
 * Which of the workflow's settings would keep plain passwords in the execution history, for a
 * run in `mode` ('manual' when started from the editor). "DEFAULT" or unset counts as saving,
 * as n8n's own defaults do (EXECUTIONS_DATA_SAVE_ON_SUCCESS / _ON_ERROR = all, manual = true).
 */
export function settingsThatKeepPasswords(settings: SaveSettings, mode: string): string[] {
	const keep: string[] = [];
	if (mode === 'manual') {
		if (settings.saveManualExecutions !== false) keep.push('Save manual executions');
	} else if (settings.saveDataSuccessExecution !== 'none') {
		keep.push('Save successful production executions');
	}
	if (settings.saveDataErrorExecution !== 'none') keep.push('Save failed production executions');
	return keep;
}
