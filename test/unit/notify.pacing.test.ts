import { Budget, decide, dispatch, limitsFor, type Outcome } from '../../nodes/SchoolNotify/pacing';
import type { Answer } from '../../nodes/SchoolNotify/answers';

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
