/**
 * Digest packing: many people in as few messages as the channel's size limit allows, grouped by
 * target group, each message mentioning the people it lists (and, for escalations, the group
 * leader and the administrator). Pure TypeScript: no n8n import.
 */
import { feishuAtTags, textBody, withKeyword } from './bodies';
import { channelLabel, measure, utf8Bytes, weComBytes, type Channel, type JsonBody, type OutMessage } from './channels';
import type { RowProblem } from '../shared/errors';
import { NO_MENTIONS, type Mentions } from './mentions';
import { maskName, scrubPrivate } from './privacy';
import type { DigestPerson } from './digestRows';
import type { Format } from '../shared/escape';
import { escapeName, escapeText, NO_LINKS, type LinkPolicy } from './userText';

export interface DigestOptions {
	channel: Channel;
	header: string;
	footer: string;
	maskNames: boolean;
	mentionPeople: boolean;
	keyword?: string;
	/** Lower the size limit (tests, or leave room); never above the channel's. */
	maxBytes?: number;
	/** Hosts whose addresses in line texts stay clickable (personal links); others show as text. */
	links?: LinkPolicy;
}

type LineOptions = Pick<DigestOptions, 'maskNames' | 'channel' | 'mentionPeople' | 'links'>;

/** The format a digest goes out in: WeCom without mentions uses markdown, the others text. */
function digestFormat(opts: LineOptions): Format {
	return opts.channel === 'wecom' && !opts.mentionPeople ? 'markdown' : 'text';
}

/** Escapes a piece of a line, keeping the spaces around it (the escape trims). */
function keepSpaces(piece: string, escape: (t: string) => string): string {
	const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(piece) as RegExpExecArray;
	return m[2] ? `${m[1]}${escape(m[2])}${m[3]}` : piece;
}

/**
 * One person's line: the shown text, and (Feishu) the at-tag that must stay whole after it.
 * Names and line texts are user data: escaped for the channel first (no mention, markup or
 * layout; a line keeps only addresses on allowed hosts, the name inside it none), then scrubbed
 * of phone and ID numbers, then masked; the marks those add ("*") are the node's own.
 */
function lineParts(p: DigestPerson, opts: LineOptions): { text: string; tag: string } {
	const format = digestFormat(opts);
	const escName = (t: string) => escapeName(t, opts.channel, format);
	const escLine = (t: string) => escapeText(t, opts.channel, format, opts.links ?? NO_LINKS);
	const rawName = p.name.trim();
	// Names and lines are scrubbed alike: a phone number typed after a name is hidden too.
	const name = scrubPrivate(escName(rawName)).trim();
	const shown = opts.maskNames ? maskName(name) : name;
	let text: string;
	if (p.line) {
		const flat = p.line.replace(/\s*\n\s*/g, ' ');
		// Plain text keeps the scrubber's "***" as it is, so scrub first there (the scrubber knows
		// addresses); markdown escapes first, so that the marks stay the node's own.
		const piece = (t: string) => (format === 'text' ? keepSpaces(scrubPrivate(t), escLine) : scrubPrivate(keepSpaces(t, escLine)));
		let line = (rawName ? flat.split(rawName) : [flat]).map(piece).join(name);
		if (opts.maskNames && name) line = line.split(name).join(shown);
		text = line.includes(shown) ? `- ${line}` : `- ${shown}: ${line}`;
	} else text = `- ${shown}`;
	text = text.replace(/\s*\n\s*/g, ' ');
	const tag = opts.channel === 'feishu' && opts.mentionPeople && p.userId ? feishuAtTags([p.userId]) : '';
	return { text, tag };
}

/** The text of one person's line; never a phone number, an ID number or a temperature. */
export function digestLine(p: DigestPerson, opts: LineOptions): string {
	const { text, tag } = lineParts(p, opts);
	return tag ? `${text} ${tag}` : text;
}

/** A group's heading, scrubbed and escaped like every other part of the message. */
export function groupHeading(target: string, continued: boolean, channel: Channel = 'dingtalk'): string {
	const name = scrubPrivate(escapeName(target, channel, 'text')) || '—';
	return continued ? `【${name}】(continued)` : `【${name}】`;
}

/** Bytes a piece of content adds to the measured size, with its line break. */
function contentCost(channel: Channel, s: string): number {
	if (channel === 'wecom') return weComBytes(s) + 2; // a line break counts 2 (see weComBytes)
	return utf8Bytes(JSON.stringify(s)) - 2 + 2; // JSON-escaped text plus its escaped "\n"
}

/** Who a message @mentions beside what its lines show: person first, then escalation contacts. */
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

/** Mention ids a person adds to a message (for the size count): new ones only. */
function newMentionIds(channel: Channel, p: DigestPerson, seen: Set<string>): string[] {
	const out: string[] = [];
	const add = (id: string | undefined) => {
		if (id && !seen.has(id) && !out.includes(id)) out.push(id);
	};
	if (channel !== 'feishu') add(p.userId ?? p.mobile); // on Feishu the person's own tag is in the line
	for (const id of p.alsoUserIds ?? []) add(id);
	if (channel !== 'feishu') for (const m of p.alsoMobiles ?? []) add(m);
	return out;
}

function mentionCost(channel: Channel, ids: string[]): number {
	if (channel === 'wecom') return 0; // WeCom measures content only: mention lists are not counted
	if (channel === 'feishu') return ids.reduce((n, id) => n + contentCost(channel, feishuAtTags([id])), 0);
	return ids.reduce((n, id) => n + utf8Bytes(JSON.stringify(id)) + 1, 0);
}

function fill(template: string, count: number): string {
	return scrubPrivate(template.replace(/\{count\}/g, String(count)));
}

function digestBody(opts: DigestOptions, lines: string[], people: DigestPerson[]): JsonBody {
	const parts = [fill(opts.header, people.length), ...lines];
	const mentions = digestMentions(people, opts.channel, opts.mentionPeople);
	if (opts.channel === 'feishu' && opts.mentionPeople) {
		// Escalation contacts (group leader, administrator) once per message, after the lines.
		const inLines = new Set(people.map((p) => p.userId).filter(Boolean));
		const also = mentions.userIds.filter((id) => !inLines.has(id));
		if (also.length) parts.push(feishuAtTags(also));
	}
	parts.push(fill(opts.footer, people.length));
	const content = parts.filter((s) => s !== '').join('\n');
	if (opts.channel === 'feishu') {
		// The at-tags are in the text.
		return { msg_type: 'text', content: { text: withKeyword(content, opts.keyword) } };
	}
	if (opts.channel === 'wecom' && !opts.mentionPeople) {
		// Without mentions WeCom can use markdown, which takes twice the text.
		return { msgtype: 'markdown', markdown: { content: withKeyword(content, opts.keyword) } };
	}
	return textBody(opts.channel, { content, mentions, keyword: opts.keyword });
}

/** Room for DingTalk's mention list keys ("atMobiles", "atUserIds"), which the empty body lacks. */
const DINGTALK_MENTION_KEYS_RESERVE = 48;

export interface DigestPlan {
	messages: OutMessage[];
	/** The fewest messages the size limit allows for this content (a lower bound). */
	lowerBound: number;
	/** People whose line was shortened (with "…") to fit one message. */
	shortened: number[];
	/** People who cannot fit in any message (their name alone is too long), with the reason. */
	rejected: RowProblem[];
}

/** Quotes at most `max` characters of a value (scrubbed), for error texts. */
export function excerpt(value: string, max = 24): string {
	const chars = [...scrubPrivate(value)];
	return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The longest start of `text` (whole characters, ending "…") whose cost with `tag` fits `room`. */
function shorten(channel: Channel, text: string, tag: string, room: number): string | undefined {
	const chars = [...text];
	const cost = (n: number) => contentCost(channel, `${chars.slice(0, n).join('')}…${tag ? ` ${tag}` : ''}`);
	let lo = 0;
	let hi = chars.length;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (cost(mid) <= room) lo = mid;
		else hi = mid - 1;
	}
	if (lo < 3 || cost(lo) > room) return undefined; // not even "- X…"
	return `${chars.slice(0, lo).join('')}…`;
}

interface Draft {
	lines: string[];
	people: DigestPerson[];
	ids: Set<string>;
	cost: number;
	currentTarget?: string;
}

const emptyDraft = (): Draft => ({ lines: [], people: [], ids: new Set(), cost: 0 });

/**
 * Packs people into as few text messages as the channel's size limit allows. People are grouped
 * by target group (one heading per group, groups in order of first appearance); a group that
 * does not fit in the room left continues in the next message under a "(continued)" heading.
 * Each message mentions the people it names. A line too long for a message of its own is
 * shortened; a person who cannot fit at all is rejected with the reason, and the rest go on.
 */
export function packDigest(people: DigestPerson[], opts: DigestOptions): DigestPlan {
	const channel = opts.channel;
	const groups = new Map<string, DigestPerson[]>();
	for (const p of people) {
		const g = groups.get(p.target);
		if (g) g.push(p);
		else groups.set(p.target, [p]);
	}
	const empty = measure(channel, digestBody(opts, [], []));
	let limit = empty.limit;
	if (opts.maxBytes && opts.maxBytes > 0) limit = Math.min(limit, opts.maxBytes);
	// The header and footer may hold {count}: leave room for its widest value.
	const reserve = channel === 'dingtalk' ? DINGTALK_MENTION_KEYS_RESERVE : 0;
	const room = limit - (empty.size + countSlack(opts, people.length) + reserve);

	const messages: OutMessage[] = [];
	const shortened: number[] = [];
	const rejected: RowProblem[] = [];
	let draft = emptyDraft();
	let totalCost = 0;
	const flush = () => {
		if (!draft.people.length) return;
		const body = digestBody(opts, draft.lines, draft.people);
		const m = measure(channel, body);
		if (m.size > limit) throw new Error(`Digest packing overflow: ${m.size} > ${limit}`);
		messages.push({ body, size: m.size, limit, rows: draft.people.map((p) => p.row) });
		draft = emptyDraft();
	};

	for (const [target, members] of groups) {
		const heading = groupHeading(target, false, channel);
		const continuedCost = contentCost(channel, groupHeading(target, true, channel));
		let headingCounted = false;
		let placed = false;
		for (const p of members) {
			const parts = lineParts(p, opts);
			let line = parts.tag ? `${parts.text} ${parts.tag}` : parts.text;
			let lineBytes = contentCost(channel, line);
			let ids = newMentionIds(channel, p, draft.ids);
			let idsCost = mentionCost(channel, ids);
			// A line that cannot fit even in a message of its own is shortened, or the person rejected.
			// (Mentions already in the draft cost nothing here, so check against a fresh message.)
			const alone = draft.ids.size ? mentionCost(channel, newMentionIds(channel, p, new Set())) : idsCost;
			if (continuedCost + lineBytes + alone > room) {
				const text = shorten(channel, parts.text, parts.tag, room - continuedCost - alone);
				if (text === undefined) {
					rejected.push({
						row: p.row,
						field: 'name',
						message: `The name "${excerpt(p.name)}" with its mentions does not fit in one ${channelLabel(channel)} message (room ${room} bytes); this person was not sent`,
					});
					continue;
				}
				line = parts.tag ? `${text} ${parts.tag}` : text;
				lineBytes = contentCost(channel, line);
				shortened.push(p.row);
			}
			if (!headingCounted) {
				totalCost += contentCost(channel, heading);
				headingCounted = true;
			}
			let lineCost = lineBytes + idsCost;
			totalCost += lineCost;
			const needHeading = draft.currentTarget !== target;
			const headingCost = needHeading ? contentCost(channel, heading) : 0;
			if (draft.cost + headingCost + lineCost > room) {
				flush();
				ids = newMentionIds(channel, p, draft.ids);
				idsCost = mentionCost(channel, ids);
				lineCost = lineBytes + idsCost;
				const h = groupHeading(target, placed, channel);
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
			for (const id of ids) draft.ids.add(id);
			draft.cost += lineCost;
			placed = true;
		}
	}
	flush();
	const placedCount = people.length - rejected.length;
	return { messages, lowerBound: placedCount ? Math.ceil(totalCost / room) : 0, shortened, rejected };
}

function countSlack(opts: DigestOptions, n: number): number {
	const uses = (opts.header.match(/\{count\}/g)?.length ?? 0) + (opts.footer.match(/\{count\}/g)?.length ?? 0);
	return uses * String(n).length;
}
