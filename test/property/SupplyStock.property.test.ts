/** Supply Stock through the property suite (see harness.ts for what is checked). */
import type { IDataObject } from 'n8n-workflow';
import { SupplyStock } from '../../nodes/SupplyStock/SupplyStock.node';
import { describeNode, type NodeSpec } from './harness';

const inventory = [
	{ item: 'Masks', unit: 'pcs', onHand: 1200, packSize: 50, leadTimeDays: 7, targetCoverDays: 30, perPersonDailyUse: 2 },
	{ 物品: '医用口罩', 单位: '只', 库存: 1500, 每包数量: 50, 到货天数: 7, 目标天数: 30, 人均日用量: 2 },
	{ item: 'Alcohol', unit: 'bottles', onHand: 500, packSize: 12, leadTimeDays: 3, targetCoverDays: 14, perPersonDailyUse: 0.05 },
];
const history = [
	{ date: '2026-02-27', item: 'Masks', count: 1500 },
	{ date: '2026-02-28', item: 'Masks', count: 1360, received: 0 },
	{ date: '2026-03-01', item: 'Masks', count: 1200 },
	{ date: '2026-03-01', item: 'Alcohol', received: 24 },
];
const headcount = [{ date: '2026-02-01', headcount: 80 }];
const orders = [{ item: 'Masks', quantity: 3600, status: 'ordered', orderId: 'PO-7' }];
const counts = [{ item: 'Masks', count: 1040, unit: 'pcs', countedBy: 'Ms Wang' }];

/** Item names compared as the node does: width, case and spaces ignored. */
const key = (v: unknown) => String(v ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
const itemOf = (row: IDataObject) => row.item ?? row.物品;

export const supplySpec: NodeSpec = {
	title: 'Supply Stock',
	node: new SupplyStock(),
	params: (operation) =>
		operation === 'recordCount' ? { date: '2026-03-02' } : { asOf: '2026-03-01', headcount: 80, serviceLevel: 95 },
	samples: (operation) =>
		operation === 'recordCount' ? [counts, inventory, history] : [inventory, history, headcount, orders],
	// Evaluate and Daily Report: a history or order row comes out as an error item, or belongs to an
	// inventory item (its figures use it). Headcount rows apply to every item. Record Count's
	// inventory and history are reference tables for the counts.
	alsoAccounted: (operation, input, row, inputs) => {
		if (operation === 'recordCount' || input === 2) return true;
		const listed = new Set(inputs[0].map((r) => key(itemOf(r))));
		return listed.has(key(itemOf(row)));
	},
};

describeNode(supplySpec);
