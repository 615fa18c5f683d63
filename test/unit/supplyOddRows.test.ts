/**
 * Issue 16, Supply Stock: no row is dropped or merged without a word. Each odd row becomes a
 * problem (an error item naming the row and the column) or a warning on the item it concerns.
 */
import { evaluate } from '../../nodes/SupplyStock/supply';
import { excerpt } from '../../nodes/SupplyStock/supplyColumns';
import { recordCounts } from '../../nodes/SupplyStock/supplyRecord';
import { dailyReport } from '../../nodes/SupplyStock/supplyReport';

import { base, maskHistory, masks } from './supplyFixtures';

/** The figures of an evaluated item, without its warnings. */
function figures(e: object) {
	const { warnings: _w, ...rest } = e as { warnings: string };
	void _w;
	return rest;
}

describe('negative stock', () => {
	it('is rejected with its reason, naming the row and the column (Evaluate)', () => {
		const r = evaluate({ inventory: [masks, { ...masks, 物品: '手套', 库存: -3 }] }, base);
		expect(r.items.map((e) => e.item)).toEqual(['医用口罩']);
		expect(r.problems.inventory).toEqual([{ row: 1, field: '库存', message: 'On hand cannot be negative (-3)' }]);
	});

	it('is rejected in the inventory Record Count reads', () => {
		const r = recordCounts(
			{ counts: [{ 物品: '医用口罩', 盘点数: 10 }], inventory: [{ ...masks, 库存: '-1,000' }] },
			{ date: '2026-03-02' },
		);
		expect(r.problems.inventory).toEqual([{ row: 0, field: '库存', message: 'On hand cannot be negative (-1000)' }]);
	});
});

describe('a count dated after the evaluation date', () => {
	it('is not used, and the item says so naming the history row', () => {
		const later = { 日期: '2026-03-03', 物品: '医用口罩', 盘点数: 10 };
		const without = evaluate({ inventory: [masks], history: maskHistory }, base).items[0];
		const r = evaluate({ inventory: [masks], history: [...maskHistory, later] }, base);
		expect(figures(r.items[0])).toEqual(figures(without));
		expect(r.items[0].warnings).toContain('count history row 7 is dated after the evaluation date 2026-03-01: not used');
		expect(r.problems.history).toEqual([]);
	});

	it('lists at most five rows', () => {
		const later = Array.from({ length: 8 }, (_, k) => ({ 日期: `2026-03-1${k}`, 物品: '医用口罩', 盘点数: 10 }));
		const r = evaluate({ inventory: [masks], history: [...maskHistory, ...later] }, base);
		expect(r.items[0].warnings).toContain('count history rows 7, 8, 9, 10, 11 and 3 more are dated after the evaluation date');
	});
});

describe('a history row for an item the inventory does not list', () => {
	it('is a problem of the history, naming the row, the column and the item', () => {
		const gloves = { 日期: '2026-03-01', 物品: '手套', 盘点数: 40 };
		const r = evaluate({ inventory: [masks], history: [...maskHistory, gloves, { ...gloves, 日期: '2026-02-28' }] }, base);
		expect(r.items).toHaveLength(1);
		expect(r.problems.history).toEqual([
			{ row: 6, field: '物品', message: '"手套" is not in the inventory: this count is not used' },
			{ row: 7, field: '物品', message: '"手套" is not in the inventory: this count is not used' },
		]);
	});

	it('is not reported when the inventory lists the item but its row is bad (that row says why)', () => {
		const r = evaluate({ inventory: [{ ...masks, 库存: 'lots' }], history: maskHistory }, base);
		expect(r.problems.inventory).toEqual([expect.objectContaining({ row: 0, field: '库存' })]);
		expect(r.problems.history).toEqual([]);
	});

	it('an open order for an unlisted item is a problem of the orders', () => {
		const r = evaluate(
			{ inventory: [masks], orders: [{ 物品: '护目镜', 数量: 10, 状态: '已下单' }, { 物品: '手套', 数量: 5, 状态: '已到货' }] },
			base,
		);
		expect(r.problems.orders).toEqual([{ row: 0, field: '物品', message: '"护目镜" is not in the inventory: this order is not counted' }]);
	});
});

describe('two counts on one day', () => {
	it('uses the later one and says which row was not used', () => {
		const recount = { 日期: '2026-02-27', 物品: '医用口罩', 盘点数: 1700 };
		// The recount (row 4, 0-based 3) precedes the row of the day that is kept.
		const history = [...maskHistory.slice(0, 3), recount, ...maskHistory.slice(3)];
		const r = evaluate({ inventory: [masks], history }, base);
		const without = evaluate({ inventory: [masks], history: maskHistory }, base);
		expect(figures(r.items[0])).toEqual(figures(without.items[0]));
		expect(r.items[0].warnings).toContain(
			'Counted more than once on 2026-02-27: the later count of the day is used, count history row 4 not',
		);
	});
});

describe('an evaluation date past the counts', () => {
	it('says where the counts are, not "no count history"', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory }, { ...base, asOf: '2026-06-01' });
		expect(r.items[0].warnings).toMatch(/^No count in the 30 days up to 2026-06-01 \(the last count is from 2026-03-01\): forecast uses the per-person rate/);
		expect(r.items[0].warnings).not.toMatch(/No count history/);
	});

	it('without a per-person rate the error says the same', () => {
		const { 人均日用量: _drop, ...noRate } = masks;
		void _drop;
		const r = evaluate({ inventory: [noRate], history: maskHistory }, { ...base, asOf: '2026-06-01' });
		expect(r.problems.inventory[0].message).toBe(
			'No count in the 30 days up to 2026-06-01 (the last count is from 2026-03-01) and no per-person daily use: cannot forecast its use',
		);
	});

	it('counts only after the evaluation date: says they start later', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory }, { ...base, asOf: '2026-02-01' });
		expect(r.items[0].warnings).toMatch(/No count up to 2026-02-01 \(the first count is from 2026-02-24, after it\)/);
	});

	it('after today: every item and the report say so', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory }, { ...base, asOf: '2026-03-04', today: '2026-03-01' });
		expect(r.afterToday).toEqual({ today: '2026-03-01', days: 3 });
		expect(r.items[0].warnings).toMatch(/^The evaluation date 2026-03-04 is 3 days after today \(2026-03-01\)/);
		expect(dailyReport(r, r.asOf, { language: 'en' }).text).toContain(
			'Note: the evaluation date 2026-03-04 is 3 days after today (2026-03-01); no count exists for the days between.',
		);
		expect(dailyReport(r, r.asOf, { language: 'zh-CN' }).text).toContain('注意：评估日期 2026-03-04 晚于今天（2026-03-01）3 天');
		const today = evaluate({ inventory: [masks], history: maskHistory }, { ...base, today: '2026-03-01' });
		expect(today.afterToday).toBeNull();
		expect(today.items[0].warnings).not.toMatch(/after today/);
	});
});

describe('a whole table that cannot be read', () => {
	it.each([
		['inventory', { inventory: [{ 物品: 'x', 库存: 1 }] }, /inventory rows have no column "到货天数"/],
		['history', { inventory: [masks], history: [{ 物品: '医用口罩', 盘点数: 1 }] }, /count history rows have no column "日期"/],
		['headcount', { inventory: [masks], headcount: [{ 日期: '2026-03-01' }] }, /headcount rows have no column "人数"/],
		['orders', { inventory: [masks], orders: [{ 物品: '医用口罩' }] }, /open-order rows have no column "状态"/],
	])('a missing column in the %s fails the whole dataset (thrown, no row)', (_name, tables, message) => {
		let thrown: unknown;
		try {
			evaluate(tables, base);
		} catch (e) {
			thrown = e;
		}
		expect(String((thrown as Error)?.message)).toMatch(message);
		expect((thrown as { row?: number }).row).toBeUndefined();
	});

	it('a missing count column in Record Count fails the whole dataset', () => {
		expect(() => recordCounts({ counts: [{ 物品: '医用口罩' }], inventory: [masks] }, { date: '2026-03-02' })).toThrow(
			/count rows have no column "盘点数"/,
		);
	});
});

describe('a stock that lasts beyond any calendar (found by the property suite)', () => {
	it('has days of cover but no run-out date, and says why; the report leaves the date out', () => {
		const r = evaluate({ inventory: [{ ...masks, 库存: 1e21 }] }, base);
		expect(r.items[0]).toMatchObject({ runOutDate: null, status: 'ok' });
		expect(r.items[0].daysOfCover).toBeGreaterThan(1e18);
		expect(r.items[0].warnings).toContain('The stock lasts more than 100 years at the forecast use: no run-out date');
		expect(dailyReport(r, r.asOf, { language: 'en' }).lines[0].text).toMatch(/days of cover$/);
		expect(dailyReport(r, r.asOf, { language: 'zh-CN' }).lines[0].text).toMatch(/天$/);
	});
});

describe('bounded error texts', () => {
	it('quote at most 40 characters of a bad value, even of a 1 MB one', () => {
		const huge = 'x'.repeat(1 << 20);
		const r = evaluate({ inventory: [{ ...masks, 库存: huge }, { ...masks, 物品: huge }, { ...masks, 物品: huge }] }, base);
		expect(r.problems.inventory.map((p) => p.message.length)).toEqual([expect.any(Number), expect.any(Number)]);
		for (const p of r.problems.inventory) expect(p.message.length).toBeLessThan(120);
		expect(r.problems.inventory[0].message).toBe(`"${'x'.repeat(40)}…" is not a number`);
	});

	it('a 1 MB date in the history or as the evaluation date is quoted as an excerpt (found by the property suite)', () => {
		const huge = `中${'x'.repeat(1 << 20)}`;
		const r = evaluate({ inventory: [masks], history: [...maskHistory, { ...maskHistory[0], 日期: huge }] }, base);
		expect(r.problems.history).toEqual([{ row: 6, field: '日期', message: `"中${'x'.repeat(39)}…" is not a date` }]);
		expect(() => evaluate({ inventory: [masks] }, { ...base, asOf: huge })).toThrow(/^"中x{39}…" is not a date$/);
		expect(() => recordCounts({ counts: [], inventory: [] }, { date: '2026-02-30' })).toThrow('"2026-02-30" is not a valid date');
	});

	it('cut whole characters (no half of a character outside the BMP)', () => {
		expect(excerpt('𠀀'.repeat(50), 3)).toBe('𠀀𠀀𠀀…');
		expect(excerpt('𠀀'.repeat(20), 30)).toBe('𠀀'.repeat(20));
		expect(excerpt('short')).toBe('short');
	});

	it('a lead time or target cover beyond ten years is a problem, not a long loop', () => {
		const r = evaluate({ inventory: [{ ...masks, 到货天数: 1e9 }, { ...masks, 物品: 'b', 目标天数: 5000 }] }, base);
		expect(r.problems.inventory).toEqual([
			{ row: 0, field: '到货天数', message: 'Lead time 1000000000 days is over ten years' },
			{ row: 1, field: '目标天数', message: 'Target cover 5000 days is over ten years' },
		]);
	});
});
