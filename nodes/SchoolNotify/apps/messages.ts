/**
 * Direct message bodies for the three platforms' app APIs, from plain data. Pure TypeScript.
 *
 * Everything typed into the title, text and link text is treated as untrusted (it is usually an
 * expression over form answers): phone, ID and temperature-like digits are hidden, and the
 * characters that make markdown, HTML or mention syntax are replaced by their full-width
 * look-alikes, so that user text can never mention everyone, add a link or change the layout.
 * Addresses typed in the text are shown but not clickable: the only link is the Link field.
 */
import { InputError } from '../../shared/errors';
import { checkUrl } from '../bodies';
import { utf8Bytes } from '../channels';
import { scrubPrivate } from '../privacy';
import { SIZE, type AppPlatform } from './platforms';

export type MessageStyle = 'text' | 'card';

export interface DirectMessage {
	style: MessageStyle;
	title: string;
	text: string;
	/** The one clickable link (an http(s) address), optional for text messages. */
	link?: string;
	linkText?: string;
}

export type AppBody = Record<string, unknown>;

const FULL_WIDTH: Record<string, string> = {
	'<': '＜',
	'>': '＞',
	'[': '［',
	']': '］',
	'(': '（',
	')': '）',
	'*': '＊',
	_: '＿',
	'`': '｀',
	'#': '＃',
	'!': '！',
	'|': '｜',
	'~': '～',
	'@': '＠',
	$: '＄',
	'\\': '＼',
	'{': '｛',
	'}': '｝',
};

/** Makes typed addresses unclickable: "https://x" -> "https：//x", "www.x" -> "www．x". */
export function defangLinks(s: string): string {
	return s.replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1：//').replace(/\bwww\./gi, 'www．');
}

/** For plain text that a platform may still read as HTML or mentions (WeCom <a>, Feishu <at>). */
export function escapePlain(s: string): string {
	return defangLinks(s).replace(/[<>@$\\{}]/g, (c) => FULL_WIDTH[c]);
}

/** For markdown: no links, images, emphasis, code, headings, lists, quotes, tables or mentions. */
export function escapeMarkdown(s: string): string {
	return defangLinks(s)
		.replace(/[<>[\]()*_`#!|~@$\\{}]/g, (c) => FULL_WIDTH[c])
		.replace(/^(\s*)([-+=])/gm, (_, sp: string, c: string) => `${sp}${c === '-' ? '－' : c === '+' ? '＋' : '＝'}`)
		.replace(/^(\s*\d+)\./gm, '$1．');
}

/** Hides private digits, then trims and limits blank lines (layout stays the sender's). */
export function cleanText(s: unknown): string {
	return scrubPrivate(String(s ?? ''))
		.replace(/\r\n?/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

function linkOf(url: string, row?: number): string {
	try {
		return checkUrl(url, row);
	} catch {
		throw new InputError('The link must be an http(s) address', { row, field: 'link' });
	}
}

function limit(value: string, max: number, unit: 'bytes' | 'characters', field: string, row?: number): string {
	const size = unit === 'bytes' ? utf8Bytes(value) : [...value].length;
	if (size > max) {
		throw new InputError(`The ${field} is ${size} ${unit}; the platform takes at most ${max}`, { row, field });
	}
	return value;
}

/** The platform's message body (without recipients) for one message. */
export function buildBody(platform: AppPlatform, m: DirectMessage, row?: number): AppBody {
	const title = cleanText(m.title);
	const text = cleanText(m.text);
	const linkText = cleanText(m.linkText) || 'Open';
	const link = m.link?.trim() ? linkOf(m.link, row) : undefined;
	if (!title && !text) throw new InputError('The message has no title and no text', { row, field: 'text' });
	if (m.style === 'card' && !link) {
		throw new InputError('A card needs a link for its button', { row, field: 'link' });
	}
	if (platform === 'dingtalk') return dingTalkBody(m.style, title, text, link, linkText, row);
	if (platform === 'wecom') return weComBody(m.style, title, text, link, linkText, row);
	return feishuBody(m.style, title, text, link, linkText, row);
}

/** Shortens a title to `max` characters or bytes, ending in "…" (a title is a preview). */
export function shorten(value: string, max: number, unit: 'bytes' | 'characters'): string {
	const size = (v: string) => (unit === 'bytes' ? utf8Bytes(v) : [...v].length);
	if (size(value) <= max) return value;
	const chars = [...value];
	while (chars.length && size(`${chars.join('')}…`) > max) chars.pop();
	return `${chars.join('')}…`;
}

function joinLines(...parts: Array<string | undefined>): string {
	return parts.filter((p) => p !== undefined && p !== '').join('\n');
}

function dingTalkBody(style: MessageStyle, title: string, text: string, link: string | undefined, linkText: string, row?: number): AppBody {
	if (style === 'card') {
		const t = shorten(escapeMarkdown(title || text.split('\n')[0]), SIZE.dingtalkTitle, 'characters');
		const markdown = limit(joinLines(title ? `#### ${escapeMarkdown(title)}` : undefined, escapeMarkdown(text)), SIZE.dingtalkText, 'characters', 'text', row);
		return {
			msgtype: 'action_card',
			action_card: { title: t, markdown, single_title: limit(escapeMarkdown(linkText), SIZE.dingtalkButton, 'characters', 'linkText', row), single_url: link },
		};
	}
	// Plain text: DingTalk shows it as typed and makes the link address clickable.
	const content = joinLines(escapePlain(title), escapePlain(text), link ? `${escapePlain(linkText)}: ${link}` : undefined);
	return { msgtype: 'text', text: { content: limit(content, SIZE.dingtalkText, 'characters', 'text', row) } };
}

function weComBody(style: MessageStyle, title: string, text: string, link: string | undefined, linkText: string, row?: number): AppBody {
	if (style === 'card') {
		return {
			msgtype: 'textcard',
			textcard: {
				title: shorten(escapePlain(title || text.split('\n')[0]), SIZE.wecomCardTitle, 'bytes'),
				description: limit(escapePlain(text), SIZE.wecomCardDescription, 'bytes', 'text', row),
				url: link,
				btntxt: [...escapePlain(linkText)].slice(0, 4).join(''),
			},
		};
	}
	// WeCom text reads <a href> tags: the link is the only one, user text cannot add another.
	const anchor = link ? `<a href="${link.replace(/"/g, '%22')}">${escapePlain(linkText)}</a>` : undefined;
	const content = joinLines(escapePlain(title), escapePlain(text), anchor);
	return { msgtype: 'text', text: { content: limit(content, SIZE.wecomText, 'bytes', 'text', row) } };
}

function feishuBody(style: MessageStyle, title: string, text: string, link: string | undefined, linkText: string, row?: number): AppBody {
	if (style === 'card') {
		const card = {
			config: { wide_screen_mode: true },
			header: { title: { tag: 'plain_text', content: escapePlain(title || text.split('\n')[0]) }, template: 'blue' },
			elements: [
				// plain_text: Feishu renders no markdown, link or <at> in it
				{ tag: 'div', text: { tag: 'plain_text', content: escapePlain(text) } },
				{ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: escapePlain(linkText) }, type: 'primary', url: link }] },
			],
		};
		const content = JSON.stringify(card);
		limit(content, SIZE.feishuCard, 'bytes', 'text', row);
		return { msg_type: 'interactive', content };
	}
	const content = JSON.stringify({ text: joinLines(escapePlain(title), escapePlain(text), link ? `${escapePlain(linkText)}: ${link}` : undefined) });
	limit(content, SIZE.feishuText, 'bytes', 'text', row);
	return { msg_type: 'text', content };
}
