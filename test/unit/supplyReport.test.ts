import { evaluate } from '../../nodes/SupplyStock/supply';
import { dailyReport } from '../../nodes/SupplyStock/supplyReport';

const inventory = [
	{ item: 'Thermometers', unit: '支', onHand: 40, packSize: 10, leadTime: 5, targetCover: 30, perPersonDailyUse: 0.01 },
	{ item: '医用口罩', unit: '只', onHand: 1120, packSize: 50, leadTime: 7, targetCover: 30, perPersonDailyUse: 2 },
	{ item: '84消毒液', unit: '瓶', onHand: 0, packSize: 12, leadTime: 3, targetCover: 14, perPersonDailyUse: 0.05 },
	{ item: '手套', unit: '副', onHand: 300, packSize: 100, leadTime: 7, targetCover: 30, perPersonDailyUse: 1 },
];
const orders = [{ item: '手套', quantity: 2400, status: 'ordered', orderId: 'PO-12' }];
const options = { asOf: '2026-03-02', serviceLevel: 95, headcount: 80, assumedVariation: 0 };

describe('Daily Report', () => {
	const result = evaluate({ inventory, orders }, options);

	it('writes the Chinese report, most at risk first, with cover and what is on order', () => {
		const r = dailyReport(result, '2026-03-02', { language: 'zh-CN' });
		expect(r.text).toBe(
			[
				'物资库存日报（2026年3月2日）',
				'共 4 项；其中缺货 1 项，紧急 1 项，需补货 1 项，正常 1 项；1 项已在途。',
				'预计明日在校 80 人。',
				'',
				'【缺货】84消毒液：库存 0 瓶，已用完，建议订购 60 瓶（5 包，每包 12）',
				'【紧急】手套：库存 300 副，可用 3.7 天（预计 3月6日用完），到货需 7 天，在途 2,400 副（订单 PO-12）',
				'【需补货】医用口罩：库存 1,120 只，可用 7 天（预计 3月9日用完），建议订购 3,700 只（74 包，每包 50）',
				'【正常】Thermometers：库存 40 支，可用 50 天（预计 4月21日用完）',
			].join('\n'),
		);
		expect(r).toMatchObject({ itemCount: 4, stockoutCount: 1, criticalCount: 1, reorderCount: 1, okCount: 1, onOrderCount: 1 });
		expect(r.lines.map((l) => l.statusLabel)).toEqual(['缺货', '紧急', '需补货', '正常']);
	});

	it('writes the English report', () => {
		const r = dailyReport(result, '2026-03-02', { language: 'en' });
		expect(r.text.split('\n')).toEqual([
			'Supply stock report, 2 Mar 2026',
			'4 items: 1 out of stock, 1 critical, 1 to reorder, 1 ok; 1 on order.',
			'Expected in school tomorrow: 80 people.',
			'',
			'[STOCKOUT] 84消毒液: 0 瓶 on hand; run out; order 60 瓶 (5 packs of 12)',
			'[CRITICAL] 手套: 300 副 on hand; 3.7 days of cover (runs out 6 Mar); delivery takes 7 days; on order 2,400 副 (PO-12)',
			'[REORDER] 医用口罩: 1,120 只 on hand; 7 days of cover (runs out 9 Mar); order 3,700 只 (74 packs of 50)',
			'[OK] Thermometers: 40 支 on hand; 50 days of cover (runs out 21 Apr)',
		]);
	});

	it('can list only the items needing attention, and notes unreadable rows', () => {
		const withBad = evaluate({ inventory: [...inventory, { item: 'x', onHand: 'n/a', leadTime: 1, targetCover: 1 }], orders }, options);
		const zh = dailyReport(withBad, '2026-03-02', { language: 'zh-CN', onlyAttention: true });
		expect(zh.lines).toHaveLength(3);
		expect(zh.text).toContain('另有 1 项库存正常，未列出。');
		expect(zh.text).toContain('注意：1 行库存数据有误，未纳入本报告。');
		const en = dailyReport(withBad, '2026-03-02', { language: 'en', onlyAttention: true });
		expect(en.text).toContain('1 more item is ok (not listed).');
		expect(en.text).toContain('Note: 1 inventory row could not be read and is left out.');
	});

	it('says when nothing is used', () => {
		const r = evaluate({ inventory: [{ ...inventory[0], perPersonDailyUse: 0 }] }, options);
		expect(dailyReport(r, '2026-03-02', { language: 'zh-CN' }).lines[0].text).toBe('【正常】Thermometers：库存 40 支，近期无消耗');
		expect(dailyReport(r, '2026-03-02', { language: 'en' }).lines[0].text).toBe('[OK] Thermometers: 40 支 on hand; no recent use');
	});
});
