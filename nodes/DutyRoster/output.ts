/**
 * What Generate gives back: one row per person per seat, the open seats with their reasons, one
 * summary per person and one balance row per role. Pure TypeScript: no n8n import.
 */
import type { RowProblem } from '../shared/errors';
import type { Cadence } from './model';

/** What names one seat of one duty: the fields every roster row (and stored row) has. */
export interface SeatFields {
	assignmentId: string;
	date: string;
	endDate: string;
	duty: string;
	role: string;
	shift: string;
}

export interface AssignmentRow extends SeatFields {
	kind: 'assignment';
	weekday: string;
	dayKind: string;
	cadence: Cadence;
	start: string;
	end: string;
	personId: string;
	personName: string;
	mobile: string;
	userId: string;
	seat: number;
	seats: number;
	/** Everyone on this assignment, names separated by commas. */
	people: string;
	weight: number;
	night: boolean;
	holiday: boolean;
}

export interface UnfilledRow extends SeatFields {
	kind: 'unfilled';
	start: string;
	end: string;
	needed: number;
	filled: number;
	missing: number;
	people: string;
	reason: string;
	/** Each person of the role who could not take the seat, and what blocked them. */
	blockedBy: string;
	/** Whether the exact solver proved that no roster under the rules fills this seat as well. */
	proven: boolean;
}

export interface SummaryRow {
	kind: 'summary';
	personId: string;
	personName: string;
	roles: string;
	mobile: string;
	userId: string;
	assignments: number;
	shifts: number;
	nightShifts: number;
	holidayShifts: number;
	weightedLoad: number;
	carriedLoad: number;
	totalLoad: number;
	preferredDaysHonoured: number;
	undesiredDaysAssigned: number;
}

export interface BalanceRow {
	kind: 'balance';
	role: string;
	people: number;
	minLoad: number;
	maxLoad: number;
	/** Max minus min of this period's weighted load in this role. */
	spread: number;
	/** The same with the carried load added: what the solver makes as small as it can. */
	totalSpread: number;
	/** A proven lower bound for totalSpread. */
	bound: number;
	/** totalSpread minus bound: 0 means the spread is proven optimal. */
	gap: number;
	/** optimal (proven by the exact solver), limit (exact solver stopped at its time limit), heuristic (too large for an exact solve). */
	status: 'optimal' | 'limit' | 'heuristic';
	/** Roles optimised together because they share staff: the solver minimised the sum of their spreads (status is for that sum). */
	solvedWith: string;
	/** Seats of this role left open, and whether the solver proved that no roster fills more. */
	openSeats: number;
	openSeatsProven: boolean;
	/** The heaviest single shift of this role. */
	maxShiftWeight: number;
}

/** An output row and the input rows it comes from (for pairedItem). */
export interface Out<T> {
	data: T;
	rows: number[];
}

export interface GenerateResult {
	assignments: Array<Out<AssignmentRow>>;
	unfilled: Array<Out<UnfilledRow>>;
	summary: Array<Out<SummaryRow>>;
	balance: Array<Out<BalanceRow>>;
	/** Staff rows that could not be used (input 0). */
	problems: RowProblem[];
	/** Earlier roster rows that could not be read (input 1). */
	earlierProblems: RowProblem[];
	/** Earlier roster rows not counted because they are on or after From (a re-run of the period). */
	earlierIgnored: number[];
}
