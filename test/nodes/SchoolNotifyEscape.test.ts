/**
 * Issue 19 point 4: names and free text never mention everyone, add a link or change the layout,
 * on any platform, through the real node, the real transport and the fake robots and apps.
 * Send Message and Send Card escape the values their expressions put in (the text typed around
 * them is the author's); the digest escapes names, group names and line texts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { SchoolNotify } from '../../nodes/SchoolNotify/SchoolNotify.node';
import { hasMarkup } from '../../nodes/shared/escape';
import { makeContext } from '../helpers/context';
import { n8nHttp } from '../fakes/n8nHttp';
import { FAKE_ROBOTS, startFakeRobots, type FakeRobots } from '../fakes/robots';

let robots: FakeRobots;
beforeAll(async () => {
	robots = await startFakeRobots();
});
afterAll(async () => {
	await robots.close();
});
beforeEach(() => {
	robots.reset();
});

const CHANNELS = ['wecom', 'dingtalk', 'feishu'] as const;
const OWN = 'http://127.0.0.1:5678';

/** What a visitor can type as a name on a public form. */
const HOSTILE = [
	'<at user_id="all">所有人</at>',
	'<at id=all></at>',
	'@all 张三',
	'@所有人',
	'# 停课通知',
	'- 列表',
	'1. 第一',
	'> 引用',
	'[点我](https://evil.example/x)',
	'![图](https://evil.example/i.png)',
	'**粗体** _斜体_ `代码`',
	'<font color="red">红</font>',
	'<@zhangsan>',
	'https://evil.example/phish',
	'www.evil.example',
	'张三\n# 新标题\n- 新列表',
	'张\u202e三\u200b',
];

const robotCreds = (): Record<string, IDataObject> => ({
	dingTalkRobotApi: { ...FAKE_ROBOTS.dingtalk.signed, baseUrl: robots.baseUrl },
	weComRobotApi: { webhookKey: FAKE_ROBOTS.wecom.plain.key, baseUrl: robots.baseUrl },
	feishuBotApi: { ...FAKE_ROBOTS.feishu.signed, baseUrl: robots.baseUrl },
});

/**
 * A context that treats some parameters as n8n does with expressions: the raw parameter is
 * "=...{{ $json.field }}...", getNodeParameter gives the resolved text, evaluateExpression
 * evaluates one {{ $json.field }}, and the instance runs at OWN.
 */
function context(parameters: IDataObject, items: IDataObject[], templates: Record<string, string>): IExecuteFunctions {
	const credentials = robotCreds();
	const ctx = makeContext({ parameters: { maxWaitSeconds: 0, options: { retryDelayMs: 5 }, ...parameters }, inputs: [items], credentials, http: n8nHttp(credentials) });
	const field = (expr: string, i: number) => {
		const m = /^\s*\$json\.(\w+)\s*$/.exec(expr);
		if (!m) throw new Error(`The test evaluates only $json.field, not ${expr}`);
		return items[i][m[1]];
	};
	const resolve = (template: string, i: number) => template.replace(/\{\{(.*?)\}\}/g, (_m, e: string) => String(field(e, i) ?? ''));
	const node = ctx.getNode();
	const base = ctx.getNodeParameter.bind(ctx);
	Object.assign(ctx, {
		getNode: () => ({ ...node, parameters: { ...node.parameters, ...Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, `=${t}`])) } }),
		getNodeParameter: (name: string, i: number, fallback?: unknown) => (name in templates ? resolve(templates[name], i) : base(name, i, fallback as never)),
		// n8n's evaluateExpression takes "{{ ... }}" and puts the "=" in front itself.
		evaluateExpression: (expression: string, i: number) => {
			if (expression.startsWith('=')) throw new Error('n8n would evaluate "=" + this, with an "=" too many');
			return field(expression.replace(/^\{\{|\}\}$/g, ''), i);
		},
		getInstanceBaseUrl: () => `${OWN}/`,
	});
	return ctx;
}

async function run(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await new SchoolNotify().execute.call(ctx);
}

/** A received body as JSON, with the node's own markup (its mention tags) removed. */
function userParts(body: IDataObject, own: RegExp[]): string {
	let text = JSON.stringify(body);
	for (const r of own) text = text.replace(r, '');
	return text;
}

/**
 * In a plain-text message nothing renders but Feishu's <at> tags (and HTML-like tags) and the
 * addresses the apps make clickable: those must never come from user text.
 */
function assertPlainInert(text: string): void {
	expect(text).not.toMatch(/<at|<\/at>|<@|<font/);
	expect(text).not.toMatch(/[\u202e\u200b]/);
}

/** In markdown and cards, nothing that can start markup may come from user text. */
function assertInert(text: string): void {
	expect(text).not.toMatch(/<at|<\/at>|@all|@所有人|<@|<font|\[点我\]|!\[|https:\/\/evil|www\.evil|\*\*粗体|`代码`|\\n#|\\n-|\\n1\.|\\n>/);
	expect(text).not.toMatch(/[\u202e\u200b]/);
}

describe.each(CHANNELS)('%s robot: hostile names and values stay plain text', (channel) => {
	it('digest: names and group names escaped whole, line texts as plain text; the node\'s own mentions and list markers stay', async () => {
		const items = HOSTILE.map((name, i) => ({
			recipientName: name,
			targetGroup: i % 2 ? '# 一年级 @all' : '<at user_id="all"></at>班',
			message: `${name} 今天未填报 [链接](https://evil.example) 点此补报 ${OWN}/form/check-in?id=T${i}&sig=a_b`,
			recipientUserId: `u${i}`,
			recipientMobile: `1390000${String(i).padStart(4, '0')}`,
		}));
		const [sent, , failed] = await run(context({ operation: 'digest', channel, header: '未填报 ({count})', footer: '' }, items, {}));
		expect(failed).toEqual([]);
		expect(sent).toHaveLength(items.length);
		const bodies = robots[channel].map((m) => m.body as IDataObject);
		expect(bodies.length).toBeGreaterThan(0);
		// The node's own markup: its list markers and its mention tags.
		const text = bodies.map((b) => userParts(b, [/<at user_id=\\"u\d+\\"><\/at>/g, /\\n- /g])).join('\n');
		// A digest is a plain-text message here: nothing that renders there comes from user text ...
		assertPlainInert(text);
		// ... and names and group names are escaped whole: no mention, link, heading or list in them.
		expect(text).not.toMatch(/@all|@所有人|\[点我\]|!\[图\]|https:\/\/evil\.example\/(x|i|phish)|www\.evil|\*\*粗体|`代码`|【#|- 列表|\\n#/);
		// Each line is one list item of the node's own: "- " then the escaped text.
		const content = bodies.map((b) => JSON.stringify(b)).join('');
		expect(content).toContain('- ＃ 停课通知');
		// The personal link on this n8n stays whole and clickable.
		expect(content).toContain(`${OWN}/form/check-in?id=T0&sig=a_b`);
		// The mentions are the node's: each person by id, never everyone.
		for (const b of bodies) {
			if (channel === 'dingtalk') expect((b.at as IDataObject).isAtAll).toBe(false);
			if (channel === 'wecom') expect(JSON.stringify(b)).not.toMatch(/"@all"|"all"/);
		}
	});

	it('digest: a user ID that means everyone is not mentioned', async () => {
		const items = [
			{ recipientName: '张三', targetGroup: '一班', recipientUserId: '@all' },
			{ recipientName: '李四', targetGroup: '一班', recipientUserId: 'all', mentionUserIds: '@all, u2' },
		];
		const [sent] = await run(context({ operation: 'digest', channel, header: 'x', footer: '' }, items, {}));
		expect(sent).toHaveLength(2);
		const text = JSON.stringify(robots[channel].map((m) => m.body));
		expect(text).not.toMatch(/"@all"|"all"|user_id=\\"all|isAtAll":true/);
		expect(text).toContain('u2');
	});

	it('send message: values mapped by expressions are escaped, the author\'s text is kept', async () => {
		const items = [{ name: HOSTILE.join('\n') }, { name: HOSTILE.slice(0, 8).join(' ') }];
		for (const messageType of ['text', 'markdown']) {
			robots.reset();
			const template = '**晨检提醒**\n{{ $json.name }}：请于 09:00 前填报 ' + OWN + '/form/c';
			const [sent, , failed] = await run(
				context({ operation: 'send', channel, messageType, title: '提醒', content: 'resolved per item' }, items, { content: template, title: '{{ $json.name }}' }),
			);
			expect(failed).toEqual([]);
			expect(sent).toHaveLength(items.length);
			for (const m of robots[channel]) {
				const body = JSON.stringify(m.body);
				// the author's markdown and link are kept
				expect(body).toContain('**晨检提醒**');
				expect(body).toContain(`${OWN}/form/c`);
				const userPart = body.replace('**晨检提醒**', '');
				if (messageType === 'markdown' && channel !== 'wecom') assertInert(userPart);
				else if (messageType === 'markdown') assertInert(userPart.replace(/\\n\{\{/g, ''));
				else assertPlainInert(userPart);
			}
		}
	});

	it('send message: a mention user ID that means everyone is refused, naming the field', async () => {
		const ctx = context({ operation: 'send', channel, messageType: 'text', content: 'hi', mentionUserIds: '@all' }, [{ a: 1 }], {});
		Object.assign(ctx, { continueOnFail: () => true });
		const [, , failed] = await run(ctx);
		expect(failed).toHaveLength(1);
		expect(JSON.stringify(failed[0].json)).toMatch(/mentionUserIds.*mention everyone|mention everyone.*mentionUserIds/);
		expect(robots[channel]).toHaveLength(0);
	});

	it('send card: mapped title, text and button text are escaped; the button link is the author\'s', async () => {
		const items = [{ name: HOSTILE.join('\n') }, { name: HOSTILE.slice(0, 8).join(' ') }];
		const [sent, , failed] = await run(
			context(
				{ operation: 'sendCard', channel, cardTitle: 'x', cardText: 'x', buttonText: 'x', buttonUrl: `${OWN}/form/approve` },
				items,
				{ cardTitle: '来访 {{ $json.name }}', cardText: '来访人：{{ $json.name }}\n请审批', buttonText: '{{ $json.name }}' },
			),
		);
		expect(failed).toEqual([]);
		expect(sent).toHaveLength(items.length);
		for (const m of robots[channel]) assertInert(JSON.stringify(m.body).replace(/### /, ''));
	});
});

describe('userText: what the escape keeps', () => {
	it('leaves no markup in any hostile name (hasMarkup)', async () => {
		const { escapeText, linkPolicy } = await import('../../nodes/SchoolNotify/userText');
		const policy = linkPolicy(`${OWN}/`, 'forms.school.edu.cn');
		for (const channel of CHANNELS) {
			for (const name of HOSTILE) expect(hasMarkup(escapeText(name, channel, 'markdown', policy))).toBe(false);
		}
		expect(escapeText(`补报 ${OWN}/form/x?id=1&sig=a_b.`, 'dingtalk', 'text', policy)).toBe(`补报 ${OWN}/form/x?id=1&sig=a_b.`);
		expect(escapeText('https://forms.school.edu.cn/f and https://evil.example/f', 'wecom', 'markdown', policy)).toBe(
			'https://forms.school.edu.cn/f and https：//evil．example/f',
		);
		// Plain text keeps what does not render there (underscores, dots, numbering, visible addresses).
		expect(escapeText('n8n 概览 > Data tables > x', 'dingtalk', 'text', policy)).toBe('n8n 概览 > Data tables > x');
		expect(escapeText('1. 录入 campus_school_calendar <at user_id="all"></at> https://github.com/x', 'feishu', 'text', policy)).toBe(
			'1. 录入 campus_school_calendar ＜at user_id="all">＜/at> https://github.com/x',
		);
		// A host that only starts like an allowed one is not allowed.
		expect(escapeText('https://127.0.0.1:5678.evil.example/x', 'feishu', 'markdown', policy)).not.toContain('https://');
	});
});
