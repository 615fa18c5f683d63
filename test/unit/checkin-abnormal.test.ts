import { flagAbnormal } from '../../nodes/CheckInWatch/abnormal';
import { ZONE, opts, roster } from '../helpers/checkin-fixtures';

describe('Flag Abnormal', () => {
	const readings = (values: Array<[string, unknown, unknown?]>) =>
		values.map(([id, t, s], i) => ({ 工号: id, 提交时间: `2026-03-02 08:${String(10 + i).padStart(2, '0')}`, 体温: t, 症状: s ?? '无' }));

	it('alerts on a fever, a symptom and an unreadable reading, never passing one silently', () => {
		const rows = readings([
			['T1', '36.5'],
			['T2', '37.5℃'],
			['T3', '３７.３'],
			['T4', '36,5'],
			['T5', '99.5°F'],
			['T6', '98.6'],
			['T7', 'abc'],
			['T8', ''],
			['T9', '36.4', '咳嗽、乏力'],
			['T10', '36.6', '无咳嗽'],
		]);
		const { records, problems } = flagAbnormal(rows, undefined, { zone: ZONE });
		expect(problems).toEqual([]);
		const byId = Object.fromEntries(records.map((r) => [r.data.reporterId, r.data]));
		expect(Object.keys(byId).sort()).toEqual(['T2', 'T3', 'T5', 'T7', 'T8', 'T9']);
		expect(byId.T2).toMatchObject({ reasons: ['fever'], temperatureC: 37.5 });
		expect(byId.T3).toMatchObject({ reasons: ['fever'], temperatureC: 37.3 });
		expect(byId.T5).toMatchObject({ reasons: ['fever'], temperatureC: 37.5 });
		expect(byId.T7).toMatchObject({ reasons: ['unreadable temperature'], temperatureC: null });
		expect(byId.T7.temperatureProblem).toMatch(/not a temperature/);
		expect(byId.T8).toMatchObject({ reasons: ['unreadable temperature'] });
		expect(byId.T9).toMatchObject({ reasons: ['symptom'], symptomsFound: ['咳嗽', '乏力'] });
		for (const r of records) expect(String(r.data.message)).not.toMatch(/3\d[.,]\d|°/);
	});

	it('uses the threshold and lets the latest of duplicate readings win', () => {
		const rows = [
			{ 工号: 'T1', 提交时间: '2026-03-02 08:00', 体温: '38.0', 症状: '' },
			{ 工号: 'T1', 提交时间: '2026-03-02 08:20', 体温: '36.5', 症状: '' },
			{ 工号: 'T2', 提交时间: '2026-03-02 08:20', 体温: '37.6', 症状: '' },
			{ 工号: 'T2', 提交时间: '2026-03-02 08:05', 体温: '36.5', 症状: '' },
		];
		const { records, stats } = flagAbnormal(rows, undefined, { zone: ZONE, feverThreshold: 37.5 });
		expect(records.map((r) => r.data.reporterId)).toEqual(['T2']);
		expect(stats.superseded).toBe(2);
		expect(records[0].sources).toEqual([{ input: 0, item: 2 }]);
	});

	it('with the roster: names, leaders, unknown reporters and two missed checks in a row', () => {
		const rows = [
			{ 工号: 'T1', 提交时间: '2026-09-29 08:00', 体温: '36.5', 症状: '无' },
			{ 工号: 'T1', 提交时间: '2026-09-29 16:00', 体温: '36.5', 症状: '无' },
			{ 工号: 'T1', 提交时间: '2026-09-30 08:00', 体温: '36.5', 症状: '无' },
			{ 工号: 'T2', 提交时间: '2026-10-08 08:00', 体温: '38.2', 症状: '无' },
			{ 工号: 'T3', 提交时间: '2026-10-08 08:00', 体温: '36.5', 症状: '无' },
			{ 工号: 'X9', 提交时间: '2026-10-08 08:00', 体温: '36.5', 症状: '无' },
		];
		const { records } = flagAbnormal(rows, roster, {
			zone: ZONE,
			watch: opts('2026-10-08T09:40'),
			onlyAsOfDate: true,
		});
		const summary = records.map((r) => `${r.data.kind} ${r.data.reporterId} ${(r.data.reasons as string[] | undefined)?.join('+') ?? ''}`);
		expect(summary.sort()).toEqual(['abnormal T1 missed in a row', 'abnormal T2 fever', 'unknown reporter X9 ']);
		const t2 = records.find((r) => r.data.reporterId === 'T2');
		expect(t2?.data).toMatchObject({
			reporterName: '李四',
			slot: 'Morning',
			date: '2026-10-08',
			level: 2,
			recipientName: '王老师',
			mentionMobiles: ['13800000009'],
			message: '李四（一年级1班）2026-10-08 上午 健康填报异常：体温偏高，请跟进。',
		});
		expect(t2?.sources).toEqual([
			{ input: 0, item: 3 },
			{ input: 1, item: 1 },
		]);
		const t1 = records.find((r) => r.data.reporterId === 'T1');
		expect(t1?.data).toMatchObject({ consecutiveMisses: 2 });
	});

	it('names a missing temperature or symptoms column, unless that check is off', () => {
		expect(() => flagAbnormal([{ 工号: 'T1', 症状: '' }], undefined, { zone: ZONE })).toThrow(/no column "体温"/);
		expect(() => flagAbnormal([{ 工号: 'T1', 体温: '36' }], undefined, { zone: ZONE })).toThrow(/no column "症状"/);
		expect(flagAbnormal([{ 工号: 'T1', 体温: '38' }], undefined, { zone: ZONE, checkSymptoms: false }).records).toHaveLength(1);
	});
});
