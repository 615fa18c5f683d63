import { packDigest } from '../../nodes/SchoolNotify/digest';
import type { DigestPerson } from '../../nodes/SchoolNotify/digestRows';
import { orderPeople, rotationOffset } from '../../nodes/SchoolNotify/fairOrder';

/** People in the first 20 WeCom messages of one run in input order (about 5 a message with personal links). */
const FIXED = 100;
const at = (hhmm: string) => Date.parse(`2026-03-10T${hhmm}:00+08:00`);

function staff(n: number, groups: number): DigestPerson[] {
	return Array.from({ length: n }, (_, i) => ({
		row: i,
		target: `部门${String(i % groups).padStart(2, '0')}`,
		name: `教师${String(i).padStart(3, '0')}`,
		userId: `u${i}`,
		line: `教师${String(i).padStart(3, '0')} 今天 09:00 前未填报晨检，请点个人链接填写 https://school.example.edu/form/health-check?id=T${String(i).padStart(4, '0')}&slot=morning&exp=1795638714&sig=${'AbC123xyz'.repeat(20)}`,
	}));
}

describe('fair order for digests cut short by Max Wait (issue 17)', () => {
	it('input order is kept by default', () => {
		const list = staff(10, 2);
		expect(orderPeople(list, 'input', at('09:33'))).toBe(list);
	});

	it('rotate starts at a different group for the 09:33 and the 10:03 run, and keeps everyone once', () => {
		const list = staff(500, 30);
		const a = rotationOffset(at('09:33'), 500);
		const b = rotationOffset(at('10:03'), 500);
		expect(a).not.toBe(b);
		expect(rotationOffset(at('09:33') + 30_000, 500)).toBe(a); // the same within a minute
		const rotated = orderPeople(list, 'rotate', at('09:33'));
		expect(rotated[0].target).toBe(`部门${String(rotationOffset(at('09:33'), 30)).padStart(2, '0')}`);
		expect(orderPeople(list, 'rotate', at('10:03'))[0].target).not.toBe(rotated[0].target);
		expect(rotated.map((p) => p.row).sort((x, y) => x - y)).toEqual(list.map((p) => p.row));
	});

	it('over a morning of runs every five minutes, the first 120 reach everyone (WeCom, 20 messages a run)', () => {
		const list = staff(500, 30);
		const reached = new Set<number>();
		for (let m = 0; m < 60; m += 5) {
			const hh = String(9 + Math.floor((33 + m) / 60)).padStart(2, '0');
			const mm = String((33 + m) % 60).padStart(2, '0');
			const plan = packDigest(orderPeople(list, 'rotate', at(`${hh}:${mm}`)), {
				channel: 'wecom', header: '未填报 ({count})', footer: '', maskNames: true, mentionPeople: true,
			});
			for (const msg of plan.messages.slice(0, 20)) msg.rows.forEach((r) => reached.add(r));
		}
		// in input order the same first 20 messages would reach the same people every run
		const fixed = new Set(packDigest(list, { channel: 'wecom', header: '未填报 ({count})', footer: '', maskNames: true, mentionPeople: true })
			.messages.slice(0, 20).flatMap((m) => m.rows));
		expect(fixed.size).toBe(FIXED); // the same people first in every run
		expect(reached.size).toBe(500);
	});

	it('least recently reminded first: never reminded, then oldest, ties in input order', () => {
		const list = staff(5, 1).map((p, i) => ({
			...p,
			lastReminded: ['2026-03-10T09:33:00+08:00', '', '2026-03-09T09:33:00+08:00', 'not a date', '2026-03-10T09:33:00+08:00'][i] || undefined,
		}));
		expect(orderPeople(list, 'leastRecent', at('10:03')).map((p) => p.row)).toEqual([1, 3, 2, 0, 4]);
	});
});
