/**
 * School Notify's direct messages against the fake DingTalk, WeCom and Feishu app APIs over real
 * HTTP: the real operation modules, transport and credential code (preAuthentication and
 * authenticate, through test/fakes/n8nAppAuth.ts, which does what n8n does with them).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import * as sendDirect from '../../nodes/SchoolNotify/actions/sendDirect';
import * as directResult from '../../nodes/SchoolNotify/actions/sendDirectResult';
import { SchoolNotify } from '../../nodes/SchoolNotify/SchoolNotify.node';
import { makeContext } from '../helpers/context';
import { fakeEmail, fakeOpenId, startFakeApps, type FakeApps } from '../fakes/apps';
import { appCredentials, n8nAppHttp, testAppCredential } from '../fakes/n8nAppAuth';

let fake: FakeApps;
beforeAll(async () => {
	fake = await startFakeApps({ left: ['u099'], resultDelayMs: 20 });
});
afterAll(async () => await fake.close());
beforeEach(() => fake.reset());

type Store = Record<string, IDataObject>;

/** A context whose parameters of the form ={{ $json.field }} resolve per item, as n8n does. */
function context(parameters: IDataObject, items: IDataObject[], store: Store, continueOnFail = false) {
	const ctx = makeContext({ parameters, inputs: [items], credentials: store, continueOnFail, http: n8nAppHttp(store) });
	const base = ctx.getNodeParameter.bind(ctx) as (n: string, i: number, f?: unknown) => unknown;
	(ctx as { getNodeParameter: unknown }).getNodeParameter = (name: string, i: number, fallback?: unknown) => {
		const v = arguments.length >= 3 ? base(name, i, fallback) : base(name, i, fallback);
		const m = typeof v === 'string' ? v.match(/^=\{\{\s*\$json\.(\w+)\s*\}\}$/) : null;
		return m ? items[i]?.[m[1]] : v;
	};
	return ctx;
}

async function send(parameters: IDataObject, items: IDataObject[], store: Store, continueOnFail = false) {
	const ctx = context(
		{ operation: 'sendDirect', recipient: '={{ $json.recipientUserId }}', recipientType: 'userId', messageStyle: 'text', linkText: 'Fill in', directOptions: { maxWaitSeconds: 5, retryDelayMs: 5, waitForResultSeconds: 3 }, ...parameters },
		items,
		store,
		continueOnFail,
	);
	const [sent, deferred, failed] = await sendDirect.execute.call(ctx as IExecuteFunctions, ctx.getInputData());
	return { sent, deferred, failed };
}

const people = (ids: string[], extra: (id: string, i: number) => IDataObject = () => ({})) =>
	ids.map((id, i) => ({ name: `Teacher ${i}`, recipientUserId: id, ...extra(id, i) }));
const paired = (list: INodeExecutionData[]) => list.map((x) => (x.pairedItem as { item: number }).item).sort((a, b) => a - b);

describe('DingTalk work notifications', () => {
	it('sends one identical notice to several people in one call and reports who DingTalk refused', async () => {
		const store = appCredentials(fake.baseUrl);
		const r = await send({ platform: 'dingtalk', title: 'Gate rule', text: 'The east gate closes at 18:00' }, people(['u001', 'u002', 'nobody', 'u099']), store);
		expect(fake.sendCalls.dingtalk).toBe(1);
		expect(r.sent.map((x) => x.json.recipient)).toEqual(['u001', 'u002']);
		expect(r.sent.every((x) => x.json.taskId && x.json.deliveryStatus === 'unread')).toBe(true);
		expect(r.failed.map((x) => x.json.recipient)).toEqual(['nobody', 'u099']);
		expect(String(r.failed[0].json.failedReason)).toMatch(/not in the directory/);
		expect(paired([...r.sent, ...r.failed])).toEqual([0, 1, 2, 3]);
		expect(fake.journal.map((j) => j.to)).toEqual(['u001', 'u002']);
		expect(fake.tokenRequests.dingtalk).toBe(1);
	});

	it('sends personal links one call each, and reads who has read them', async () => {
		const store = appCredentials(fake.baseUrl);
		const items = people(['u001', 'u002', 'u003'], (id) => ({ link: `https://n8n.example.edu/form/check?p=${id}&sig=ab12` }));
		const r = await send({ platform: 'dingtalk', messageStyle: 'card', title: 'Health check', text: 'Please fill in', link: '={{ $json.link }}', directOptions: { waitForResultSeconds: 0 } }, items, store);
		expect(fake.sendCalls.dingtalk).toBe(3);
		expect(r.sent.map((x) => x.json.deliveryStatus)).toEqual(['pending', 'pending', 'pending']);
		fake.markRead('u002');
		const ctx = context({ operation: 'directResult', taskId: '={{ $json.taskId }}', resultRecipient: '={{ $json.recipient }}', resultWaitSeconds: 3 }, r.sent.map((x) => x.json), store);
		const [read, unread, failed] = await directResult.execute.call(ctx as IExecuteFunctions, ctx.getInputData());
		expect(read.map((x) => x.json.recipient)).toEqual(['u002']);
		expect(unread.map((x) => x.json.recipient)).toEqual(['u001', 'u003']);
		expect(failed).toEqual([]);
	});

	it('reports the same notice to the same person twice in a day as refused by DingTalk', async () => {
		const store = appCredentials(fake.baseUrl);
		await send({ platform: 'dingtalk', text: 'Disinfect room 3' }, people(['u005']), store);
		const again = await send({ platform: 'dingtalk', text: 'Disinfect room 3' }, people(['u005']), store);
		expect(again.sent).toEqual([]);
		expect(String(again.failed[0].json.failedReason)).toMatch(/only once a day/);
	});
});

describe('DingTalk limits reported in its asynchronous result', () => {
	it('a person over DingTalk\'s daily limit is deferred until midnight in China, not failed', async () => {
		const capped = await startFakeApps({ limits: { dingtalkPerUserPerDay: 1 }, resultDelayMs: 10 });
		try {
			const store = appCredentials(capped.baseUrl);
			await send({ platform: 'dingtalk', text: 'first' }, people(['u001']), store);
			const r = await send({ platform: 'dingtalk', text: 'second' }, people(['u001']), store);
			expect(r.sent).toEqual([]);
			expect(r.deferred[0].json).toMatchObject({ deferredKind: 'throttled', deferredReason: expect.stringMatching(/daily limit/) });
			expect(String(r.deferred[0].json.retryAfter)).toMatch(/T16:00:00.000Z$/);
		} finally {
			await capped.close();
		}
	});
});

describe('tokens: fetched once, shared by workers, renewed once when refused', () => {
	it('two workers (contexts) share the stored token', async () => {
		const store = appCredentials(fake.baseUrl);
		await send({ platform: 'wecom', text: 'A' }, people(['u001']), store);
		await send({ platform: 'wecom', text: 'B' }, people(['u002']), store);
		expect(fake.tokenRequests.wecom).toBe(1);
		expect(String(store.weComAppApi.accessToken)).toMatch(/^wecom-token-/);
	});

	it.each(['dingtalk', 'wecom', 'feishu'])('%s: a token the platform revoked (HTTP 200/400 body) is renewed once and the message goes out', async (platform) => {
		const store = appCredentials(fake.baseUrl);
		const type = platform === 'feishu' ? 'openId' : 'userId';
		const to = platform === 'feishu' ? fakeOpenId('u001') : 'u001';
		await send({ platform, recipientType: type, text: 'first' }, [{ recipientUserId: to }], store);
		const before = Object.values(store).map((c) => c.accessToken);
		fake.expireTokens();
		const r = await send({ platform, recipientType: type, text: 'second' }, [{ recipientUserId: to }], store);
		expect(r.sent).toHaveLength(1);
		expect(fake.tokenRequests[platform as 'wecom']).toBe(2);
		expect(Object.values(store).map((c) => c.accessToken)).not.toEqual(before);
		expect(fake.journal.map((j) => j.to)).toEqual(['u001', 'u001']);
	});

	it('a token past its stored expiry is renewed before sending (no refused call)', async () => {
		const store = appCredentials(fake.baseUrl);
		await send({ platform: 'wecom', text: 'first' }, people(['u001']), store);
		store.weComAppApi.expiresAt = Date.now() - 1;
		fake.expireTokens();
		await send({ platform: 'wecom', text: 'second' }, people(['u001']), store);
		expect(fake.tokenRequests.wecom).toBe(2);
		expect(fake.refusals.filter((x) => x.code === 42001)).toEqual([]);
	});

	it('renews once, then reports: a reset secret stops the run with a credential error', async () => {
		const store = appCredentials(fake.baseUrl);
		await send({ platform: 'wecom', text: 'first' }, people(['u001']), store);
		fake.expireTokens();
		store.weComAppApi.corpSecret = 'reset-by-the-admin';
		await expect(send({ platform: 'wecom', text: 'x' }, people(['u002']), store)).rejects.toThrow(/access token/i);
		const r = await send({ platform: 'wecom', text: 'y' }, people(['u002', 'u003']), store, true);
		expect(r.failed.map((x) => x.json.failedKind)).toEqual(['auth', 'auth']);
		expect(JSON.stringify(r.failed)).not.toContain('reset-by-the-admin');
		expect(fake.journal).toHaveLength(1);
	});
});

describe('WeCom app messages', () => {
	it('a partial answer (some users invalid) fails only those and drops nobody', async () => {
		const store = appCredentials(fake.baseUrl);
		const r = await send({ platform: 'wecom', title: 'Duty', text: 'You are on duty tomorrow' }, people(['U001', 'ghost', 'u002', 'u099']), store);
		expect(fake.sendCalls.wecom).toBe(1);
		expect(r.sent.map((x) => x.json.recipient)).toEqual(['U001', 'u002']);
		expect(r.failed.map((x) => x.json.recipient)).toEqual(['ghost', 'u099']);
		expect(paired([...r.sent, ...r.failed])).toEqual([0, 1, 2, 3]);
	});

	it('nobody valid (81013) fails everyone with the reason', async () => {
		const store = appCredentials(fake.baseUrl);
		const r = await send({ platform: 'wecom', text: 'x' }, people(['ghost1', 'ghost2']), store);
		expect(r.failed.map((x) => x.json.failedReason)).toEqual([expect.stringMatching(/not in the directory/), expect.stringMatching(/not in the directory/)]);
	});

	it('departments and tags', async () => {
		const store = appCredentials(fake.baseUrl);
		const r = await send({ platform: 'wecom', recipientType: 'department', text: 'Meeting at 15:00' }, [{ recipientUserId: '10' }, { recipientUserId: '99' }], store);
		expect(r.sent.map((x) => x.json.recipient)).toEqual(['10']);
		expect(r.failed.map((x) => x.json.recipient)).toEqual(['99']);
		expect(fake.journal.map((j) => j.to).sort()).toEqual(['u001', 'u002', 'u003']);
	});

	it('keeps to 30 messages a minute per member: the rest are deferred, none silently dropped', async () => {
		const store = appCredentials(fake.baseUrl);
		const items = Array.from({ length: 35 }, (_, i) => ({ recipientUserId: 'u007', n: i, text: `Reminder ${i}` }));
		const r = await send({ platform: 'wecom', text: '={{ $json.text }}', directOptions: { maxWaitSeconds: 0 } }, items, store);
		expect(r.sent).toHaveLength(30);
		expect(r.deferred).toHaveLength(5);
		expect(r.deferred.every((x) => Date.parse(String(x.json.retryAfter)) > Date.now())).toBe(true);
		expect(fake.dropped).toHaveLength(0);
		expect(fake.journal).toHaveLength(30);
	});
});

describe('Feishu app messages', () => {
	it('user id, open id and email; a user outside the app and an unknown id fail with the reason', async () => {
		const store = appCredentials(fake.baseUrl);
		const a = await send({ platform: 'feishu', recipientType: 'openId', text: 'Hi' }, [{ recipientUserId: fakeOpenId('u001') }, { recipientUserId: 'ou_unknown' }], store);
		const b = await send({ platform: 'feishu', recipientType: 'email', text: 'Hi' }, [{ recipientUserId: fakeEmail('u002') }], store);
		const c = await send({ platform: 'feishu', recipientType: 'userId', text: 'Hi' }, [{ recipientUserId: 'u099' }], store);
		expect(a.sent.map((x) => x.json.recipient)).toEqual([fakeOpenId('u001')]);
		expect(a.sent[0].json.messageId).toMatch(/^om_/);
		expect(a.failed.map((x) => x.json.recipient)).toEqual(['ou_unknown']);
		expect(b.sent).toHaveLength(1);
		expect(String(c.failed[0].json.failedReason)).toMatch(/230013/);
	});

	it('over the app\'s rate, waits within Max Wait and loses nobody; with no wait, defers with retryAfter', async () => {
		const slow = await startFakeApps({ limits: { feishuCallsPerSecond: 5 } });
		try {
			const store = appCredentials(slow.baseUrl);
			const items = Array.from({ length: 12 }, (_, i) => ({ recipientUserId: `u${String(i + 1).padStart(3, '0')}` }));
			const r = await send({ platform: 'feishu', text: 'Check in' }, items, store);
			expect(r.sent).toHaveLength(12);
			expect(new Set(slow.journal.map((j) => j.to)).size).toBe(12);
			const now = await send({ platform: 'feishu', text: 'Again', directOptions: { maxWaitSeconds: 0, maxRetries: 0 } }, items, store);
			expect(now.sent.length + now.deferred.length).toBe(12);
			expect(now.deferred.length).toBeGreaterThan(0);
		} finally {
			await slow.close();
		}
	});
});

describe('every person is accounted for, and messages stay private and inert', () => {
	it('an item without a chat id comes out on Failed ("no chat id"), paired', async () => {
		const store = appCredentials(fake.baseUrl);
		const r = await send({ platform: 'dingtalk', text: 'x' }, [{ name: 'No id' }, { recipientUserId: 'u001' }], store);
		expect(r.failed[0].json.failedReason).toMatch(/no chat id/);
		expect(r.failed[0].pairedItem).toEqual({ item: 0 });
		expect(r.failed.slice(1).map((x) => x.json)).toEqual([]);
		expect(r.sent).toHaveLength(1);
	});

	it('hides phone and ID numbers and temperatures; user text cannot mention everyone, add a link or change layout', async () => {
		const store = appCredentials(fake.baseUrl);
		const evil = '# Big [click](https://evil.example) <at user_id="all"></at> @all 张三13800138000 110101199003071234 37.9℃';
		for (const platform of ['dingtalk', 'wecom', 'feishu']) {
			const to = platform === 'feishu' ? fakeOpenId('u010') : 'u010';
			await send({ platform, recipientType: platform === 'feishu' ? 'openId' : 'userId', messageStyle: 'card', title: evil, text: evil, link: 'https://n8n.example.edu/form/x?sig=1', linkText: 'Go' }, [{ recipientUserId: to }], store);
			await send({ platform, recipientType: platform === 'feishu' ? 'openId' : 'userId', messageStyle: 'text', title: evil, text: evil }, [{ recipientUserId: to }], store);
		}
		expect(fake.journal).toHaveLength(6);
		for (const j of fake.journal) {
			const s = JSON.stringify(j.body);
			expect(s).not.toMatch(/13800138000|110101199003071234|37\.9/);
			// no mention tag, no clickable typed address, no @all on any platform
			expect(s).not.toMatch(/<at|https:\/\/evil|@all/);
		}
		// DingTalk's action card is markdown: no link syntax and no heading from user text
		const card = fake.journal.find((j) => j.body.msgtype === 'action_card')!;
		const markdown = String((card.body.action_card as IDataObject).markdown);
		expect(markdown).not.toMatch(/\]\(|^# |\n# /);
		expect(markdown.startsWith('#### ')).toBe(true);
	});

	it('a person deferred last run whose limit has not reset is deferred again without a call', async () => {
		const store = appCredentials(fake.baseUrl);
		const later = new Date(Date.now() + 60_000).toISOString();
		const r = await send({ platform: 'wecom', text: 'x' }, [{ recipientUserId: 'u001', deferredKind: 'throttled', retryAfter: later }], store);
		expect(r.deferred).toHaveLength(1);
		expect(fake.sendCalls.wecom).toBe(0);
	});
});

describe('credential tests (what n8n runs when the credential is saved)', () => {
	it.each([
		['dingTalkAppApi', 'appSecret'],
		['weComAppApi', 'corpSecret'],
		['feishuAppApi', 'appSecret'],
	])('%s: good settings pass, a wrong secret fails without showing it', async (type, secretField) => {
		const good = appCredentials(fake.baseUrl)[type];
		expect(await testAppCredential(type, good)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const bad = await testAppCredential(type, { ...good, [secretField]: 'wrong-secret-value' });
		expect(bad.status).toBe('Error');
		expect(bad.message).not.toContain('wrong-secret-value');
		expect(fake.journal).toEqual([]);
	});

	it('weComAppApi: an agent id of another app fails with the reason', async () => {
		const bad = await testAppCredential('weComAppApi', { ...appCredentials(fake.baseUrl).weComAppApi, agentId: '1000009' });
		expect(bad).toEqual({ status: 'Error', message: expect.stringMatching(/another app/) });
	});
});

describe('registered in School Notify', () => {
	it('the node runs the operation, with Sent, Deferred and Failed outputs', async () => {
		const store = appCredentials(fake.baseUrl);
		const items = people(['u001', 'ghost']);
		const ctx = context({ operation: 'sendDirect', platform: 'wecom', recipient: '={{ $json.recipientUserId }}', recipientType: 'userId', messageStyle: 'text', title: 'T', text: 'x', directOptions: {} }, items, store);
		const [sent, deferred, failed] = await new SchoolNotify().execute.call(ctx as IExecuteFunctions);
		expect([sent.length, deferred.length, failed.length]).toEqual([1, 0, 1]);
	});

	it('names its outputs per operation (the robot operations keep Sent, Deferred and Failed)', () => {
		const names = (operation: string) => sendDirect.schoolNotifyOutputs({ operation }).map((o) => o.displayName);
		expect(names('sendDirect')).toEqual(['Sent', 'Deferred', 'Failed']);
		expect(names('directResult')).toEqual(['Read', 'Unread', 'Failed']);
		expect(names('digest')).toEqual(['Sent', 'Deferred', 'Failed']);
		const d = new SchoolNotify().description;
		expect(String(d.outputs)).toMatch(/^={{\(.*Failed.*\)\(\$parameter\)}}$/s);
		expect(d.credentials?.map((c) => c.name)).toEqual(expect.arrayContaining(['dingTalkAppApi', 'weComAppApi', 'feishuAppApi']));
	});
});

describe('a recipient that means everyone or several people is refused (issue 19)', () => {
	it.each(['dingtalk', 'wecom', 'feishu'])('%s', async (platform) => {
		const store = appCredentials(fake.baseUrl);
		const items = people(['@all', 'u001|u002', 'u001,u002', 'u003']);
		const r = await send({ platform, title: 'Check', text: 'Please fill in' }, items, store, true);
		expect(paired(r.failed)).toEqual([0, 1, 2]);
		expect(r.failed.every((f) => /not one ID/.test(String(f.json.failedReason)) && f.json.failedKind === 'recipient')).toBe(true);
		expect(paired(r.sent)).toEqual([3]);
		expect(JSON.stringify(fake.journal)).not.toMatch(/@all|u001\|u002|u001,u002/);
	});
});
