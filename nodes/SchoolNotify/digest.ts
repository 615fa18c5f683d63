/**
 * Digest packing: many people in as few messages as the channel's size limit allows, grouped by
 * target group, each message mentioning the people it lists. Pure TypeScript: no n8n import.
 */
import { withKeyword, escapeAttr, textBody } from './bodies';
import { channelLabel, measure, utf8Bytes, type Channel, type JsonBody, type OutMessage } from './channels';
import { InputError } from '../shared/errors';
import { NO_MENTIONS, type Mentions } from './mentions';
import { maskName, scrubPrivate } from './privacy';
import type { DigestPerson } from './digestRows';

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
