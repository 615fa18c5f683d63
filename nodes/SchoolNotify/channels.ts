/**
 * The three robot channels and their documented size limits: how a message is measured and
 * whether it fits. Pure TypeScript: no n8n import, no network.
 */
import { InputError } from '../shared/errors';

export type Channel = 'wecom' | 'dingtalk' | 'feishu';
export type JsonBody = Record<string, unknown>;

export const CHANNELS: Channel[] = ['wecom', 'dingtalk', 'feishu'];

/** Documented size limits, in UTF-8 bytes. */
export const SIZE_LIMITS = {
	/** WeCom text: the `content` field. */
	wecomText: 2048,
	/** WeCom markdown: the `content` field (over it: 40058). */
	wecomMarkdown: 4096,
	/** DingTalk: the whole request body. */
	dingtalk: 20000,
	/**
	 * Feishu: the whole request body, documented as "20 KB" without saying whether a KB is 1,000
	 * or 1,024 bytes: the smaller reading, as a safety margin.
	 */
	feishu: 20_000,
} as const;

/** Room left in Feishu bodies for the `timestamp` and `sign` fields added at signing time. */
export const FEISHU_SIGN_RESERVE = 96;

/** A message ready to post, with the input rows it carries. */
export interface OutMessage {
	body: JsonBody;
	/** The measured size and the limit it was measured against. */
	size: number;
	limit: number;
	rows: number[];
}

export function channelLabel(channel: Channel): string {
	return channel === 'wecom' ? 'WeCom' : channel === 'dingtalk' ? 'DingTalk' : 'Feishu';
}

/** UTF-8 length of a string, without Buffer or TextEncoder. */
export function utf8Bytes(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x80) n += 1;
		else if (c < 0x800) n += 2;
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
			n += 4;
			i++;
		} else n += 3;
	}
	return n;
}

/**
 * WeCom's count for text and markdown `content`: UTF-8 bytes ("最长不超过2048个字节，必须是utf8编码").
 * WeCom does not document how a line break counts; as a safety margin each one counts 2 bytes
 * (as if sent as CR LF), so a message near the limit is never refused for its line breaks.
 */
export function weComBytes(s: string): number {
	let breaks = 0;
	for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) breaks++;
	return utf8Bytes(s) + breaks;
}

/** The size that counts against the channel's limit, and that limit. */
export function measure(channel: Channel, body: JsonBody): { size: number; limit: number; field: string } {
	if (channel === 'wecom') {
		const type = String(body.msgtype);
		const part = (body[type] ?? {}) as JsonBody;
		if (type === 'text') return { size: weComBytes(String(part.content ?? '')), limit: SIZE_LIMITS.wecomText, field: 'content' };
		if (type === 'markdown') {
			return { size: weComBytes(String(part.content ?? '')), limit: SIZE_LIMITS.wecomMarkdown, field: 'content' };
		}
		return { size: utf8Bytes(JSON.stringify(body)), limit: SIZE_LIMITS.wecomMarkdown, field: 'card' };
	}
	if (channel === 'dingtalk') return { size: utf8Bytes(JSON.stringify(body)), limit: SIZE_LIMITS.dingtalk, field: 'message' };
	return { size: utf8Bytes(JSON.stringify(body)), limit: SIZE_LIMITS.feishu - FEISHU_SIGN_RESERVE, field: 'message' };
}

/** Throws an InputError when a single message is over the channel's limit. */
export function checkSize(channel: Channel, body: JsonBody, row?: number, field?: string): { size: number; limit: number } {
	const m = measure(channel, body);
	if (m.size > m.limit) {
		throw new InputError(`The message is ${m.size} bytes; ${channelLabel(channel)} takes at most ${m.limit}`, {
			row,
			field: field ?? m.field,
			hint: 'Shorten the text, or use the Digest operation, which splits long lists into several messages.',
		});
	}
	return m;
}
