/**
 * DingTalk work notifications are sent asynchronously: the send answers a task id, and the
 * per-person result (invalid, forbidden, failed, read, unread) is read later. This polls that
 * result for a set of tasks within a time limit.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';
import { readSendResult, type PersonResult } from './answers';
import { callApp } from './transport';
import { APP_CREDENTIAL, type AppPlatform } from './platforms';

/** The app's agent id (not a secret), which several calls carry in their body. */
export async function agentIdOf(ctx: IExecuteFunctions, platform: AppPlatform): Promise<string> {
	const cred = await ctx.getCredentials(APP_CREDENTIAL[platform]);
	return String(cred.agentId ?? '').trim();
}

export interface TaskResult {
	done: boolean;
	people: Map<string, PersonResult>;
	/** Why the result could not be read (e.g. a task older than 24 hours). */
	error?: string;
}

/** Reads each task's progress and result, polling until all are done or `waitMs` has passed. */
export async function dingTalkResults(
	ctx: IExecuteFunctions,
	taskIds: string[],
	waitMs: number,
	pollMs = 250,
): Promise<Map<string, TaskResult>> {
	const agentId = await agentIdOf(ctx, 'dingtalk');
	const results = new Map<string, TaskResult>();
	const deadline = Date.now() + Math.max(0, waitMs);
	let pending = [...new Set(taskIds)];
	let wait = pollMs;
	for (;;) {
		const still: string[] = [];
		for (const taskId of pending) {
			const body = { agent_id: agentId, task_id: Number(taskId) };
			const progress = await callApp(ctx, 'dingtalk', { method: 'POST', path: '/topapi/message/corpconversation/getsendprogress', body });
			const result =
				progress.kind === 'ok'
					? await callApp(ctx, 'dingtalk', { method: 'POST', path: '/topapi/message/corpconversation/getsendresult', body })
					: progress;
			if (progress.kind !== 'ok' || result.kind !== 'ok') {
				const bad = progress.kind !== 'ok' ? progress : result;
				if (bad.kind === 'server' || bad.kind === 'throttled') still.push(taskId);
				results.set(taskId, { done: false, people: new Map(), error: `${bad.code ?? ''} ${bad.message}`.trim() });
				continue;
			}
			const read = readSendResult(progress.raw, result.raw, Date.now());
			results.set(taskId, read);
			if (!read.done) still.push(taskId);
		}
		pending = still;
		if (!pending.length || Date.now() + wait > deadline) return results;
		await sleep(wait);
		wait = Math.min(wait * 2, 2000);
	}
}
