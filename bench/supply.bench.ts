// Supply Stock speed: Evaluate 500 items with 365 days of count history in the domain module
// (target < 50 ms), from the raw table rows as the node receives them.
// Run: node bench/run-ts.js bench/supply.bench.ts
import { measure } from './timing';
import { evaluate, evaluateTables, readTables } from '../nodes/SupplyStock/supply';
import { recordCounts } from '../nodes/SupplyStock/supplyRecord';
import { dailyReport } from '../nodes/SupplyStock/supplyReport';
import { cpus, loadavg } from 'os';
import { isoOfDay, dayOfIso } from '../nodes/SupplyStock/supplyDates';

const ITEMS = 500;
const DAYS = 365;
const asOf = '2026-06-30';
const asOfDay = dayOfIso(asOf);

let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const inventory: Array<Record<string, unknown>> = [];
const orders: Array<Record<string, unknown>> = [];
// One row per item per day, date by date, as a daily count form appends them to a Data Table.
const perDay: Array<Array<Record<string, unknown>>> = Array.from({ length: DAYS + 1 }, () => []);
for (let i = 0; i < ITEMS; i++) {
	const item = `物品${String(i).padStart(3, '0')}`;
	const perPerson = 0.05 + rand() * 2;
	let stock = Math.round(perPerson * 1200 * 20);
	// 365 days of use: DAYS + 1 counts; a receipt when stock falls under 10 days.
	for (let d = DAYS; d >= 0; d--) {
		const day = asOfDay - d;
		const hc = day < asOfDay - 120 ? 80 : 1200;
		const use = Math.max(0, Math.round(perPerson * hc * (0.7 + rand() * 0.6)));
		let received = 0;
		if (stock - use < perPerson * hc * 10) received = Math.round(perPerson * hc * 30);
		stock = Math.max(0, stock - use) + received;
		perDay[DAYS - d].push({ 日期: isoOfDay(day), 物品: item, 盘点数: stock, 入库数: received || '' });
	}
	// A mix of states today: every third item is low, every eleventh is out.
	const onHand = i % 11 === 0 ? 0 : i % 3 === 0 ? Math.round(perPerson * 1200 * (2 + (i % 9))) : stock;
	inventory.push({
		物品: item,
		单位: '只',
		库存: onHand,
		每包数量: 50,
		到货天数: 3 + (i % 12),
		目标天数: 30,
		人均日用量: perPerson,
	});
	if (i % 10 === 0) orders.push({ 物品: item, 数量: 500, 状态: i % 20 === 0 ? '已到货' : '已下单', 订单号: `PO-${i}` });
}
const history = perDay.flat();
const headcount = [
	{ 日期: isoOfDay(asOfDay - DAYS - 1), 人数: 80 },
	{ 日期: isoOfDay(asOfDay - 120), 人数: 1200 },
	{ 日期: isoOfDay(asOfDay + 10), 人数: 80 },
	{ 日期: isoOfDay(asOfDay + 70), 人数: 1200 },
];
const newCounts = inventory.map((r) => ({ 物品: r.物品, 盘点数: Number(r.库存) - 100, 单位: '只' }));

function time(label: string, target: number, fn: () => unknown, count: (r: unknown) => number): void {
	measure(label, target, fn, { count, unit: 'results', decimals: 1 });
}

// How fast this machine is right now (it is shared): 10 million trivial loop steps.
{
	const t0 = process.hrtime.bigint();
	let x = 0;
	for (let k = 0; k < 1e7; k++) x += k & 7;
	process.stdout.write(`machine check: 1e7 loop steps in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms${x > 0 ? '' : '!'}\n`);
}
process.stdout.write(
	`${ITEMS} items, ${history.length} history rows over ${DAYS} days, ${orders.length} order rows; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`,
);
const tables = { inventory, history, headcount, orders };
const base = { asOf, serviceLevel: 95 };
const items = (r: unknown) => (r as ReturnType<typeof evaluate>).items.length;
time(`evaluate ${ITEMS} items, all ${DAYS} days of history (rows in, results out)`, 50, () => evaluate(tables, { ...base, historyDays: 0 }), items);
const read = readTables(tables);
time(`  of which reading the ${history.length} rows`, 50, () => readTables(tables), () => history.length);
time(`  of which computing, on tables already read`, 50, () => evaluateTables(read, { ...base, historyDays: 0 }), items);
time(`evaluate ${ITEMS} items, 30-day window (default)`, 50, () => evaluate(tables, base), items);
time(
	`daily report ${ITEMS} items, all history`,
	50,
	() => dailyReport(evaluate(tables, { ...base, historyDays: 0 }), asOf, { language: 'zh-CN' }),
	(r) => (r as ReturnType<typeof dailyReport>).lines.length,
);
time(
	`record count ${ITEMS} rows against ${history.length} history rows`,
	100,
	() => recordCounts({ counts: newCounts, inventory, history }, { date: isoOfDay(asOfDay + 1) }),
	(r) => (r as ReturnType<typeof recordCounts>).records.length,
);
const check = evaluate(tables, { ...base, historyDays: 0 });
const tally: Record<string, number> = {};
for (const e of check.items) tally[e.status] = (tally[e.status] ?? 0) + 1;
process.stdout.write(
	`statuses: ${JSON.stringify(tally)}; to order: ${check.items.filter((e) => e.shouldOrder).length}; problems: ${check.problems.inventory.length + check.problems.history.length}\n`,
);
