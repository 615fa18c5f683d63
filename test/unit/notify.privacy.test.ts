import { digestLine } from '../../nodes/SchoolNotify/digest';
import type { DigestPerson } from '../../nodes/SchoolNotify/digestRows';
import { maskName, scrubPrivate } from '../../nodes/SchoolNotify/privacy';

describe('privacy', () => {
	it('masks names', () => {
		expect(maskName('张三')).toBe('张*');
		expect(maskName('张小三')).toBe('张*三');
		expect(maskName('欧阳娜娜')).toBe('欧**娜');
		expect(maskName('李')).toBe('李');
	});

	it.each([
		['张三 家长电话 13800138000', '13800138000'],
		['phone 138 0013 8000 please', '138 0013 8000'],
		['+86-13800138000', '13800138000'],
		['身份证 11010519491231002X', '11010519491231002X'],
		['体温 37.8℃', '37.8'],
		['temperature 38.2 °C', '38.2'],
		['temp 37.5', '37.5'],
		['发烧 39度', '39度'],
		['座机 010-62345678', '62345678'],
	])('hides private numbers in %j', (text, secret) => {
		const out = scrubPrivate(text);
		expect(out).not.toContain(secret);
		expect(out).toContain('***');
	});

	it('keeps ordinary text and short numbers', () => {
		expect(scrubPrivate('三年级2班 第3节课 9:00 前')).toBe('三年级2班 第3节课 9:00 前');
	});

	it('digest lines never show a phone, ID number or temperature, and mask the name on request', () => {
		const p: DigestPerson = {
			row: 0,
			target: '三(2)班',
			name: '张小三',
			mobile: '13800138000',
			line: '张小三 未打卡，体温 37.9℃，家长 13800138000，身份证 11010519491231002X',
		};
		const line = digestLine(p, { maskNames: true, channel: 'dingtalk', mentionPeople: true });
		expect(line).toContain('张*三');
		expect(line).not.toMatch(/张小三|13800138000|37\.9|11010519491231002X/);
	});
});

describe('scrubPrivate keeps dates and times', () => {
	it('hides phone, ID and temperature but keeps 2026-03-10 and 09:00', () => {
		expect(scrubPrivate('2026-03-10 Gate A 07:00-19:00')).toBe('2026-03-10 Gate A 07:00-19:00');
		expect(scrubPrivate('张三 13800138000 37.8℃ 2026-03-10 09:00')).toBe('张三 *** *** 2026-03-10 09:00');
		expect(scrubPrivate('学号 20260101001')).toBe('学号 ***');
		const link = 'https://n8n.school.cn/form/check?id=T001&exp=1795638714&sig=AbC123';
		expect(scrubPrivate(`张三 请打卡 ${link} 13800138000`)).toBe(`张三 请打卡 ${link} ***`);
	});
});
