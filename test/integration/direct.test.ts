/**
 * Direct messages in a real n8n against the fake DingTalk, WeCom and Feishu app APIs: n8n's own
 * credential store and pre-authentication fetch the token, every run (and every worker) reuses
 * the stored token, and a token the platforms revoke is renewed once through n8n and the
 * messages still go out. Each person comes out Sent or Failed with the reason.
 */
import { FAKE_APPS } from '../fakes/apps';
import { n8n, state } from './client';
import { CREDENTIAL_IDS } from './fakes';
import { outputOf } from './harness';

const server = n8n();
const fakeUrl = () => state().fakes.apps;

interface FakeState {
	journal: Array<{ platform: string; to: string; body: Record<string, unknown> }>;
	tokenRequests: Record<string, number>;
	refusals: Array<{ platform: string; code: number }>;
}

async function fake(path: string, method = 'GET'): Promise<FakeState> {
	const res = await fetch(`${fakeUrl()}${path}`, { method });
	return (await res.json()) as FakeState;
}

describe('direct messages in a real n8n', () => {
	beforeAll(async () => {
		await fake('/__fake/reset', 'POST');
	});

	it('sends privately on the three platforms; each person comes out Sent or Failed with the reason', async () => {
		const result = await server.run('campusDirectMsg1', 'Start');
		expect(result.status).toBe('success');
		for (const node of ['DingTalk', 'WeCom', 'Feishu']) {
			const sent = outputOf(result, node, 0);
			const failed = outputOf(result, node, 2);
			expect(sent.map((x) => x.name)).toEqual(['张老师', '李老师 13800138000']);
			expect(failed.map((x) => x.name)).toEqual(['Ghost', 'No chat id']);
			expect(String(failed[0].failedReason)).toMatch(/not in the directory/);
			expect(String(failed[1].failedReason)).toMatch(/no chat id/);
		}
		const s = await fake('/__fake/state');
		expect(s.tokenRequests).toEqual({ dingtalk: 1, wecom: 1, feishu: 1 });
		expect(s.journal.map((j) => `${j.platform}:${j.to}`).sort()).toEqual(
			['dingtalk:u001', 'dingtalk:u002', 'feishu:u001', 'feishu:u002', 'wecom:u001', 'wecom:u002'],
		);
		expect(JSON.stringify(s.journal)).not.toContain('13800138000');
	});

	it('the next run uses the token n8n stored with the credential', async () => {
		const result = await server.run('campusDirectMsg1', 'Start');
		expect(result.status).toBe('success');
		expect((await fake('/__fake/state')).tokenRequests).toEqual({ dingtalk: 1, wecom: 1, feishu: 1 });
	});

	it('a token the platforms revoke (said in the answer body) is renewed once through n8n, and the messages go out', async () => {
		// Count from here: an earlier test file may have left n8n holding a token this fake forgot.
		const { journal: j0, refusals: r0 } = await fake('/__fake/state');
		await fake('/__fake/expire-tokens', 'POST');
		const before = j0.length;
		const result = await server.run('campusDirectMsg1', 'Start');
		expect(result.status).toBe('success');
		for (const node of ['DingTalk', 'WeCom', 'Feishu']) expect(outputOf(result, node, 0)).toHaveLength(2);
		const s = await fake('/__fake/state');
		expect(s.tokenRequests).toEqual({ dingtalk: 2, wecom: 2, feishu: 2 });
		expect(s.journal.length - before).toBe(6);
		// each platform refused the old token once (in its own way), never more
		expect(s.refusals.slice(r0.length).filter((r) => [40014, 42001, 99991663].includes(r.code)).map((r) => r.platform).sort()).toEqual(['dingtalk', 'feishu', 'wecom']);
	});

	it.each([
		['dingTalkAppApi', CREDENTIAL_IDS.dingtalkApp, { ...FAKE_APPS.dingtalk }, 'appSecret'],
		['weComAppApi', CREDENTIAL_IDS.wecomApp, { ...FAKE_APPS.wecom }, 'corpSecret'],
		['feishuAppApi', CREDENTIAL_IDS.feishuApp, { ...FAKE_APPS.feishu }, 'appSecret'],
	])('n8n\'s own credential test of %s: passes, and fails on a wrong secret without showing it', async (type, id, data, secretField) => {
		const test = async (values: Record<string, unknown>) =>
			await server.api<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id, name: type, type, data: { ...values, baseUrl: fakeUrl() } },
			});
		expect(await test(data)).toMatchObject({ status: 'OK' });
		const bad = await test({ ...data, [secretField]: 'wrong-secret-value' });
		expect(bad.status).toBe('Error');
		expect(bad.message).not.toContain('wrong-secret-value');
	});
});

