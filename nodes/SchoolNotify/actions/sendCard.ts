/**
 * Send Card: one card with a button link per input item (e.g. "fill in your check now").
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cardBody } from '../bodies';
import { deliver, onePerItem, readChannel, readKeyword, showFor } from '../deliver';
import { mappedText, readLinkPolicy } from '../mapped';

export const description: INodeProperties[] = [
	{
		displayName: 'Card Title',
		name: 'cardTitle',
		type: 'string',
		default: '',
		required: true,
		displayOptions: showFor(['sendCard']),
		placeholder: 'Morning health check',
	},
	{
		displayName: 'Card Text',
		name: 'cardText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: showFor(['sendCard']),
		placeholder: 'Please fill in today\'s check before 09:00',
	},
	{
		displayName: 'Button Text',
		name: 'buttonText',
		type: 'string',
		default: 'Fill in now',
		displayOptions: showFor(['sendCard']),
	},
	{
		displayName: 'Button Link',
		name: 'buttonUrl',
		type: 'string',
		default: '',
		required: true,
		displayOptions: showFor(['sendCard']),
		placeholder: 'https://n8n.example.edu/form/health-check',
		description:
			'The http(s) address the button opens. Chat apps fetch link previews with a GET, so the page must not act on a GET.',
	},
	{
		displayName: 'WeCom Card Style',
		name: 'weComCardStyle',
		type: 'options',
		default: 'templateCard',
		displayOptions: showFor(['sendCard'], { channel: ['wecom'] }),
		options: [
			{ name: 'Template Card (Text Notice)', value: 'templateCard' },
			{ name: 'News Article', value: 'news' },
		],
		description: 'Template cards need a recent WeCom client; news articles show everywhere',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const channel = readChannel(this);
	const keyword = await readKeyword(this, channel);
	const links = readLinkPolicy(this);
	// Values the expressions map in are escaped for the card's markdown; the text around them is kept.
	const mapped = (name: string, i: number, multiline: boolean) =>
		mappedText(this, name, i, String(this.getNodeParameter(name, i, '')), { channel, format: 'card', policy: links, multiline });
	const build = (i: number) =>
		cardBody(
			channel,
			{
				title: mapped('cardTitle', i, false),
				text: mapped('cardText', i, true),
				buttonText: mapped('buttonText', i, false),
				url: String(this.getNodeParameter('buttonUrl', i, '')),
				weComStyle: this.getNodeParameter('weComCardStyle', i, 'templateCard') as 'templateCard' | 'news',
				keyword,
			},
			i,
		);
	return await deliver(this, items, channel, onePerItem(channel, items, build));
}
