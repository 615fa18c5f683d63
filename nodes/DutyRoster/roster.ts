/**
 * Duty rosters on plain data. The modules, one job each:
 * - model.ts: duties, shifts, rules and the date range; people.ts: staff rows;
 *   rosterRows.ts: stored roster rows; slots.ts: the slots to fill;
 * - constraints.ts: the hard rules per person (the earlier roster's shifts included);
 * - carry.ts: the load carried over from earlier rosters, per role;
 * - heuristic.ts: the fast first roster; solver.ts: the exact solver (HiGHS);
 * - explain.ts: why a seat stayed open; generate.ts: Generate from end to end;
 * - onDuty.ts: who is on duty; swap.ts: the swap check; output.ts: the output rows.
 * This file gathers what the node and the tests import.
 */
export { checkRange, parseDuties, parseShifts, type Cadence, type DaysRule, type Duty, type DutyInput, type RosterOptions, type Shift } from './model';
export { STAFF_COLUMNS, parseDayMatcher, parseStaff, type DayMatcher, type Person, type StaffKey, type StaffParse } from './people';
export { ROSTER_COLUMNS, parseRoster, type RosterEntry, type RosterKey, type RosterParse } from './rosterRows';
export { buildSlots, type Interval, type Slot } from './slots';
export { stableHash } from './constraints';
export { generateRoster, type GenerateOptions } from './generate';
export { whoIsOnDuty, type OnDutyQuery, type OnDutyResult, type OnDutyRow } from './onDuty';
export { checkSwap, type SwapRequest, type SwapResult } from './swap';
export type { AssignmentRow, BalanceRow, GenerateResult, Out, SummaryRow, UnfilledRow } from './output';
