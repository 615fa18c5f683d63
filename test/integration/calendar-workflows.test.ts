/**
 * The ready-made workflows and the school's calendar table (issue 16): Campus 01, 03 and 10 read
 * campus_school_calendar with a Data Table node and hand its rows to their calendar settings, so
 * a year the built-in data lacks (2027) is known as soon as the school enters it; without it a
 * 2027 date stops the workflow with an error naming the date (Campus 03 and 10) or counts as an
 * ordinary day with a note on the answer page (Campus 01). Campus 07 tells the IT staff from 31
 * days before the data ends, once a day.
 *
 * The 2027 rows are TEST DATA in the shape of a State Council notice, not the real 2027 schedule.
 * "Now" is set as the other tests do: the "School settings" asOf, and for the Campus 01 form the
 * check-in clock of the demo (shiftCheckInClock).
 */
import { DateTime } from 'luxon';
import { n8n } from './client';
import { appJournal, formDriver, mailbox, resetPrivate } from './forms';
import {
	loadSampleSchool,
	outputOf,
	sampleSchool,
	setSettings,
	shiftCheckInClock,
	type ExecutionResult,
	type WorkflowJson,
} from './harness';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText } from './robots';
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl } from '../../nodes/shared/links';

const server = n8n();
const forms = formDriver(server);
const TABLE = 'campus_school_calendar';
const LINK_SECRET = 'demo-link-secret-change-me';
const SOURCE = 'test data shaped like 国务院办公厅关于2027年部分节假日安排的通知';

/** 2027-01-01 is a Friday; 2027-02-06 and 02-13 are Saturdays, 02-08 a Monday, 02-20 a Saturday. */
const ROWS_2027 = [
	{ from: '2027-01-01', to: '', kind: 'public holiday', name: "元旦 New Year's Day", source: SOURCE },
	{ from: '2027-02-06', to: '2027-02-13', kind: 'public holiday', name: '春节 Spring Festival', source: SOURCE },
	{ from: '2027-02-20', to: '', kind: 'make-up workday', name: '春节 Spring Festival', source: SOURCE },
];

type Row = Record<string, unknown>;

async function runWith(id: string, trigger: string, values: Record<string, string>): Promise<ExecutionResult> {
	return server.run(id, trigger, { patch: (wf) => setSettings(wf, values) });
}

async function withRows(rows: Row[]): Promise<void> {
	await server.clearRows(TABLE);
	if (rows.length) await server.insertRows(TABLE, rows);
}

beforeAll(async () => {
	await loadSampleSchool(server);
	await server.clearRows('campus_roster');
	await server.clearRows('campus_duty_load');
	await server.clearRows('campus_reminders');
	await withRows([]);
}, 120_000);

afterAll(async () => {
	await server.clearRows(TABLE);
});

beforeEach(async () => {
	await resetRobots();
});

describe('Campus 03 Daily health summary reads the calendar table', () => {
	it('without 2027 rows, a 2027 day stops with an error naming the date, and nothing is sent', async () => {
		await withRows([]);
		const result = await runWith('campusDailySumm1', 'Schedule', { asOf: '2027-01-04T18:35:00+08:00' });
		expect(result.status).toBe('error');
		expect(result.error?.node).toBe('Is it a school day?');
		expect(result.error?.message).toMatch(/2027-01-04 is beyond the holiday data \(last year 2026;/);
		expect(result.nodes['Daily summary']).toBeUndefined();
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('with the 2027 rows: the Spring Festival is a day off (no summary), the make-up Saturday a school day', async () => {
		await withRows(ROWS_2027);
		const holiday = await runWith('campusDailySumm1', 'Schedule', { asOf: '2027-02-08T18:35:00+08:00' });
		expectSuccess(holiday);
		expect(outputOf(holiday, 'Is it a school day?')[0]).toMatchObject({
			date: '2027-02-08',
			isSchoolDay: false,
			dayKind: 'public holiday',
			dayReason: '春节 Spring Festival (public holiday)',
			calendarDataUntil: '2027-12-31',
		});
		expect(holiday.nodes['Daily summary']).toBeUndefined();
		expect(await dingtalkMessages()).toEqual([]);

		const makeUp = await runWith('campusDailySumm1', 'Schedule', { asOf: '2027-02-20T18:35:00+08:00' });
		expectSuccess(makeUp);
		expect(outputOf(makeUp, 'Is it a school day?')[0]).toMatchObject({ isSchoolDay: true, dayKind: 'make-up workday' });
		expect(outputOf(makeUp, 'Daily summary').find((i) => i.kind === 'daily total')).toMatchObject({ expected: 240 });
		const text = (await dingtalkMessages()).map(visibleText).join('\n');
		expect(text).toContain('Daily health summary 2027-02-20');
	});
});

describe('Campus 10 Generate duty roster reads the calendar table', () => {
	it('without 2027 rows, a 2027 period stops with an error naming the date and stores nothing', async () => {
		await withRows([]);
		const result = await runWith('campusRosterGen1', 'Run now', { from: '2027-01-01', to: '2027-01-31' });
		expect(result.status).toBe('error');
		expect(result.error?.node).toBe('Generate roster');
		expect(result.error?.message).toMatch(/2027-01-0\d is beyond the holiday data/);
		expect((await server.rows('campus_roster')).filter((r) => String(r.date).startsWith('2027'))).toEqual([]);
	});

	it('with the 2027 rows: holiday, make-up workday and school day as the table says', async () => {
		await withRows(ROWS_2027);
		const result = await runWith('campusRosterGen1', 'Run now', { from: '2027-02-01', to: '2027-02-28' });
		expectSuccess(result);
		const rows = (await server.rows('campus_roster')).filter((r) => r.duty === 'Gate A' && r.shift === 'Day');
		const kindOf = (date: string) => rows.filter((r) => r.date === date).map((r) => [r.dayKind, r.holiday]);
		expect(kindOf('2027-02-01')).toEqual([['school day', false], ['school day', false]]);
		expect(kindOf('2027-02-08')).toEqual([['public holiday', true], ['public holiday', true]]);
		expect(kindOf('2027-02-20')).toEqual([['make-up workday', false], ['make-up workday', false]]);
		expect(kindOf('2027-02-21')).toEqual([['weekend', true], ['weekend', true]]);
		// The week of the Spring Festival has no school day: no duty teachers that week.
		const teachers = (await server.rows('campus_roster')).filter((r) => r.duty === 'Duty teachers');
		expect(teachers.length).toBeGreaterThan(0);
		expect(teachers.filter((r) => String(r.date) >= '2027-02-08' && String(r.date) <= '2027-02-12')).toEqual([]);
	});
});

describe('Campus 01 Staff health check-in reads the calendar table', () => {
	const person = sampleSchool().staff[9] as { staffId: string; name: string };
	let original: WorkflowJson['nodes'] = [];

	/** A standing personal link (as Campus 06 sends), the form submitted as if it were `at` (Beijing time). */
	async function checkInAt(at: string, temperature = '36.5', symptoms = ['无 None']): Promise<{ page: string; result: ExecutionResult }> {
		const offset = Math.round(DateTime.fromISO(at, { zone: 'Asia/Shanghai' }).diffNow('minutes').minutes);
		await server.deactivate('campusHealthForm');
		await server.saveWorkflow('campusHealthForm', (wf) => shiftCheckInClock(wf, offset));
		await server.activate('campusHealthForm');
		const { claims, sig } = issueLink({ current: LINK_SECRET }, { purpose: 'checkin', person: person.staffId }, Date.now() / 1000, 1);
		const url = linkUrl(`${server.url}/form/campus-health-checkin`, claims, sig, DEFAULT_LINK_FIELDS);
		const { page, executionId } = await forms.openLink(url, { 'field-0': temperature, 'field-1': JSON.stringify(symptoms), 'field-2': '校内' });
		return { page, result: await server.execution(executionId) };
	}

	beforeAll(async () => {
		original = ((await server.workflow('campusHealthForm')) as unknown as WorkflowJson).nodes;
	});
	afterAll(async () => {
		await server.deactivate('campusHealthForm');
		await server.saveWorkflow('campusHealthForm', (wf) => {
			wf.nodes = original;
		});
	});

	it('with the 2027 rows: a Spring Festival Monday does not count, the make-up Saturday does', async () => {
		await withRows(ROWS_2027);
		const holiday = await checkInAt('2027-02-08T08:30');
		expect(holiday.page).toContain('今天不是上学日');
		expect(holiday.page).not.toContain('学校日历还没有');
		expect(outputOf(holiday.result, 'Which check does it count for?')[0]).toMatchObject({ slot: 'Morning', slotDate: '2027-02-08', isSchoolDay: false });
		expect(outputOf(holiday.result, 'Which check does it count for?')[0].calendarWarning).toBeUndefined();

		const makeUp = await checkInAt('2027-02-20T08:30');
		expect(makeUp.page).toContain('提交成功');
		expect(makeUp.page).toContain('计入 2027-02-20 上午打卡');
		const stored = (await server.rows('campus_checkins')).filter((r) => r.reporterId === person.staffId && String(r.submittedAt).startsWith('2027-02-20'));
		expect(stored).toHaveLength(1);
	});

	it('without 2027 rows, New Year\'s Day counts as an ordinary day, and the page and the item say so', async () => {
		await withRows([]);
		const { page, result } = await checkInAt('2027-01-01T08:30');
		expect(page).toContain('提交成功');
		expect(page).toContain('学校日历还没有这一年的节假日安排，今天按普通日计算');
		const item = outputOf(result, 'Which check does it count for?')[0];
		expect(item).toMatchObject({ slotDate: '2027-01-01', isSchoolDay: true });
		expect(String(item.calendarWarning)).toMatch(/^No holiday data for 2027: its days are treated as ordinary/);
		expect(outputOf(result, 'Counts for a check?', 0)[0].calendarWarning).toBe(item.calendarWarning);
	});

	it('without 2027 rows, a fever on 2027-01-04 still alerts the department head (the reading is judged as of its own time)', async () => {
		await withRows([]);
		await resetPrivate();
		const { page, result } = await checkInAt('2027-01-04T08:30', '37.9', ['发热 Fever']);
		expect(page).toContain('提交成功');
		const flagged = outputOf(result, 'Flag abnormal reading');
		expect(flagged.filter((i) => i.error !== undefined)).toEqual([]);
		expect(flagged.filter((i) => i.reporterId === person.staffId && i.date === '2027-01-04')).toHaveLength(1);
		// The alert goes privately (the department head, the health officer), or, when nobody can be
		// reached, the administrators get the name only; never the temperature anywhere.
		const privateText = JSON.stringify(await appJournal()) + (await mailbox()).map((m) => m.text).join('\n');
		const text = privateText + (await dingtalkMessages()).map(visibleText).join('\n');
		expect(text).toContain(person.name);
		expect(text).not.toContain('37.9');
	});
});

describe('Campus 07 Calendar data watch', () => {
	const alerts = async () => (await server.rows('campus_reminders')).filter((r) => r.kind === 'calendar-data');

	it('says nothing 32 days before the data ends', async () => {
		await withRows([]);
		const result = await runWith('campusCalWatch07', 'Schedule', { asOf: '2026-11-29T08:17:00+08:00' });
		expectSuccess(result);
		expect(outputOf(result, 'How far the calendar reaches')[0]).toMatchObject({ calendarDataUntil: '2026-12-31' });
		expect(outputOf(result, 'How far the calendar reaches')[0].calendarWarning).toBeUndefined();
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('31 days before: tells the IT staff until when the calendar is known and how to add 2027, once that day', async () => {
		await withRows([]);
		const result = await runWith('campusCalWatch07', 'Schedule', { asOf: '2026-11-30T08:17:00+08:00' });
		expectSuccess(result);
		const sent = await dingtalkMessages();
		expect(sent).toHaveLength(1);
		const text = visibleText(sent[0]);
		// The whole message, as docs/workflows/calendar-data-watch.md shows it.
		expect(text).toBe(
			'【学校日历】节假日数据只到 2026-12-31（还剩 31 天）。请把国务院办公厅关于2027年部分节假日安排的通知录入数据表 campus_school_calendar（约五分钟）：' +
				'1. 复制 workflows/data/school-calendar-example-2026.csv；2. 每个节日写一行 public holiday（放假的第一天到最后一天），每个调休上班日写一行 make-up workday；' +
				'3. n8n 概览 > Data tables > campus_school_calendar > Import CSV。说明：' +
				'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/zh-CN/workflows/school-calendar-table.md\n' +
				'[School calendar] The holiday data ends on 2026-12-31 (31 days left). Enter the 2027 State Council holiday schedule into the Data Table campus_school_calendar (about five minutes): ' +
				'https://github.com/campus-logistics/n8n-nodes-campus-logistics/blob/main/docs/workflows/school-calendar-table.md',
		);
		expect(text).toContain('节假日数据只到 2026-12-31（还剩 31 天）');
		expect(text).toContain('The holiday data ends on 2026-12-31 (31 days left)');
		expect(text).toContain('国务院办公厅关于2027年部分节假日安排的通知');
		expect(text).toContain('campus_school_calendar');
		expect(text).toContain('Import CSV');
		expect(text).toContain('docs/zh-CN/workflows/school-calendar-table.md');
		expect(text).toContain('docs/workflows/school-calendar-table.md');
		expect((await alerts()).map((r) => r.dedupeKey)).toEqual(['calendar-data|2026-11-30']);

		// A re-run the same day (later that morning) sends nothing and records nothing.
		expectSuccess(await runWith('campusCalWatch07', 'Schedule', { asOf: '2026-11-30T11:00:00+08:00' }));
		expect(await dingtalkMessages()).toHaveLength(1);
		expect(await alerts()).toHaveLength(1);

		// The next day it reminds again.
		expectSuccess(await runWith('campusCalWatch07', 'Schedule', { asOf: '2026-12-01T08:17:00+08:00' }));
		expect(await dingtalkMessages()).toHaveLength(2);
		expect(visibleText((await dingtalkMessages())[1])).toContain('还剩 30 天');
	});

	it('after the data has ended it keeps telling, and says the days are unknown', async () => {
		await withRows([]);
		const result = await runWith('campusCalWatch07', 'Schedule', { asOf: '2027-01-04T08:17:00+08:00' });
		expectSuccess(result);
		const text = (await dingtalkMessages()).map(visibleText).join('\n');
		expect(text).toContain('节假日数据已于 2026-12-31 结束');
		expect(text).toContain('public holidays and make-up workdays of 2027 are unknown');
	});

	it('with the 2027 rows entered, the data reaches 2027-12-31 and nothing is sent in December 2026', async () => {
		await withRows(ROWS_2027);
		const result = await runWith('campusCalWatch07', 'Schedule', { asOf: '2026-12-03T08:17:00+08:00' });
		expectSuccess(result);
		expect(outputOf(result, 'How far the calendar reaches')[0]).toMatchObject({ calendarDataUntil: '2027-12-31' });
		expect(await dingtalkMessages()).toEqual([]);
	});
});
