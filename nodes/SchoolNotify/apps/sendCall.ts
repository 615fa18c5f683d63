/**
 * The platform's send call for one batch of recipients (DingTalk asyncsend_v2, WeCom
 * message/send, Feishu im/v1/messages). Pure TypeScript: plain data in, a request description out.
 */
import type { Batch } from './dispatch';
import type { AppPlatform } from './platforms';
import type { AppCall } from './transport';

/** The send call for one batch. */
export function sendCall(platform: AppPlatform, agentId: string, batch: Batch): AppCall {
	const ids = batch.recipients;
	if (platform === 'dingtalk') {
		const to = batch.recipientType === 'department' ? { dept_id_list: ids.join(',') } : { userid_list: ids.join(',') };
		return { method: 'POST', path: '/topapi/message/corpconversation/asyncsend_v2', body: { agent_id: agentId, ...to, msg: batch.body } as AppCall['body'] };
	}
	if (platform === 'wecom') {
		const field = batch.recipientType === 'department' ? 'toparty' : batch.recipientType === 'tag' ? 'totag' : 'touser';
		return { method: 'POST', path: '/cgi-bin/message/send', body: { [field]: ids.join('|'), agentid: Number(agentId) || agentId, ...batch.body } as AppCall['body'] };
	}
	const idType = batch.recipientType === 'openId' ? 'open_id' : batch.recipientType === 'email' ? 'email' : 'user_id';
	return {
		method: 'POST',
		path: '/open-apis/im/v1/messages',
		qs: { receive_id_type: idType },
		body: { receive_id: ids[0], ...batch.body } as AppCall['body'],
	};
}
