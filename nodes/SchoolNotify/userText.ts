/**
 * User text in robot messages: names, group names, line texts and the values that expressions
 * map into a message. They are escaped for the channel with nodes/shared/escape.ts, so that they
 * can never mention anyone, start a heading, list or quote, or add markup. One exception keeps
 * the ready-made workflows working: an http(s) address whose host is allowed (the school's own
 * n8n, where the personal links and approval pages live, and the hosts the node's options list)
 * stays as it is, clickable. Every other address is broken ("https：//x．cn") and shows as text.
 * Pure TypeScript: no n8n import.
 */
import { escapeUserText, type Channel, type EscapeOptions, type Format } from '../shared/escape';

/** Hosts (lowercase, with the port when one is given) whose addresses stay clickable. */
export interface LinkPolicy {
	hosts: string[];
}

export const NO_LINKS: LinkPolicy = { hosts: [] };

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`，。；、！？（）【】「」]+/gi;
// Private-use characters mark where a kept address goes back in; any in the input are dropped.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** The host (and port) of an address, lowercase, or undefined when it is not an http(s) URL. */
export function hostOf(url: string): string | undefined {
	try {
		const u = new URL(url);
		if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
		return u.host.toLowerCase();
	} catch {
		return undefined;
	}
}

/** The policy from the n8n instance's address and a list of hosts ("a.edu.cn, b.edu.cn:8443"). */
export function linkPolicy(instanceUrl: string | undefined, extraHosts: unknown): LinkPolicy {
	const hosts = String(extraHosts ?? '')
		.split(/[,，;\s]+/)
		.map((h) => h.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, ''))
		.filter(Boolean);
	const own = instanceUrl ? hostOf(instanceUrl) : undefined;
	return { hosts: [...new Set([...(own ? [own] : []), ...hosts])] };
}

function allowed(url: string, policy: LinkPolicy): boolean {
	const host = hostOf(url);
	if (!host) return false;
	const bare = host.replace(/:\d+$/, '');
	return policy.hosts.some((h) => h === host || (!h.includes(':') && h === bare));
}

// Control, zero-width and bidirectional characters (as nodes/shared/escape.ts removes them).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A plain-text message (DingTalk, WeCom and Feishu "text") renders no markdown and mentions only
 * through the body's own lists, except Feishu's <at> tags (and the HTML-like tags some clients
 * read): so the "<" that opens a tag becomes full-width and invisible characters go; the rest (underscores,
 * dots, list numbers, line breaks, addresses) stays as written. An address in plain text is shown
 * as what it is, never behind other words; the apps may make it clickable.
 */
function plainText(text: string, options: EscapeOptions): string {
	let out = text.replace(INVISIBLE, '').replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n');
	if (!options.multiline) out = out.replace(/\s*\n\s*/g, ' ').trim();
	// A tag starts with "<" and a letter, "/", "@" or "!" (<at>, </at>, <@userid>, <font>, <!--):
	// that "<" becomes full-width; a "<" or ">" between words ("Overview > Data tables") stays.
	return out.replace(/<(?=[A-Za-z/@!])/g, '＜');
}

/**
 * Escapes user text for a channel and format. Markdown and cards: every character that can
 * start markup is made plain (nodes/shared/escape.ts), except addresses on allowed hosts, kept as
 * they are (trailing punctuation stays outside them). Text: see plainText.
 */
export function escapeText(value: unknown, channel: Channel, format: Format, policy: LinkPolicy = NO_LINKS, options: EscapeOptions = {}): string {
	if (value === undefined || value === null) return '';
	if (format === 'text') return plainText(String(value).replace(MARKS, ''), options);
	const kept: string[] = [];
	const marked = String(value)
		.replace(MARKS, '')
		.replace(URL_IN_TEXT, (raw) => {
			const url = raw.replace(/[.,:;!?)\]]+$/, '');
			if (!allowed(url, policy)) return raw;
			kept.push(url);
			return `${MARK_OPEN}${kept.length - 1}${MARK_CLOSE}${raw.slice(url.length)}`;
		});
	const escaped = escapeUserText(marked, channel, format, options);
	return escaped.replace(/\uE000(\d+)\uE001/g, (_m, k: string) => kept[Number(k)] ?? '');
}

/** A name or group name: never a link, one line, no markup in any format. */
export function escapeName(value: unknown, channel: Channel, format: Format): string {
	return escapeUserText(value, channel, format);
}
