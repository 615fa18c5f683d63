/**
 * Names masked on request, and the scrubber of phone, ID and temperature numbers (shared with
 * Check-In Watch in nodes/shared/privacy.ts). Pure TypeScript: no n8n import.
 */

/** 张三 -> 张*, 张小三 -> 张*三, 欧阳娜娜 -> 欧**娜. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length <= 1) return chars.join('');
	if (chars.length === 2) return `${chars[0]}*`;
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** The one scrubber every node uses (group messages, digests, direct messages). */
export { scrubPrivate } from '../shared/privacy';
