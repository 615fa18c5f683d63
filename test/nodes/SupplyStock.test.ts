import { runInNewContext } from 'node:vm';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { SupplyStock } from '../../nodes/SupplyStock/SupplyStock.node';
import { makeContext } from '../helpers/context';

const node = new SupplyStock();

const inventory = [
	{ item: 'Masks', unit: 'pcs', onHand: 1200, packSize: 50, leadTimeDays: 7, targetCoverDays: 30, perPersonDailyUse: 2 },
	{},
	{ item: 'Gloves', unit: 'pairs', onHand: 'lots', packSize: 100, leadTimeDays: 7, targetCoverDays: 30 },
	{ item: 'Alcohol', unit: 'bottles', onHand: 500, packSize: 12, leadTimeDays: 3, targetCoverDays: 14, perPersonDailyUse: 0.05 },
];
const history = [
	{ date: '2026-02-24', item: 'Masks', count: 2000 },
	{ date: '2026-02-25', item: 'Masks', count: 1820 },
	{ date: '2026-02-26', item: 'Masks', count: 1640 },
	{ date: '2026-02-27', item: 'Masks', count: 1500 },
	{ date: '2026-02-28', item: 'Masks', count: 1360 },
	{ date: '2026-03-01', item: 'Masks', count: 1200 },
];
const headcount = [{ date: '2026-02-01', headcount: 80 }];

const params = (extra: IDataObject = {}): IDataObject => ({
	operation: 'evaluate',
	asOf: '2026-03-01',
	headcount: 0,
	serviceLevel: 95,
	options: {},
	columns: {},
	...extra,
});

async function run(parameters: IDataObject, inputs: IDataObject[][], continueOnFail = false) {
	const ctx = makeContext({ parameters, inputs, continueOnFail });
	const [out] = await node.execute.call(ctx);
	return out;
}

function byItem(out: INodeExecutionData[], name: string) {
	return out.find((o) => o.json.item === name);
}

describe('SupplyStock node: description', () => {
	const d = node.description;
	it('is a complete community node description', () => {
		expect(d).toMatchObject({ name: 'supplyStock', version: 1, usableAsTool: true, defaults: { name: 'Supply Stock' } });
		expect(d.icon).toEqual({ light: 'file:supplyStock.svg', dark: 'file:supplyStock.dark.svg' });
		const op = d.properties.find((p) => p.name === 'operation');
		expect(op?.noDataExpression).toBe(true);
		expect((op?.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['evaluate', 'recordCount', 'dailyReport']);
	});

	it('names its inputs by operation, with an expression that stands alone as Merge v3 does', () => {
		const expr = d.inputs as string;
		expect(expr.startsWith('={{(')).toBe(true);
		// Evaluate the function text alone, as n8n's editor does (no module scope available).
		const fn = (p: IDataObject) => runInNewContext(expr.slice(3, -2), { $parameter: p }) as IDataObject[];
		expect(fn({ operation: 'evaluate' }).map((i) => i.displayName)).toEqual(['Inventory', 'Count History', 'Headcount', 'Open Orders']);
		expect(fn({ operation: 'dailyReport' })).toHaveLength(4);
		expect(fn({ operation: 'recordCount' })).toEqual([
			{ type: 'main', required: true, displayName: 'New Counts' },
			{ type: 'main', required: false, displayName: 'Inventory' },
			{ type: 'main', required: false, displayName: 'Count History' },
		]);
	});
});

describe('SupplyStock node: Evaluate', () => {
	it('outputs one item per inventory row with status and a stable order key, paired to its row', async () => {
		const out = await run(params(), [inventory, history, headcount, []], true);
		const masks = byItem(out, 'Masks');
		expect(masks?.json).toMatchObject({
			status: 'reorder',
			forecastDailyUse: 160,
			dailyUseSd: 20,
			safetyStock: 87,
			reorderPoint: 1207,
			shouldOrder: true,
			orderQuantity: 3600,
			orderPacks: 72,
			orderKey: 'Masks@2026-03-01',
		});
		expect(masks?.json.row).toBeUndefined();
		expect(masks?.pairedItem).toEqual({ item: 0 });
		expect(byItem(out, 'Alcohol')?.pairedItem).toEqual({ item: 3 });
		// Every non-empty input row comes out: the bad one as an error item naming its row and column.
		const errors = out.filter((o) => o.json.error);
		expect(errors).toHaveLength(1);
		// n8n's error output shape: error and details only; n8n merges the paired input back in.
		expect(errors[0].json).toEqual({ error: 'Row 3, field "onHand": "lots" is not a number', details: { row: 3, field: 'onHand' } });
		expect(errors[0].pairedItem).toEqual({ item: 2 });
		// Flat scalar columns only, for a Data Table.
		const results = out.filter((o) => !o.json.error);
		expect(results).toHaveLength(2);
		for (const o of results) for (const v of Object.values(o.json)) expect(v === null || typeof v !== 'object').toBe(true);
	});

	it('throws a NodeOperationError naming the row and the column without continue on fail', async () => {
		await expect(run(params(), [inventory, history, headcount, []])).rejects.toThrow(
			/Row 3, field "onHand": "lots" is not a number/,
		);
	});

	it('does not trigger an item with an open order; error items keep the input they came from', async () => {
		const orders = [
			{ item: 'Masks', quantity: 3600, status: 'ordered', orderId: 'PO-7' },
			{ item: 'Masks', quantity: 10, status: 'lost' },
		];
		const out = await run(params(), [inventory.slice(0, 1), history, headcount, orders], true);
		expect(byItem(out, 'Masks')?.json).toMatchObject({ shouldOrder: false, onOrder: 3600, openOrders: 'PO-7', orderKey: '' });
		const err = out.find((o) => o.json.error);
		expect(err?.pairedItem).toEqual({ item: 1, input: 3 });
		expect(err?.json.details).toEqual({ row: 2, field: 'status' });
	});

	it('uses the headcount parameter when no headcount rows are connected, and unconnected inputs are empty', async () => {
		const ctx = makeContext({ parameters: params({ headcount: 80 }), inputs: [inventory.slice(3)] });
		const [out] = await node.execute.call(ctx);
		expect(out[0].json).toMatchObject({ item: 'Alcohol', useSource: 'per-person rate', headcountAhead: 80, forecastDailyUse: 4 });
		expect(String(out[0].json.warnings)).toMatch(/No count history/);
	});

	it('reads options: history window and assumed variation (percent)', async () => {
		const out = await run(params({ headcount: 80, options: { historyDays: 1, assumedVariation: 10 } }), [
			inventory.slice(0, 1),
			history,
		]);
		expect(out[0].json).toMatchObject({ measuredDays: 1, forecastDailyUse: 160, dailyUseSd: 16 });
	});

	it('maps custom column names', async () => {
		const out = await run(
			params({ headcount: 10, columns: { item: '名称', onHand: '现有' } }),
			[[{ 名称: '体温计', 单位: '支', 现有: 5, 每包数量: 10, 到货天数: 2, 目标天数: 10, 人均日用量: 0.1 }]],
		);
		expect(out[0].json).toMatchObject({ item: '体温计', onHand: 5, forecastDailyUse: 1, reorderPoint: 3, daysOfCover: 5, status: 'ok' });
	});

	it('turns a bad parameter into a node error naming it', async () => {
		await expect(run(params({ asOf: 'tomorrow' }), [inventory])).rejects.toThrow(/Field "asOf": "tomorrow" is not a date/);
		await expect(run(params({ serviceLevel: 20 }), [inventory])).rejects.toThrow(/Service level 20 is out of range/);
	});
});

describe('SupplyStock node: Record Count', () => {
	const rc = (extra: IDataObject = {}) => ({ operation: 'recordCount', date: '2026-03-02', keepOtherColumns: true, columns: {}, ...extra });

	it('passes good rows with their checks, flags a jump, and errors the rejected rows', async () => {
		const counts = [
			{ item: 'Masks', count: 1040, unit: 'pieces', countedBy: 'Ms Wang' },
			{ item: 'Masks', count: -1 },
			{ item: 'Masks', count: 9000 },
			{ item: 'Soap', count: 3 },
			{ item: 'Alcohol', count: 3, unit: 'boxes' },
		];
		const out = await run(rc(), [counts, inventory, history], true);
		const ok = out.filter((o) => !o.json.error);
		expect(ok.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(ok[0].json).toEqual({
			countedBy: 'Ms Wang',
			date: '2026-03-02',
			item: 'Masks',
			unit: 'pcs',
			count: 1040,
			received: 0,
			previousCount: 1200,
			previousDate: '2026-03-01',
			receivedSince: 0,
			impliedUse: 160,
			flagged: false,
			flag: '',
		});
		// A second count the same day is a recount: it follows the day before, not the first count.
		expect(ok[1].json).toMatchObject({ flagged: true, previousCount: 1200, previousDate: '2026-03-01' });
		const errs = out.filter((o) => o.json.error);
		expect(errs.map((o) => [o.pairedItem, (o.json.details as IDataObject).field])).toEqual([
			[{ item: 1 }, 'count'],
			[{ item: 3 }, 'item'],
			[{ item: 4 }, 'unit'],
			[{ item: 2, input: 1 }, 'onHand'],
		]);
	});

	it('stops at the first rejected row without continue on fail', async () => {
		await expect(run(rc(), [[{ item: 'Masks', count: -1 }], inventory.slice(0, 1)])).rejects.toThrow(/Row 1, field "count": A count cannot be negative/);
	});
});

describe('SupplyStock node: Daily Report', () => {
	it('outputs one item with the text, paired to every inventory row', async () => {
		const out = await run(params({ operation: 'dailyReport', language: 'zh-CN', onlyAttention: false }), [
			inventory.filter((r) => r.item !== 'Gloves'),
			history,
			headcount,
			[],
		]);
		expect(out).toHaveLength(1);
		const j = out[0].json;
		expect(j.title).toBe('物资库存日报（2026年3月1日）');
		expect(String(j.text)).toContain('【需补货】Masks：库存 1,200 pcs，可用 7.5 天（预计 3月9日用完），建议订购 3,600 pcs（72 包，每包 50）');
		expect(j.itemCount).toBe(2);
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('writes English when asked', async () => {
		const out = await run(params({ operation: 'dailyReport', language: 'en', onlyAttention: true }), [inventory.slice(0, 1), history, headcount]);
		expect(String(out[0].json.text)).toMatch(/^Supply stock report, 1 Mar 2026\n1 item: 1 to reorder, 0 ok\./);
	});
});

describe('SupplyStock node: nothing dropped without a word (issue 16)', () => {
	const orders = [{ item: 'Masks', quantity: 3600, status: 'ordered', orderId: 'PO-7' }];

	it('a missing column fails the whole dataset: under continue on fail every item of every input comes out', async () => {
		const noLeadTime = inventory.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'leadTimeDays')));
		const inputs = [noLeadTime, history, headcount, orders];
		const out = await run(params(), inputs, true);
		const paired = out.map((o) => o.pairedItem);
		const expected = inputs.flatMap((rows, input) =>
			rows.map((_, item) => (input ? { item, input } : { item })),
		);
		expect(paired).toEqual(expected);
		for (const o of out) {
			expect(o.json.error).toMatch(/^Field "到货天数": The inventory rows have no column "到货天数" or "lead time days" or "lead time"/);
			expect((o.json.details as IDataObject).field).toBe('到货天数');
		}
	});

	it('the same failure without continue on fail is one NodeOperationError naming the column', async () => {
		const noLeadTime = inventory.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'leadTimeDays')));
		await expect(run(params(), [noLeadTime, history])).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/no column "到货天数"/),
		});
	});

	it('Record Count: a missing count column pairs an error item with every item of its three inputs', async () => {
		const out = await run({ operation: 'recordCount', date: '2026-03-02', keepOtherColumns: true, columns: {} }, [
			[{ item: 'Masks', amount: 3 }],
			inventory,
			history,
		], true);
		expect(out).toHaveLength(1 + inventory.length + history.length);
		expect(out.filter((o) => (o.pairedItem as { input?: number }).input === 2)).toHaveLength(history.length);
	});

	it('a negative stock, an unlisted history row and an unlisted order each come out with their reason', async () => {
		const inv = [inventory[0], { ...inventory[3], onHand: -4 }];
		const hist = [...history, { date: '2026-03-01', item: 'Soap', count: 9 }];
		const ord = [{ item: 'Goggles', quantity: 5, status: 'ordered' }];
		const out = await run(params(), [inv, hist, headcount, ord], true);
		const errs = out.filter((o) => o.json.error);
		expect(errs.map((o) => [o.pairedItem, o.json.error])).toEqual([
			[{ item: 1 }, 'Row 2, field "onHand": On hand cannot be negative (-4)'],
			[{ item: 6, input: 1 }, 'Row 7, field "item": "Soap" is not in the inventory: this count is not used'],
			[{ item: 0, input: 3 }, 'Row 1, field "item": "Goggles" is not in the inventory: this order is not counted'],
		]);
		expect(byItem(out, 'Masks')?.json.status).toBe('reorder');
	});

	it('a count dated after the evaluation date and a recount are named in the warnings', async () => {
		const hist = [...history, { date: '2026-03-01', item: 'Masks', count: 1200 }, { date: '2026-03-05', item: 'Masks', count: 10 }];
		const out = await run(params(), [inventory.slice(0, 1), hist, headcount], true);
		const w = String(out[0].json.warnings);
		expect(w).toContain('count history row 8 is dated after the evaluation date 2026-03-01: not used');
		expect(w).toContain('Counted more than once on 2026-03-01: the later count of the day is used, count history row 6 not');
		expect(out[0].json).toMatchObject({ forecastDailyUse: 160, status: 'reorder' });
	});

	it('an evaluation date after today says so in each item and in the report', async () => {
		const p = params({ asOf: '2099-01-01', operation: 'dailyReport', language: 'en', onlyAttention: false });
		const out = await run(p, [inventory.slice(3), [], headcount]);
		expect(String(out[0].json.text)).toMatch(/Note: the evaluation date 2099-01-01 is \d+ days after today/);
		const items = await run(params({ asOf: '2099-01-01' }), [inventory.slice(3), [], headcount]);
		expect(String(items[0].json.warnings)).toMatch(/^The evaluation date 2099-01-01 is \d+ days after today/);
	});
});
