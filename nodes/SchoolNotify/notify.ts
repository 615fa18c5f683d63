/**
 * School Notify on plain data: message bodies per channel, size limits, @mentions, privacy
 * scrubbing and digest packing. Pure TypeScript: no n8n import, no network.
 */
import { InputError, type RowProblem } from '../shared/errors';
import { isEmptyRow, type Row } from '../shared/rows';

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
	/** Feishu: the whole request body (20 KB). */
	feishu: 20 * 1024,
} as const;

/** Room left in Feishu bodies for the `timestamp` and `sign` fields added at signing time. */
export const FEISHU_SIGN_RESERVE = 96;

export interface Mentions {
	mobiles: string[];
	userIds: string[];
	all: boolean;
}

export const NO_MENTIONS: Mentions = { mobiles: [], userIds: [], all: false };

/** A message ready to post, with the input rows it carries. */
export interface OutMessage {
	body: JsonBody;
	/** The measured size and the limit it was measured against. */
	size: number;
	limit: number;
	rows: number[];
}

// ---------------------------------------------------------------------------------------------
// Sizes

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

/** The size that counts against the channel's limit, and that limit. */
export function measure(channel: Channel, body: JsonBody): { size: number; limit: number; field: string } {
	if (channel === 'wecom') {
		const type = String(body.msgtype);
		const part = (body[type] ?? {}) as JsonBody;
		if (type === 'text') return { size: utf8Bytes(String(part.content ?? '')), limit: SIZE_LIMITS.wecomText, field: 'content' };
		if (type === 'markdown') {
			return { size: utf8Bytes(String(part.content ?? '')), limit: SIZE_LIMITS.wecomMarkdown, field: 'content' };
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

export function channelLabel(channel: Channel): string {
	return channel === 'wecom' ? 'WeCom' : channel === 'dingtalk' ? 'DingTalk' : 'Feishu';
}

// ---------------------------------------------------------------------------------------------
// Mentions and privacy

/** Splits "138..., 139..." or an array into trimmed, de-duplicated values. */
export function splitValues(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[,，;；\s]+/);
	return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
}

const MOBILE = /^\+?\d{6,15}$/;

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

/** 张三 -> 张*, 张小三 -> 张*三, 欧阳娜娜 -> 欧**娜. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length <= 1) return chars.join('');
	if (chars.length === 2) return `${chars[0]}*`;
	return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

const HIDDEN = '***';

/**
 * Removes what a digest must never show: mobile and landline numbers, ID card numbers,
 * temperatures, and any other long run of digits.
 */
export function scrubPrivate(text: string): string {
	// Links (a personal form link carries an expiry and a signature), dates (2026-03-10) and clock
	// times (09:00) are not private: keep them out of the digit rules.
	const kept: string[] = [];
	const shielded = text.replace(/https?:\/\/[^\s<>"'）)]+|(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)|(?<![\d.])\d{1,2}:\d{2}(?!\d)/g, (m) => {
		kept.push(m);
		return `\uE000${kept.length - 1}\uE000`;
	});
	return scrubDigits(shielded).replace(/\uE000(\d+)\uE000/g, (_, i: string) => kept[Number(i)]);
}

function scrubDigits(text: string): string {
	return (
		text
			// ID card numbers (18 with a possible X check digit, or the old 15)
			.replace(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, HIDDEN)
			// mobile numbers, also written 138 0013 8000 or 138-0013-8000, with an optional +86
			.replace(/(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, HIDDEN)
			// temperatures with a unit: 37.5℃, 37.5 °C, 38度
			.replace(/\d{2}(?:[.,]\d{1,2})?\s*(?:℃|°\s*[CcF]?|度)/g, HIDDEN)
			// body temperatures without a unit: 35.0 to 42.9
			.replace(/(?<![\d.])(?:3[5-9]|4[0-2])[.,]\d{1,2}(?![\d.])/g, HIDDEN)
			// any other run of 7 or more digits (landlines, student and ID numbers)
			.replace(/\d[\d\s-]{5,}\d/g, (m) => (m.replace(/\D/g, '').length >= 7 ? HIDDEN : m))
	);
}

// ---------------------------------------------------------------------------------------------
// Keyword

/** Puts the robot's keyword in front of the text when it is missing. */
export function withKeyword(text: string, keyword: string | undefined): string {
	const k = (keyword ?? '').trim();
	if (!k || text.includes(k)) return text;
	return `【${k}】${text}`;
}

// ---------------------------------------------------------------------------------------------
// Text and markdown

export interface TextMessage {
	content: string;
	mentions: Mentions;
	keyword?: string;
}

function feishuAtText(m: Mentions): string {
	const tags = m.userIds.map((id) => `<at user_id="${escapeAttr(id)}"></at>`);
	if (m.all) tags.push('<at user_id="all">所有人</at>');
	return tags.join(' ');
}

function feishuAtMd(m: Mentions): string {
	const tags = m.userIds.map((id) => `<at id=${escapeAttr(id)}></at>`);
	if (m.all) tags.push('<at id=all></at>');
	return tags.join(' ');
}

function escapeAttr(s: string): string {
	return s.replace(/["<>]/g, '');
}

function requireNoFeishuMobiles(m: Mentions, row?: number): void {
	if (m.mobiles.length) {
		throw new InputError('Feishu custom bots cannot @mention by mobile number', {
			row,
			field: 'mentionMobiles',
			hint: 'Mention by open_id or user_id (Mention User IDs) instead.',
		});
	}
}

function requireContent(content: string, row?: number): void {
	if (!content.trim()) throw new InputError('The message is empty', { row, field: 'content' });
}

export function textBody(channel: Channel, msg: TextMessage, row?: number): JsonBody {
	requireContent(msg.content, row);
	const content = withKeyword(msg.content, msg.keyword);
	const m = msg.mentions;
	if (channel === 'wecom') {
		const text: JsonBody = { content };
		const list = [...m.userIds, ...(m.all ? ['@all'] : [])];
		if (list.length) text.mentioned_list = list;
		if (m.mobiles.length) text.mentioned_mobile_list = m.mobiles;
		return { msgtype: 'text', text };
	}
	if (channel === 'dingtalk') {
		return { msgtype: 'text', text: { content }, at: dingTalkAt(m) };
	}
	requireNoFeishuMobiles(m, row);
	const at = feishuAtText(m);
	return { msg_type: 'text', content: { text: at ? `${content} ${at}` : content } };
}

function dingTalkAt(m: Mentions): JsonBody {
	const at: JsonBody = { isAtAll: m.all };
	if (m.mobiles.length) at.atMobiles = m.mobiles;
	if (m.userIds.length) at.atUserIds = m.userIds;
	return at;
}

export interface MarkdownMessage extends TextMessage {
	title: string;
}

export function markdownBody(channel: Channel, msg: MarkdownMessage, row?: number): JsonBody {
	requireContent(msg.content, row);
	const m = msg.mentions;
	if (channel === 'wecom') {
		if (hasMentions(m)) {
			throw new InputError('WeCom markdown messages cannot @mention anyone', {
				row,
				field: 'messageType',
				hint: 'Use the Text message type to @mention people on WeCom, or clear the mentions.',
			});
		}
		return { msgtype: 'markdown', markdown: { content: withKeyword(msg.content, msg.keyword) } };
	}
	if (channel === 'dingtalk') {
		// DingTalk markdown only highlights people whose @mobile / @userId is in the text.
		const tags = [...m.mobiles, ...m.userIds].map((x) => `@${x}`).join(' ');
		let text = withKeyword(msg.content, msg.keyword);
		if (tags) text = `${text}\n\n${tags}`;
		return { msgtype: 'markdown', markdown: { title: msg.title || firstLine(msg.content), text }, at: dingTalkAt(m) };
	}
	requireNoFeishuMobiles(m, row);
	const at = feishuAtMd(m);
	const md = withKeyword(msg.content, msg.keyword);
	const card: JsonBody = {
		config: { wide_screen_mode: true },
		elements: [{ tag: 'markdown', content: at ? `${md}\n${at}` : md }],
	};
	if (msg.title) card.header = { title: { tag: 'plain_text', content: msg.title }, template: 'blue' };
	return { msg_type: 'interactive', card };
}

function firstLine(s: string): string {
	return (s.split('\n').find((l) => l.trim()) ?? '').replace(/^[#>*\-\s]+/, '').slice(0, 40) || 'Notice';
}

// ---------------------------------------------------------------------------------------------
// Cards with a button link

export interface CardMessage {
	title: string;
	text: string;
	buttonText: string;
	url: string;
	/** WeCom only: a template_card (text notice) or a news article. */
	weComStyle?: 'templateCard' | 'news';
	keyword?: string;
}

export function checkUrl(url: string, row?: number): string {
	const u = url.trim();
	if (!/^https?:\/\/[^\s]+$/i.test(u)) {
		throw new InputError('The button link must be an http(s) address', { row, field: 'buttonUrl' });
	}
	return u;
}

export function cardBody(channel: Channel, card: CardMessage, row?: number): JsonBody {
	const url = checkUrl(card.url, row);
	const title = card.title.trim();
	if (!title) throw new InputError('The card title is empty', { row, field: 'cardTitle' });
	const buttonText = card.buttonText.trim() || 'Open';
	if (channel === 'dingtalk') {
		return {
			msgtype: 'actionCard',
			actionCard: {
				title,
				text: withKeyword(`### ${title}\n\n${card.text}`, card.keyword),
				btnOrientation: '0',
				singleTitle: buttonText,
				singleURL: url,
			},
		};
	}
	if (channel === 'feishu') {
		return {
			msg_type: 'interactive',
			card: {
				config: { wide_screen_mode: true },
				header: { title: { tag: 'plain_text', content: withKeyword(title, card.keyword) }, template: 'blue' },
				elements: [
					{ tag: 'div', text: { tag: 'lark_md', content: card.text } },
					{
						tag: 'action',
						actions: [{ tag: 'button', text: { tag: 'plain_text', content: buttonText }, type: 'primary', url }],
					},
				],
			},
		};
	}
	if (card.weComStyle === 'news') {
		return {
			msgtype: 'news',
			news: { articles: [{ title: withKeyword(title, card.keyword), description: card.text, url }] },
		};
	}
	return {
		msgtype: 'template_card',
		template_card: {
			card_type: 'text_notice',
			main_title: { title: withKeyword(title, card.keyword) },
			sub_title_text: card.text,
			jump_list: [{ type: 1, title: buttonText, url }],
			card_action: { type: 1, url },
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Digest

export interface DigestFields {
	targetGroup: string;
	name: string;
	mobile: string;
	userId: string;
	line: string;
}

export const DEFAULT_DIGEST_FIELDS: DigestFields = {
	targetGroup: 'targetGroup',
	name: 'recipientName',
	mobile: 'recipientMobile',
	userId: 'recipientUserId',
	line: 'message',
};

export interface DigestPerson {
	row: number;
	target: string;
	name: string;
	mobile?: string;
	userId?: string;
	line?: string;
	/** Others to @mention with this line (escalations: the group leader, the administrator on duty). */
	alsoMobiles?: string[];
	alsoUserIds?: string[];
}

/** Item fields that add people to @mention beside the person named (as Check-In Watch outputs). */
export const ALSO_MENTION_FIELDS = { mobiles: 'mentionMobiles', userIds: 'mentionUserIds' };

function listField(row: Row, name: string): string[] {
	const v = row[name];
	const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,，;；\s]+/) : [];
	return list.map((x) => String(x).trim()).filter(Boolean);
}

function field(row: Row, name: string): string {
	if (!name) return '';
	const v = row[name];
	return v === undefined || v === null ? '' : String(v).trim();
}

/** Reads one person per input item; rows without a name become problems, `{}` rows are skipped. */
export function readDigestRows(
	rows: Row[],
	fields: DigestFields,
): { people: DigestPerson[]; problems: RowProblem[]; skipped: number[] } {
	const people: DigestPerson[] = [];
	const problems: RowProblem[] = [];
	const skipped: number[] = [];
	rows.forEach((r, row) => {
		if (isEmptyRow(r)) {
			skipped.push(row);
			return;
		}
		const name = field(r, fields.name);
		if (!name) {
			problems.push({ row, field: fields.name, message: `"${fields.name}" is empty: a digest line needs the person's name` });
			return;
		}
		const mobile = field(r, fields.mobile).replace(/[\s-]/g, '');
		people.push({
			row,
			target: field(r, fields.targetGroup),
			name,
			mobile: mobile && MOBILE.test(mobile) ? mobile : undefined,
			userId: field(r, fields.userId) || undefined,
			line: field(r, fields.line) || undefined,
			alsoMobiles: listField(r, ALSO_MENTION_FIELDS.mobiles)
				.map((m) => m.replace(/[\s-]/g, ''))
				.filter((m) => MOBILE.test(m)),
			alsoUserIds: listField(r, ALSO_MENTION_FIELDS.userIds),
		});
	});
	return { people, problems, skipped };
}

export interface DigestOptions {
	channel: Channel;
	header: string;
	footer: string;
	maskNames: boolean;
	mentionPeople: boolean;
	keyword?: string;
	/** Lower the size limit (tests, or leave room); never above the channel's. */
	maxBytes?: number;
}

/** The text of one person's line; never a phone number, an ID number or a temperature. */
export function digestLine(p: DigestPerson, opts: Pick<DigestOptions, 'maskNames' | 'channel' | 'mentionPeople'>): string {
	const shown = opts.maskNames ? maskName(p.name) : p.name;
	let text: string;
	if (p.line) {
		let line = scrubPrivate(p.line);
		if (opts.maskNames && p.name) line = line.split(p.name).join(shown);
		text = line.includes(shown) ? `- ${line}` : `- ${shown}: ${line}`;
	} else text = `- ${shown}`;
	text = text.replace(/\s*\n\s*/g, ' ');
	if (opts.channel === 'feishu' && opts.mentionPeople && p.userId) text += ` <at user_id="${escapeAttr(p.userId)}"></at>`;
	return text;
}

function groupHeading(target: string, continued: boolean): string {
	const name = target || '—';
	return continued ? `【${name}】(continued)` : `【${name}】`;
}

interface Draft {
	lines: string[];
	people: DigestPerson[];
	cost: number;
	currentTarget?: string;
}

/** Bytes a piece of content adds to the measured size (JSON-escaped where the body is measured). */
function contentCost(channel: Channel, s: string): number {
	if (channel === 'wecom') return utf8Bytes(s) + 1;
	return utf8Bytes(JSON.stringify(s)) - 2 + 2; // the text plus its escaped "\n"
}

function mentionCost(channel: Channel, p: DigestPerson): number {
	if (channel !== 'dingtalk') return 0; // WeCom lists are not counted; Feishu's tag is in the line
	const ids = [p.userId ?? p.mobile, ...(p.alsoUserIds ?? []), ...(p.alsoMobiles ?? [])].filter(Boolean) as string[];
	return ids.reduce((n, id) => n + utf8Bytes(JSON.stringify(id)) + 1, 0);
}

function digestMentions(people: DigestPerson[], channel: Channel, on: boolean): Mentions {
	if (!on) return NO_MENTIONS;
	const userIds: string[] = [];
	const mobiles: string[] = [];
	for (const p of people) {
		if (p.userId) userIds.push(p.userId);
		else if (p.mobile && channel !== 'feishu') mobiles.push(p.mobile);
		userIds.push(...(p.alsoUserIds ?? []));
		if (channel !== 'feishu') mobiles.push(...(p.alsoMobiles ?? []));
	}
	return { userIds: [...new Set(userIds)], mobiles: [...new Set(mobiles)], all: false };
}

function fill(template: string, count: number): string {
	return template.replace(/\{count\}/g, String(count));
}

function digestBody(opts: DigestOptions, lines: string[], people: DigestPerson[]): JsonBody {
	const parts = [fill(opts.header, people.length), ...lines, fill(opts.footer, people.length)].filter((s) => s !== '');
	const mentions = digestMentions(people, opts.channel, opts.mentionPeople);
	const content = parts.join('\n');
	if (opts.channel === 'feishu') {
		// The at-tags are already in the lines.
		return { msg_type: 'text', content: { text: withKeyword(content, opts.keyword) } };
	}
	if (opts.channel === 'wecom' && !opts.mentionPeople) {
		// Without mentions WeCom can use markdown, which takes twice the text.
		return { msgtype: 'markdown', markdown: { content: withKeyword(content, opts.keyword) } };
	}
	return textBody(opts.channel, { content, mentions, keyword: opts.keyword });
}

const MENTION_KEYS_RESERVE = 48;

export interface DigestPlan {
	messages: OutMessage[];
	/** The fewest messages the size limit allows for this content (a lower bound). */
	lowerBound: number;
}

/**
 * Packs people into as few text messages as the channel's size limit allows. People are grouped
 * by target group (one heading per group, groups in order of first appearance); a group that
 * does not fit in the room left continues in the next message under a "(continued)" heading.
 * Each message mentions the people it names.
 */
export function packDigest(people: DigestPerson[], opts: DigestOptions): DigestPlan {
	const channel = opts.channel;
	const groups = new Map<string, DigestPerson[]>();
	for (const p of people) {
		const g = groups.get(p.target);
		if (g) g.push(p);
		else groups.set(p.target, [p]);
	}
	const full = measure(channel, digestBody(opts, [], []));
	let limit = full.limit;
	if (opts.maxBytes && opts.maxBytes > 0) limit = Math.min(limit, opts.maxBytes);
	// The header and footer may hold {count}: leave room for its widest value.
	// Room for the mention lists' keys (DingTalk) on top of the measured empty message.
	const base = measure(channel, digestBody(opts, [], [])).size + countSlack(opts, people.length) + MENTION_KEYS_RESERVE;
	const room = limit - base;

	const messages: OutMessage[] = [];
	let draft: Draft = { lines: [], people: [], cost: 0 };
	let totalCost = 0;
	const flush = () => {
		if (!draft.people.length) return;
		const body = digestBody(opts, draft.lines, draft.people);
		const m = measure(channel, body);
		if (m.size > limit) throw new Error(`Digest packing overflow: ${m.size} > ${limit}`);
		messages.push({ body, size: m.size, limit, rows: draft.people.map((p) => p.row) });
		draft = { lines: [], people: [], cost: 0 };
	};

	for (const [target, members] of groups) {
		const heading = groupHeading(target, false);
		const continuedCost = contentCost(channel, groupHeading(target, true));
		totalCost += contentCost(channel, heading);
		let placed = false;
		for (const p of members) {
			const line = digestLine(p, opts);
			const lineCost = contentCost(channel, line) + mentionCost(channel, p);
			totalCost += lineCost;
			if (continuedCost + lineCost > room) {
				throw new InputError(`One line is too long for a ${channelLabel(channel)} message (${lineCost} bytes)`, {
					row: p.row,
					field: 'line',
				});
			}
			const needHeading = draft.currentTarget !== target;
			const headingCost = needHeading ? contentCost(channel, heading) : 0;
			if (draft.cost + headingCost + lineCost > room) {
				flush();
				const h = groupHeading(target, placed);
				draft.lines.push(h);
				draft.cost += contentCost(channel, h);
				draft.currentTarget = target;
			} else if (needHeading) {
				draft.lines.push(heading);
				draft.cost += headingCost;
				draft.currentTarget = target;
			}
			draft.lines.push(line);
			draft.people.push(p);
			draft.cost += lineCost;
			placed = true;
		}
	}
	flush();
	return { messages, lowerBound: people.length ? Math.ceil(totalCost / room) : 0 };
}

function countSlack(opts: DigestOptions, n: number): number {
	const uses = (opts.header.match(/\{count\}/g)?.length ?? 0) + (opts.footer.match(/\{count\}/g)?.length ?? 0);
	return uses * String(n).length;
}
