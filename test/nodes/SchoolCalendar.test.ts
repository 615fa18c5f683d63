/**
 * The School Calendar node (operations in actions/, run by the shared router), and the calendar's
 * answer beyond its data as every node that reads the calendar surfaces it (issue 16).
 * Dates "beyond" are in the year after the bundled data's last year, so these tests hold when a
 * newer chinese-days release adds a year.
 */
import { NodeOperationError, type IDataObject, type INodeExecutionData, type NodeExecutionHint } from 'n8n-workflow';
import { CheckInWatch } from '../../nodes/CheckInWatch/CheckInWatch.node';
import { DutyRoster } from '../../nodes/DutyRoster/DutyRoster.node';
import { SchoolCalendar as Calendar } from '../../nodes/shared/calendar';
import { SchoolCalendar } from '../../nodes/SchoolCalendar/SchoolCalendar.node';
import { makeContext } from '../helpers/context';

const LAST = new Calendar().builtInYears()?.last ?? 0;
const Y = LAST + 1;
/** A weekday of year Y in March (the first Monday). */
const MONDAY = (() => {
	for (let d = 1; ; d++) {
		const iso = `${Y}-03-${String(d).padStart(2, '0')}`;
		if (new Date(`${iso}T00:00:00Z`).getUTCDay() === 1) return iso;
	}
})();
/** The school's table entering year Y's public holidays (test data: only 1 January is certain). */
const rowsY = [{ from: `${Y}-01-01`, kind: 'public holiday', name: "New Year's Day" }];

async function run(
	node: { execute(this: never): Promise<INodeExecutionData[][]> },
	parameters: IDataObject,
	inputs: IDataObject[][],
	continueOnFail = false,
): Promise<{ out: INodeExecutionData[][]; hints: NodeExecutionHint[] }> {
	const hints: NodeExecutionHint[] = [];
	const ctx = Object.assign(makeContext({ parameters, inputs, continueOnFail, credentials: { campusLinkSecretApi: { secret: 'a long test key for links only' } } }), {
		addExecutionHints: (...h: NodeExecutionHint[]) => hints.push(...h),
	});
	const out = await (node.execute as (this: typeof ctx) => Promise<INodeExecutionData[][]>).call(ctx);
	return { out, hints };
}

const calendarNode = new SchoolCalendar();

describe('School Calendar node', () => {
	it('keeps its operations and parameters, with the calendar settings for every operation', () => {
		const names = calendarNode.description.properties.map((p) => p.name);
		expect(names).toEqual(['operation', 'date', 'timestamp', 'slots', 'timezone', 'from', 'to', 'onlySchoolDays', 'calendar']);
		const calendar = calendarNode.description.properties.find((p) => p.name === 'calendar');
		expect((calendar?.options ?? []).map((o) => o.name)).toEqual(
			expect.arrayContaining(['calendarRows', 'unknownDays', 'usePublicHolidays', 'vacations', 'extraSchoolDays', 'extraDaysOff', 'weekendDays']),
		);
	});

	it('Check Day adds the day, calendarDataUntil, and keeps the item', async () => {
		const { out } = await run(calendarNode, { operation: 'checkDay', date: '2026-10-01', calendar: {} }, [[{ a: 1 }]]);
		expect(out[0]).toEqual([
			{
				json: {
					a: 1,
					date: '2026-10-01',
					isSchoolDay: false,
					dayKind: 'public holiday',
					dayReason: 'National Day (public holiday)',
					weekday: 'Thursday',
					calendarDataUntil: `${LAST}-12-31`,
					previousSchoolDay: '2026-09-30',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Check Day beyond the data: an error naming the date, or an error item per item under continue-on-fail', async () => {
		const params = { operation: 'checkDay', date: '={{ $json.d }}', calendar: {} };
		const inputs = [[{ d: MONDAY }]];
		await expect(run(calendarNode, { ...params, date: MONDAY }, inputs)).rejects.toThrow(NodeOperationError);
		await expect(run(calendarNode, { ...params, date: MONDAY }, inputs)).rejects.toThrow(
			new RegExp(`^Field "calendar": ${MONDAY} is beyond the holiday data \\(last year ${LAST};`),
		);
		const { out } = await run(calendarNode, { ...params, date: MONDAY }, [[{ d: 1 }, { d: 2 }]], true);
		expect(out[0]).toHaveLength(2);
		expect(out[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0][0].json).toMatchObject({ details: { field: 'calendar', row: 1 } });
		expect(String(out[0][0].json.error)).toMatch(/is beyond the holiday data/);
	});

	it('with the table rows of year Y (an expression\'s array, or JSON text) the date is known', async () => {
		for (const calendarRows of [rowsY, JSON.stringify(rowsY)]) {
			const { out } = await run(calendarNode, { operation: 'checkDay', date: `${Y}-01-01`, calendar: { calendarRows } }, [[{}]]);
			expect(out[0][0].json).toMatchObject({ isSchoolDay: false, dayKind: 'public holiday', calendarDataUntil: `${Y}-12-31` });
			expect(out[0][0].json.calendarWarning).toBeUndefined();
		}
	});

	it('a bad table row fails with the row and column named', async () => {
		const calendar = { calendarRows: [{ from: `${Y}-02-30`, kind: 'vacation' }] };
		await expect(run(calendarNode, { operation: 'checkDay', date: '2026-03-02', calendar }, [[{}]])).rejects.toThrow(
			`Field "calendarRows": Calendar table row 1, column "from": "${Y}-02-30" is not a date`,
		);
	});

	it('"Treat as Ordinary Days" answers with a warning field and an execution hint', async () => {
		const { out, hints } = await run(
			calendarNode,
			{ operation: 'listDays', from: `${Y}-01-01`, to: `${Y}-01-10`, onlySchoolDays: false, calendar: { unknownDays: 'ordinary' } },
			[[{}]],
		);
		expect(out[0]).toHaveLength(10);
		for (const i of out[0]) expect(i.json.calendarWarning).toMatch(new RegExp(`^No holiday data for ${Y}`));
		expect(hints).toEqual([{ message: out[0][0].json.calendarWarning, type: 'warning', location: 'outputPane' }]);
	});

	it('the last month of the data: calendarWarning on Check Day and Find Check Slot, once as a hint', async () => {
		const date = `${LAST}-12-03`;
		const { out, hints } = await run(calendarNode, { operation: 'checkDay', date, calendar: {} }, [[{}], []]);
		expect(out[0][0].json.calendarWarning).toMatch(new RegExp(`ends on ${LAST}-12-31, within 31 days: enter the ${Y} public holidays`));
		expect(hints).toHaveLength(1);
		const slots = { slot: [{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 }] };
		const slot = await run(calendarNode, { operation: 'checkSlot', timestamp: `${date} 08:30`, slots, timezone: 'Asia/Shanghai', calendar: {} }, [[{}, {}]]);
		expect(slot.out[0].map((i) => [i.json.slot, i.json.slotStatus, typeof i.json.calendarWarning])).toEqual([
			['Morning', 'on time', 'string'],
			['Morning', 'on time', 'string'],
		]);
		expect(slot.hints).toHaveLength(1);
	});

	it('Find Check Slot beyond the data is an error too', async () => {
		const slots = { slot: [{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 }] };
		await expect(
			run(calendarNode, { operation: 'checkSlot', timestamp: `${MONDAY} 08:30`, slots, timezone: 'Asia/Shanghai', calendar: {} }, [[{}]]),
		).rejects.toThrow(/is beyond the holiday data/);
	});
});

describe('every node that reads the calendar stops on a date beyond the data', () => {
	const roster = [{ 工号: 'T1', 姓名: '张三', 班级: '一年级1班' }];
	const slots = { slot: [{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 }] };
	const watch = { asOf: `${MONDAY} 09:40`, timezone: 'Asia/Shanghai', slots, lookBackDays: 30 };

	it.each(['findMissing', 'dailySummary'])('Check-In Watch %s: an error, no reminder; known with the table rows', async (operation) => {
		const inputs = [roster, [{ 工号: 'T1', 提交时间: `${MONDAY} 08:30`, 体温: '36.5', 症状: '无' }], []];
		const params = { ...watch, operation, calendar: {} };
		await expect(run(new CheckInWatch(), params, inputs)).rejects.toThrow(/is beyond the holiday data/);
		const { out } = await run(new CheckInWatch(), params, inputs, true);
		const items = out.flat();
		expect(items.some((i) => /is beyond the holiday data/.test(String(i.json.error)))).toBe(true);
		expect(items.filter((i) => !i.json.error)).toEqual([]);
		const known = await run(new CheckInWatch(), { ...params, calendar: { calendarRows: rowsY } }, inputs);
		expect(known.out.flat().filter((i) => i.json.error)).toEqual([]);
	});

	it('Check-In Watch shows the alert of the data\'s last month as a warning hint on its output', async () => {
		const inputs = [roster, [{ 工号: 'T1', 提交时间: `${LAST}-12-03 08:30`, 体温: '36.5', 症状: '无' }], []];
		const { out, hints } = await run(new CheckInWatch(), { ...watch, asOf: `${LAST}-12-03 09:40`, operation: 'findMissing', calendar: {} }, inputs);
		expect(out.flat().filter((i) => i.json.error)).toEqual([]);
		expect(hints).toEqual([
			{ message: expect.stringMatching(new RegExp(`^The holiday data ends on ${LAST}-12-31, within 31 days`)), type: 'warning', location: 'outputPane' },
		]);
	});

	it('Duty Roster generate over the new year: an error naming the first unknown date', async () => {
		const duties = { duty: [{ name: 'Gate A', role: 'guard', peoplePerShift: 1, shifts: 'Day 07:00-19:00', days: 'schoolDays', cadence: 'daily', weight: 1 }] };
		const staff = [{ 工号: 'G1', 姓名: '张三', 角色: 'guard' }];
		const params = { operation: 'generate', from: `${LAST}-12-30`, to: `${Y}-01-02`, dutiesMode: 'fields', duties, timezone: 'Asia/Shanghai', calendar: {} };
		await expect(run(new DutyRoster(), params, [staff])).rejects.toThrow(new RegExp(`${Y}-01-01 is beyond the holiday data`));
		const known = await run(new DutyRoster(), { ...params, calendar: { calendarRows: rowsY } }, [staff]);
		expect(known.out[0].map((i) => i.json.date)).not.toContain(`${Y}-01-01`);
	});
});
