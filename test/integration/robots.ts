/** What the fake DingTalk robot of this integration run received, read over its control routes. */
import { state } from './client';
import type { ExecutionResult } from './harness';

export interface DingMessage {
	body: {
		msgtype: string;
		text?: { content: string };
		markdown?: { title: string; text: string };
		actionCard?: { title: string; text: string; singleURL: string };
		at?: { atMobiles?: string[]; atUserIds?: string[] };
	};
}

export async function dingtalkMessages(): Promise<DingMessage[]> {
	const r = await fetch(`${state().fakes.robots}/__fake/messages`);
	return ((await r.json()) as { dingtalk: DingMessage[] }).dingtalk;
}

export function resetRobots(): Promise<Response> {
	return fetch(`${state().fakes.robots}/__fake/reset`, { method: 'POST' });
}

/** The text a person sees in a message: text, markdown, or a card's title and text. */
export function visibleText(m: DingMessage): string {
	return m.body.text?.content ?? m.body.markdown?.text ?? `${m.body.actionCard?.title ?? ''}\n${m.body.actionCard?.text ?? ''}`;
}

/** Fails with the execution's own error when it did not succeed. */
export function expectSuccess(result: ExecutionResult): void {
	if (result.status !== 'success') throw new Error(`Execution ${result.id} ${result.status}: ${JSON.stringify(result.error)}`);
}
