/**
 * Message bodies per channel: text, markdown and link cards, with @mentions and the robot's
 * keyword. Pure TypeScript: no n8n import, no network.
 */
import { InputError } from '../shared/errors';
import type { Channel, JsonBody } from './channels';
import { hasMentions, type Mentions } from './mentions';

/** Puts the robot's keyword in front of the text when it is missing. */
export function withKeyword(text: string, keyword: string | undefined): string {
	const k = (keyword ?? '').trim();
	if (!k || text.includes(k)) return text;
	return `【${k}】${text}`;
}

export interface TextMessage {
	content: string;
	mentions: Mentions;
	keyword?: string;
}

function feishuAtText(m: Mentions): string {
	const tags = m.userIds.length ? [feishuAtTags(m.userIds)] : [];
	if (m.all) tags.push('<at user_id="all">所有人</at>');
	return tags.join(' ');
}

function feishuAtMd(m: Mentions): string {
	const tags = m.userIds.map((id) => `<at id=${escapeAttr(id)}></at>`);
	if (m.all) tags.push('<at id=all></at>');
	return tags.join(' ');
}

/** Strips what would break out of an attribute in a Feishu at-tag. */
export function escapeAttr(s: string): string {
	return s.replace(/["<>]/g, '');
}

/** Feishu text at-tags for user ids (open_id or user_id). */
export function feishuAtTags(userIds: string[]): string {
	return userIds.map((id) => `<at user_id="${escapeAttr(id)}"></at>`).join(' ');
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

