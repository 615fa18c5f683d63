/**
 * Supply Stock, Daily Report (日报): one message for the school leaders with each item, its
 * cover in days and what is on order, in Simplified Chinese or English. Pure TypeScript: no n8n
 * import.
 */
import type { EvaluateResult, ItemEvaluation, StockStatus } from './supply';

export type ReportLanguage = 'zh-CN' | 'en';

export interface ReportOptions {
	language: ReportLanguage;
	/** List only items that are not ok or have an open order (the rest as one count). */
	onlyAttention?: boolean;
}

export interface ReportLine {
	item: string;
	unit: string;
	status: StockStatus;
	statusLabel: string;
	onHand: number;
	daysOfCover: number | null;
	runOutDate: string | null;
	onOrder: number;
	openOrders: string;
	shouldOrder: boolean;
	orderQuantity: number;
	orderPacks: number;
	text: string;
}

export interface DailyReport {
	date: string;
	language: ReportLanguage;
	title: string;
	/** The ready-to-send message. */
	text: string;
	itemCount: number;
	stockoutCount: number;
	criticalCount: number;
	reorderCount: number;
	okCount: number;
	onOrderCount: number;
	/** Inventory rows left out because they could not be read. */
	problemCount: number;
	headcountAhead: number | null;
	lines: ReportLine[];
}

const SEVERITY: Record<StockStatus, number> = { stockout: 0, critical: 1, reorder: 2, ok: 3 };

const LABELS: Record<ReportLanguage, Record<StockStatus, string>> = {
	'zh-CN': { stockout: '缺货', critical: '紧急', reorder: '需补货', ok: '正常' },
	en: { stockout: 'STOCKOUT', critical: 'CRITICAL', reorder: 'REORDER', ok: 'OK' },
};

const FORMATS: Record<ReportLanguage, Intl.NumberFormat> = {
	'zh-CN': new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }),
	en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }),
};

function num(x: number, language: ReportLanguage): string {
	return FORMATS[language].format(x);
}

function zhDate(iso: string): string {
	return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function enDate(iso: string): string {
	return `${Number(iso.slice(8, 10))} ${EN_MONTHS[Number(iso.slice(5, 7)) - 1]}`;
}

function lineText(e: ItemEvaluation, language: ReportLanguage): string {
	const label = LABELS[language][e.status];
	const u = e.unit;
	if (language === 'zh-CN') {
		const parts = [`【${label}】${e.item}：库存 ${num(e.onHand, language)}${u ? ` ${u}` : ''}`];
		if (e.status === 'stockout') parts.push('已用完');
		else if (e.daysOfCover === null) parts.push('近期无消耗');
		else parts.push(`可用 ${num(e.daysOfCover, language)} 天${e.runOutDate ? `（预计 ${zhDate(e.runOutDate)}用完）` : ''}`);
		if (e.status === 'critical') parts.push(`到货需 ${e.leadTimeDays} 天`);
		if (e.onOrder > 0 || e.openOrders) {
			parts.push(`在途 ${num(e.onOrder, language)}${u ? ` ${u}` : ''}${e.openOrders ? `（订单 ${e.openOrders}）` : ''}`);
		}
		if (e.shouldOrder) {
			parts.push(`建议订购 ${num(e.orderQuantity, language)}${u ? ` ${u}` : ''}（${e.orderPacks} 包，每包 ${num(e.packSize, language)}）`);
		}
		return `${parts.join('，')}`;
	}
	const parts = [`[${label}] ${e.item}: ${num(e.onHand, language)}${u ? ` ${u}` : ''} on hand`];
	if (e.status === 'stockout') parts.push('run out');
	else if (e.daysOfCover === null) parts.push('no recent use');
	else parts.push(`${num(e.daysOfCover, language)} days of cover${e.runOutDate ? ` (runs out ${enDate(e.runOutDate)})` : ''}`);
	if (e.status === 'critical') parts.push(`delivery takes ${e.leadTimeDays} days`);
	if (e.onOrder > 0 || e.openOrders) {
		parts.push(`on order ${num(e.onOrder, language)}${u ? ` ${u}` : ''}${e.openOrders ? ` (${e.openOrders})` : ''}`);
	}
	if (e.shouldOrder) {
		parts.push(
			`order ${num(e.orderQuantity, language)}${u ? ` ${u}` : ''} (${e.orderPacks} pack${e.orderPacks === 1 ? '' : 's'} of ${num(e.packSize, language)})`,
		);
	}
	return parts.join('; ');
}

/** Builds the report from an evaluation: items most at risk first. */
export function dailyReport(result: EvaluateResult, date: string, options: ReportOptions): DailyReport {
	const language = options.language;
	const sorted = [...result.items].sort(
		(a, b) =>
			SEVERITY[a.status] - SEVERITY[b.status] ||
			(a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) ||
			a.row - b.row,
	);
	const tally = { stockout: 0, critical: 0, reorder: 0, ok: 0 };
	for (const e of sorted) tally[e.status]++;
	const onOrderCount = sorted.filter((e) => e.onOrder > 0 || e.openOrders !== '').length;
	const shown = options.onlyAttention
		? sorted.filter((e) => e.status !== 'ok' || e.onOrder > 0 || e.openOrders !== '')
		: sorted;
	const lines: ReportLine[] = shown.map((e) => ({
		item: e.item,
		unit: e.unit,
		status: e.status,
		statusLabel: LABELS[language][e.status],
		onHand: e.onHand,
		daysOfCover: e.daysOfCover,
		runOutDate: e.runOutDate,
		onOrder: e.onOrder,
		openOrders: e.openOrders,
		shouldOrder: e.shouldOrder,
		orderQuantity: e.orderQuantity,
		orderPacks: e.orderPacks,
		text: lineText(e, language),
	}));
	const problemCount = result.problems.inventory.length;
	const hidden = sorted.length - shown.length;
	const hc = result.headcountAhead;
	let title: string;
	const body: string[] = [];
	if (language === 'zh-CN') {
		title = `物资库存日报（${Number(date.slice(0, 4))}年${zhDate(date)}）`;
		const summary = [`共 ${sorted.length} 项`];
		const parts: string[] = [];
		if (tally.stockout) parts.push(`缺货 ${tally.stockout} 项`);
		if (tally.critical) parts.push(`紧急 ${tally.critical} 项`);
		if (tally.reorder) parts.push(`需补货 ${tally.reorder} 项`);
		parts.push(`正常 ${tally.ok} 项`);
		summary.push(`其中${parts.join('，')}`);
		if (onOrderCount) summary.push(`${onOrderCount} 项已在途`);
		body.push(`${summary.join('；')}。`);
		if (result.afterToday) {
			body.push(`注意：评估日期 ${result.asOf} 晚于今天（${result.afterToday.today}）${result.afterToday.days} 天，其间的盘点尚不存在。`);
		}
		if (hc !== null) body.push(`预计明日在校 ${num(hc, language)} 人。`);
		body.push('');
		for (const l of lines) body.push(l.text);
		if (hidden > 0) body.push(`另有 ${hidden} 项库存正常，未列出。`);
		if (problemCount > 0) body.push(`注意：${problemCount} 行库存数据有误，未纳入本报告。`);
	} else {
		title = `Supply stock report, ${enDate(date)} ${date.slice(0, 4)}`;
		const parts: string[] = [];
		if (tally.stockout) parts.push(`${tally.stockout} out of stock`);
		if (tally.critical) parts.push(`${tally.critical} critical`);
		if (tally.reorder) parts.push(`${tally.reorder} to reorder`);
		parts.push(`${tally.ok} ok`);
		let summary = `${sorted.length} item${sorted.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
		if (onOrderCount) summary += `; ${onOrderCount} on order`;
		body.push(`${summary}.`);
		if (result.afterToday) {
			const d = result.afterToday.days;
			body.push(`Note: the evaluation date ${result.asOf} is ${d} day${d === 1 ? '' : 's'} after today (${result.afterToday.today}); no count exists for the days between.`);
		}
		if (hc !== null) body.push(`Expected in school tomorrow: ${num(hc, language)} people.`);
		body.push('');
		for (const l of lines) body.push(l.text);
		if (hidden > 0) body.push(`${hidden} more item${hidden === 1 ? ' is' : 's are'} ok (not listed).`);
		if (problemCount > 0) {
			body.push(`Note: ${problemCount} inventory row${problemCount === 1 ? '' : 's'} could not be read and ${problemCount === 1 ? 'is' : 'are'} left out.`);
		}
	}
	return {
		date,
		language,
		title,
		text: [title, ...body].join('\n'),
		itemCount: sorted.length,
		stockoutCount: tally.stockout,
		criticalCount: tally.critical,
		reorderCount: tally.reorder,
		okCount: tally.ok,
		onOrderCount,
		problemCount,
		headcountAhead: hc,
		lines,
	};
}
