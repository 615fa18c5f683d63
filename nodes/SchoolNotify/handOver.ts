/**
 * Send Digest with "Hand Over Each Message" (issue 17): one accepted message per call of the
 * node. The people of that message leave on Sent, where the workflow records them at once. The
 * people still to send, and those already deferred or failed in this run, stay in the node's
 * execution context (as n8n's Loop Over Items keeps its items: saved with the execution, on the
 * worker that runs it), with the run's state (its deadline, the robot's recent sends, the
 * message count), and one item leaves on Next, which the workflow connects back to the node. So
 * the execution holds each person once, not once per message. The last call, with nothing left
 * to send, sorts everyone still held into Deferred and Failed.
 *
 * Pure TypeScript, no n8n import.
 */
import type { BudgetState } from './pacing';

/** The item field that marks a person whose outcome in this run is already known (not sent again). */
export const SETTLED_FIELD = 'digestSettled';

export type Settled = 'deferred' | 'failed';

/** The run's state, held once for all its people. */
export interface Carry extends BudgetState {
	/** Max Wait of the whole run ends here (ms since epoch). */
	deadline: number;
	/** Messages accepted so far in this run. */
	messageIndex: number;
}

type Json = Record<string, unknown>;

/** The item's json with its settled mark set (or removed, with `undefined`). */
export function withSettled(json: Json, settled: Settled | undefined): Json {
	const out = { ...json };
	delete out[SETTLED_FIELD];
	if (settled) out[SETTLED_FIELD] = settled;
	return out;
}

/** How a held person was settled, if they were. */
export function settledOf(json: Json): Settled | undefined {
	const v = json[SETTLED_FIELD];
	return v === 'deferred' || v === 'failed' ? v : undefined;
}

/** The field of the one item on Next; its value names the run held in the node's context. */
export const NEXT_FIELD = 'digestContinues';

/** What the node keeps in its execution context between the calls of one run. */
export interface HeldRun {
	token: string;
	carry: Carry;
	/** The people still to send, and those settled (marked in SETTLED_FIELD). */
	items: Json[];
}

/** The run a call continues, when its input is the one item Next gave. */
export function heldRunFor(input: Json[], context: Record<string, unknown>): HeldRun | 'foreign' | undefined {
	if (input.length !== 1 || typeof input[0][NEXT_FIELD] !== 'string') return undefined;
	const held = context.handOver as HeldRun | undefined;
	return held && held.token === input[0][NEXT_FIELD] ? held : 'foreign';
}
