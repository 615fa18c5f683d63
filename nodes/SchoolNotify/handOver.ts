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

/** The item field that carries the run's state from one call to the next. */
export const CARRY_FIELD = 'digestCarry';

export interface Carry extends BudgetState {
	/** Max Wait of the whole run ends here (ms since epoch). */
	deadline: number;
	/** Messages accepted so far in this run. */
	messageIndex: number;
	/** Set when this person's outcome in this run is already known (not sent again). */
	settled?: 'deferred' | 'failed';
}

type Json = Record<string, unknown>;

function isCarry(v: unknown): v is Carry {
	if (typeof v !== 'object' || v === null) return false;
	const c = v as Json;
	return typeof c.deadline === 'number' && Array.isArray(c.sent) && typeof c.messageIndex === 'number';
}

/** The run's state from the items of a call (the first carried one), and which items are settled. */
export function readCarry(rows: Json[]): { carry?: Carry; settled: Set<number> } {
	let carry: Carry | undefined;
	const settled = new Set<number>();
	rows.forEach((r, i) => {
		const c = r[CARRY_FIELD];
		if (!isCarry(c)) return;
		if (!carry || c.messageIndex > carry.messageIndex) carry = c;
		if (c.settled === 'deferred' || c.settled === 'failed') settled.add(i);
	});
	return { carry, settled };
}

/** The item's json with the carried state replaced (or removed, with `undefined`). */
export function withCarry(json: Json, carry: Carry | undefined): Json {
	const out = { ...json };
	delete out[CARRY_FIELD];
	if (carry) out[CARRY_FIELD] = carry;
	return out;
}

/** The field of the one item on Next; its value names the run held in the node's context. */
export const NEXT_FIELD = 'digestContinues';

/** What the node keeps in its execution context between the calls of one run. */
export interface HeldRun {
	token: string;
	/** The run's state, once. */
	carry: Omit<Carry, 'settled'>;
	/** The people still to send and those settled (only `{ settled }` in their carry field). */
	items: Json[];
}

/** The run a call continues, when its input is the one item Next gave. */
export function heldRunFor(input: Json[], context: Record<string, unknown>): HeldRun | 'foreign' | undefined {
	if (input.length !== 1 || typeof input[0][NEXT_FIELD] !== 'string') return undefined;
	const held = context.handOver as HeldRun | undefined;
	return held && held.token === input[0][NEXT_FIELD] ? held : 'foreign';
}
