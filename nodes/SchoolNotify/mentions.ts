/**
 * Who a message @mentions: parsing the mobile and user-id lists the user gives. Pure
 * TypeScript: no n8n import.
 */
import { InputError } from '../shared/errors';

export interface Mentions {
	mobiles: string[];
	userIds: string[];
	all: boolean;
}

export const NO_MENTIONS: Mentions = { mobiles: [], userIds: [], all: false };

export const MOBILE = /^\+?\d{6,15}$/;

/** Splits "138..., 139..." or an array into trimmed, de-duplicated values. */
export function splitValues(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[,，;；\s]+/);
	return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
}

export function parseMentions(mobiles: unknown, userIds: unknown, all: unknown, row?: number): Mentions {
	const m = splitValues(mobiles);
	for (const x of m) {
		if (!MOBILE.test(x.replace(/-/g, ''))) {
			throw new InputError(`"${x.slice(0, 3)}…" is not a mobile number`, { row, field: 'mentionMobiles' });
		}
	}
	return { mobiles: m.map((x) => x.replace(/-/g, '')), userIds: splitValues(userIds), all: Boolean(all) };
}

export function hasMentions(m: Mentions): boolean {
	return m.all || m.mobiles.length > 0 || m.userIds.length > 0;
}
