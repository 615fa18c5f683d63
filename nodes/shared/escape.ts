/**
 * User text (a visitor's name, a reason, a destination) put into a robot or app message. The
 * channels render different markup, and none documents a reliable backslash escape:
 * - DingTalk markdown and ActionCard text: headings, quotes, lists, **bold**, [links](..),
 *   ![images](..), <font> tags; "@mobile" in the text goes with at.atMobiles.
 * - WeCom markdown: the same, plus <font color>, and <@userid> mentions; text messages autolink.
 * - Feishu: lark_md in cards (markdown, <at id=all></at>, <font>), and text messages that take
 *   <at user_id="all">所有人</at>.
 * So the escape does not rely on any of them: it replaces every character that can start markup
 * with its full-width twin (＜ ＞ ［ ］ ＊ ＿ ～ ｀ ＼ ｜ ＆ ＠), breaks URL schemes and domain
 * names, flattens line breaks (or, for multi-line text, neutralises each line's first
 * character), and removes control, zero-width and bidirectional characters. The result reads
 * the same to a person and is plain text to every renderer: it cannot mention anyone, add a
 * link or an image, start a heading, a list or a quote, or change the layout.
 * Pure TypeScript: no n8n import.
 */

export type Channel = 'dingtalk' | 'wecom' | 'feishu';
export type Format = 'markdown' | 'text' | 'card';

export interface EscapeOptions {
	/** Keep line breaks (each line is made safe on its own). Default: one line. */
	multiline?: boolean;
	/** Cut to this many characters (an ellipsis marks the cut). */
	maxLength?: number;
}

/** Characters that open markup or mentions anywhere on a line, and their full-width twins. */
const INLINE: Record<string, string> = {
	'<': '＜',
	'>': '＞',
	'[': '［',
	']': '］',
	'*': '＊',
	_: '＿',
	'~': '～',
	'`': '｀',
	'\\': '＼',
	'|': '｜',
	'&': '＆',
	'@': '＠',
};

/** Characters that open a block (heading, quote, list, rule, setext underline) at a line start. */
const LINE_START: Record<string, string> = {
	'#': '＃',
	'-': '－',
	'+': '＋',
	'=': '＝',
	'>': '＞',
	'*': '＊',
};

// Control characters (except tab and line feed), zero-width and bidirectional marks, BOM.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Makes one line safe: inline markup, URL schemes, domain-like dots, the line's first character. */
function safeLine(line: string): string {
	let out = line.replace(/[<>[\]*_~`\\|&@]/g, (c) => INLINE[c]);
	// "http://x", "ftp://", "dingtalk://": the scheme separator is what makes a link.
	out = out.replace(/:\/\//g, '：//');
	// "www.x" and "name.com": a dot between a letter or digit and a letter starts a domain name.
	out = out.replace(/([A-Za-z0-9])\.(?=[A-Za-z])/g, '$1．').replace(/\b(www)\./gi, '$1．');
	// Indentation makes code blocks: drop it; then the block markers of the first character.
	out = out.replace(/^[ \t]+/, '');
	out = out.replace(/^[#\-+=>*]/, (c) => LINE_START[c] ?? c);
	// "1. item" and "1) item" start an ordered list.
	out = out.replace(/^(\d+)([.)])/, (_m, d: string, p: string) => `${d}${p === '.' ? '．' : '）'}`);
	return out;
}

/**
 * Escapes user text for a channel's format. The same rules serve every channel and format (the
 * strictest of them), so a template can be switched between markdown, text and card safely;
 * `channel` and `format` are kept for the call sites to say what they mean.
 */
export function escapeUserText(value: unknown, _channel: Channel, _format: Format, options: EscapeOptions = {}): string {
	if (value === undefined || value === null) return '';
	let text = String(value).normalize('NFC').replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n').replace(INVISIBLE, '');
	const lines = text.split('\n').map((l) => l.replace(/\t/g, ' '));
	text = options.multiline
		? lines
				.map((l) => safeLine(l).replace(/ {2,}$/, ''))
				.join('\n')
				.replace(/\n{3,}/g, '\n\n')
		: safeLine(lines.map((l) => l.trim()).filter(Boolean).join(' '));
	text = text.replace(/ {2,}/g, ' ');
	if (options.maxLength !== undefined && options.maxLength > 0 && [...text].length > options.maxLength) {
		text = [...text].slice(0, Math.max(1, options.maxLength - 1)).join('') + '…';
	}
	return text;
}

/** Shorthands, one per channel. */
export const escapeDingTalk = (v: unknown, format: Format = 'markdown', o?: EscapeOptions) => escapeUserText(v, 'dingtalk', format, o);
export const escapeWeCom = (v: unknown, format: Format = 'markdown', o?: EscapeOptions) => escapeUserText(v, 'wecom', format, o);
export const escapeFeishu = (v: unknown, format: Format = 'card', o?: EscapeOptions) => escapeUserText(v, 'feishu', format, o);

/**
 * Whether a text still holds something a channel would read as markup or a mention (used by the
 * tests and by callers that want to assert on a finished message part).
 */
export function hasMarkup(text: string): boolean {
	if (/[<>[\]*_~`\\|&@]/.test(text)) return true;
	if (/:\/\//.test(text) || /\bwww\./i.test(text) || /[A-Za-z0-9]\.[A-Za-z]/.test(text)) return true;
	if (/(^|\n)([ \t]|[#\-+=>]|\d+[.)])/.test(text) || / {2}\n/.test(text)) return true;
	return new RegExp(INVISIBLE.source).test(text);
}
