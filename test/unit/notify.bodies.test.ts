import { InputError } from '../../nodes/shared/errors';
import { cardBody, markdownBody, textBody } from '../../nodes/SchoolNotify/bodies';
import { checkSize, measure, SIZE_LIMITS, utf8Bytes, type Channel } from '../../nodes/SchoolNotify/channels';
import { parseMentions } from '../../nodes/SchoolNotify/mentions';

const M = (mobiles: string[] = [], userIds: string[] = [], all = false) => ({ mobiles, userIds, all });
describe('message bodies', () => {
	it('WeCom text mentions by user id, mobile and @all', () => {
		expect(textBody('wecom', { content: 'hi', mentions: M(['13800138000'], ['zhangsan'], true) })).toEqual({
			msgtype: 'text',
			text: { content: 'hi', mentioned_list: ['zhangsan', '@all'], mentioned_mobile_list: ['13800138000'] },
		});
	});

	it('WeCom markdown refuses mentions with a clear error', () => {
		expect(() => markdownBody('wecom', { title: '', content: '# hi', mentions: M(['13800138000']) }, 2)).toThrow(
			/WeCom markdown messages cannot @mention/,
		);
		expect(markdownBody('wecom', { title: '', content: '# hi', mentions: M() })).toEqual({
			msgtype: 'markdown',
			markdown: { content: '# hi' },
		});
	});

	it('DingTalk puts mentions in `at`, and in markdown also @ in the text', () => {
		expect(textBody('dingtalk', { content: 'hi', mentions: M(['13800138000'], ['u1']) })).toEqual({
			msgtype: 'text',
			text: { content: 'hi' },
			at: { isAtAll: false, atMobiles: ['13800138000'], atUserIds: ['u1'] },
		});
		const md = markdownBody('dingtalk', { title: 'T', content: 'x', mentions: M(['13800138000']) });
		expect((md.markdown as { text: string }).text).toBe('x\n\n@13800138000');
	});

	it('Feishu mentions by user id only, and refuses mobiles', () => {
		expect(textBody('feishu', { content: 'hi', mentions: M([], ['ou_1'], true) })).toEqual({
			msg_type: 'text',
			content: { text: 'hi <at user_id="ou_1"></at> <at user_id="all">所有人</at>' },
		});
		expect(() => textBody('feishu', { content: 'hi', mentions: M(['13800138000']) })).toThrow(/cannot @mention by mobile/);
	});

	it('adds the robot keyword when the text lacks it', () => {
		const b = textBody('dingtalk', { content: 'please check in', mentions: M(), keyword: '晨检' });
		expect((b.text as { content: string }).content).toBe('【晨检】please check in');
		const c = textBody('dingtalk', { content: '晨检 reminder', mentions: M(), keyword: '晨检' });
		expect((c.text as { content: string }).content).toBe('晨检 reminder');
	});

	it('rejects a bad mobile and an empty message, naming the field', () => {
		try {
			parseMentions('12ab', '', false, 4);
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(InputError);
			expect((e as InputError).describe()).toMatch(/^Row 5, field "mentionMobiles"/);
		}
		expect(() => textBody('wecom', { content: '  ', mentions: M() }, 0)).toThrow(/empty/);
	});

	it.each(['dingtalk', 'feishu', 'wecom'] as Channel[])('%s card carries the button link', (channel) => {
		const body = cardBody(channel, {
			title: 'Morning check',
			text: 'Please fill in',
			buttonText: 'Fill in now',
			url: 'https://example.edu/form/check',
		});
		expect(JSON.stringify(body)).toContain('https://example.edu/form/check');
		expect(JSON.stringify(body)).toContain('Morning check');
	});

	it('card shapes: DingTalk actionCard, Feishu interactive, WeCom template_card or news', () => {
		const card = { title: 'T', text: 'x', buttonText: 'Go', url: 'https://e.edu/f' };
		expect(cardBody('dingtalk', card).actionCard).toMatchObject({ singleTitle: 'Go', singleURL: 'https://e.edu/f' });
		expect(cardBody('feishu', card).msg_type).toBe('interactive');
		expect(cardBody('wecom', card).msgtype).toBe('template_card');
		expect(cardBody('wecom', { ...card, weComStyle: 'news' }).msgtype).toBe('news');
		expect(() => cardBody('wecom', { ...card, url: 'javascript:alert(1)' }, 1)).toThrow(/http\(s\)/);
	});
});

describe('sizes', () => {
	it('counts UTF-8 bytes', () => {
		expect(utf8Bytes('a')).toBe(1);
		expect(utf8Bytes('张')).toBe(3);
		expect(utf8Bytes('😀')).toBe(4);
		expect(utf8Bytes('张三😀a')).toBe(11);
	});

	it('WeCom text is measured on content against 2048 bytes, markdown against 4096', () => {
		const t = textBody('wecom', { content: '张'.repeat(683), mentions: M() });
		expect(measure('wecom', t)).toMatchObject({ size: 2049, limit: SIZE_LIMITS.wecomText });
		expect(() => checkSize('wecom', t, 3)).toThrow(/2049 bytes; WeCom takes at most 2048/);
		const md = markdownBody('wecom', { title: '', content: '张'.repeat(683), mentions: M() });
		expect(checkSize('wecom', md).limit).toBe(4096);
	});

	it('DingTalk and Feishu are measured on the whole body', () => {
		const d = textBody('dingtalk', { content: 'x'.repeat(19990), mentions: M() });
		expect(() => checkSize('dingtalk', d, 0)).toThrow(/DingTalk takes at most 20000/);
		const f = textBody('feishu', { content: 'x'.repeat(20400), mentions: M() });
		expect(() => checkSize('feishu', f, 0)).toThrow(InputError);
	});
});

describe('WeCom byte count (issue 17)', () => {
	it('counts UTF-8 bytes, and a line break as 2 bytes for safety (WeCom does not document it)', () => {
		const { weComBytes } = jest.requireActual('../../nodes/SchoolNotify/channels') as typeof import('../../nodes/SchoolNotify/channels');
		expect(weComBytes('张三')).toBe(6);
		expect(weComBytes('a\nb')).toBe(4);
		expect(weComBytes('\n\n')).toBe(4);
		// 682 characters of 3 bytes and one line break: 2046 + 2 = 2048 fits, one more break does not
		const fits = textBody('wecom', { content: `${'张'.repeat(341)}\n${'张'.repeat(341)}`, mentions: M() });
		expect(measure('wecom', fits)).toMatchObject({ size: 2048, limit: 2048 });
		const over = textBody('wecom', { content: `${'张'.repeat(341)}\n\n${'张'.repeat(341)}`, mentions: M() });
		expect(() => checkSize('wecom', over, 0)).toThrow(/2050 bytes; WeCom takes at most 2048/);
	});
});

describe('error texts quote at most a short excerpt (issue 16)', () => {
	const big = `13800138000${'x'.repeat(1_000_000)}`;

	it('a robot answer with a huge errmsg is cut to 200 characters', () => {
		const { classify } = jest.requireActual('../../nodes/SchoolNotify/answers') as typeof import('../../nodes/SchoolNotify/answers');
		const a = classify('wecom', 200, { errcode: 40058, errmsg: big });
		expect(a.kind).toBe('invalid');
		expect(a.message.length).toBeLessThanOrEqual(201);
	});

	it('a 1 MB message over the limit is named by size, not echoed', () => {
		try {
			checkSize('wecom', textBody('wecom', { content: big, mentions: M() }, 3), 3);
			throw new Error('no error');
		} catch (e) {
			expect((e as InputError).describe()).toMatch(/^Row 4, field "content": The message is \d+ bytes/);
			expect((e as InputError).describe().length).toBeLessThan(200);
		}
		expect(() => parseMentions(big, '', false, 0)).toThrow(/^"138…" is not a mobile number$/);
	});
});
