/**
 * Rows and options the Check-In Watch unit tests share (test/unit/checkin-*.test.ts).
 */
import { DateTime } from 'luxon';
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { parseSlots } from '../../nodes/shared/slots';
import type { FindMissingOptions } from '../../nodes/CheckInWatch/missing';
import type { OutputRecord } from '../../nodes/CheckInWatch/records';

export const ZONE = 'Asia/Shanghai';
export const calendar = new SchoolCalendar();
export const daySlots = parseSlots([
	{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
	{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
]);

export const roster = [
	{ 工号: 'T1', 姓名: '张三', 班级: '一年级1班', 手机: '13900000001', 班主任: '王老师', 班主任手机: '13800000009' },
	{ 工号: 'T2', 姓名: '李四', 班级: '一年级1班', 手机: '13900000002', 班主任: '王老师', 班主任手机: '13800000009' },
	{ 工号: 'T3', 姓名: '王五', 班级: '二年级2班', 手机: '13900000003', 班主任: '', 班主任手机: '' },
];

export function opts(asOf: string, extra: Partial<FindMissingOptions> = {}): FindMissingOptions {
	return {
		slots: daySlots,
		zone: ZONE,
		calendar,
		asOf: DateTime.fromISO(asOf, { zone: ZONE }),
		lookBackDays: 30,
		...extra,
	};
}

export const sub = (id: string, ts: string, more: Record<string, unknown> = {}) => ({ 工号: id, 提交时间: ts, ...more });
export const kinds = (records: OutputRecord[], kind: string) => records.filter((r) => r.data.kind === kind);
export const missingIds = (records: OutputRecord[]) => kinds(records, 'missing report').map((r) => r.data.reporterId);
