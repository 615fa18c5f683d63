/**
 * Send Message: one text or markdown message per input item, with optional @mentions.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { markdownBody, textBody } from '../bodies';
import type { JsonBody } from '../channels';
import { deliver, onePerItem, readChannel, readKeyword, showFor } from '../deliver';
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
		description: 'The message text. Map it from the item with an expression.',
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

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const channel = readChannel(this);
	const keyword = await readKeyword(this, channel);
	const build = (i: number): JsonBody => {
		const content = String(this.getNodeParameter('content', i, '')).trim();
		const mentions = parseMentions(
			this.getNodeParameter('mentionMobiles', i, ''),
			this.getNodeParameter('mentionUserIds', i, ''),
			this.getNodeParameter('mentionAll', i, false),
			i,
		);
		if (this.getNodeParameter('messageType', i, 'text') === 'markdown') {
			const title = String(this.getNodeParameter('title', i, ''));
			return markdownBody(channel, { title, content, mentions, keyword }, i);
		}
		return textBody(channel, { content, mentions, keyword }, i);
	};
	return await deliver(this, items, channel, onePerItem(channel, items, build, 'content'));
}
