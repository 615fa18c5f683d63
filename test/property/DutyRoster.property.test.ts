/** Duty Roster through the property suite (see harness.ts for what is checked). */
import { DutyRoster } from '../../nodes/DutyRoster/DutyRoster.node';
import { HUGE } from './arbitraries';
import { describeNode, type NodeSpec } from './harness';

const staff = [
	{ 工号: 'G1', 姓名: '张三', 角色: 'guard', 手机: '13800000001' },
	{ 工号: 'G2', 姓名: '李四', 角色: 'guard', 手机: '13800000002', 请假: '2026-03-02..2026-03-03' },
	{ 工号: 'A1', 姓名: '赵六', 角色: 'admin', userId: 'zhao6' },
];
const assignment = {
	kind: 'assignment',
	assignmentId: '2026-03-02|Gate A|Day',
	date: '2026-03-02',
	endDate: '2026-03-02',
	duty: 'Gate A',
	role: 'guard',
	shift: 'Day',
	start: '2026-03-02T07:00:00+08:00',
	end: '2026-03-02T19:00:00+08:00',
	personId: 'G1',
	personName: '张三',
	mobile: '13800000001',
	userId: '',
	seat: 1,
	seats: 1,
};
const roster = [
	assignment,
	{ ...assignment, assignmentId: '2026-03-03|Gate A|Day', date: '2026-03-03', endDate: '2026-03-03', start: '2026-03-03T07:00:00+08:00', end: '2026-03-03T19:00:00+08:00', personId: 'G2', personName: '李四', mobile: '13800000002' },
	{ ...assignment, assignmentId: '2026-03-02|Gate A|Night', shift: 'Night', start: '2026-03-02T19:00:00+08:00', end: '2026-03-03T07:00:00+08:00', endDate: '2026-03-03' },
];
const duties = {
	duty: [
		{ name: 'Gate A', role: 'guard', peoplePerShift: 1, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay', cadence: 'daily', weight: 1 },
		{ name: 'Administrator on duty', role: 'admin', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'daily', weight: 1 },
	],
};

export const rosterSpec: NodeSpec = {
	title: 'Duty Roster',
	node: new DutyRoster(),
	params: (operation) =>
		({
			generate: { from: '2026-03-02', to: '2026-03-04', duties, timezone: 'Asia/Shanghai' },
			whoIsOnDuty: { at: '2026-03-02 10:00', date: '2026-03-02' },
			checkSwap: { personA: 'G1', dateA: '2026-03-02', dutyA: 'Gate A', shiftA: 'Day', personB: 'G2', dateB: '', dutyB: '', shiftB: '' },
			exportCalendar: { person: '' },
		})[operation] ?? {},
	defects: [
		{
			operation: 'checkSwap',
			check: 'rowAndField',
			defect: 'a roster row with a bad date gives an error item that names the row but not the field',
			repro: { inputs: [[assignment, { ...assignment, date: 'not a date' }], staff] },
		},
		{
			operation: 'exportCalendar',
			check: 'shortText',
			defect: 'an unreadable start time echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { inputs: [[{ ...assignment, start: HUGE }]] },
		},
		{
			operation: 'generate',
			check: 'shortText',
			defect: 'an unknown staff role echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt)',
			repro: { inputs: [[{ 姓名: '张三', 角色: HUGE, 手机: '13800000001' }], []] },
		},
		{
			operation: 'whoIsOnDuty',
			check: 'shortText',
			defect: 'an unreadable roster date echoes a 1 MB bad value whole in the error text (issue 16 point 4: quote a short excerpt), with continue-on-fail on and off',
			repro: { inputs: [[{ ...assignment, date: HUGE }]] },
		},
		{
			operation: 'checkSwap',
			check: 'accounted',
			defect: 'roster rows the swap does not touch come out in no output and the result item is not paired with them (one result by design; issue 16 point 3)',
			repro: { inputs: [roster, []] },
		},
		{
			operation: 'whoIsOnDuty',
			check: 'accounted',
			defect: 'with "If Nobody: Output Nothing", or for rows off duty at the moment, roster rows come out in no output (a lookup by design; issue 16 point 3); they now come out on a last output, "Not On Duty"',
			repro: { params: { ifNobody: 'nothing', at: '2026-03-05 10:00' }, inputs: [roster] },
		},
		{
			operation: 'generate',
			check: 'accounted',
			defect: 'a staff row that gets no shift (or has no ID column value) comes out in no output and nothing is paired with it',
			repro: { inputs: [[{}, { 姓名: '张三', 角色: 'guard', 手机: 0 }], []] },
		},
		{
			operation: 'exportCalendar',
			check: 'accounted',
			defect:
				'after a first row with no usable columns ({"": {}}), a good roster row is left out of the calendar file: no error item, and the file is not paired with it',
			repro: { params: { filePerPerson: false }, inputs: [[{ '': {} }, { ...assignment, endDate: 0, role: '', seat: '1', seats: '1', mobile: '' }]] },
		},
		{
			operation: 'generate',
			check: 'rowAndField',
			defect: 'an earlier-roster row with a bad date gives an error item that names the row but not the field ("Row 1: "0" is not a date")',
			repro: { inputs: [staff, [{ ...assignment, date: '0' }]] },
		},
		{
			operation: 'whoIsOnDuty',
			check: 'rowAndField',
			defect: 'a roster row with a bad date gives an error item that names the row but not the field ("Row 1: "1e309" is not a date")',
			repro: { inputs: [[{ ...assignment, date: '1e309' }]] },
		},
		{
			operation: 'exportCalendar',
			check: 'rowAndField',
			defect: 'an error item for a bad date names the row but not the field: "Row 1: "…" is not a date"',
			repro: { inputs: [[{ ...assignment, date: 'not a date' }]] },
		},
	],
	samples: (operation) =>
		({
			generate: [staff, roster],
			whoIsOnDuty: [roster],
			checkSwap: [roster, staff],
			exportCalendar: [roster],
		})[operation] ?? [],
};

describeNode(rosterSpec);
