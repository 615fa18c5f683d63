import { escapeDingTalk, escapeFeishu, escapeUserText, escapeWeCom, hasMarkup, type Channel, type Format } from '../../nodes/shared/escape';

const CHANNELS: Array<[Channel, Format]> = [
	['dingtalk', 'markdown'],
	['dingtalk', 'text'],
	['dingtalk', 'card'],
	['wecom', 'markdown'],
	['wecom', 'text'],
	['feishu', 'card'],
	['feishu', 'text'],
];

/** What a visitor types on the public form to take over a group message. */
const ATTACKS = [
	'@所有人 请立即转账',
	'@all',
	'<at user_id="all">所有人</at>',
	'<at id=all></at>',
	'<@zhangsan>',
	'# 通知：今天停课',
	'### 紧急',
	'> 校长说',
	'- 第一条\n- 第二条',
	'1. 点击这里',
	'[点击领取](http://evil.example/steal)',
	'![img](https://evil.example/x.png)',
	'<font color="warning">红字</font>',
	'<a href="https://evil.example">x</a>',
	'**加粗** _斜体_ ~~删除~~ `code`',
	'张三\n\n# 全体注意',
	'李四\n===',
	'王五\n---',
	'http://evil.example',
	'访问 www.evil.example 领奖',
	'evil.example/steal',
	'&lt;at user_id="all"&gt;&lt;/at&gt;',
	'h\u200Bttp://evil.example',
	'@\u200B所有人',
	'正常\u202E反转文本',
	'    缩进代码块',
	'表格 | a | b |\n|---|---|',
	'\\[转义\\](x)',
	'张三  \n硬换行',
];

describe('escaping user text for robot and app messages', () => {
	it.each(CHANNELS)('%s %s: no attack keeps a mention, link, heading, list, quote or markup', (channel, format) => {
		for (const attack of ATTACKS) {
			for (const multiline of [false, true]) {
				const out = escapeUserText(attack, channel, format, { multiline });
				expect({ attack, multiline, out, markup: hasMarkup(out) }).toEqual({ attack, multiline, out, markup: false });
				if (!multiline) expect(out).not.toMatch(/\n/);
			}
		}
	});

	it('reads the same to a person: full-width twins, names and numbers kept', () => {
		expect(escapeDingTalk('@所有人')).toBe('＠所有人');
		expect(escapeFeishu('<at user_id="all">所有人</at>')).toBe('＜at user＿id="all"＞所有人＜/at＞');
		expect(escapeWeCom('[点击](http://x.cn/a)')).toBe('［点击］(http：//x．cn/a)');
		expect(escapeDingTalk('# 停课')).toBe('＃ 停课');
		expect(escapeDingTalk('1. 第一')).toBe('1． 第一');
		expect(escapeDingTalk('张三（访客）13800001111，体温 36.5℃，2026-03-02 来访')).toBe(
			'张三（访客）13800001111，体温 36.5℃，2026-03-02 来访',
		);
		expect(escapeDingTalk('Mr. Li, e.g. at 9.30')).toBe('Mr. Li, e．g. at 9.30');
		expect(escapeWeCom('line one\nline two', 'text')).toBe('line one line two');
		expect(escapeWeCom('line one\n# two\n\n\n\nthree', 'markdown', { multiline: true })).toBe('line one\n＃ two\n\nthree');
		expect(escapeDingTalk(undefined)).toBe('');
		expect(escapeDingTalk(null)).toBe('');
		expect(escapeDingTalk(42)).toBe('42');
	});

	it('cuts to a length with an ellipsis, counting characters not bytes', () => {
		expect(escapeFeishu('张三李四王五赵六', 'card', { maxLength: 5 })).toBe('张三李四…');
		expect(escapeFeishu('张三', 'card', { maxLength: 5 })).toBe('张三');
	});

	it('hasMarkup sees what the escape removes', () => {
		for (const attack of ATTACKS) expect({ attack, markup: hasMarkup(attack) }).toEqual({ attack, markup: true });
		expect(hasMarkup('张三 13800001111 36.5℃')).toBe(false);
	});
});

describe('escaping: properties over generated text (seeded)', () => {
	let seed = 18;
	const rand = () => {
		seed = (seed * 1664525 + 1013904223) >>> 0;
		return seed / 2 ** 32;
	};
	const alphabet = [
		...'<>[]()*_~`\\|&@#-+=!.:/ \n\t\r1aZ张所有人',
		'http://',
		'www.',
		'@all',
		'<at user_id="all">',
		'\u200B',
		'\u202E',
		'\u2028',
		'\u0000',
		'1. ',
		'    ',
	];
	const sample = () => Array.from({ length: Math.floor(rand() * 40) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
	const content = (s: string) => s.replace(/[^A-Za-z0-9\u4e00-\u9fff]/g, '');

	it('never leaves markup, keeps every letter, digit and Chinese character, and is stable', () => {
		for (let i = 0; i < 2000; i++) {
			const s = sample();
			const [channel, format] = CHANNELS[i % CHANNELS.length];
			const multiline = i % 2 === 0;
			const out = escapeUserText(s, channel, format, { multiline });
			expect({ s, out, markup: hasMarkup(out) }).toEqual({ s, out, markup: false });
			expect(content(out)).toBe(content(s));
			expect(escapeUserText(out, channel, format, { multiline })).toBe(out);
		}
	});
});
