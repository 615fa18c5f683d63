import { recordCounts, unitKey } from '../../nodes/SupplyStock/supplyRecord';

const inventory = [
	{ 物品: '医用口罩', 单位: '只', 库存: 1500 },
	{ 物品: '84消毒液', 单位: '瓶', 库存: 40 },
];
const history = [
	{ 日期: '2026-03-01', 物品: '医用口罩', 盘点数: 1500 },
	{ 日期: '2026-03-01', 物品: '84消毒液', 盘点数: 40 },
];
const opts = { date: '2026-03-02' };

describe('Record Count', () => {
	it('accepts a plausible count and gives the implied use', () => {
		const r = recordCounts({ counts: [{ 物品: '医用口罩', 盘点数: 1340, 单位: '只', 盘点人: '王老师' }], inventory, history }, opts);
		expect(r.problems.counts).toEqual([]);
		expect(r.records[0]).toMatchObject({
			row: 0,
			date: '2026-03-02',
			item: '医用口罩',
			unit: '只',
			count: 1340,
			received: 0,
			previousCount: 1500,
			previousDate: '2026-03-01',
			impliedUse: 160,
			flagged: false,
			flag: '',
			other: { 盘点人: '王老师' },
		});
	});

	it('rejects a negative count, naming the row and the column', () => {
		const r = recordCounts({ counts: [{ 物品: '医用口罩', 盘点数: -5 }], inventory, history }, opts);
		expect(r.records).toEqual([]);
		expect(r.problems.counts).toEqual([{ row: 0, field: '盘点数', message: 'A count cannot be negative (-5)' }]);
	});

	it('rejects an unknown item', () => {
		const r = recordCounts({ counts: [{ 物品: '口罩', 盘点数: 5 }], inventory, history }, opts);
		expect(r.problems.counts[0]).toMatchObject({ row: 0, field: '物品', message: expect.stringMatching(/Unknown item "口罩"/) });
	});

	it('rejects a unit that does not match (boxes counted against pieces)', () => {
		const r = recordCounts({ counts: [{}, { 物品: '医用口罩', 盘点数: 30, 单位: '盒' }], inventory, history }, opts);
		expect(r.problems.counts).toEqual([
			expect.objectContaining({ row: 1, field: '单位', message: 'Unit "盒" does not match the inventory unit "只" of 医用口罩' }),
		]);
		const en = recordCounts(
			{
				counts: [{ item: 'masks', count: 30, unit: 'boxes' }],
				inventory: [{ item: 'Masks', unit: 'pieces', onHand: 100 }],
			},
			opts,
		);
		expect(en.problems.counts[0].message).toMatch(/does not match/);
	});

	it('takes piece words, plurals, case and width as the same unit', () => {
		expect(unitKey('个')).toBe(unitKey('pcs'));
		expect(unitKey('只')).toBe(unitKey('Pieces'));
		expect(unitKey('Boxes')).toBe(unitKey('box'));
		expect(unitKey('bottles')).toBe(unitKey('bottle'));
		expect(unitKey('盒')).not.toBe(unitKey('只'));
		const r = recordCounts({ counts: [{ 物品: '医用口罩', 盘点数: 1400, 单位: '个' }], inventory, history }, opts);
		expect(r.problems.counts).toEqual([]);
	});

	it('flags a jump with no matching receipt, and not one with a receipt', () => {
		const r = recordCounts(
			{
				counts: [
					{ 物品: '医用口罩', 盘点数: 3000 },
					{ 物品: '84消毒液', 盘点数: 70, 入库数: 40 },
				],
				inventory,
				history,
			},
			opts,
		);
		expect(r.records[0]).toMatchObject({ flagged: true, impliedUse: 0 });
		expect(r.records[0].flag).toBe('Count rose by 1500 只 over the count of 2026-03-01 (1500) with no matching receipt');
		expect(r.records[1]).toMatchObject({ flagged: false, receivedSince: 40, impliedUse: 10 });
	});

	it('matches a receipt recorded in the history since the previous count', () => {
		const r = recordCounts(
			{
				counts: [{ 日期: '2026-03-03', 物品: '医用口罩', 盘点数: 3000 }],
				inventory,
				history: [...history, { 日期: '2026-03-02', 物品: '医用口罩', 入库数: 3300 }],
			},
			opts,
		);
		expect(r.records[0]).toMatchObject({ flagged: false, receivedSince: 3300, impliedUse: 1800, previousDate: '2026-03-01' });
	});

	it('follows earlier rows of the same batch, and the inventory when there is no history', () => {
		const r = recordCounts(
			{
				counts: [
					{ 日期: '2026-03-02', 物品: '84消毒液', 盘点数: 30 },
					{ 日期: '2026-03-03', 物品: '84消毒液', 盘点数: 35 },
				],
				inventory,
			},
			opts,
		);
		expect(r.records[0]).toMatchObject({ previousCount: 40, previousDate: null, impliedUse: 10, flagged: false });
		expect(r.records[1]).toMatchObject({ previousCount: 30, previousDate: '2026-03-02', flagged: true });
	});

	it('reports inventory and history rows it cannot read', () => {
		const r = recordCounts(
			{
				counts: [{ 物品: '医用口罩', 盘点数: 1400 }],
				inventory: [...inventory, { 物品: '', 单位: '个' }],
				history: [{ 日期: '3月1日', 物品: '医用口罩', 盘点数: 1 }],
			},
			opts,
		);
		expect(r.problems.inventory).toEqual([expect.objectContaining({ row: 2, field: '物品' })]);
		expect(r.problems.history).toEqual([expect.objectContaining({ row: 0, field: '日期' })]);
		expect(r.records).toHaveLength(1);
	});

	it('rejects a bad default date and a blank count', () => {
		expect(() => recordCounts({ counts: [], inventory }, { date: 'today' })).toThrow(/not a date/);
		const r = recordCounts({ counts: [{ 物品: '医用口罩', 盘点数: '' }], inventory }, opts);
		expect(r.problems.counts[0]).toMatchObject({ field: '盘点数', message: 'The count is empty' });
	});
});
