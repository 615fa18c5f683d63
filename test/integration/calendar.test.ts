/**
 * The school's calendar table in a real n8n (issue 16): a Data Table node reads the table, the
 * School Calendar node takes its rows through the "Calendar Table Rows" setting. A community node
 * cannot read a Data Table itself: n8n 2.40.7 gives the data-table proxy to its own Data Table
 * and evaluation nodes only (n8n/dist/modules/data-table/data-table-proxy.service.js, ALLOWED_NODES).
 * The 2027 rows are TEST DATA, not the State Council's 2027 schedule.
 */
import { n8n } from './client';
import { outputOf, tableSpecs } from './harness';

const server = n8n();
const TABLE = 'campus_school_calendar';

const rows2027 = [
	{ from: '2027-01-01', to: '', kind: 'public holiday', name: "New Year's Day", source: 'test data' },
	{ from: '2027-01-12', to: '', kind: '考试', name: '期末考试', source: 'school' },
];

describe("the school's calendar table in a real n8n", () => {
	beforeAll(async () => {
		await server.createDataTable(TABLE, tableSpecs()[TABLE].columns.map(([name, type]) => ({ name, type })));
		await server.clearRows(TABLE);
	});
	afterAll(async () => {
		await server.clearRows(TABLE);
	});

	it('an empty table: 2027 dates stop with an error naming the date; 2026-12-03 carries the alert', async () => {
		const result = await server.run('campusCalTable01', 'Start');
		expect(result.status).toBe('success');
		const ok = outputOf(result, 'School Calendar', 0);
		const errors = outputOf(result, 'School Calendar', 1);
		expect(ok.map((i) => [i.day, i.isSchoolDay, i.calendarDataUntil])).toEqual([['2026-12-03', true, '2026-12-31']]);
		expect(String(ok[0].calendarWarning)).toMatch(/^The holiday data ends on 2026-12-31, within 31 days: enter the 2027 public holidays/);
		expect(errors.map((e) => e.day)).toEqual(['2027-01-01', '2027-01-04', '2027-01-12', '2028-01-03']);
		expect(String(errors[0].error)).toMatch(/^Field "calendar": 2027-01-01 is beyond the holiday data \(last year 2026;/);
		expect(errors[0].details).toMatchObject({ field: 'calendar' });
	});

	it('with the 2027 rows entered in the table, 2027 is known and the alert moves to the end of 2027', async () => {
		await server.insertRows(TABLE, rows2027);
		const result = await server.run('campusCalTable01', 'Start');
		expect(result.status).toBe('success');
		const ok = outputOf(result, 'School Calendar', 0);
		const errors = outputOf(result, 'School Calendar', 1);
		expect(ok.map((i) => [i.day, i.isSchoolDay, i.dayKind, i.calendarDataUntil])).toEqual([
			['2027-01-01', false, 'public holiday', '2027-12-31'],
			['2027-01-04', true, 'school day', '2027-12-31'],
			['2027-01-12', true, 'exam day', '2027-12-31'],
			['2026-12-03', true, 'school day', '2027-12-31'],
		]);
		expect(ok.every((i) => i.calendarWarning === undefined)).toBe(true);
		expect(errors.map((e) => e.day)).toEqual(['2028-01-03']);
		expect(String(errors[0].error)).toMatch(/2028-01-03 is beyond the holiday data \(last year 2027;/);
	});
});
