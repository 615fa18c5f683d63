/**
 * The three chat platforms' app APIs for direct (one-to-one) messages: their addresses, the kinds
 * of recipient each takes, how many recipients one call may carry, and their documented limits.
 * Pure TypeScript (no n8n import). Each limit names its source; docs/nodes/direct-messages.md
 * lists them again for schools.
 */

export type AppPlatform = 'dingtalk' | 'wecom' | 'feishu';

export const APP_PLATFORMS: AppPlatform[] = ['dingtalk', 'wecom', 'feishu'];

/** The credential type each platform's app uses. */
export const APP_CREDENTIAL: Record<AppPlatform, string> = {
	dingtalk: 'dingTalkAppApi',
	wecom: 'weComAppApi',
	feishu: 'feishuAppApi',
};

export const APP_BASE_URL: Record<AppPlatform, string> = {
	dingtalk: 'https://oapi.dingtalk.com',
	wecom: 'https://qyapi.weixin.qq.com',
	feishu: 'https://open.feishu.cn',
};

/** What identifies one recipient. */
export type RecipientType = 'userId' | 'openId' | 'email' | 'department' | 'tag';

/** Recipient kinds per platform, and how many of them one send call may carry. */
export const RECIPIENTS: Record<AppPlatform, Partial<Record<RecipientType, number>>> = {
	// asyncsend_v2 takes up to 5,000 user ids a call for an internal app, but getsendresult
	// cannot report on more than 100 ("Call timeout"), so read receipts need batches of 100.
	dingtalk: { userId: 100, department: 20 },
	// message/send: touser up to 1,000 ("|"-separated), toparty and totag up to 100 each.
	wecom: { userId: 1000, department: 100, tag: 100 },
	// im/v1/messages takes one receive_id a call.
	feishu: { userId: 1, openId: 1, email: 1 },
};

export function platformLabel(p: AppPlatform): string {
	return p === 'dingtalk' ? 'DingTalk' : p === 'wecom' ? 'WeCom' : 'Feishu';
}

export interface RateLimit {
	/** What is counted: API calls, or recipients (DingTalk counts people reached). */
	unit: 'calls' | 'recipients';
	count: number;
	windowMs: number;
	source: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Per-app limits the node keeps to within one run. */
export const APP_LIMITS: Record<AppPlatform, RateLimit[]> = {
	dingtalk: [
		{
			unit: 'calls',
			count: 20,
			windowMs: SECOND,
			source: 'DingTalk: an internal app may call one server API at most 20 times a second (standard edition)',
		},
		{
			unit: 'recipients',
			count: 5000,
			windowMs: MINUTE,
			source: 'DingTalk asyncsend_v2: up to 5,000 recipients a minute per app',
		},
	],
	wecom: [
		{
			unit: 'calls',
			count: 10000,
			windowMs: MINUTE,
			source: 'WeCom: one company may call one API at most 10,000 times a minute (45009 beyond)',
		},
	],
	feishu: [
		{ unit: 'calls', count: 50, windowMs: SECOND, source: 'Feishu im/v1/messages: 50 calls a second per app' },
		{ unit: 'calls', count: 1000, windowMs: MINUTE, source: 'Feishu im/v1/messages: 1,000 calls a minute per app' },
	],
};

/** Limits per person (one member receiving from one app). */
export const MEMBER_LIMITS: Record<AppPlatform, RateLimit[]> = {
	dingtalk: [
		{
			unit: 'recipients',
			count: 500,
			windowMs: 24 * HOUR,
			source: 'DingTalk: an internal app may send one person at most 500 work notifications a day',
		},
	],
	wecom: [
		{
			unit: 'recipients',
			count: 30,
			windowMs: MINUTE,
			source: 'WeCom message/send: an app may send one member at most 30 messages a minute (more are dropped)',
		},
		{
			unit: 'recipients',
			count: 1000,
			windowMs: HOUR,
			source: 'WeCom message/send: an app may send one member at most 1,000 messages an hour (more are dropped)',
		},
	],
	feishu: [
		{ unit: 'recipients', count: 5, windowMs: SECOND, source: 'Feishu im/v1/messages: 5 messages a second to one user' },
	],
};

/** Size limits of the message fields, as the platforms document them. */
export const SIZE = {
	/** DingTalk global error 34016: content and markdown at most 5,000 characters, title 64. */
	dingtalkText: 5000,
	dingtalkTitle: 64,
	dingtalkButton: 20,
	/** WeCom message/send: text content at most 2,048 bytes; textcard title 128 and description 512 bytes. */
	wecomText: 2048,
	wecomCardTitle: 128,
	wecomCardDescription: 512,
	/** Feishu (error 230025): a text body at most 150 KB, a card at most 30 KB. */
	feishuText: 150 * 1024,
	feishuCard: 30 * 1024,
} as const;
