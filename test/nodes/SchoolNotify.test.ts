/**
 * School Notify adapter against the local fake robots over real HTTP: the real node, the real
 * transport and the real credential `authenticate` code (through test/fakes/n8nHttp.ts).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { SchoolNotify } from '../../nodes/SchoolNotify/SchoolNotify.node';
import { schoolNotifyOutputs } from '../../nodes/SchoolNotify/actions/sendDirect';
import { makeContext } from '../helpers/context';
import { n8nHttp, testCredential } from '../fakes/n8nHttp';
import { FAKE_ROBOTS, startFakeRobots, type FakeRobots } from '../fakes/robots';

let fake: FakeRobots;
beforeAll(async () => {
	fake = await startFakeRobots();
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => fake.reset());

type Creds = Record<string, IDataObject>;
const creds = (over: { dingtalk?: IDataObject; wecom?: IDataObject; feishu?: IDataObject } = {}): Creds => ({
	dingTalkRobotApi: { ...FAKE_ROBOTS.dingtalk.signed, baseUrl: fake.baseUrl, ...over.dingtalk },
	weComRobotApi: { webhookKey: FAKE_ROBOTS.wecom.plain.key, baseUrl: fake.baseUrl, ...over.wecom },
	feishuBotApi: { ...FAKE_ROBOTS.feishu.signed, baseUrl: fake.baseUrl, ...over.feishu },
});

type Opts = { credentials?: Creds; continueOnFail?: boolean };

function context(parameters: IDataObject, inputs: IDataObject[] | INodeExecutionData[], opts: Opts = {}) {
	const credentials = opts.credentials ?? creds();
	return makeContext({
		parameters: { maxWaitSeconds: 0, options: { retryDelayMs: 5 }, ...parameters },
		inputs: [inputs as IDataObject[]],
		credentials,
		continueOnFail: opts.continueOnFail,
		http: n8nHttp(credentials),
	});
}

/** Gives Content per item, as an expression like {{ $json.text }} does (undefined when missing). */
function contentPerItem(ctx: ReturnType<typeof context>, content: (json: IDataObject) => unknown): void {
	const base = ctx.getNodeParameter.bind(ctx);
	const data = ctx.getInputData();
	(ctx as { getNodeParameter: unknown }).getNodeParameter = (name: string, i: number, fallback?: unknown) =>
		name === 'content' ? content(data[i]?.json ?? {}) : base(name, i, fallback as never);
}

async function execute(
	ctx: ReturnType<typeof context>,
): Promise<{ sent: INodeExecutionData[]; deferred: INodeExecutionData[]; failed: INodeExecutionData[] }> {
	const [sent, deferred, failed] = await new SchoolNotify().execute.call(ctx);
	return { sent, deferred, failed };
}

async function run(parameters: IDataObject, inputs: IDataObject[] | INodeExecutionData[], opts: Opts = {}) {
	return await execute(context(parameters, inputs, opts));
}

const send = (channel: string, extra: IDataObject = {}) => ({
	channel,
	operation: 'send',
	messageType: 'text',
	content: 'set per item by runPerItem',
	...extra,
});

/** Reminder items; runPerItem gives each its own content, as {{ $json.text }} would. */
function reminders(n: number): IDataObject[] {
	return Array.from({ length: n }, (_, i) => ({ id: i, text: `晨检提醒 #${i}` }));
}

async function runPerItem(parameters: IDataObject, items: IDataObject[] | INodeExecutionData[], opts: Opts = {}) {
	const ctx = context(parameters, items, opts);
	contentPerItem(ctx, (json) => String(json.text ?? ''));
	return await execute(ctx);
}

describe('credential tests (n8n runs test.request through authenticate and judges the body)', () => {
	it('accepts good credentials without posting anything into a group', async () => {
		for (const [type, data] of Object.entries(creds())) {
			const r = await testCredential(type, data);
			expect({ type, status: r.status }).toEqual({ type, status: 'OK' });
		}
		const plain = await testCredential('dingTalkRobotApi', { ...FAKE_ROBOTS.dingtalk.plain, baseUrl: fake.baseUrl });
		expect(plain.status).toBe('OK');
		expect(fake.dingtalk.length + fake.wecom.length + fake.feishu.length).toBe(0);
	});

	it.each([
		['dingTalkRobotApi', { accessToken: 'nope' }, /access token is not valid/],
		['dingTalkRobotApi', { secret: 'SECwrong' }, /signature or timestamp.*310000/],
		['weComRobotApi', { webhookKey: 'nope' }, /webhook key is not valid.*93000/],
		['feishuBotApi', { hookId: 'nope' }, /hook id is not valid.*19001/],
		['feishuBotApi', { secret: 'wrong' }, /signature or timestamp.*19021/],
	])('%s with %j fails clearly', async (type, over, message) => {
		const r = await testCredential(type, { ...creds()[type], ...over });
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(message);
	});
});

describe('send', () => {
	it('a burst of 200 reminders to one DingTalk robot: nothing lost, none sent twice', async () => {
		let pending: INodeExecutionData[] = reminders(200).map((json) => ({ json }));
		const seen = new Map<number, number>();
		let runs = 0;
		while (pending.length && runs < 15) {
			runs++;
			const { sent, deferred } = await runPerItem(send('dingtalk'), pending);
			// every input item comes out once, on one output, paired with its input
			expect(sent.length + deferred.length).toBe(pending.length);
			expect(sent.length).toBeLessThanOrEqual(20);
			for (const out of [...sent, ...deferred]) {
				const pi = out.pairedItem as { item: number };
				expect(pending[pi.item].json.id).toBe(out.json.id);
			}
			for (const s of sent) {
				expect(s.json).toMatchObject({ channel: 'dingtalk', messageIndex: expect.any(Number), sentAt: expect.any(String) });
				expect(s.json.deferredReason).toBeUndefined();
				seen.set(s.json.id as number, (seen.get(s.json.id as number) ?? 0) + 1);
			}
			for (const d of deferred) {
				expect(d.json).toMatchObject({ deferredKind: 'budget', retryAfter: expect.any(String) });
				expect(String(d.json.deferredReason)).toMatch(/20 messages a minute/);
			}
			pending = deferred;
			fake.advance(61_000); // the next scheduled run, a minute later
		}
		expect(runs).toBe(10);
		expect(seen.size).toBe(200);
		expect([...seen.values()].every((n) => n === 1)).toBe(true);
		const contents = fake.dingtalk.map((m) => (m.body.text as { content: string }).content);
		expect(new Set(contents).size).toBe(200);
		expect(fake.rejected.filter((r) => r.code === 130101)).toEqual([]);
	});

	it('the same 200 as a digest fit in one DingTalk message, mentioning everyone', async () => {
		const items = reminders(200).map((r, i) => ({
			recipientName: `家长${i}`,
			recipientMobile: `139${String(10000000 + i).slice(-8)}`,
			targetGroup: `${1 + (i % 6)}年级${1 + (i % 5)}班`,
			message: `家长${i} 的孩子今天未晨检，体温未报，电话 139${String(10000000 + i).slice(-8)}`,
		}));
		const { sent, deferred } = await run({ channel: 'dingtalk', operation: 'digest', header: '未晨检 ({count})', footer: '' }, items);
		expect(deferred).toEqual([]);
		expect(sent).toHaveLength(200);
		expect(fake.dingtalk.length).toBeLessThanOrEqual(2);
		const body = fake.dingtalk[0].body;
		expect((body.text as { content: string }).content).not.toMatch(/139\d{8}/);
		const mentioned = fake.dingtalk.flatMap((m) => (m.body.at as { atMobiles: string[] }).atMobiles);
		expect(new Set(mentioned).size).toBe(200);
	});

	it('a bad secret is one clear error, and nothing more is sent', async () => {
		const bad = creds({ dingtalk: { secret: 'SECnot-the-right-one' } });
		await expect(run(send('dingtalk', { content: 'hi' }), reminders(5), { credentials: bad })).rejects.toThrow(
			/DingTalk refused the credentials: signature, timestamp or IP refused: sign not match/,
		);
		expect(fake.requests).toHaveLength(1);

		// Issue 17: refused people never come out on Sent; they go to Failed with the reason.
		const r = await run(send('dingtalk', { content: 'hi' }), reminders(5), { credentials: bad, continueOnFail: true });
		expect(r.sent).toHaveLength(0);
		expect(r.failed).toHaveLength(5);
		expect(r.failed.every((s) => /refused the credentials/.test(String(s.json.failedReason)) && s.json.failedKind === 'auth')).toBe(true);
		expect(r.failed.map((s) => (s.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3, 4]);
		expect(fake.requests).toHaveLength(2);
		expect(fake.dingtalk).toHaveLength(0);
	});

	it('a bad Feishu signature (19021) is reported at once', async () => {
		const bad = creds({ feishu: { secret: 'wrong' } });
		await expect(run(send('feishu', { content: 'hi' }), reminders(3), { credentials: bad })).rejects.toThrow(/19021|signature/);
		expect(fake.requests).toHaveLength(1);
	});

	it('a message over the size limit fails before anything is sent, naming the row and field', async () => {
		const items = [{ text: 'ok 1' }, { text: '张'.repeat(700) }, { text: 'ok 3' }];
		await expect(runPerItem(send('wecom'), items)).rejects.toThrow(/Row 2, field "content": The message is 2100 bytes; WeCom takes at most 2048/);
		expect(fake.requests).toHaveLength(0);

		// Issue 17: the bad row's error item goes to Failed (n8n's error output when one is used), never to Sent.
		const r = await runPerItem(send('wecom'), items, { continueOnFail: true });
		expect(r.sent.map((s) => [(s.pairedItem as { item: number }).item, s.json.error === undefined])).toEqual([
			[0, true],
			[2, true],
		]);
		expect(r.failed.map((s) => [(s.pairedItem as { item: number }).item, s.json.error === undefined])).toEqual([[1, false]]);
		expect(fake.wecom).toHaveLength(2);
	});

	it('the fake WeCom answers 40058 to an over-size markdown body, as the real one does', async () => {
		const res = await fetch(`${fake.baseUrl}/cgi-bin/webhook/send?key=${FAKE_ROBOTS.wecom.plain.key}`, {
			method: 'POST',
			body: JSON.stringify({ msgtype: 'markdown', markdown: { content: 'x'.repeat(4097) } }),
		});
		expect(await res.json()).toMatchObject({ errcode: 40058 });
	});

	it('a 5xx followed by success: retried, sent once', async () => {
		fake.setFault({ channel: 'dingtalk', kind: '5xx', times: 1 });
		const { sent, deferred } = await run(send('dingtalk', { content: '晨检提醒', maxWaitSeconds: 5 }), [{ id: 1 }]);
		expect(sent).toHaveLength(1);
		expect(deferred).toHaveLength(0);
		expect(fake.rejected.map((r) => r.status)).toEqual([502]);
		expect(fake.dingtalk).toHaveLength(1);
	});

	it('a dropped connection followed by success: retried, sent once', async () => {
		fake.setFault({ channel: 'wecom', kind: 'drop', times: 1 });
		const { sent } = await run(send('wecom', { content: '晨检提醒', maxWaitSeconds: 5 }), [{ id: 1 }]);
		expect(sent).toHaveLength(1);
		expect(fake.wecom).toHaveLength(1);
		expect(fake.requests).toHaveLength(2);
	});

	it('5xx every time: deferred with the reason after the retries, never dropped', async () => {
		fake.setFault({ channel: 'feishu', kind: '5xx', times: 10 });
		const { sent, deferred } = await run(send('feishu', { content: 'x', options: { retryDelayMs: 1, maxRetries: 2 }, maxWaitSeconds: 5 }), [{ id: 1 }]);
		expect(sent).toHaveLength(0);
		expect(deferred[0].json).toMatchObject({ id: 1, deferredKind: 'server' });
		expect(String(deferred[0].json.deferredReason)).toMatch(/after 3 attempt\(s\): HTTP 502/);
		expect(fake.requests).toHaveLength(3);
	});

	it('DingTalk 130101: the rest is deferred for 10 minutes, and the next run does not knock early', async () => {
		fake.setFault({ channel: 'dingtalk', kind: 'throttle', times: 1 });
		const first = await run(send('dingtalk', { content: '晨检' }), reminders(4));
		expect(first.sent).toHaveLength(0);
		expect(first.deferred).toHaveLength(4);
		expect(first.deferred.every((d) => d.json.deferredKind === 'throttled')).toBe(true);
		const retryAfter = Date.parse(String(first.deferred[0].json.retryAfter));
		expect(retryAfter - Date.now()).toBeGreaterThan(9 * 60_000);
		expect(fake.requests).toHaveLength(1);

		const second = await run(send('dingtalk', { content: '晨检' }), first.deferred);
		expect(second.deferred).toHaveLength(4);
		expect(fake.requests).toHaveLength(1); // still closed: no request made
	});

	it('Feishu 11232 at a busy moment: retried and sent', async () => {
		fake.setFault({ channel: 'feishu', kind: 'busy', times: 2 });
		const { sent } = await run(send('feishu', { content: '晨检', maxWaitSeconds: 5 }), [{ id: 1 }]);
		expect(sent).toHaveLength(1);
		expect(fake.rejected.map((r) => r.code)).toEqual([11232, 11232]);
	});

	it('WeCom: 20 a minute, then 45009 from another run is deferred, not lost', async () => {
		const a = await run(send('wecom', { content: 'r' }), reminders(25));
		expect(a.sent).toHaveLength(20);
		expect(a.deferred).toHaveLength(5);
		expect(fake.rejected).toEqual([]);
		const b = await run(send('wecom', { content: 'r' }), a.deferred);
		expect(b.sent).toHaveLength(0);
		expect(b.deferred.every((d) => d.json.deferredKind === 'throttled')).toBe(true);
		expect(fake.rejected.map((r) => r.code)).toEqual([45009]);
	});

	it('adds the keyword the robot requires; without it, the refusal names the keyword', async () => {
		// the robot requires 晨检; the first credential names it, the second does not
		const kw = creds({ feishu: { hookId: FAKE_ROBOTS.feishu.keyword.hookId, secret: '', keyword: '晨检' } });
		const ok = await run(send('feishu', { content: 'please check in' }), [{ id: 1 }], { credentials: kw });
		expect(ok.sent).toHaveLength(1);
		expect((fake.feishu[0].body.content as { text: string }).text).toBe('【晨检】please check in');
		const noKw = creds({ feishu: { hookId: FAKE_ROBOTS.feishu.keyword.hookId, secret: '', keyword: '' } });
		await expect(run(send('feishu', { content: 'please check in' }), [{ id: 1 }], { credentials: noKw })).rejects.toThrow(
			/keyword missing/,
		);
	});

	it('mentions by mobile and user id on WeCom text', async () => {
		await run(send('wecom', { content: '请填写', mentionMobiles: '13800138000', mentionUserIds: 'zhangsan', mentionAll: false }), [{ id: 1 }]);
		expect(fake.wecom[0].body).toEqual({
			msgtype: 'text',
			text: { content: '请填写', mentioned_list: ['zhangsan'], mentioned_mobile_list: ['13800138000'] },
		});
	});

	it('skips empty items and keeps secrets out of every output item', async () => {
		const { sent, deferred } = await run(send('dingtalk', { content: 'hi' }), [{}, { id: 1 }]);
		expect(sent).toHaveLength(1);
		expect((sent[0].pairedItem as { item: number }).item).toBe(1);
		const all = JSON.stringify([sent, deferred]);
		for (const s of [FAKE_ROBOTS.dingtalk.signed.accessToken, FAKE_ROBOTS.dingtalk.signed.secret as string]) {
			expect(all).not.toContain(s);
		}
	});
});

describe('cards', () => {
	it.each(['dingtalk', 'feishu', 'wecom'])('%s accepts the card with its button link', async (channel) => {
		const { sent } = await run(
			{
				channel,
				operation: 'sendCard',
				cardTitle: 'Morning check',
				cardText: 'Please fill in before 09:00',
				buttonText: 'Fill in now',
				buttonUrl: 'https://school.example.edu/form/check',
				weComCardStyle: 'templateCard',
			},
			[{ class: '三(2)班' }],
		);
		expect(sent).toHaveLength(1);
		const got = fake[channel as 'dingtalk' | 'feishu' | 'wecom'];
		expect(got).toHaveLength(1);
		expect(JSON.stringify(got[0].body)).toContain('https://school.example.edu/form/check');
	});
});

describe('digest on each channel', () => {
	it.each(['wecom', 'feishu'])('%s: 120 people in 6 groups, each delivered once', async (channel) => {
		const items = Array.from({ length: 120 }, (_, i) => ({
			recipientName: `学生${i}`,
			recipientUserId: `u${i}`,
			targetGroup: `${1 + (i % 6)}班`,
		}));
		const { sent, deferred } = await run({ channel, operation: 'digest', header: 'Not checked in ({count}):', footer: 'https://e.edu/f', maskNames: true }, items);
		expect(deferred).toEqual([]);
		expect(sent.map((s) => (s.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
		const text = JSON.stringify(fake[channel as 'wecom' | 'feishu'].map((m) => m.body));
		expect(text).toContain('学*0');
		expect(text).not.toContain('学生0');
	});
});

describe('only what the platform accepted comes out on Sent (issue 17)', () => {
	it('has the outputs Sent, Deferred and Failed, Failed last so existing connections stay valid', () => {
		// outputs are named per operation (Check DingTalk Read Status names its own): the robot ones
		for (const operation of ['send', 'sendCard', 'digest']) {
			expect(schoolNotifyOutputs({ operation }).map((o) => o.displayName)).toEqual(['Sent', 'Deferred', 'Failed']);
		}
	});

	it('a refusal after an accepted message: the run goes on, accepted on Sent, refused on Failed with the reason', async () => {
		// the robot requires the keyword 晨检; the credential does not add it, so item 1 is refused
		const kw = creds({ dingtalk: { ...FAKE_ROBOTS.dingtalk.keyword, secret: '', keyword: '' } });
		const items = [{ text: '晨检 A' }, { text: 'no keyword here' }, { text: '晨检 C' }];
		const r = await runPerItem(send('dingtalk'), items, { credentials: kw });
		expect(r.sent.map((s) => (s.pairedItem as { item: number }).item)).toEqual([0, 2]);
		expect(r.failed).toHaveLength(1);
		expect(r.failed[0]).toMatchObject({ pairedItem: { item: 1 }, json: { text: 'no keyword here', failedKind: 'invalid', failedCode: 310000 } });
		expect(String(r.failed[0].json.failedReason)).toMatch(/keyword missing/);
		expect(r.sent.every((s) => s.json.failedReason === undefined && s.json.error === undefined)).toBe(true);
		expect(fake.dingtalk).toHaveLength(2);
	});

	it('a failed item retried on the next run loses its failure fields when it is sent', async () => {
		const r = await run(send('wecom', { content: '晨检' }), [{ id: 1, failedReason: 'x', failedKind: 'invalid', failedCode: 1 }]);
		expect(r.sent[0].json).toEqual({ id: 1, channel: 'wecom', messageIndex: 0, sentAt: expect.any(String) });
	});

	it('a whole-run failure under continue-on-fail: one error item per input on Failed, none on Sent', async () => {
		const r = await run(send('wecom', { content: 'hi' }), reminders(3), { credentials: {}, continueOnFail: true });
		expect(r.sent).toEqual([]);
		expect(r.failed.map((f) => [f.pairedItem, String(f.json.error)])).toEqual([
			[{ item: 0 }, expect.stringMatching(/No wecom robot credential/)],
			[{ item: 1 }, expect.stringMatching(/No wecom robot credential/)],
			[{ item: 2 }, expect.stringMatching(/No wecom robot credential/)],
		]);
	});
});

describe('Send Message never posts "undefined" (issue 16)', () => {
	async function runExpression(items: IDataObject[], continueOnFail = false) {
		const ctx = context(send('wecom', { content: '={{ $json.text }}', options: {} }), items, { continueOnFail });
		contentPerItem(ctx, (json) => json.text);
		return await execute(ctx);
	}

	it('a missing field is a clear error naming it, and nothing is posted', async () => {
		await expect(runExpression([{ text: 'ok' }, { other: 1 }])).rejects.toThrow(
			/Row 2, field "content": The content reads "text", which this item does not have/,
		);
		expect(fake.requests).toHaveLength(0);
	});

	it('under continue-on-fail the others are sent and the bad row is an error item on Failed', async () => {
		const r = await runExpression([{ text: 'ok' }, { other: 1 }, { text: 'also ok' }], true);
		expect(r.sent.map((s) => (s.pairedItem as { item: number }).item)).toEqual([0, 2]);
		expect(r.failed).toEqual([
			{ json: { error: expect.stringMatching(/"text", which this item does not have/), details: expect.objectContaining({ row: 2, field: 'content' }) }, pairedItem: { item: 1 } },
		]);
		expect(JSON.stringify(fake.wecom)).not.toContain('undefined');
	});
});

describe('digest: one odd person does not block the others (issue 16)', () => {
	it('without continue-on-fail: a 1 MB line is shortened and sent, a person who cannot fit goes to Failed alone', async () => {
		const items: IDataObject[] = Array.from({ length: 12 }, (_, i) => ({
			recipientName: `教师${i}`,
			recipientUserId: `ou_${i}`,
			targetGroup: `${1 + (i % 3)}组`,
			message: `教师${i} 未填报`,
		}));
		items[4].message = `教师4 ${'说明'.repeat(500_000)}`;
		items[7].recipientUserId = 'ou_'.padEnd(30_000, 'x');
		const r = await run({ channel: 'feishu', operation: 'digest', header: '未填报 ({count})', footer: '' }, items);
		expect(r.sent.map((s) => (s.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]);
		expect(r.sent.find((s) => (s.pairedItem as { item: number }).item === 4)?.json.lineShortened).toBe(true);
		expect(r.failed).toHaveLength(1);
		expect(r.failed[0]).toMatchObject({ pairedItem: { item: 7 }, json: { failedKind: 'tooLong' } });
		expect(String(r.failed[0].json.failedReason)).toMatch(/^The name "教师7" with its mentions does not fit/);
		expect(String(r.failed[0].json.failedReason).length).toBeLessThan(200);
		expect(fake.rejected).toEqual([]);
	});
});

describe('digest escalations on Feishu (issue 17)', () => {
	it('tags the person, the group leader and the administrator by user id', async () => {
		const items = [
			{ recipientName: '张三', recipientUserId: 'ou_a', targetGroup: '语文组', mentionUserIds: ['ou_lead', 'ou_admin'] },
			{ recipientName: '李四', recipientUserId: 'ou_b', targetGroup: '语文组', mentionUserIds: ['ou_lead', 'ou_admin'] },
		];
		const r = await run({ channel: 'feishu', operation: 'digest', header: '升级提醒 ({count})', footer: '' }, items);
		expect(r.sent).toHaveLength(2);
		const text = (fake.feishu[0].body.content as { text: string }).text;
		for (const id of ['ou_a', 'ou_b', 'ou_lead', 'ou_admin']) expect(text).toContain(`<at user_id="${id}"></at>`);
	});
});

describe('WeCom digest near the limit is accepted by a robot that counts a line break as 2 bytes (issue 17)', () => {
	it('500 people with personal links, 30 groups: every message accepted, none refused', async () => {
		const items = Array.from({ length: 500 }, (_, i) => ({
			recipientName: `教师${String(i).padStart(3, '0')}`,
			recipientMobile: `139${String(10000000 + i).slice(-8)}`,
			targetGroup: `部门${i % 30}`,
			message: `教师${String(i).padStart(3, '0')} 请填写 https://school.example.edu/form/check?id=T${i}&exp=1795638714&sig=${'Ab1'.repeat(15)}`,
		}));
		const r = await run({ channel: 'wecom', operation: 'digest', header: '未填报 ({count})', footer: '', maxWaitSeconds: 0 }, items);
		expect(fake.rejected).toEqual([]);
		expect(r.failed).toEqual([]);
		expect(r.sent.length + r.deferred.length).toBe(500);
		expect(fake.wecom).toHaveLength(20);
		expect(r.deferred.every((d) => d.json.deferredKind === 'budget')).toBe(true);
	});
});

describe('digest that hands over each message (issue 17: record each message as it is accepted)', () => {
	const people = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			recipientName: `教师${String(i).padStart(3, '0')}`,
			recipientMobile: `139${String(10000000 + i).slice(-8)}`,
			targetGroup: `部门${i % 30}`,
			message: `教师${String(i).padStart(3, '0')} 请填写 https://school.example.edu/form/check?id=T${i}&exp=1795638714&sig=${'Ab1'.repeat(15)}`,
		}));
	const params = { channel: 'wecom', operation: 'digest', header: '未填报 ({count})', footer: '', handOverEachMessage: true, order: 'rotate' };

	/** Runs the node as the workflow's loop does: Next back into the node until Next is empty. */
	async function loop(input: IDataObject[], parameters: IDataObject = params) {
		const calls: Array<{ sent: INodeExecutionData[]; deferred: INodeExecutionData[]; failed: INodeExecutionData[]; next: INodeExecutionData[] }> = [];
		let items: INodeExecutionData[] = input.map((json) => ({ json }));
		const nodeContext: IDataObject = {};
		for (let guard = 0; guard < 200; guard++) {
			const ctx = makeContext({
				parameters: { maxWaitSeconds: 0, options: { retryDelayMs: 5 }, ...parameters },
				inputs: [items],
				credentials: creds(),
				http: n8nHttp(creds()),
				nodeContext,
			});
			const [sent, deferred, failed, next] = await new SchoolNotify().execute.call(ctx);
			calls.push({ sent, deferred, failed, next });
			if (next.length === 0) break;
			// One item on Next, whatever the number of people still held in the execution.
			expect(next).toHaveLength(1);
			items = next.map((n) => ({ json: n.json }));
		}
		expect(nodeContext.handOver).toBeUndefined();
		return calls;
	}

	it('an item on Next that this node does not hold (wired from elsewhere) is a clear error', async () => {
		const ctx = makeContext({
			parameters: { maxWaitSeconds: 0, options: {}, ...params },
			inputs: [[{ digestContinues: 'not-ours' }]],
			credentials: creds(),
			http: n8nHttp(creds()),
		});
		await expect(new SchoolNotify().execute.call(ctx)).rejects.toThrow(/belongs to a run this node no longer holds/);
		expect(fake.wecom).toHaveLength(0);
	});

	it('the node shows a fourth output, Next, only for a hand-over digest', () => {
		expect(schoolNotifyOutputs({ operation: 'digest', handOverEachMessage: true }).map((o) => o.displayName)).toEqual(['Sent', 'Deferred', 'Failed', 'Next']);
		expect(schoolNotifyOutputs({ operation: 'digest' })).toHaveLength(3);
		expect(schoolNotifyOutputs({ operation: 'send', handOverEachMessage: true })).toHaveLength(3);
	});

	it('100 people on WeCom: one accepted message per call, each person sent once, Next carries the rest', async () => {
		const calls = await loop(people(100), { ...params, maxWaitSeconds: 60 });
		const accepted = fake.wecom.length;
		expect(accepted).toBeGreaterThan(1);
		expect(calls).toHaveLength(accepted);
		calls.forEach((c, k) => {
			const indexes = new Set(c.sent.map((s) => s.json.messageIndex));
			expect([...indexes]).toEqual([k]);
			expect(c.sent.every((s) => s.json.digestSettled === undefined)).toBe(true);
		});
		const names = calls.flatMap((c) => c.sent.map((s) => String(s.json.recipientName)));
		expect(names.sort()).toEqual(people(100).map((p) => p.recipientName).sort());
		expect(calls.slice(0, -1).every((c) => c.next.length === 1 && c.deferred.length === 0 && c.failed.length === 0)).toBe(true);
		// Later calls pair what they send with the one item they were given.
		expect(calls.slice(1).every((c) => c.sent.every((s) => (s.pairedItem as { item: number }).item === 0))).toBe(true);
		expect(calls[calls.length - 1].next).toEqual([]);
	});

	it('Max Wait and the rate limit hold for the whole loop: 20 messages a minute, the rest deferred once, at the end', async () => {
		const calls = await loop(people(500), { ...params, maxWaitSeconds: 0 });
		expect(fake.wecom).toHaveLength(20);
		expect(fake.rejected).toEqual([]);
		const last = calls[calls.length - 1];
		const sent = calls.flatMap((c) => c.sent);
		expect(sent.length + last.deferred.length).toBe(500);
		expect(last.deferred.every((d) => d.json.deferredKind === 'budget' && d.json.digestSettled === undefined)).toBe(true);
		expect(new Set(sent.map((s) => s.json.recipientName)).size).toBe(sent.length);
	});

	it('a person who cannot fit is carried as failed to the last call, with the reason, and never sent', async () => {
		const input: IDataObject[] = people(30);
		input[3] = { ...input[3], recipientUserId: 'ou_'.padEnd(30_000, 'x') };
		const calls = await loop(input, { ...params, channel: 'feishu', maxWaitSeconds: 60, options: { retryDelayMs: 5, maxBytes: 1500 } });
		expect(calls.length).toBeGreaterThan(1);
		const last = calls[calls.length - 1];
		const failedNames = calls.flatMap((c) => c.failed.map((f) => String(f.json.recipientName)));
		expect(failedNames).toEqual([input[3].recipientName]);
		expect(last.failed).toHaveLength(1);
		expect(last.failed[0].json).toMatchObject({ failedKind: 'tooLong' });
		expect(last.failed[0].json.digestSettled).toBeUndefined();
		expect(calls.slice(0, -1).every((c) => c.failed.length === 0)).toBe(true);
		expect(calls.flatMap((c) => c.sent)).toHaveLength(29);
	});
});
