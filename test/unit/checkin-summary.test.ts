import { dailySummary } from '../../nodes/CheckInWatch/summary';
import { opts, roster, sub } from '../helpers/checkin-fixtures';

describe('Daily Summary', () => {
	const subs = [
		sub('T1', '2026-03-02 08:30', { 体温: '36.5', 症状: '无' }),
		sub('T2', '2026-03-02 09:20', { 体温: '37.8', 症状: '无' }),
		sub('T1', '2026-03-02 16:00', { 体温: '36.6', 症状: '无' }),
		sub('T3', '2026-03-02 16:00', { 体温: '36.6', 症状: '无' }),
	];

	it('counts expected, submitted, late, missing and abnormal per group, with a zero report', () => {
		const { records } = dailySummary(roster, subs, opts('2026-03-02T18:00'));
		expect(records.map((r) => r.data.kind)).toEqual(['daily summary', 'daily summary', 'daily total']);
		expect(records[0].data).toMatchObject({
			group: '一年级1班',
			slots: ['Morning', 'Afternoon'],
			expected: 4,
			submitted: 3,
			late: 1,
			missing: 1,
			abnormal: 1,
			zeroReport: false,
			missingNames: ['李四'],
			recipientName: '王老师',
			mentionMobiles: ['13800000009'],
		});
		expect(records[1].data).toMatchObject({ group: '二年级2班', expected: 2, submitted: 1, missing: 1, abnormal: 0, zeroReport: true });
		expect(String(records[1].data.message)).toContain('今日无异常情况');
		expect(String(records[1].data.message)).toContain('未报：王五');
		expect(records[2].data).toMatchObject({ group: '全校', expected: 6, submitted: 4, late: 1, missing: 2, abnormal: 1 });
		expect(records[2].data.missingNames).toBeUndefined();
		for (const r of records) expect(String(r.data.message)).not.toMatch(/37\.8|139\d{8}/);
	});

	it('says nothing on a day off', () => {
		expect(dailySummary(roster, [], opts('2026-10-03T18:00')).records).toEqual([]);
	});
});
