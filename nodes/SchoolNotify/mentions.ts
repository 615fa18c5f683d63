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
	const ids = splitValues(userIds);
	const everyone = ids.find(isEveryone);
	if (everyone !== undefined) {
		throw new InputError(`"${everyone.slice(0, 8)}" is not a user ID: it would mention everyone`, {
			row,
			field: 'mentionUserIds',
			hint: 'Turn on Mention Everyone to mention the whole group.',
		});
	}
	return { mobiles: m.map((x) => x.replace(/-/g, '')), userIds: ids, all: Boolean(all) };
}

/**
 * An id that the platforms read as "everyone": WeCom's "@all" in mentioned_list, Feishu's
 * user_id "all" in an at-tag. Only the Mention Everyone switch may mention everyone.
 */
export function isEveryone(id: string): boolean {
	return /^[@＠]?\s*(all|所有人)$/i.test(id.trim());
}

export function hasMentions(m: Mentions): boolean {
	return m.all || m.mobiles.length > 0 || m.userIds.length > 0;
}
