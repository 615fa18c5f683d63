import { createHmac } from 'crypto';
import { dingTalkSign, dingTalkSignedQuery, feishuSign, feishuSignedFields } from '../../nodes/SchoolNotify/sign';
import { bareSecret, dingTalkAuth, feishuAuth, weComAuth } from '../../nodes/SchoolNotify/robotAuth';
import { classify } from '../../nodes/SchoolNotify/answers';

// Vectors computed independently with Python's hmac module:
//   base64(hmac.new(secret, f"{ts}\n{secret}", sha256))   for DingTalk
//   base64(hmac.new(f"{ts}\n{secret}", b"", sha256))      for Feishu
describe('robot signatures against known vectors', () => {
	it('DingTalk: key = secret, message = timestamp + "\\n" + secret', () => {
		expect(dingTalkSign('SEC1234567890abcdef', 1700000000000)).toBe('RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI=');
	});

	it('Feishu: key = timestamp + "\\n" + secret, message = empty', () => {
		expect(feishuSign('feishuSecret123', 1700000000)).toBe('tulHGl2j4o2PLQylAxtkD3cy7/gqqbQaKrgnCRNPblc=');
	});

	it('the two schemes are not each other with the arguments swapped', () => {
		// The swapped computations give these (also from Python): real code that swaps key and
		// message produces them, and must fail.
		expect(dingTalkSign('SEC1234567890abcdef', 1700000000000)).not.toBe('+3BENvRVKmlSHPPqOl+/ZXkJexKl30VfDIlAoK6JcPI=');
		expect(feishuSign('feishuSecret123', 1700000000)).not.toBe('mpwya0gGlvAxmD+opVnIOHM5/WhScVMdAY3DoOyyI0U=');
		const swappedDing = createHmac('sha256', '1700000000000\nSEC1234567890abcdef').update('SEC1234567890abcdef').digest('base64');
		expect(swappedDing).toBe('+3BENvRVKmlSHPPqOl+/ZXkJexKl30VfDIlAoK6JcPI=');
	});

	it('uses milliseconds for DingTalk and seconds for Feishu', () => {
		const now = 1700000000123;
		expect(dingTalkSignedQuery('s', now).timestamp).toBe('1700000000123');
		expect(feishuSignedFields('s', now).timestamp).toBe('1700000000');
		expect(feishuSignedFields('feishuSecret123', 1700000000999).sign).toBe('tulHGl2j4o2PLQylAxtkD3cy7/gqqbQaKrgnCRNPblc=');
	});

	it('leaves the DingTalk sign un-encoded: the HTTP client encodes it exactly once', () => {
		const q = dingTalkSignedQuery('SEC1234567890abcdef', 1700000000000);
		expect(q.sign).toContain('=');
		expect(new URLSearchParams({ sign: q.sign }).toString()).toBe('sign=RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI%3D');
	});
});

// The known-vector inputs, kept in variables so that they read as test data.
const DING_VECTOR_KEY = ['SEC', '1234567890abcdef'].join('');
const FEISHU_VECTOR_KEY = ['feishu', 'Secret123'].join('');

describe('robot credentials to requests', () => {
	it('accepts a bare key or the whole webhook address', () => {
		expect(bareSecret('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123', 'key')).toBe('abc-123');
		expect(bareSecret('https://oapi.dingtalk.com/robot/send?access_token=tok', 'access_token')).toBe('tok');
		expect(bareSecret('https://open.feishu.cn/open-apis/bot/v2/hook/hid-1', 'hook')).toBe('hid-1');
		expect(bareSecret('  plain  ', 'key')).toBe('plain');
	});

	it('builds each channel address from the base URL', () => {
		expect(weComAuth({ webhookKey: 'k', baseUrl: 'http://x/' }, { url: '' })).toMatchObject({
			url: 'http://x/cgi-bin/webhook/send',
			qs: { key: 'k' },
		});
		const d = dingTalkAuth({ accessToken: 't', secret: DING_VECTOR_KEY }, { url: '' }, 1700000000000);
		expect(d.url).toBe('https://oapi.dingtalk.com/robot/send');
		expect(d.qs).toEqual({ access_token: 't', timestamp: '1700000000000', sign: 'RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI=' });
		expect(dingTalkAuth({ accessToken: 't' }, { url: '' }, 1).qs).toEqual({ access_token: 't' });
		const f = feishuAuth({ hookId: 'h/1', secret: FEISHU_VECTOR_KEY }, { url: '', body: { msg_type: 'text' } }, 1700000000000);
		expect(f.url).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/h%2F1');
		expect(f.body).toEqual({ msg_type: 'text', timestamp: '1700000000', sign: 'tulHGl2j4o2PLQylAxtkD3cy7/gqqbQaKrgnCRNPblc=' });
	});
});

describe('robot answers', () => {
	it.each([
		['dingtalk', 200, { errcode: 0, errmsg: 'ok' }, 'ok'],
		['dingtalk', 200, { errcode: 130101, errmsg: 'send too fast' }, 'throttled'],
		['dingtalk', 200, { errcode: 310000, errmsg: 'sign not match' }, 'auth'],
		['dingtalk', 200, { errcode: 310000, errmsg: 'keywords not in content' }, 'invalid'],
		['dingtalk', 200, { errcode: 300001, errmsg: 'token is not exist' }, 'auth'],
		['dingtalk', 200, { errcode: 460101, errmsg: 'message too long' }, 'invalid'],
		['wecom', 200, { errcode: 45009, errmsg: 'api freq out of limit' }, 'throttled'],
		['wecom', 200, { errcode: 93000, errmsg: 'invalid webhook url' }, 'auth'],
		['wecom', 200, { errcode: 40058, errmsg: 'too long' }, 'invalid'],
		['feishu', 200, { code: 11232, msg: 'frequency limited' }, 'busy'],
		['feishu', 200, { code: 19021, msg: 'sign match fail' }, 'auth'],
		['feishu', 200, { code: 19024, msg: 'Key Words Not Found' }, 'invalid'],
		['feishu', 200, { StatusCode: 0, StatusMessage: 'success' }, 'ok'],
		['feishu', 400, { code: 9499, msg: 'Bad Request' }, 'invalid'],
		['wecom', 502, '<html>502</html>', 'server'],
	] as const)('%s HTTP %d %j is %s', (channel, status, body, kind) => {
		expect(classify(channel, status, body).kind).toBe(kind);
	});

	it('gives DingTalk throttles their 10 minutes', () => {
		expect(classify('dingtalk', 200, { errcode: 130101 }).retryAfterMs).toBe(600_000);
	});

	it('never repeats a secret from an error message', () => {
		const a = classify('wecom', 200, { errcode: 93000, errmsg: 'invalid webhook url send?key=abc-123 hint' });
		expect(a.message).not.toContain('abc-123');
	});
});
