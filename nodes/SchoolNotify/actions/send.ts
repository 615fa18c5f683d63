/**
 * Send Message: one text or markdown message per input item, with optional @mentions.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { markdownBody, textBody } from '../bodies';
import type { JsonBody } from '../channels';
import { deliver, onePerItem, readChannel, readKeyword, showFor } from '../deliver';
import { mappedText, readLinkPolicy } from '../mapped';
import { parseMentions } from '../mentions';

export const description: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		default: 'text',
		displayOptions: showFor(['send']),
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'Markdown', value: 'markdown' },
		],
		description: 'WeCom markdown cannot @mention anyone: use Text there when mentioning',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		displayOptions: showFor(['send'], { messageType: ['markdown'], channel: ['dingtalk', 'feishu'] }),
		description: 'Shown in the chat list (DingTalk) or as the card header (Feishu)',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: showFor(['send']),
		placeholder: 'Reminder: please submit today\'s health check before 09:00',
		description:
			'The message text. Map it from the item with an expression: the values an expression puts in are shown as typed (no mention, markup or link, except addresses on this n8n and the Link Hosts option); the text around them is kept.',
	},
	{
		displayName: 'Mention Mobiles',
		name: 'mentionMobiles',
		type: 'string',
		default: '',
		placeholder: '13800138000, 13900139000',
		displayOptions: showFor(['send'], { channel: ['wecom', 'dingtalk'] }),
		description:
			'Mobile numbers to @mention, separated by commas. WeCom: text messages only. Feishu cannot mention by mobile.',
	},
	{
		displayName: 'Mention User IDs',
		name: 'mentionUserIds',
		type: 'string',
		default: '',
		displayOptions: showFor(['send']),
		description:
			'User IDs to @mention, separated by commas: the WeCom userid, the DingTalk userId, or the Feishu open_id / user_id',
	},
	{
		displayName: 'Mention Everyone',
		name: 'mentionAll',
		type: 'boolean',
		default: false,
		displayOptions: showFor(['send']),
		description: 'Whether to @mention everyone in the group (@all)',
	},
];

/** The `$json` fields an expression reads (`$json.a`, `$json["a b"]`) that the item lacks. */
export function missingFields(expression: unknown, json: IDataObject): string[] {
	if (typeof expression !== 'string' || !expression.startsWith('=')) return [];
	const names = new Set<string>();
	for (const m of expression.matchAll(/\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(['"])(.*?)\2\s*\])/g)) names.add(m[1] ?? m[3]);
	return [...names].filter((n) => json[n] === undefined || json[n] === null);
}

/**
 * The message text of item i. A missing value is an error naming the field, never the word
 * "undefined" posted into the group.
 */
function readContent(ctx: IExecuteFunctions, i: number, json: IDataObject): string {
	const value = ctx.getNodeParameter('content', i, '') as unknown;
	const missing = missingFields(ctx.getNode().parameters.content, json);
	const named = missing.map((f) => `"${f.slice(0, 40)}"`).join(', ');
	if (value === undefined || value === null || (missing.length && /\bundefined\b/.test(String(value)))) {
		throw new InputError(
			missing.length ? `The content reads ${named}, which this item does not have` : 'The content is missing: its expression gave nothing',
			{ row: i, field: 'content', hint: 'Map Content from a field every item has, or give a default, e.g. {{ $json.text ?? "" }}.' },
		);
	}
	if (typeof value === 'object') {
		throw new InputError('The content is an object, not text', { row: i, field: 'content', hint: 'Map a text field, or use JSON.stringify().' });
	}
	return String(value).trim();
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const channel = readChannel(this);
	const keyword = await readKeyword(this, channel);
	const links = readLinkPolicy(this);
	const build = (i: number): JsonBody => {
		const markdown = this.getNodeParameter('messageType', i, 'text') === 'markdown';
		const format = markdown ? 'markdown' : 'text';
		// Values the expressions map in are escaped; the text typed around them is kept.
		const content = mappedText(this, 'content', i, readContent(this, i, items[i].json), { channel, format, policy: links, multiline: true }).trim();
		const mentions = parseMentions(
			this.getNodeParameter('mentionMobiles', i, ''),
			this.getNodeParameter('mentionUserIds', i, ''),
			this.getNodeParameter('mentionAll', i, false),
			i,
		);
		if (markdown) {
			const title = mappedText(this, 'title', i, String(this.getNodeParameter('title', i, '')), { channel, format, policy: links, multiline: false });
			return markdownBody(channel, { title, content, mentions, keyword }, i);
		}
		return textBody(channel, { content, mentions, keyword }, i);
	};
	return await deliver(this, items, channel, onePerItem(channel, items, build, 'content'));
}
