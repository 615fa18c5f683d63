import type { Channel } from '../../nodes/SchoolNotify/channels';
import { measure } from '../../nodes/SchoolNotify/channels';
import { packDigest } from '../../nodes/SchoolNotify/digest';
import { DEFAULT_DIGEST_FIELDS, readDigestRows, type DigestPerson } from '../../nodes/SchoolNotify/digestRows';

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

const opts = (channel: Channel, extra: Partial<Parameters<typeof packDigest>[1]> = {}) => ({
	header: 'Not checked in ({count}):',
	footer: 'Fill in: https://e.edu/f',
	maskNames: false,
	mentionPeople: true,
	channel,
	...extra,
});
const bodyText = (b: Record<string, unknown>): string => {
	const x = b as { text?: { content?: string }; content?: { text?: string }; markdown?: { content?: string } };
	return x.text?.content ?? x.content?.text ?? x.markdown?.content ?? '';
};

describe('sizes per platform, no reserve carried across (issue 17)', () => {
	it('WeCom messages fill up to the 2,048-byte limit: no 48-byte DingTalk reserve', () => {
		const plan = packDigest(people(500, 30), opts('wecom'));
		const sizes = plan.messages.slice(0, -1).map((m) => measure('wecom', m.body).size);
		expect(Math.max(...sizes)).toBeGreaterThan(2048 - 48);
		for (const m of plan.messages) expect(measure('wecom', m.body).size).toBeLessThanOrEqual(2048);
	});

	it('WeCom counts each line break as 2 bytes when packing', () => {
		const { weComBytes } = jest.requireActual('../../nodes/SchoolNotify/channels') as typeof import('../../nodes/SchoolNotify/channels');
		const plan = packDigest(people(300, 10), opts('wecom'));
		for (const m of plan.messages) expect(weComBytes(bodyText(m.body))).toBeLessThanOrEqual(2048);
	});

	it('Feishu messages use the 20 KB body limit (read as 20,000 bytes) less the signature fields only', () => {
		const plan = packDigest(people(2000, 30), opts('feishu'));
		const sizes = plan.messages.slice(0, -1).map((m) => measure('feishu', m.body).size);
		expect(Math.max(...sizes)).toBeGreaterThan(20_000 - 96 - 48);
		for (const m of plan.messages) expect(measure('feishu', m.body).size).toBeLessThanOrEqual(20_000 - 96);
	});
});

describe('one oversize line does not block the digest (issue 16)', () => {
	it.each(['wecom', 'dingtalk', 'feishu'] as Channel[])('%s: a 1 MB line is shortened, everyone is still sent', (channel) => {
		const list = people(20, 2);
		list[5] = { ...list[5], line: `${list[5].name} ${'很长的说明'.repeat(200_000)}` };
		const plan = packDigest(list, opts(channel));
		expect(plan.rejected).toEqual([]);
		expect(plan.shortened).toEqual([5]);
		expect(plan.messages.flatMap((m) => m.rows).sort((a, b) => a - b)).toEqual(list.map((p) => p.row));
		for (const m of plan.messages) expect(measure(channel, m.body).size).toBeLessThanOrEqual(m.limit);
		const text = plan.messages.map((m) => bodyText(m.body)).join('\n');
		expect(text).toMatch(/学生005 (很长的说明)+[很长的说明]{0,4}…/);
	});

	it('a name too long for any message is shortened too', () => {
		const list = people(10, 2);
		list[3] = { ...list[3], name: `张${'三'.repeat(5000)}`, line: undefined };
		const plan = packDigest(list, opts('wecom'));
		expect(plan).toMatchObject({ rejected: [], shortened: [3] });
		expect(plan.messages.flatMap((m) => m.rows)).toHaveLength(10);
	});

	it('a person whose mention alone cannot fit is reported on its own, with a short excerpt; the others go out', () => {
		const list = people(10, 2);
		list[3] = { ...list[3], name: `张三13800138000${'三'.repeat(5000)}`, userId: 'ou_'.padEnd(30_000, 'x') };
		const plan = packDigest(list, opts('feishu'));
		expect(plan.rejected).toHaveLength(1);
		expect(plan.rejected[0]).toMatchObject({ row: 3, field: 'name' });
		expect(plan.rejected[0].message).toMatch(/^The name "张三\*\*\*三+…" with its mentions does not fit in one Feishu message/);
		expect(plan.rejected[0].message.length).toBeLessThan(200);
		expect(plan.messages.flatMap((m) => m.rows).sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
	});
});

describe('scrub every part of a message (issue 17)', () => {
	it.each(['wecom', 'dingtalk', 'feishu'] as Channel[])('%s: group names, names, header and footer lose phone and ID numbers', (channel) => {
		const list: DigestPerson[] = [
			{ row: 0, target: '语文组 13800138000', name: '张三13912345678', mobile: '13912345678' },
			{ row: 1, target: '数学组 身份证11010519491231002X', name: '李四 139 1234 5679', line: '李四 电话 13912345679 未报' },
		];
		const plan = packDigest(list, opts(channel, { header: '未打卡 ({count}) 值班 13700000000', footer: '问题请打 13600000000' }));
		const text = plan.messages.map((m) => bodyText(m.body)).join('\n');
		expect(text).not.toMatch(/1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|11010519491231002X/);
		expect(text).toContain('【语文组 ***】');
		expect(text).toContain('张三***');
	});
});

describe('escalations @mention the group leader and the administrator on every channel (issue 17)', () => {
	const rows = [
		{ recipientName: '张三', recipientUserId: 'u1', recipientMobile: '13800000001', targetGroup: '语文组', mentionUserIds: ['lead1', 'admin1'], mentionMobiles: ['13900000009', '13900000010'] },
		{ recipientName: '李四', recipientUserId: 'u2', recipientMobile: '13800000002', targetGroup: '语文组', mentionUserIds: ['lead1', 'admin1'], mentionMobiles: ['13900000009', '13900000010'] },
	];

	it('Feishu: the leader and administrator user ids are tagged once per message', () => {
		const { people: list } = readDigestRows(rows, DEFAULT_DIGEST_FIELDS);
		const plan = packDigest(list, opts('feishu'));
		const text = bodyText(plan.messages[0].body);
		for (const id of ['u1', 'u2', 'lead1', 'admin1']) {
			expect(text.split(`<at user_id="${id}"></at>`).length - 1).toBe(1);
		}
	});

	it('DingTalk and WeCom: the extra ids and mobiles are in the mention lists, never in the text', () => {
		const { people: list } = readDigestRows(rows, DEFAULT_DIGEST_FIELDS);
		const d = packDigest(list, opts('dingtalk')).messages[0].body as { at: { atUserIds: string[]; atMobiles: string[] } };
		expect(d.at.atUserIds).toEqual(['u1', 'lead1', 'admin1', 'u2']);
		expect(d.at.atMobiles).toEqual(['13900000009', '13900000010']);
		const w = packDigest(list, opts('wecom')).messages[0].body as { text: { content: string; mentioned_list: string[]; mentioned_mobile_list: string[] } };
		expect(w.text.mentioned_list).toEqual(['u1', 'lead1', 'admin1', 'u2']);
		expect(w.text.mentioned_mobile_list).toEqual(['13900000009', '13900000010']);
		expect(w.text.content).not.toMatch(/139000000/);
	});

	it('reads the extra mention fields and the last-reminded time from the fields named', () => {
		const r = readDigestRows(
			[{ recipientName: '张三', leaderUserId: 'lead9', adminMobile: '13900000011', remindedAt: '2026-03-10T09:33:00+08:00' }],
			{ ...DEFAULT_DIGEST_FIELDS, alsoUserIds: 'leaderUserId', alsoMobiles: 'adminMobile', lastReminded: 'remindedAt' },
		);
		expect(r.people[0]).toMatchObject({ alsoUserIds: ['lead9'], alsoMobiles: ['13900000011'], lastReminded: '2026-03-10T09:33:00+08:00' });
	});
});
