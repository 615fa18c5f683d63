import { DateTime } from 'luxon';
import { InputError } from '../../nodes/shared/errors';
import { readAsOf } from '../../nodes/CheckInWatch/occurrences';
import { readRoster } from '../../nodes/CheckInWatch/roster';
import { ZONE } from '../helpers/checkin-fixtures';

describe('roster and as-of', () => {
	it('reads ids as trimmed text and keeps the row index', () => {
		const r = readRoster([{}, { 学号: 1001, 姓名: '小明', 部门: '三年级' }, { 学号: ' 1002 ', 姓名: '', 部门: '三年级' }]);
		expect(r.reporters.map((x) => [x.row, x.id, x.name])).toEqual([
			[1, '1001', '小明'],
			[2, '1002', '1002'],
		]);
	});

	it('reads As Of, empty meaning now, and names it when unreadable', () => {
		const now = DateTime.fromISO('2026-03-02T01:00:00Z');
		expect(readAsOf('', ZONE, now).toISO()).toBe('2026-03-02T09:00:00.000+08:00');
		expect(readAsOf('2026-03-02 09:05', ZONE, now).toISO()).toBe('2026-03-02T09:05:00.000+08:00');
		expect(() => readAsOf('soon', ZONE, now)).toThrow(InputError);
	});
});
