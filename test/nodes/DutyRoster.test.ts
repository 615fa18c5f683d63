import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { DutyRoster } from '../../nodes/DutyRoster/DutyRoster.node';
import { makeContext } from '../helpers/context';

const node = new DutyRoster();
const staff = [
	{ 工号: 'G1', 姓名: '张三', 角色: 'guard', 手机: '13800000001' },
	{ 工号: 'G2', 姓名: '李四', 角色: 'guard', 手机: '13800000002' },
	{ 工号: 'G3', 姓名: '王五', 角色: 'guard', 手机: '13800000003', 请假: '2026-03-02..2026-03-03' },
	{},
	{ 工号: 'A1', 姓名: '赵六', 角色: 'admin', userId: 'zhao6' },
];
const duties = {
	duty: [
		{ name: 'Gate A', role: 'guard', peoplePerShift: 2, shifts: 'Day 07:00-19:00, Night 19:00-07:00', days: 'everyDay', cadence: 'daily', weight: 1 },
		{ name: 'Administrator on duty', role: 'admin', peoplePerShift: 1, shifts: 'Day 07:30-17:30', days: 'schoolDays', cadence: 'daily', weight: 1 },
	],
};
const generateParams = { operation: 'generate', from: '2026-03-02', to: '2026-03-03', dutiesMode: 'fields', duties, timezone: 'Asia/Shanghai' };

async function run(parameters: IDataObject, inputs: IDataObject[][], continueOnFail = false) {
	return node.execute.call(makeContext({ parameters, inputs, continueOnFail }));
}

describe('DutyRoster node', () => {
	it('describes inputs and outputs per operation, as Merge v3 does', () => {
		const d = node.description;
		expect(d.usableAsTool).toBe(true);
		expect(typeof d.inputs).toBe('string');
		// The expression calls a self-contained function with a table of inputs per operation.
		const evaluate = (expr: string, operation: string) => {
			expect(expr).not.toMatch(/n8n_workflow|require\(/);
			const table = JSON.parse(expr.slice(expr.indexOf('($parameter, ') + 13, -3)) as Record<string, Array<{ displayName: string; type: string }>>;
			for (const list of Object.values(table)) for (const c of list) expect(c.type).toBe('main');
			return table[operation];
		};
		expect(evaluate(d.inputs as string, 'generate').map((i) => i.displayName)).toEqual(['Staff', 'Earlier Roster (Optional)']);
		expect(evaluate(d.inputs as string, 'checkSwap').map((i) => i.displayName)).toEqual(['Roster', 'Staff (Optional)']);
		expect(evaluate(d.outputs as string, 'generate').map((i) => i.displayName)).toEqual(['Assignments', 'Unfilled and Errors', 'Summary']);
		// Issue 16: rows a lookup does not select come out on a last output of their own.
		expect(evaluate(d.outputs as string, 'whoIsOnDuty').map((i) => i.displayName)).toEqual(['People on Duty', 'Not On Duty']);
		expect(evaluate(d.outputs as string, 'exportCalendar').map((i) => i.displayName)).toEqual(['File', 'Not in Calendar']);
		expect(evaluate(d.outputs as string, 'checkSwap').map((i) => i.displayName)).toEqual(['Result']);
	});

	it('generates: assignments, unfilled slots with reasons and a summary, each paired to staff rows', async () => {
		const [assignments, unfilled, summary] = await run(generateParams, [staff]);
		expect(assignments.length).toBeGreaterThan(0);
		for (const item of [...assignments, ...unfilled, ...summary]) expect(item.pairedItem).toBeDefined();
		const first = assignments[0];
		expect(first.json).toMatchObject({ kind: 'assignment', date: '2026-03-02', duty: 'Gate A', shift: 'Day' });
		expect(typeof first.json.mobile).toBe('string');
		// Two guards free, two per shift, day then night: the night cannot be covered the same day.
		expect(unfilled.map((u) => u.json.kind)).toEqual(expect.arrayContaining(['unfilled']));
		expect(String(unfilled[0].json.reason)).toMatch(/needs 2 guards; .*1 on leave or unavailable/);
		const people = summary.filter((s) => s.json.kind === 'summary');
		expect(people.map((s) => (s.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 4]);
		expect(summary.filter((s) => s.json.kind === 'balance').map((s) => s.json.role)).toEqual(['guard', 'admin']);
	});

	it('throws an error naming the row, or outputs it as an error item when continuing on fail', async () => {
		const bad = [...staff, { 工号: 'X1', 姓名: 'Typo', 角色: 'gaurd' }];
		await expect(run(generateParams, [bad])).rejects.toThrow(/Row 6, field "roles": Unknown role "gaurd"/);
		const [assignments, errors] = await run(generateParams, [bad], true);
		expect(assignments.length).toBeGreaterThan(0);
		const err = errors.find((e) => e.json.kind === 'error') as INodeExecutionData;
		expect(err.json.error).toMatch(/Row 6, field "roles": Unknown role "gaurd"/);
		expect(err.pairedItem).toMatchObject({ item: 5 });
	});

	it('rejects a reversed date range', async () => {
		await expect(run({ ...generateParams, from: '2026-03-10', to: '2026-03-01' }, [staff])).rejects.toThrow(/reversed/);
	});

	it('reads duties from JSON', async () => {
		const [assignments] = await run(
			{ ...generateParams, dutiesMode: 'json', dutiesJson: JSON.stringify([{ name: 'Admin', role: 'admin', shifts: '08:00-17:00' }]), rules: { unknownRoles: 'ignore' } },
			[staff],
		);
		expect(assignments.map((a) => a.json.personName)).toEqual(['赵六', '赵六']);
	});

	it('tells who is on duty from stored rows, one item per person or one for everyone', async () => {
		const [assignments] = await run(generateParams, [staff]);
		const stored = assignments.map((a) => ({ ...a.json, id: 7 }));
		const [people] = await run({ operation: 'whoIsOnDuty', match: 'moment', at: '2026-03-02 10:00', dutyFilter: 'Gate A', roleFilter: '', onDutyOutput: 'perPerson', ifNobody: 'item' }, [stored]);
		expect(people).toHaveLength(2);
		expect(people[0].json).toMatchObject({ onDuty: true, duty: 'Gate A', shift: 'Day' });
		expect(people[0].json.mobile).toMatch(/^1380000000\d$/);
		expect(people[0].pairedItem).toEqual({ item: expect.any(Number), input: 0 });
		const [all] = await run({ operation: 'whoIsOnDuty', match: 'date', date: '2026-03-02', dutyFilter: '', roleFilter: 'admin', onDutyOutput: 'oneItem', ifNobody: 'item' }, [stored]);
		expect(all).toHaveLength(1);
		expect(all[0].json).toMatchObject({ onDuty: true, count: 1, names: '赵六', userIds: 'zhao6' });
		const [nobody] = await run({ operation: 'whoIsOnDuty', match: 'moment', at: '2026-03-09 10:00', dutyFilter: '', roleFilter: '', onDutyOutput: 'perPerson', ifNobody: 'item' }, [stored]);
		expect(nobody[0].json).toMatchObject({ onDuty: false, message: 'Nobody is on duty at 2026-03-09 10:00' });
	});

	it('checks a swap against the staff rows on the second input', async () => {
		const [assignments] = await run(generateParams, [staff]);
		const stored = assignments.map((a) => a.json);
		const dayGuard = stored.find((r) => r.duty === 'Gate A' && r.date === '2026-03-02' && r.shift === 'Day') as IDataObject;
		const [[result]] = await run(
			{ operation: 'checkSwap', personA: String(dayGuard.personId), dateA: '2026-03-02', dutyA: 'Gate A', shiftA: 'Day', personB: 'G3', dateB: '', dutyB: '', shiftB: '' },
			[stored, staff],
		);
		expect(result.json).toMatchObject({ allowed: false, violations: '王五 is unavailable from 2026-03-02 to 2026-03-03' });
	});

	it('exports an iCalendar file as binary data', async () => {
		const [assignments] = await run(generateParams, [staff]);
		const [files] = await run(
			{ operation: 'exportCalendar', person: '张三', filePerPerson: false, calendarName: 'Gate', fileName: 'gate.ics', binaryPropertyName: 'data', timezone: 'Asia/Shanghai' },
			[assignments.map((a) => a.json)],
		);
		expect(files).toHaveLength(1);
		const bin = files[0].binary?.data;
		expect(bin).toMatchObject({ fileName: 'gate.ics', mimeType: 'text/calendar' });
		const text = Buffer.from(bin?.data ?? '', 'base64').toString('utf8');
		expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
		expect(text).toContain('X-WR-CALNAME:Gate: 张三');
		expect(files[0].json.events).toBe(text.split('BEGIN:VEVENT').length - 1);
		const [perPerson] = await run(
			{ operation: 'exportCalendar', person: '', filePerPerson: true, calendarName: 'Gate', fileName: 'gate.ics', binaryPropertyName: 'data', timezone: 'Asia/Shanghai' },
			[assignments.map((a) => a.json)],
		);
		expect(perPerson.map((f) => f.json.fileName).sort()).toEqual(['gate-A1.ics', 'gate-G1.ics', 'gate-G2.ics']);
	});

	describe('every row accounted for, errors naming the row and the field (issue 16)', () => {
		const row = { kind: 'assignment', assignmentId: '2026-03-02|Gate A|Day', date: '2026-03-02', endDate: '2026-03-02', duty: 'Gate A', role: 'guard', shift: 'Day', start: '2026-03-02T07:00:00+08:00', end: '2026-03-02T19:00:00+08:00', personId: 'G1', personName: '张三', mobile: '13800000001', userId: '' };
		const roster = [
			row,
			{ ...row, assignmentId: '2026-03-03|Gate A|Day', date: '2026-03-03', endDate: '2026-03-03', start: '2026-03-03T07:00:00+08:00', end: '2026-03-03T19:00:00+08:00', personId: 'G2', personName: '李四' },
			{ kind: 'summary', personId: 'G1', personName: '张三' },
		];
		const at = (items: INodeExecutionData[]) => items.map((i) => (i.pairedItem as { item: number }).item);

		it('Check Swap: the one result is paired with every roster and staff row it read', async () => {
			const [[result]] = await run({ operation: 'checkSwap', personA: 'G1', dateA: '2026-03-02', dutyA: 'Gate A', shiftA: 'Day', personB: 'G3', dateB: '' }, [roster, staff]);
			expect(result.pairedItem).toEqual([
				{ item: 0, input: 0 },
				{ item: 1, input: 0 },
				{ item: 2, input: 0 },
				{ item: 0, input: 1 },
				{ item: 1, input: 1 },
				{ item: 2, input: 1 },
				{ item: 4, input: 1 },
			]);
		});

		it('Who Is On Duty: every row not selected comes out on "Not On Duty", unchanged and paired', async () => {
			const day = { operation: 'whoIsOnDuty', match: 'moment', at: '2026-03-02 10:00', dutyFilter: '', roleFilter: '', onDutyOutput: 'perPerson' };
			const [people, rest] = await run({ ...day, ifNobody: 'item' }, [roster]);
			expect(at(people)).toEqual([0]);
			expect(at(rest)).toEqual([1, 2]);
			expect(rest[0].json).toBe(roster[1]);
			// "Nobody is on duty" is paired with row 1 but does not select it; "Output Nothing" still accounts for every row.
			const later = { ...day, at: '2026-03-05 10:00' };
			const [nobody, all] = await run({ ...later, ifNobody: 'item' }, [roster]);
			expect(nobody.map((i) => i.json.onDuty)).toEqual([false]);
			expect(at(all)).toEqual([0, 1, 2]);
			const [nothing, allAgain] = await run({ ...later, ifNobody: 'nothing' }, [roster]);
			expect(nothing).toEqual([]);
			expect(at(allAgain)).toEqual([0, 1, 2]);
			// One item for everyone is paired with the rows it names; a bad row is an error item, on neither list.
			const [[one], others] = await run({ ...day, date: '2026-03-02', match: 'date', onDutyOutput: 'oneItem', ifNobody: 'item' }, [[...roster, { ...row, end: 'soon' }]], true);
			expect(one.pairedItem).toEqual({ item: 0, input: 0 });
			expect(at(others)).toEqual([1, 2]);
		});

		it('Export Calendar: rows in no file come out on "Not in Calendar"; a row after one with no usable columns is kept', async () => {
			const [files, rest] = await run({ operation: 'exportCalendar', person: '张三', filePerPerson: false }, [roster]);
			expect(files[0].json.events).toBe(1);
			expect(at(rest)).toEqual([1, 2]);
			const [[file], none] = await run({ operation: 'exportCalendar', person: '', filePerPerson: false }, [[{ '': {} }, row]], true);
			expect(file.json.events).toBe(1);
			expect(file.pairedItem).toEqual({ item: 1, input: 0 });
			expect(none).toEqual([]);
		});

		it('a bad date names the row and the field, and quotes a short excerpt of a long value', async () => {
			const long = `x${'9'.repeat(1_000_000)}`;
			for (const operation of ['whoIsOnDuty', 'exportCalendar']) {
				const [out] = await run({ operation, match: 'date', date: '2026-03-02', person: '' }, [[{ ...row, date: long }, roster[1]]], true);
				const error = out.find((i) => i.json.error !== undefined) as INodeExecutionData;
				expect(error.json.error).toMatch(/^Row 1, field "date": "x9{39}… \(1000001 characters\)" is not a date$/);
				expect(error.json.details).toMatchObject({ row: 1, field: 'date' });
			}
			await expect(run({ operation: 'whoIsOnDuty', match: 'date', date: '2026-03-02' }, [[{ ...row, endDate: 'soon' }]])).rejects.toThrow('Row 1, field "endDate": "soon" is not a date');
		});

		it('an unknown staff role quotes a short excerpt', async () => {
			const [, unfilled] = await run(generateParams, [[{ 姓名: '张三', 角色: 'r'.repeat(100_000) }], []], true);
			const errors = unfilled.filter((i) => i.json.kind === 'error');
			expect(errors).toHaveLength(1);
			expect(String(errors[0].json.error)).toMatch(/^Row 1, field "roles": Unknown role "r{40}… \(100000 characters\)": no duty needs it/);
			expect(String(errors[0].json.error).length).toBeLessThan(300);
		});
	});
});
