import { DateTime } from 'luxon';
import { parseSlots } from '../../nodes/shared/slots';
import { flagAbnormal } from '../../nodes/CheckInWatch/abnormal';
import { findMissingByDueTime } from '../../nodes/CheckInWatch/dueTime';
import { MessageText, chineseSlotName, chineseSlotNames, fillTemplate, isChinese } from '../../nodes/CheckInWatch/messages';
import { findMissing } from '../../nodes/CheckInWatch/missing';
import { dailySummary } from '../../nodes/CheckInWatch/summary';
import { ZONE, kinds, opts, roster, sub } from '../helpers/checkin-fixtures';

const PHONE = /1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}/;
/** Latin letters in a Chinese message: any is a word of another language (ids and links aside). */
const LATIN_WORD = /[A-Za-z]{2,}/;

describe('fillTemplate', () => {
	it('fills placeholders and leaves unknown ones as typed', () => {
		expect(fillTemplate('{name}/{count}/{nope}', { name: '张三', count: 2 })).toBe('张三/2/{nope}');
	});

	it('an empty value takes the space before it along: no double space where a slot would be', () => {
		expect(fillTemplate('{name} {date} {slot} 健康填报异常', { name: '张三', date: '2026-03-02', slot: '' })).toBe(
			'张三 2026-03-02 健康填报异常',
		);
		expect(fillTemplate('{date} {slot}（{due} 截止）', { date: '2026-03-02', slot: '', due: '09:00' })).toBe('2026-03-02（09:00 截止）');
	});
});

describe('slot names in Chinese text', () => {
	it("keeps a slot the user named in Chinese, translates the usual English names, else says the part of the day", () => {
		expect(chineseSlotName('晨检')).toBe('晨检');
		expect(chineseSlotName('Morning')).toBe('上午');
		expect(chineseSlotName('afternoon')).toBe('下午');
		expect(chineseSlotName('return')).toBe('返校');
		expect(chineseSlotName('Due')).toBe('');
		expect(chineseSlotName('Morning disinfection')).toBe('上午消毒');
		expect(chineseSlotName('evening_patrol')).toBe('晚上巡查');
		expect(chineseSlotName('Check A', 7 * 60)).toBe('上午');
		expect(chineseSlotName('Check B', 12 * 60)).toBe('中午');
		expect(chineseSlotName('Check C', 19 * 60)).toBe('晚上');
		expect(chineseSlotName('Check D', 23 * 60 + 30)).toBe('夜间');
	});

	it('tells apart two slots that would read alike', () => {
		const slots = parseSlots([
			{ name: 'Check 1', opens: '07:00', due: '08:00' },
			{ name: 'Check 2', opens: '09:00', due: '10:00' },
			{ name: 'Afternoon', opens: '15:00', due: '17:00' },
		]);
		expect([...chineseSlotNames(slots).values()]).toEqual(['上午第1次', '上午第2次', '下午']);
	});

	it('a Chinese template gets Chinese slot names and reasons; an English one keeps them in English', () => {
		const zh = new MessageText('{slot}异常：{reason}');
		expect(isChinese('{name}：{date}')).toBe(true);
		expect(isChinese('{name}: {date}')).toBe(false);
		expect(zh.compose({ slot: zh.slot('Morning'), reason: zh.reasons(['fever', 'symptom']) })).toBe('上午异常：体温偏高、有症状');
		const en = new MessageText('{name}: {slot} check missing ({reason})');
		expect(en.chinese).toBe(false);
		expect(en.compose({ name: 'Amy', slot: en.slot('Morning'), reason: en.reasons(['fever', 'symptom']) })).toBe(
			'Amy: Morning check missing (fever, symptom)',
		);
	});
});

describe('Chinese reminders are all in Chinese (issue 14)', () => {
	it('Find Missing: the default reminder names the slot in Chinese; the item keeps the slot name', () => {
		const { records } = findMissing(roster, [sub('T1', '2026-03-02 16:00')], opts('2026-03-02T17:40', { scope: 'allToday' }));
		const messages = kinds(records, 'missing report').map((r) => String(r.data.message));
		expect(messages).toContain('张三：2026-03-02 上午（09:00 截止）尚未填报，请尽快补报。已连续未报 1 次。');
		expect(messages).toContain('李四：2026-03-02 下午（17:00 截止）尚未填报，请尽快补报。已连续未报 2 次。');
		for (const m of messages) expect(m).not.toMatch(LATIN_WORD);
		expect(new Set(kinds(records, 'missing report').map((r) => r.data.slot))).toEqual(new Set(['Morning', 'Afternoon']));
	});

	it("Find Missing: a slot named in Chinese by the school is used as named", () => {
		const slots = parseSlots([{ name: '晨检', opens: '06:00', due: '09:00', graceMinutes: 30 }]);
		const { records } = findMissing(roster, [], { ...opts('2026-03-02T09:40'), slots });
		expect(records[0].data.message).toBe('张三：2026-03-02 晨检（09:00 截止）尚未填报，请尽快补报。已连续未报 1 次。');
	});

	it('Flag Abnormal: a reading outside slot hours has no slot and no double space', () => {
		const rows = [{ 工号: 'T2', 提交时间: '2026-03-02 12:10', 体温: '38.2', 症状: '无' }];
		const { records } = flagAbnormal(rows, roster, { zone: ZONE, watch: opts('2026-03-02T12:30'), missedInARow: 0 });
		expect(records).toHaveLength(1);
		expect(records[0].data.slot).toBe('');
		expect(records[0].data.message).toBe('李四（一年级1班）2026-03-02 健康填报异常：体温偏高，请跟进。');
		expect(String(records[0].data.message)).not.toMatch(/ {2}/);
	});

	it('Find Missing by due time: the default English slot name "Due" is left out of Chinese text', () => {
		const rows = [{ 工号: 'L1', 姓名: '张三', 部门: '后勤', dueAt: '2026-03-07 20:00' }];
		const { records } = findMissingByDueTime(rows, [], { zone: ZONE, asOf: DateTime.fromISO('2026-03-07T20:10', { zone: ZONE }) });
		expect(records[0].data).toMatchObject({ slot: 'Due', message: '张三：2026-03-07（20:00 截止）尚未填报，请尽快补报。已连续未报 1 次。' });
	});
});

describe('English templates stay in English', () => {
	it('Daily Summary: the list of those missing is written in English too', () => {
		const { records } = dailySummary(roster, [], opts('2026-03-02T09:40', { message: '{group}: {missing} missing.{missingList}' }));
		expect(records[0].data.message).toBe('一年级1班: 2 missing. Not reported: 张三, 李四.');
	});
});

describe('no phone number reaches a message (issue 17)', () => {
	// Names with digits typed after them and department names holding a phone number.
	const leaky = [
		{ 工号: 'T1', 姓名: '张三13800138000', 班级: '后勤部 138-0013-8001', 手机: '13900000001', 班主任: '王老师 13800000009', 班主任手机: '13800000009' },
		{ 工号: 'T2', 姓名: '李四 +86 139 0000 0002', 班级: '后勤部 138-0013-8001', 手机: '13900000002' },
		{ 工号: 'T3', 姓名: '王五', 班级: '保卫处（电话 010-62345678）', 手机: '13900000003' },
	];

	it('Find Missing: names and groups are scrubbed in every reminder, their items keep the data', () => {
		const { records } = findMissing(leaky, [], opts('2026-03-02T09:40', { message: '【{group}】{name}：{date} {slot} 未报' }));
		expect(records).toHaveLength(3);
		for (const r of records) expect(String(r.data.message)).not.toMatch(PHONE);
		expect(records.map((r) => r.data.message)).toEqual([
			'【后勤部 ***】张三***：2026-03-02 上午 未报',
			'【后勤部 ***】李四 ***：2026-03-02 上午 未报',
			'【保卫处（电话 ***）】王五：2026-03-02 上午 未报',
		]);
		expect(records[0].data.reporterName).toBe('张三13800138000');
	});

	it('Find Missing: the unknown-reporter and outside-slot messages are scrubbed too', () => {
		const subs = [sub('13812345678', '2026-03-02 08:00'), sub('T1', '2026-03-02 12:00')];
		const { records } = findMissing(leaky, subs, opts('2026-03-02T12:30'));
		const unknown = kinds(records, 'unknown reporter')[0];
		expect(unknown.data.reporterId).toBe('13812345678');
		expect(unknown.data.message).toBe('收到名单外编号 *** 的 1 条填报，请核对名单或填报链接。');
		expect(kinds(records, 'outside any slot')[0].data.message).toBe('张三*** 于 12:00 的填报不在任何时段内，未计入，请核对。');
	});

	it('Daily Summary: the group heading and the names of those missing are scrubbed', () => {
		const { records } = dailySummary(leaky, [sub('T3', '2026-03-02 08:00')], opts('2026-03-02T09:40'));
		for (const r of records) expect(String(r.data.message)).not.toMatch(PHONE);
		expect(records[0].data.message).toBe('后勤部 *** 2026-03-02 填报情况：应报 2，已报 0（其中迟报 0），未报 2，异常 0。今日无异常情况。 未报：张三***、李四 ***。');
	});

	it('Flag Abnormal: names and groups are scrubbed; the temperature never appears', () => {
		const rows = [{ 工号: 'T1', 提交时间: '2026-03-02 08:10', 体温: '38.5', 症状: '无' }];
		const { records } = flagAbnormal(rows, leaky, { zone: ZONE, watch: opts('2026-03-02T09:40'), missedInARow: 0 });
		expect(records[0].data.message).toBe('张三***（后勤部 ***）2026-03-02 上午 健康填报异常：体温偏高，请跟进。');
	});

	it('the text typed in the template itself is kept as typed', () => {
		const { records } = findMissing(roster, [], opts('2026-03-02T09:40', { message: '{name} 请补报，咨询 010-12345678' }));
		expect(records[0].data.message).toBe('张三 请补报，咨询 010-12345678');
	});
});
