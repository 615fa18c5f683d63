import { InputError } from '../../nodes/shared/errors';
import { cardBody, markdownBody, textBody } from '../../nodes/SchoolNotify/bodies';
import { checkSize, measure, SIZE_LIMITS, utf8Bytes, type Channel } from '../../nodes/SchoolNotify/channels';
import { digestLine, packDigest } from '../../nodes/SchoolNotify/digest';
import { DEFAULT_DIGEST_FIELDS, readDigestRows, type DigestPerson } from '../../nodes/SchoolNotify/digestRows';
import { parseMentions } from '../../nodes/SchoolNotify/mentions';
import { maskName, scrubPrivate } from '../../nodes/SchoolNotify/privacy';
import { Budget, decide, dispatch, limitsFor, type Outcome } from '../../nodes/SchoolNotify/pacing';
import type { Answer } from '../../nodes/SchoolNotify/answers';

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

describe('privacy', () => {
	it('masks names', () => {
		expect(maskName('张三')).toBe('张*');
		expect(maskName('张小三')).toBe('张*三');
		expect(maskName('欧阳娜娜')).toBe('欧**娜');
		expect(maskName('李')).toBe('李');
	});

	it.each([
		['张三 家长电话 13800138000', '13800138000'],
		['phone 138 0013 8000 please', '138 0013 8000'],
		['+86-13800138000', '13800138000'],
		['身份证 11010519491231002X', '11010519491231002X'],
		['体温 37.8℃', '37.8'],
		['temperature 38.2 °C', '38.2'],
		['temp 37.5', '37.5'],
		['发烧 39度', '39度'],
		['座机 010-62345678', '62345678'],
	])('hides private numbers in %j', (text, secret) => {
		const out = scrubPrivate(text);
		expect(out).not.toContain(secret);
		expect(out).toContain('***');
	});

	it('keeps ordinary text and short numbers', () => {
		expect(scrubPrivate('三年级2班 第3节课 9:00 前')).toBe('三年级2班 第3节课 9:00 前');
	});

	it('digest lines never show a phone, ID number or temperature, and mask the name on request', () => {
		const p: DigestPerson = {
			row: 0,
			target: '三(2)班',
			name: '张小三',
			mobile: '13800138000',
			line: '张小三 未打卡，体温 37.9℃，家长 13800138000，身份证 11010519491231002X',
		};
		const line = digestLine(p, { maskNames: true, channel: 'dingtalk', mentionPeople: true });
		expect(line).toContain('张*三');
		expect(line).not.toMatch(/张小三|13800138000|37\.9|11010519491231002X/);
	});
});

function people(n: number, groups: number, line = true): DigestPerson[] {
	return Array.from({ length: n }, (_, i) => ({
		row: i,
		target: `${1 + (i % 6)}年级${1 + (i % groups)}班`,
		name: `学生${String(i).padStart(3, '0')}`,
		mobile: `138${String(10000000 + i).slice(-8)}`,
		userId: i % 3 === 0 ? `user${i}` : undefined,
		line: line ? `学生${String(i).padStart(3, '0')} 今天晨检未填报` : undefined,
	}));
}

describe('digest packing', () => {
	const base = { header: 'Not checked in ({count}):', footer: 'Fill in: https://e.edu/f', maskNames: false, mentionPeople: true };

	it.each(['dingtalk', 'wecom', 'feishu'] as Channel[])('%s: every person once, every message within the limit', (channel) => {
		const list = people(500, 30);
		const plan = packDigest(list, { ...base, channel });
		const rows = plan.messages.flatMap((m) => m.rows).sort((a, b) => a - b);
		expect(rows).toEqual(list.map((p) => p.row));
		for (const m of plan.messages) expect(measure(channel, m.body).size).toBeLessThanOrEqual(m.limit);
		expect(plan.messages.length).toBeGreaterThanOrEqual(plan.lowerBound);
		expect(plan.messages.length).toBeLessThanOrEqual(plan.lowerBound + 1);
	});

	it('groups by target group and mentions exactly the people in each message', () => {
		const list = people(40, 4);
		const plan = packDigest(list, { ...base, channel: 'dingtalk', maxBytes: 1200 });
		expect(plan.messages.length).toBeGreaterThan(1);
		for (const m of plan.messages) {
			const at = m.body.at as { atMobiles?: string[]; atUserIds?: string[] };
			const expected = m.rows.map((r) => list[r].userId ?? list[r].mobile);
			expect([...(at.atUserIds ?? []), ...(at.atMobiles ?? [])].sort()).toEqual([...expected].sort());
			const content = (m.body.text as { content: string }).content;
			expect(content).not.toMatch(/138\d{8}/);
			// one heading per group present, placed before its people
			for (const r of m.rows) expect(content.indexOf(`【${list[r].target}】`)).toBeLessThan(content.indexOf(list[r].name));
		}
	});

	it('continues a group too big for one message under a "(continued)" heading', () => {
		const list = people(60, 1).map((p) => ({ ...p, target: '三(2)班' }));
		const plan = packDigest(list, { ...base, channel: 'wecom' });
		expect(plan.messages.length).toBeGreaterThan(1);
		const second = (plan.messages[1].body.text as { content: string }).content;
		expect(second).toContain('【三(2)班】(continued)');
	});

	it('Feishu digests mention by user id in the text', () => {
		const list = people(6, 1);
		const plan = packDigest(list, { ...base, channel: 'feishu' });
		const text = (plan.messages[0].body.content as { text: string }).text;
		expect(text).toContain('<at user_id="user0"></at>');
		expect(text).not.toMatch(/138\d{8}/);
	});

	it('reads rows with the Check-In Watch field names and reports nameless rows', () => {
		const r = readDigestRows(
			[
				{ recipientName: '张三', recipientMobile: '138 0013 8000', targetGroup: '一(1)班', message: 'x' },
				{},
				{ recipientName: '', targetGroup: '一(1)班' },
			],
			DEFAULT_DIGEST_FIELDS,
		);
		expect(r.people).toEqual([{ row: 0, target: '一(1)班', name: '张三', mobile: '13800138000', userId: undefined, line: 'x', alsoMobiles: [], alsoUserIds: [] }]);
		expect(r.skipped).toEqual([1]);
		expect(r.problems).toEqual([{ row: 2, field: 'recipientName', message: expect.stringContaining('empty') }]);
	});
});

describe('pacing', () => {
	it('keeps DingTalk to 20 a minute and Feishu to 5 a second', () => {
		const b = new Budget(limitsFor('dingtalk'));
		for (let i = 0; i < 20; i++) b.record(1000 + i);
		expect(b.nextSlot(2000)).toBe(1000 + 60_000 + 50);
		const f = new Budget(limitsFor('feishu'));
		for (let i = 0; i < 5; i++) f.record(1000);
		expect(f.nextSlot(1000)).toBe(2050);
	});

	it('lets the user lower, never raise, the per-minute budget', () => {
		expect(limitsFor('dingtalk', 10)[0].count).toBe(10);
		expect(limitsFor('dingtalk', 50)[0].count).toBe(20);
	});

	it('waits within the deadline and defers beyond it', () => {
		const b = new Budget(limitsFor('wecom'));
		for (let i = 0; i < 20; i++) b.record(0);
		expect(decide(b, 1000, 70_000)).toEqual({ action: 'wait', ms: 59_050 });
		expect(decide(b, 1000, 30_000)).toEqual({ action: 'defer', retryAfter: 60_050 });
	});

	/** A virtual clock: sleep advances it, nothing really waits. */
	function clock() {
		let t = 1_000_000;
		return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => (t += ms) };
	}
	const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ body: { i }, size: 1, limit: 10, rows: [i] }));

	it('sends 20 DingTalk messages, then waits a minute if allowed, else defers the rest', async () => {
		const c = clock();
		const posted: number[] = [];
		const post = async (b: Record<string, unknown>): Promise<Answer> => {
			posted.push(b.i as number);
			return { kind: 'ok', message: 'ok' };
		};
		const short = await dispatch(msgs(25), {
			channel: 'dingtalk', budget: new Budget(limitsFor('dingtalk')), deadline: c.now() + 5_000,
			maxRetries: 3, backoffBaseMs: 100, now: c.now, sleep: c.sleep, post,
		});
		expect(short.filter((o) => o.status === 'sent')).toHaveLength(20);
		expect(short.slice(20).every((o) => o.status === 'deferred' && o.kind === 'budget')).toBe(true);
		const long = await dispatch(msgs(25), {
			channel: 'dingtalk', budget: new Budget(limitsFor('dingtalk')), deadline: c.now() + 120_000,
			maxRetries: 3, backoffBaseMs: 100, now: c.now, sleep: c.sleep, post,
		});
		expect(long.every((o) => o.status === 'sent')).toBe(true);
	});

	it('retries 5xx with backoff, defers a throttled robot, stops at bad credentials', async () => {
		const c = clock();
		const script: Answer[] = [
			{ kind: 'server', message: 'HTTP 502' },
			{ kind: 'ok', message: 'ok' },
			{ kind: 'throttled', code: 130101, message: 'send too fast', retryAfterMs: 600_000 },
		];
		let calls = 0;
		const out = await dispatch(msgs(3), {
			channel: 'dingtalk', budget: new Budget(limitsFor('dingtalk')), deadline: c.now() + 60_000,
			maxRetries: 3, backoffBaseMs: 100, now: c.now, sleep: c.sleep,
			post: async () => script[Math.min(calls++, script.length - 1)],
		});
		expect(out[0]).toMatchObject({ status: 'sent', attempts: 2 });
		expect(out[1]).toMatchObject({ status: 'deferred', kind: 'throttled' });
		expect((out[1] as Extract<Outcome, { status: 'deferred' }>).retryAfter).toBeGreaterThanOrEqual(c.now() + 590_000);
		expect(out[2]).toMatchObject({ status: 'deferred', kind: 'throttled' });
		expect(calls).toBe(3); // the throttled robot is not asked again

		let authCalls = 0;
		const bad = await dispatch(msgs(3), {
			channel: 'feishu', budget: new Budget(limitsFor('feishu')), deadline: c.now() + 60_000,
			maxRetries: 3, backoffBaseMs: 100, now: c.now, sleep: c.sleep,
			post: async () => (authCalls++, { kind: 'auth', code: 19021, message: 'sign match fail' }),
		});
		expect(bad.every((o) => o.status === 'failed' && o.kind === 'auth')).toBe(true);
		expect(authCalls).toBe(1);
	});
});

describe('WeCom digest without mentions', () => {
	it('uses markdown (4096 bytes) and so needs fewer messages', () => {
		const list = people(300, 10);
		const opts = { header: 'h', footer: '', maskNames: false, channel: 'wecom' as Channel };
		const withAt = packDigest(list, { ...opts, mentionPeople: true });
		const without = packDigest(list, { ...opts, mentionPeople: false });
		expect(without.messages[0].body.msgtype).toBe('markdown');
		expect(without.messages.length).toBeLessThan(withAt.messages.length);
		for (const m of without.messages) expect(measure('wecom', m.body).size).toBeLessThanOrEqual(4096);
	});
});

describe('scrubPrivate keeps dates and times', () => {
	it('hides phone, ID and temperature but keeps 2026-03-10 and 09:00', () => {
		expect(scrubPrivate('2026-03-10 Gate A 07:00-19:00')).toBe('2026-03-10 Gate A 07:00-19:00');
		expect(scrubPrivate('张三 13800138000 37.8℃ 2026-03-10 09:00')).toBe('张三 *** *** 2026-03-10 09:00');
		expect(scrubPrivate('学号 20260101001')).toBe('学号 ***');
		const link = 'https://n8n.school.cn/form/check?id=T001&exp=1795638714&sig=AbC123';
		expect(scrubPrivate(`张三 请打卡 ${link} 13800138000`)).toBe(`张三 请打卡 ${link} ***`);
	});
});

describe('digest escalation mentions', () => {
	it('also @mentions the people in mentionMobiles and mentionUserIds (group leader, administrator)', () => {
		const { people } = readDigestRows(
			[
				{
					recipientName: '张三',
					recipientUserId: 'u1',
					targetGroup: '语文组',
					message: '张三 未报',
					mentionMobiles: ['13900000009'],
					mentionUserIds: ['u1', 'lead1'],
				},
			],
			{ targetGroup: 'targetGroup', name: 'recipientName', mobile: 'recipientMobile', userId: 'recipientUserId', line: 'message' },
		);
		const plan = packDigest(people, {
			channel: 'dingtalk',
			header: 'H',
			footer: '',
			maskNames: false,
			mentionPeople: true,
			maxBytes: 20000,
		});
		const at = (plan.messages[0].body as { at: { atUserIds?: string[]; atMobiles?: string[] } }).at;
		expect(at.atUserIds).toEqual(['u1', 'lead1']);
		expect(at.atMobiles).toEqual(['13900000009']);
		expect(JSON.stringify((plan.messages[0].body as { text: unknown }).text)).not.toContain('13900000009');
	});
});
