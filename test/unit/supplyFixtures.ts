/** The sample item and count history the Supply Stock unit tests share. */
import type { EvaluateOptions } from '../../nodes/SupplyStock/supply';

export const masks = {
	物品: '医用口罩',
	单位: '只',
	库存: 1500,
	每包数量: 50,
	到货天数: 7,
	目标天数: 30,
	人均日用量: 2,
};

/** Counts that give uses 180, 180, 140, 140, 160: mean 160, sample sd exactly 20. */
export const maskHistory = [
	{ 日期: '2026-02-24', 物品: '医用口罩', 盘点数: 2300 },
	{ 日期: '2026-02-25', 物品: '医用口罩', 盘点数: 2120 },
	{ 日期: '2026-02-26', 物品: '医用口罩', 盘点数: 1940 },
	{ 日期: '2026-02-27', 物品: '医用口罩', 盘点数: 1800 },
	{ 日期: '2026-02-28', 物品: '医用口罩', 盘点数: 1660 },
	{ 日期: '2026-03-01', 物品: '医用口罩', 盘点数: 1500 },
];

export const base: EvaluateOptions = { asOf: '2026-03-01', serviceLevel: 95, headcount: 80 };
