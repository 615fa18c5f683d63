/**
 * HTTP to the robots. Authentication (the webhook key, token or hook id, and signing) is done
 * by the credential types' `authenticate` through n8n's httpRequestWithAuthentication, so no
 * secret passes through here. The answer's body is always read: the robots report errors as
 * HTTP 200 with a code in the body.
 */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { classify, scrubSecrets, type Answer } from './answers';
import type { Channel, JsonBody } from './channels';

export const CREDENTIAL_TYPE: Record<Channel, string> = {
	wecom: 'weComRobotApi',
	dingtalk: 'dingTalkRobotApi',
	feishu: 'feishuBotApi',
};

const TIMEOUT_MS = 15_000;

interface FullResponse {
	statusCode?: number;
	body?: unknown;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** One attempt at posting a message. Network failures come back as kind 'server', never thrown. */
export async function postOnce(ctx: IExecuteFunctions, channel: Channel, body: JsonBody): Promise<Answer> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		// The credential's authenticate sets the robot's address.
		url: '',
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TIMEOUT_MS,
	};
	try {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE[channel],
			options,
		)) as FullResponse;
		return classify(channel, Number(res?.statusCode ?? 200), parseBody(res?.body));
	} catch (error) {
		// Network errors (refused, reset, timeout). Secrets could sit in a URL inside the error:
		// keep only a scrubbed message.
		const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
		const why = String(e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? 'network error');
		if (/credential/i.test(String(e.message ?? '')) && !/^E[A-Z]+$/.test(why)) {
			return { kind: 'auth', message: scrubSecrets(String(e.message)).slice(0, 200) };
		}
		return { kind: 'server', message: scrubSecrets(why).slice(0, 200) };
	}
}
