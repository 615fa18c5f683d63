import { DateTime } from 'luxon';
import { findMissingByDueTime } from '../../nodes/CheckInWatch/dueTime';
import { ZONE } from '../helpers/checkin-fixtures';

describe('Find Missing with one due time per reporter', () => {
	// One leave a row: the "reporter" is the leave, due back at its expected return.
	const leaves = [
		{ requestId: 'L1', name: '张三', department: '后勤', mobile: '13900000001', leaderName: '王老师', leaderMobile: '13800000009', expectedReturn: '2026-03-07 20:00' },
		{ requestId: 'L2', name: '李四', department: '后勤', mobile: '13900000002', leaderName: '', leaderMobile: '', expectedReturn: '2026-03-07T21:00:00+08:00' },
		{ requestId: 'L3', name: '王五', department: '后勤', mobile: '13900000003', leaderName: '', leaderMobile: '', expectedReturn: '2026-03-08 08:00' },
	];
	const returns = [{ requestId: 'L2', at: '2026-03-07 22:10' }];
	const cols = { id: 'requestId', name: 'name', group: 'department', mobile: 'mobile', userId: 'userId', leaderName: 'leaderName', leaderMobile: 'leaderMobile', leaderUserId: 'leaderUserId' };
	const run = (asOf: string, extra: Record<string, unknown> = {}, rows: Array<Record<string, unknown>> = leaves, subs = returns) =>
		findMissingByDueTime(rows, subs, {
			zone: ZONE,
			asOf: DateTime.fromISO(asOf, { zone: ZONE }),
			dueAtColumn: 'expectedReturn',
			graceMinutes: 30,
			slotName: 'return',
			submissionColumns: { reporterId: 'requestId', timestamp: 'at', name: 'name', group: 'group', temperature: 'temperature', symptoms: 'symptoms' },
			...extra,
		}, cols);

	it('lists each reporter past its own due time (on a Saturday: no calendar), and not one who reported, even late', () => {
		const { records, problems } = run('2026-03-07T20:10');
		expect(problems).toEqual([]);
		expect(records.map((r) => r.data.reporterId)).toEqual(['L1']);
		expect(records[0].data).toMatchObject({
			kind: 'missing report',
			slot: 'return',
			date: '2026-03-07',
			dueAt: '2026-03-07T20:00:00+08:00',
			makeUpUntil: '2026-03-07T20:30:00+08:00',
			status: 'overdue',
			graceOpen: true,
			minutesOverdue: 10,
			consecutiveMisses: 1,
			level: 1,
			mentionMobiles: ['13900000001'],
			dedupeKey: 'L1|2026-03-07|return|L1',
		});
		expect(records[0].sources).toEqual([{ input: 0, item: 0 }]);
		// Past the grace: missing. L2 came back late (22:10) and is not listed.
		const later = run('2026-03-07T22:30');
		expect(later.records.map((r) => [r.data.reporterId, r.data.status])).toEqual([['L1', 'missing']]);
		expect(String(later.records[0].data.message)).toContain('张三');
		expect(String(later.records[0].data.message)).not.toMatch(/139\d{8}/);
	});

	it('escalates by minutes overdue: the leader, then the administrators on duty', () => {
		const escalation = { leaderAfterMinutes: 60, adminAfterMinutes: 120 };
		const admins = [{ name: '值班干部', mobile: '13900000099', userId: '' }];
		const at = (t: string) => run(t, { escalation, admins }).records.find((r) => r.data.reporterId === 'L1')?.data;
		expect(at('2026-03-07T20:40')).toMatchObject({ level: 1 });
		expect(at('2026-03-07T21:05')).toMatchObject({ level: 2, leaderName: '王老师', mentionMobiles: ['13900000001', '13800000009'], dedupeKey: 'L1|2026-03-07|return|L2' });
		expect(at('2026-03-07T22:05')).toMatchObject({ level: 3, adminName: '值班干部', mentionMobiles: ['13900000001', '13800000009', '13900000099'] });
	});

	it('reports an unreadable due time and a submission without a reporter as row problems, and unknown reporters', () => {
		const rows = [...leaves, { ...leaves[0], requestId: 'L4', expectedReturn: 'tomorrow-ish' }];
		const subs = [...returns, { requestId: '', at: '2026-03-07 20:00' }, { requestId: 'L9', at: '2026-03-07 20:00' }];
		const { records, problems } = run('2026-03-09T09:00', {}, rows, subs);
		expect(problems).toEqual([
			{ input: 0, problem: expect.objectContaining({ row: 3, field: 'expectedReturn' }) },
			{ input: 1, problem: expect.objectContaining({ row: 1, field: 'requestId' }) },
		]);
		expect(records.filter((r) => r.data.kind === 'missing report').map((r) => r.data.reporterId)).toEqual(['L1', 'L3']);
		expect(records.find((r) => r.data.kind === 'unknown reporter')?.data).toMatchObject({ reporterId: 'L9', submissionCount: 1 });
	});

	it('names a missing due-time column', () => {
		expect(() => run('2026-03-07T20:10', { dueAtColumn: '应返时间' })).toThrow(/no column "应返时间"/);
	});

	it('nothing is due before the due time; an empty roster gives nothing', () => {
		expect(run('2026-03-07T19:59').records).toEqual([]);
		expect(run('2026-03-07T19:59', {}, [{}], []).records).toEqual([]);
	});
});
