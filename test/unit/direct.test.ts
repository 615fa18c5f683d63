/**
 * The pure parts of direct messages (nodes/SchoolNotify/apps): escaping and message bodies,
 * what the platforms' answers mean, DingTalk's asynchronous result, batching, pacing, and the
 * credential functions (token request, token answer, authenticate and its renewal signal).
 */
import { classifyCall, nextChinaMidnight, readSendResult, REASONS } from '../../nodes/SchoolNotify/apps/answers';
import {
	appAuthenticate,
	EXPIRY_MARGIN_MS,
	readToken,
	RENEW_HEADER,
	RenewTokenSignal,
	tokenFingerprint,
	tokenRequest,
} from '../../nodes/SchoolNotify/apps/appAuth';
import { dispatch, planBatches, Window, type Delivery } from '../../nodes/SchoolNotify/apps/dispatch';
import { buildBody, defangLinks, escapeMarkdown, escapePlain, shorten } from '../../nodes/SchoolNotify/apps/messages';
import type { CallAnswer } from '../../nodes/SchoolNotify/apps/answers';

describe('escaping user text', () => {
	it('makes typed addresses unclickable', () => {
		expect(defangLinks('see https://evil.example/x and www.evil.example')).toBe('see https：//evil.example/x and www．evil.example');
	});

	it('plain text keeps words but loses HTML, mention tags and @', () => {
		expect(escapePlain('<a href="x">hi</a> <at user_id="all"></at> @all')).toBe('＜a href="x"＞hi＜/a＞ ＜at user_id="all"＞＜/at＞ ＠all');
	});

	it('markdown loses links, emphasis, headings, lists, quotes and code', () => {
		const out = escapeMarkdown('# Title\n- item\n1. first\n> quote\n[x](y) **b** `c` ![i](j)');
		expect(out).toBe('＃ Title\n－ item\n1． first\n＞ quote\n［x］（y） ＊＊b＊＊ ｀c｀ ！［i］（j）');
	});

	it('shortens titles with an ellipsis within the limit', () => {
		expect(shorten('abcdefgh', 5, 'characters')).toBe('abcd…');
		expect(shorten('体温表', 7, 'bytes')).toBe('体…');
		expect(shorten('ok', 5, 'characters')).toBe('ok');
	});
});

describe('message bodies', () => {
	const msg = { style: 'text' as const, title: '晨检提醒 张三 13800138000', text: '体温 37.8℃ 请于09:00前填写', link: 'https://n8n.example.edu/form/a?sig=123456789', linkText: '填写' };

	it('hides phone numbers and temperatures but keeps the link and clock times', () => {
		for (const p of ['dingtalk', 'wecom', 'feishu'] as const) {
			const s = JSON.stringify(buildBody(p, msg));
			expect(s).not.toMatch(/13800138000|37\.8/);
			expect(s).toContain('https://n8n.example.edu/form/a?sig=123456789');
			expect(s).toContain('09:00');
		}
	});

	it('uses each platform\'s text and card formats', () => {
		expect(buildBody('dingtalk', msg)).toMatchObject({ msgtype: 'text' });
		expect(buildBody('dingtalk', { ...msg, style: 'card' })).toMatchObject({ msgtype: 'action_card', action_card: { single_url: msg.link } });
		expect(buildBody('wecom', msg)).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining(`<a href="${msg.link}">填写</a>`) } });
		expect(buildBody('wecom', { ...msg, style: 'card' })).toMatchObject({ msgtype: 'textcard', textcard: { url: msg.link, btntxt: '填写' } });
		const fs = buildBody('feishu', { ...msg, style: 'card' });
		expect(fs.msg_type).toBe('interactive');
		expect(JSON.parse(String(fs.content)).elements[1].actions[0].url).toBe(msg.link);
		expect(JSON.parse(String(buildBody('feishu', msg).content)).text).toContain('填写: https://');
	});

	it('refuses a card without a link, a non-http link, an empty message and an over-long text (naming the field)', () => {
		expect(() => buildBody('wecom', { ...msg, style: 'card', link: '' })).toThrow(/needs a link/);
		expect(() => buildBody('wecom', { ...msg, link: 'javascript:alert(1)' })).toThrow(/http/);
		expect(() => buildBody('feishu', { style: 'text', title: '', text: '  ' })).toThrow(/no title and no text/);
		expect(() => buildBody('wecom', { style: 'text', title: 't', text: '字'.repeat(700) })).toThrow(/2048/);
	});
});

describe('what the answers mean', () => {
	it('token refusals, in an HTTP 200 body (DingTalk, WeCom) or 400 (Feishu)', () => {
		expect(classifyCall('dingtalk', 200, { errcode: 40014, errmsg: '不合法的access_token' }).kind).toBe('expired');
		expect(classifyCall('wecom', 200, { errcode: 42001, errmsg: 'access_token expired' }).kind).toBe('expired');
		expect(classifyCall('feishu', 400, { code: 99991663, msg: 'Invalid access token' }).kind).toBe('expired');
		expect(classifyCall('feishu', 400, { code: 99991668, msg: 'token expired' }).kind).toBe('expired');
	});

	it('a WeCom partial success names the refused users (lower-cased), parties and tags', () => {
		const a = classifyCall('wecom', 200, { errcode: 0, errmsg: 'ok', invaliduser: 'Ghost|u9', invalidparty: '3', msgid: 'm1' });
		expect(a).toMatchObject({ kind: 'ok', messageId: 'm1' });
		expect(a.refused?.map((r) => r.id)).toEqual(['user:ghost', 'user:u9', 'department:3']);
		expect(classifyCall('wecom', 200, { errcode: 81013, errmsg: 'user & party & tag all invalid', invaliduser: 'x' }).kind).toBe('recipients');
	});

	it('rate limits, with Feishu\'s reset header', () => {
		expect(classifyCall('feishu', 429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '7' })).toMatchObject({ kind: 'throttled', retryAfterMs: 7000 });
		expect(classifyCall('feishu', 400, { code: 230020 })).toMatchObject({ kind: 'throttled', retryAfterMs: 1000 });
		expect(classifyCall('wecom', 200, { errcode: 45009 })).toMatchObject({ kind: 'throttled' });
		expect(classifyCall('dingtalk', 200, { errcode: 90018 })).toMatchObject({ kind: 'throttled', retryAfterMs: 1000 });
	});

	it('recipients, credentials, servers and secrets kept out of messages', () => {
		expect(classifyCall('feishu', 400, { code: 230013, msg: 'Bot has NO availability to this user.' }).kind).toBe('recipients');
		expect(classifyCall('feishu', 400, { code: 230001, msg: 'ext=invalid receive_id.' }).kind).toBe('recipients');
		expect(classifyCall('wecom', 200, { errcode: 60020, errmsg: 'not allow to access from your ip' }).kind).toBe('auth');
		expect(classifyCall('dingtalk', 502, '<html>').kind).toBe('server');
		expect(classifyCall('dingtalk', 200, { errcode: 0, task_id: 42 })).toMatchObject({ kind: 'ok', taskId: '42' });
		expect(classifyCall('wecom', 200, { errcode: 40091, errmsg: 'x corpsecret=abc' }).message).toBe('x corpsecret=***');
	});
});

describe('DingTalk asynchronous result', () => {
	const now = Date.UTC(2026, 2, 10, 2, 0); // 10:00 in China
	it('sorts people into read, unread, invalid, failed and forbidden (deferred or failed by code)', () => {
		const r = readSendResult(
			{ errcode: 0, progress: { status: 2 } },
			{
				send_result: {
					read_user_id_list: ['a'],
					unread_user_id_list: ['b'],
					invalid_user_id_list: ['c'],
					failed_user_id_list: ['d'],
					forbidden_user_id_list: ['e', 'f', 'g'],
					forbidden_list: [
						{ userid: 'e', code: '143106', count: 1 },
						{ userid: 'f', code: '143105', count: 500 },
						{ userid: 'g', code: '143103', count: 5000 },
					],
				},
			},
			now,
		);
		expect(r.done).toBe(true);
		expect(Object.fromEntries([...r.people].map(([k, v]) => [k, v.state]))).toEqual({ a: 'read', b: 'unread', c: 'invalid', d: 'failed', e: 'forbidden', f: 'forbidden', g: 'forbidden' });
		expect(r.people.get('e')).toEqual({ state: 'forbidden', reason: REASONS.duplicateToday });
		expect(r.people.get('f')?.retryAt).toBe(nextChinaMidnight(now));
		expect(r.people.get('g')?.retryAt).toBe(now + 60_000);
	});

	it('midnight in China is the next 16:00 UTC', () => {
		expect(new Date(nextChinaMidnight(now)).toISOString()).toBe('2026-03-10T16:00:00.000Z');
	});
});

describe('batching', () => {
	const body = (t: string) => ({ msgtype: 'text', text: { content: t } });
	const d = (row: number, recipient: string, t = 'same'): Delivery => ({ row, recipient, recipientType: 'userId', body: body(t) });

	it('identical messages share a call up to the platform\'s maximum; personal ones do not', () => {
		const many = Array.from({ length: 250 }, (_, i) => d(i, `u${i}`));
		expect(planBatches('dingtalk', many).map((b) => b.recipients.length)).toEqual([100, 100, 50]);
		expect(planBatches('wecom', many).map((b) => b.recipients.length)).toEqual([250]);
		expect(planBatches('feishu', many.slice(0, 3)).map((b) => b.recipients.length)).toEqual([1, 1, 1]);
		expect(planBatches('wecom', [d(0, 'a', 'x'), d(1, 'b', 'y')])).toHaveLength(2);
	});

	it('the same person twice in one message is sent once and both rows get the outcome', () => {
		const [b] = planBatches('wecom', [d(0, 'a'), d(1, 'a'), d(2, 'b')]);
		expect(b.recipients).toEqual(['a', 'b']);
		expect(b.rows.get('a')).toEqual([0, 1]);
	});
});

describe('pacing', () => {
	it('a window gives the next time n more fit', () => {
		const w = new Window({ unit: 'calls', count: 2, windowMs: 1000, source: '' });
		w.record(0);
		expect(w.nextSlot(10)).toBe(10);
		w.record(5);
		expect(w.nextSlot(10)).toBe(1050);
		expect(w.nextSlot(10, 3)).toBe(Infinity);
	});

	function run(answers: CallAnswer[], deliveries: Delivery[], deadline = 10_000) {
		let t = 0;
		const calls: string[][] = [];
		return dispatch(planBatches('feishu', deliveries), {
			platform: 'feishu',
			deadline,
			maxRetries: 3,
			backoffBaseMs: 100,
			now: () => t,
			sleep: async (ms) => void (t += ms),
			call: async (b) => {
				calls.push(b.recipients);
				t += 1;
				return answers.shift() ?? { kind: 'ok', message: 'ok' };
			},
		}).then((out) => ({ out, calls, t }));
	}
	const people = (n: number) => Array.from({ length: n }, (_, i): Delivery => ({ row: i, recipient: `u${i}`, recipientType: 'userId', body: { n: i } }));

	it('a rate-limit answer waits and sends again; nobody is lost', async () => {
		const { out, calls } = await run([{ kind: 'throttled', message: 'slow', retryAfterMs: 1000 }], people(2));
		expect(calls).toEqual([['u0'], ['u0'], ['u1']]);
		expect(out.map((m) => m.get(m.keys().next().value as string)?.status)).toEqual(['sent', 'sent']);
	});

	it('keeps to 50 calls a second without being told', async () => {
		const { out, t } = await run([], people(120));
		expect(out.every((m) => [...m.values()][0].status === 'sent')).toBe(true);
		expect(t).toBeGreaterThanOrEqual(2000);
	});

	it('what cannot go out by the deadline is deferred with a retry time', async () => {
		const { out } = await run([{ kind: 'throttled', message: 'slow', retryAfterMs: 60_000 }], people(2), 5000);
		const first = [...out[0].values()][0];
		expect(first).toMatchObject({ status: 'deferred', kind: 'throttled', retryAfter: 60_001 });
		expect([...out[1].values()][0]).toMatchObject({ status: 'deferred', kind: 'throttled' });
	});

	it('refused credentials stop the run: the rest fail with the same reason, unsent', async () => {
		const { out, calls } = await run([{ kind: 'auth', message: 'bad secret' }], people(3));
		expect(calls).toHaveLength(1);
		expect(out.map((m) => [...m.values()][0].status)).toEqual(['failed', 'failed', 'failed']);
	});

	it('a server error is retried with backoff, then deferred', async () => {
		const five = Array.from({ length: 5 }, (): CallAnswer => ({ kind: 'server', message: 'HTTP 502' }));
		const { out, calls } = await run(five, people(1));
		expect(calls).toHaveLength(4);
		expect([...out[0].values()][0]).toMatchObject({ status: 'deferred', kind: 'server' });
	});
});

describe('app credentials', () => {
	const cred = { appKey: 'k', appSecret: 's', corpId: 'c', corpSecret: 'cs', appId: 'a', accessToken: 'T1', expiresAt: 0, baseUrl: 'http://fake/' };

	it('token requests per platform', () => {
		expect(tokenRequest('dingtalk', cred)).toEqual({ method: 'GET', url: 'http://fake/gettoken', qs: { appkey: 'k', appsecret: 's' } });
		expect(tokenRequest('wecom', cred)).toEqual({ method: 'GET', url: 'http://fake/cgi-bin/gettoken', qs: { corpid: 'c', corpsecret: 'cs' } });
		expect(tokenRequest('feishu', cred)).toMatchObject({ method: 'POST', body: { app_id: 'a', app_secret: 's' } });
	});

	it('reads the token and its expiry, or names the code without the secret', () => {
		expect(readToken('wecom', { errcode: 0, access_token: 'X', expires_in: 7200 }, 1000)).toEqual({ accessToken: 'X', expiresAt: 7_201_000 });
		expect(readToken('feishu', { code: 0, tenant_access_token: 't-1', expire: 100 }, 0)).toEqual({ accessToken: 't-1', expiresAt: 100_000 });
		expect(() => readToken('dingtalk', { errcode: 40089, errmsg: 'bad appsecret=s' }, 0)).toThrow(/error 40089/);
		expect(() => readToken('dingtalk', { errcode: 40089, errmsg: 'bad appsecret=s' }, 0)).not.toThrow(/secret=s/);
	});

	it('adds the token where each platform wants it', () => {
		expect(appAuthenticate('dingtalk', cred, { url: '/topapi/x' }, 0)).toMatchObject({ url: 'http://fake/topapi/x', qs: { access_token: 'T1' } });
		expect(appAuthenticate('feishu', cred, { url: '/open-apis/x' }, 0)).toMatchObject({ headers: { Authorization: 'Bearer T1' } });
	});

	it('asks n8n for a renewal (a 401-shaped error) only while the refused token is still the stored one', () => {
		const req = () => ({ url: '/x', headers: { [RENEW_HEADER]: tokenFingerprint('T1') } });
		expect(() => appAuthenticate('wecom', cred, req(), 0)).toThrow(RenewTokenSignal);
		try {
			appAuthenticate('wecom', cred, req(), 0);
		} catch (error) {
			expect((error as RenewTokenSignal).response.status).toBe(401);
		}
		// another worker renewed it meanwhile: use the new token, no renewal
		const out = appAuthenticate('wecom', { ...cred, accessToken: 'T2' }, req(), 0);
		expect(out.qs).toMatchObject({ access_token: 'T2' });
		expect(out.headers).toEqual({});
		// n8n passes the same options object again after renewing: the request is gone from it
		const same = req();
		expect(() => appAuthenticate('wecom', cred, same, 0)).toThrow(RenewTokenSignal);
		expect(appAuthenticate('wecom', { ...cred, accessToken: 'T3' }, same, 0).headers).toEqual({});
	});

	it('renews a stored token before its expiry time', () => {
		const c = { ...cred, expiresAt: 1_000_000 };
		expect(() => appAuthenticate('feishu', c, { url: '/x' }, 1_000_000 - EXPIRY_MARGIN_MS + 1)).toThrow(RenewTokenSignal);
		expect(appAuthenticate('feishu', c, { url: '/x' }, 1_000_000 - EXPIRY_MARGIN_MS - 1).headers).toMatchObject({ Authorization: 'Bearer T1' });
	});
});
