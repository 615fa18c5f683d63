import { InputError } from '../../nodes/shared/errors';
import { evaluate } from '../../nodes/SupplyStock/supply';
import { columnMap } from '../../nodes/SupplyStock/supplyColumns';
import { DateReader, dayOfIso, fastDay, isoOfDay } from '../../nodes/SupplyStock/supplyDates';
import { Headcounts, headcountSums } from '../../nodes/SupplyStock/supplyHeadcount';
import { emptyHistory, parseHistory } from '../../nodes/SupplyStock/supplyHistory';
import { coverDays, floor1, inverseNormal, plan, zForServiceLevel } from '../../nodes/SupplyStock/supplyPlan';
import { useStats } from '../../nodes/SupplyStock/supplyUse';

import { base, maskHistory, masks } from './supplyFixtures';

describe('inverse normal (Acklam)', () => {
	it.each([
		[0.5, 0],
		[0.9, 1.281552],
		[0.95, 1.644854],
		[0.975, 1.959964],
		[0.99, 2.326348],
		[0.999, 3.090232],
		[0.01, -2.326348],
	])('Φ⁻¹(%s) = %s', (p, z) => {
		expect(inverseNormal(p)).toBeCloseTo(z, 5);
	});

	it('takes a service level as a fraction or a percentage, and rejects one out of range', () => {
		expect(zForServiceLevel(95)).toBeCloseTo(1.645, 3);
		expect(zForServiceLevel(0.95)).toBeCloseTo(1.645, 3);
		expect(() => zForServiceLevel(100)).toThrow(/out of range/);
		expect(() => zForServiceLevel(40)).toThrow(InputError);
	});
});

describe('the worked example: 80 staff at 2 masks a day, 7-day lead time, sd 20', () => {
	const constant = (x: number) => () => x;

	it('plan(): SS ≈ 87, ROP ≈ 1,207, order 3,300 = 66 boxes of 50', () => {
		const p = plan({
			onHand: 1500,
			onOrder: 0,
			packSize: 50,
			leadTimeDays: 7,
			targetCoverDays: 30,
			z: zForServiceLevel(95),
			use: constant(160),
			sd: constant(20),
			steadyFrom: 0,
		});
		// 1.645 x 20 x sqrt(7) = 87.04 (the 1.65 gives 87.3): both round to 87.
		expect(p.safetyStock).toBe(87);
		expect(p.leadTimeDemand).toBe(1120);
		expect(p.reorderPoint).toBe(1207);
		expect(p.targetDemand).toBe(4800);
		expect(p.topUpQuantity).toBe(3300);
		expect(p.topUpPacks).toBe(66);
		expect(p.cover).toBeCloseTo(9.375, 9);
		expect(p.status).toBe('ok');
	});

	it('evaluate(): measures mean 160 and sd 20 from the counts and gives the same plan', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory }, base);
		expect(r.problems.inventory).toEqual([]);
		const e = r.items[0];
		expect(e).toMatchObject({
			item: '医用口罩',
			useSource: 'measured',
			measuredDays: 5,
			measuredDailyUse: 160,
			usePerPerson: 2,
			headcountAhead: 80,
			forecastDailyUse: 160,
			dailyUseSd: 20,
			leadTimeDemand: 1120,
			safetyStock: 87,
			reorderPoint: 1207,
			orderUpTo: 4800,
			topUpQuantity: 3300,
			topUpPacks: 66,
			daysOfCover: 9.3,
			runOutDate: '2026-03-11',
			status: 'ok',
			shouldOrder: false,
			orderQuantity: 0,
			orderKey: '',
			z: 1.645,
			warnings: '',
		});
	});

	it('triggers an order of 66 boxes once stock falls to the reorder point', () => {
		const r = evaluate({ inventory: [{ ...masks, 库存: 1200 }], history: maskHistory }, base);
		const e = r.items[0];
		expect(e.status).toBe('reorder');
		expect(e.shouldOrder).toBe(true);
		expect(e.orderQuantity).toBe(3600); // 4800 - 1200
		expect(e.orderPacks).toBe(72);
		expect(e.orderKey).toBe('医用口罩@2026-03-01');
	});

	it('rounds a top-up up to whole packs', () => {
		const r = evaluate({ inventory: [{ ...masks, 库存: 1190 }], history: maskHistory }, base);
		expect(r.items[0].orderQuantity).toBe(3650); // 3610 needed -> 73 boxes
		expect(r.items[0].orderPacks).toBe(73);
	});
});

describe('status', () => {
	it('is critical when stock runs out before an order could arrive, stockout at 0', () => {
		const r = evaluate(
			{
				inventory: [
					{ ...masks, 物品: 'a', 库存: 1000 },
					{ ...masks, 物品: 'b', 库存: 0 },
					{ ...masks, 物品: 'c', 库存: 1119 },
					{ ...masks, 物品: 'd', 库存: 1120 },
				],
			},
			{ ...base, assumedVariation: 0 },
		);
		expect(r.items.map((e) => e.status)).toEqual(['critical', 'stockout', 'critical', 'reorder']);
		expect(r.items[1]).toMatchObject({ daysOfCover: 0, runOutDate: '2026-03-01', shouldOrder: true, orderQuantity: 4800 });
		expect(r.items[3]).toMatchObject({ daysOfCover: 7, runOutDate: '2026-03-08' });
	});
});

describe('use measured from counts', () => {
	const map = columnMap();
	const stats = (rows: Record<string, unknown>[], from = -Infinity, to = Infinity, hc = new Headcounts([])) => {
		const h = parseHistory(rows, map, new DateReader());
		expect(h.problems).toEqual([]);
		return useStats(h.byItem.get('x') ?? emptyHistory(), from, to, headcountSums(hc, dayOfIso('2026-01-01'), dayOfIso('2026-12-31')));
	};

	it('takes a rise in a count as a receipt, never as negative use', () => {
		const s = stats([
			{ date: '2026-03-01', item: 'x', count: 100 },
			{ date: '2026-03-02', item: 'x', count: 90 },
			{ date: '2026-03-03', item: 'x', count: 300 },
			{ date: '2026-03-04', item: 'x', count: 280 },
		]);
		expect(s.totalUse).toBe(30);
		expect(s.intervals).toBe(3);
		expect(s.inferredReceipts).toBe(210);
		expect(s.rate).toBe(10);
	});

	it('adds recorded receipts before that day’s count, in any row order', () => {
		const s = stats([
			{ date: '2026-03-02', item: 'x', count: 250 },
			{ date: '2026-03-01', item: 'x', count: 100 },
			{ date: '2026-03-02', item: 'x', received: 200 },
		]);
		expect(s.totalUse).toBe(50);
		expect(s.inferredReceipts).toBe(0);
	});

	it('spreads a gap between counts over its days and weights it in the variance', () => {
		const s = stats([
			{ date: '2026-03-01', item: 'x', count: 100 },
			{ date: '2026-03-02', item: 'x', count: 90 },
			{ date: '2026-03-05', item: 'x', count: 30 },
		]);
		expect(s.days).toBe(4);
		expect(s.rate).toBe(70 / 4);
		// intervals: 10 over 1 day, 60 over 3 days (20 a day); mean 17.5
		expect(s.sd).toBeCloseTo(Math.sqrt(1 * 7.5 ** 2 + 3 * 2.5 ** 2), 9);
	});

	it('measures use per person when the headcount is known', () => {
		const hc = new Headcounts([{ row: 0, day: dayOfIso('2026-03-03'), headcount: 200 }], 100);
		const s = stats(
			[
				{ date: '2026-03-01', item: 'x', count: 1000 },
				{ date: '2026-03-02', item: 'x', count: 800 },
				{ date: '2026-03-03', item: 'x', count: 400 },
			],
			-Infinity,
			Infinity,
			hc,
		);
		expect(s.rate).toBe(2); // 200 / 100 and 400 / 200
		expect(s.sd).toBe(0);
	});

	it('ignores counts outside the window', () => {
		const s = stats(
			[
				{ date: '2026-01-01', item: 'x', count: 5000 },
				{ date: '2026-03-01', item: 'x', count: 100 },
				{ date: '2026-03-02', item: 'x', count: 90 },
				{ date: '2026-03-09', item: 'x', count: 10 },
			],
			dayOfIso('2026-02-01'),
			dayOfIso('2026-03-02'),
		);
		expect(s.intervals).toBe(1);
		expect(s.totalUse).toBe(10);
	});
});

describe('headcount ahead', () => {
	it('scales the forecast with a reopening: staff only, then the whole school', () => {
		const r = evaluate(
			{
				inventory: [{ ...masks, 库存: 3000 }],
				history: maskHistory,
				headcount: [
					{ 日期: '2026-02-01', 人数: 80 },
					{ 日期: '2026-03-04', 人数: 800 },
				],
			},
			{ ...base, headcount: undefined },
		);
		const e = r.items[0];
		expect(e.usePerPerson).toBe(2);
		expect(e.headcountAhead).toBe(80);
		// 2 March and 3 March at 160 (320), then 1600 a day from 4 March: 2680 left lasts 1.675 days.
		expect(e.daysOfCover).toBe(3.6);
		expect(e.runOutDate).toBe('2026-03-05');
		// lead time: 2 x 160 + 5 x 1600 = 8320; SS = 1.645 x sqrt(2 x 20² + 5 x 200²) = 737.1
		expect(e.leadTimeDemand).toBe(8320);
		expect(e.safetyStock).toBe(737);
		expect(e.status).toBe('critical');
		// target: 2 x 160 + 28 x 1600 = 45120; 42120 to buy -> 843 boxes of 50
		expect(e.orderPacks).toBe(843);
		expect(e.orderQuantity).toBe(42150);
	});

	it('keeps the last headcount for the days after it', () => {
		const hc = new Headcounts([
			{ row: 0, day: 10, headcount: 5 },
			{ row: 1, day: 20, headcount: 50 },
		]);
		expect([hc.at(0), hc.at(10), hc.at(19), hc.at(20), hc.at(999)]).toEqual([5, 5, 5, 50, 50]);
		expect(new Headcounts([], 7).at(3)).toBe(7);
		expect(new Headcounts([]).known).toBe(false);
	});
});

describe('short or missing history', () => {
	it('no history at all: uses the per-person rate, with a warning', () => {
		const r = evaluate({ inventory: [masks], history: [] }, base);
		const e = r.items[0];
		expect(e.useSource).toBe('per-person rate');
		expect(e.forecastDailyUse).toBe(160);
		expect(e.dailyUseSd).toBe(40); // 25% assumed variation
		expect(e.safetyStock).toBe(Math.round(1.644854 * 40 * Math.sqrt(7)));
		expect(e.warnings).toMatch(/No count history: forecast uses the per-person rate of 2 a day/);
	});

	it('a single count: no use is measured, so the per-person rate is used', () => {
		const r = evaluate({ inventory: [masks], history: [maskHistory[5]] }, base);
		expect(r.items[0].useSource).toBe('per-person rate');
		expect(r.items[0].warnings).toMatch(/Only one count \(2026-03-01\)/);
	});

	it('a single day of use: the mean is measured, the spread assumed', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory.slice(4) }, base);
		const e = r.items[0];
		expect(e.useSource).toBe('measured');
		expect(e.forecastDailyUse).toBe(160);
		expect(e.dailyUseSd).toBe(40);
		expect(e.warnings).toMatch(/Only 1 day of use measured/);
	});

	it('no history and no per-person rate: an error naming the row and the column', () => {
		const { 人均日用量: _drop, ...noRate } = masks;
		void _drop;
		const r = evaluate({ inventory: [{ ...masks, 物品: 'ok' }, noRate] }, base);
		expect(r.items).toHaveLength(1);
		expect(r.problems.inventory).toEqual([
			expect.objectContaining({ row: 1, field: '人均日用量', message: expect.stringMatching(/cannot forecast/) }),
		]);
	});

	it('a per-person rate with no headcount anywhere is an error', () => {
		const r = evaluate({ inventory: [masks] }, { ...base, headcount: undefined });
		expect(r.problems.inventory[0]).toMatchObject({ row: 0, field: 'headcount' });
	});

	it('without headcount, measured use is forecast as it is', () => {
		const r = evaluate({ inventory: [masks], history: maskHistory }, { ...base, headcount: undefined });
		expect(r.items[0]).toMatchObject({ usePerPerson: null, headcountAhead: null, forecastDailyUse: 160, reorderPoint: 1207 });
	});
});

describe('lead time longer than the target cover', () => {
	it('tops up to the reorder point and warns', () => {
		const r = evaluate(
			{ inventory: [{ ...masks, 到货天数: 14, 目标天数: 7, 库存: 2000 }], history: maskHistory },
			base,
		);
		const e = r.items[0];
		// D_L = 14 x 160 = 2240; SS = 1.645 x 20 x sqrt(14) = 123.1 -> 123; D_T = 1120
		expect(e.reorderPoint).toBe(2363);
		expect(e.orderUpTo).toBe(2363);
		expect(e.status).toBe('critical');
		expect(e.orderQuantity).toBe(400); // 363 -> 8 boxes of 50
		expect(e.warnings).toMatch(/longer than the target cover/);
	});
});

describe('open orders', () => {
	const low = { ...masks, 库存: 500 };
	it('an item with an open order is not triggered again until it is received', () => {
		const open = evaluate(
			{ inventory: [low], history: maskHistory, orders: [{ 物品: '医用口罩', 数量: 3300, 状态: '已下单', 订单号: 'PO-1' }] },
			base,
		).items[0];
		expect(open).toMatchObject({ status: 'critical', shouldOrder: false, orderQuantity: 0, onOrder: 3300, openOrders: 'PO-1', orderKey: '' });
		expect(open.warnings).toMatch(/open order/);
		const received = evaluate(
			{ inventory: [low], history: maskHistory, orders: [{ item: '医用口罩', quantity: 3300, status: 'received', orderId: 'PO-1' }] },
			base,
		).items[0];
		expect(received).toMatchObject({ shouldOrder: true, onOrder: 0, orderKey: '医用口罩@2026-03-01' });
	});

	it('gives the same order key on a re-run of the same day', () => {
		const a = evaluate({ inventory: [low], history: maskHistory }, base).items[0];
		const b = evaluate({ inventory: [low], history: maskHistory }, base).items[0];
		expect(a.orderKey).toBe(b.orderKey);
	});

	it('a declined or expired purchase request is closed: the item can be requested again', () => {
		for (const status of ['declined', 'expired', '已过期']) {
			const r = evaluate({ inventory: [low], history: maskHistory, orders: [{ item: '医用口罩', quantity: 3300, status }] }, base);
			expect([status, r.problems.orders, r.items[0].shouldOrder]).toEqual([status, [], true]);
		}
	});

	it('rejects an unknown order status on its row', () => {
		const r = evaluate({ inventory: [low], orders: [{}, { item: '医用口罩', status: 'maybe' }] }, base);
		expect(r.problems.orders).toEqual([expect.objectContaining({ row: 1, field: 'status' })]);
	});
});

describe('row problems', () => {
	it('names the row and the column, and skips empty rows', () => {
		const r = evaluate(
			{
				inventory: [{}, masks, { ...masks, 物品: '手套', 库存: 'lots' }, { ...masks }],
				history: [{ 日期: 'yesterday', 物品: '医用口罩', 盘点数: 1 }],
			},
			base,
		);
		expect(r.items.map((e) => e.row)).toEqual([1]);
		expect(r.problems.inventory).toEqual([
			expect.objectContaining({ row: 2, field: '库存' }),
			expect.objectContaining({ row: 3, field: '物品', message: expect.stringMatching(/twice/) }),
		]);
		expect(r.problems.history).toEqual([expect.objectContaining({ row: 0, field: '日期' })]);
	});

	it('reports a missing column once, naming it: the whole dataset fails', () => {
		expect(() => evaluate({ inventory: [{ item: 'x', onHand: 1 }] }, base)).toThrow(
			/no column "到货天数" or "lead time days"/,
		);
	});

	it('rejects bad options with the field named', () => {
		expect(() => evaluate({ inventory: [] }, { ...base, asOf: 'soon' })).toThrow(InputError);
		expect(() => evaluate({ inventory: [] }, { ...base, historyDays: -1 })).toThrow(/History days/);
	});
});

describe('helpers', () => {
	it('floors cover to 0.1 and walks variable use', () => {
		expect(floor1(9.375)).toBe(9.3);
		expect(floor1(7)).toBe(7);
		expect(coverDays(100, (k) => (k <= 2 ? 10 : 40), 3)).toBe(4);
		expect(coverDays(100, () => 0, 3)).toBe(Infinity);
		expect(coverDays(0, () => 5, 3)).toBe(0);
	});
	it('converts days and dates', () => {
		expect(isoOfDay(dayOfIso('2026-03-01'))).toBe('2026-03-01');
		const d = new DateReader();
		expect(d.day('2026/3/1', 'date', 0)).toBe(dayOfIso('2026-03-01'));
		expect(d.day('2026-03-01T00:00:00.000Z', 'date', 0)).toBe(dayOfIso('2026-03-01'));
	});
});

describe('fast date reading', () => {
	it('agrees with the calendar for every day of 1999 to 2101, and refuses what it cannot read', () => {
		for (let day = dayOfIso('1999-01-01'); day <= dayOfIso('2101-12-31'); day++) {
			const iso = isoOfDay(day);
			if (fastDay(iso) !== day) throw new Error(`fastDay(${iso}) = ${fastDay(iso)}, expected ${day}`);
		}
		expect(fastDay('2026-03-02T08:00:00+08:00')).toBe(dayOfIso('2026-03-02'));
		expect(fastDay('2026-03-02 08:00')).toBe(dayOfIso('2026-03-02'));
		for (const bad of ['2026-02-29', '2024-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '2026/03/02', '2026-3-2', '2026-03-021']) {
			expect(fastDay(bad)).toBeUndefined();
		}
		expect(fastDay('2024-02-29')).toBe(dayOfIso('2024-02-29'));
		const d = new DateReader();
		expect(() => d.day('2026-02-30', 'date', 4)).toThrow(/not a valid date/);
	});
});
