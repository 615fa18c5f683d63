/**
 * The Supply Stock ready-made workflows (Campus 20 daily count form, Campus 21 reorder trigger
 * with approval, Campus 22 daily stock report) imported and run in a real n8n, with the fake
 * DingTalk robot receiving the messages.
 */
import { n8n } from './client';
import {
	delay,
	loadSampleSchool,
	outputOf,
	sampleSchool,
	setSettings,
} from './harness';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText } from './robots';
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl } from '../../nodes/shared/links';
import { appJournal, formDriver, privateApproval, resetPrivate } from './forms';
/** Campus 21's approver in the sample school (School settings approverId T089, the logistics head). */
const APPROVER_USER_ID = String((sampleSchool().staff as Array<Record<string, unknown>>).find((s) => s.staffId === 'T089')?.userId);

const server = n8n();
const { openApproval, finishApproval, decideLink } = formDriver(server);
const PURCHASE_APPROVAL = '/form/campus-purchase-approval';
/** A logistics staff member's own supply count link (Campus 06 sends it each month), signed with the demo secret. */
const COUNTER = 'T089';
const countLink = (staffId = COUNTER): string => {
	const { claims, sig } = issueLink({ current: 'demo-link-secret-change-me' }, { purpose: 'supply-count', person: staffId }, Math.floor(Date.now() / 1000), 1);
	return linkUrl(`${server.url}/form/campus-supply-count`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
};




const allRows = (name: string) => server.rows(name);
async function clearTable(name: string): Promise<void> {
	await server.clearRows(name);
	expect(await allRows(name)).toEqual([]);
}

/** Saves School settings and starts the workflow as the editor does, without waiting for it. */
async function start(id: string, values: Record<string, string | number | boolean>): Promise<string> {
	return server.startRun(id, 'Schedule', await server.saveWorkflow(id, (wf) => setSettings(wf, values)));
}

/** Fills an n8n form as a browser does: answers by the rendered ids, then follows the waiting page. */
async function submitForm(url: string, answers: Record<string, string>): Promise<string> {
	let page = await fetch(url);
	for (let i = 0; page.status === 404 && i < 50; i++) {
		await delay(200);
		page = await fetch(url);
	}
	expect(page.status).toBe(200);
	const html = await page.text();
	const body = new FormData();
	for (const [k, v] of Object.entries(answers)) body.append(k, v);
	// The hidden fields the page filled from the link (who counts, the purpose, the expiry, the signature).
	for (const m of html.matchAll(/<input[^>]*type=['"]hidden['"][^>]*>/g)) {
		const name = /name=['"]([^'"]+)['"]/.exec(m[0])?.[1];
		if (name) body.append(name, (/value=['"]([^'"]*)['"]/.exec(m[0])?.[1] ?? '').replace(/&amp;/g, '&'));
	}
	const r = await fetch(url, { method: 'POST', body });
	let text = await r.text();
	const waiting = /"formWaitingUrl":"([^"]+)"/.exec(text)?.[1];
	if (waiting) {
		const status = waiting.replace('?', '/n8n-execution-status?');
		for (let i = 0; i < 100; i++) {
			const st = await (await fetch(status)).text();
			if (st === 'form-waiting' || st === 'success' || st === 'error') break;
			await delay(200);
		}
		text = await (await fetch(waiting, { signal: AbortSignal.timeout(60_000) })).text();
	}
	return text;
}

const SUPPLIES = sampleSchool().supplies as Array<Record<string, unknown> & { item: string; unit: string }>;
const DAY = '2026-03-06';
const DATES = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', DAY];
/** Six end-of-day counts an item: masks fall 160 a day (80 people at 2 a day) to 1,000, under 7 days of cover. */
const HISTORY: Record<string, number[]> = {
	医用口罩: [1800, 1640, 1460, 1320, 1160, 1000],
	'84消毒液': [60, 59, 58, 57, 56, 55],
	'75%酒精': [40, 39, 39, 38, 37, 37],
	额温枪: [12, 12, 12, 11, 11, 11],
	一次性手套: [800, 790, 779, 770, 760, 750],
};
const LOW = { asOf: DAY, headcountAhead: 80, serviceLevel: 95 };

async function loadStock(): Promise<void> {
	await clearTable('campus_inventory');
	await server.insertRows(
		'campus_inventory',
		SUPPLIES.map((s) => ({ ...s, onHand: HISTORY[s.item].at(-1) })),
	);
	await clearTable('campus_stock_counts');
	await server.insertRows(
		'campus_stock_counts',
		SUPPLIES.flatMap((s) =>
			DATES.map((date, i) => ({ date, item: s.item, unit: s.unit, count: HISTORY[s.item][i], received: 0, countedBy: '王师傅' })),
		),
	);
	await clearTable('campus_orders');
}

beforeAll(async () => {
	await loadSampleSchool(server);
}, 120_000);

beforeEach(async () => {
	await resetRobots();
});

describe('Campus 20 Daily supply count', () => {
	const counter = (sampleSchool().staff as Array<Record<string, unknown>>).find((x) => x.staffId === COUNTER)?.name;
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
	// field-0 item, field-1 count, field-2 unit, field-3 received today; who counts comes from the link.
	const count = (item: string, n: string, unit: string, received = '0') =>
		submitForm(countLink(), { 'field-0': item, 'field-1': n, 'field-2': unit, 'field-3': received });

	beforeAll(async () => {
		await clearTable('campus_inventory');
		await server.insertRows('campus_inventory', SUPPLIES);
		await clearTable('campus_stock_counts');
		await clearTable('campus_orders');
		await server.activate('campusSupplyCnt1');
	});

	afterAll(async () => {
		await server.deactivate('campusSupplyCnt1');
	});

	it('stores a valid count and makes it the stock on hand', async () => {
		const page = await count('84消毒液', '58', '瓶');
		expect(page).toContain('已记录 Recorded');
		expect(page).toContain('84消毒液 58 瓶');
		const rows = await allRows('campus_stock_counts');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ date: today, item: '84消毒液', unit: '瓶', count: 58, received: 0, countedBy: counter, flagged: false, previousCount: 60 });
		const inv = (await allRows('campus_inventory')).find((r) => r.item === '84消毒液');
		expect(inv?.onHand).toBe(58);
	});

	it.each([
		['a negative count', ['医用口罩', '-5', '个'], 'A count cannot be negative (-5)'],
		['an unknown item', ['N95口罩', '100', '个'], 'Unknown item "N95口罩": it is not in the inventory'],
		['a wrong unit', ['医用口罩', '30', '盒'], 'Unit "盒" does not match the inventory unit "个" of 医用口罩'],
	])('rejects %s with the reason on the page and stores nothing', async (_what, [item, n, unit], reason) => {
		const before = await allRows('campus_stock_counts');
		const page = await count(item, n, unit);
		expect(page).toContain('未记录 Not recorded');
		expect(page).toContain(reason);
		expect(page).not.toContain('已记录');
		expect(await allRows('campus_stock_counts')).toEqual(before);
		expect((await allRows('campus_inventory')).find((r) => r.item === '医用口罩')?.onHand).toBe(1500);
	});

	it('stores a jump with no receipt but flags it on the page', async () => {
		const page = await count('75%酒精', '100', '瓶');
		expect(page).toContain('已记录 Recorded');
		expect(page).toContain('请复核 Please check: Count rose by 60 瓶');
		const row = (await allRows('campus_stock_counts')).find((r) => r.item === '75%酒精');
		expect(row).toMatchObject({ count: 100, flagged: true });
	});

	it('a delivery entered as received closes the item\'s open order', async () => {
		await server.insertRows('campus_orders', [
			{ orderKey: `一次性手套@${today}`, item: '一次性手套', unit: '副', quantity: 3000, packs: 30, status: 'ordered' },
		]);
		const page = await count('一次性手套', '3700', '副', '3000');
		expect(page).toContain('已记录 Recorded');
		expect(page).not.toContain('请复核');
		const order = (await allRows('campus_orders')).find((r) => r.item === '一次性手套');
		expect(order).toMatchObject({ status: 'received', receivedAt: today });
	});
});

describe('Campus 21 Reorder trigger', () => {
	const WF = 'campusReorder021';

	/** Starts the morning run and returns it once it waits for the deadline, with the link and message the approver alone received. */
	async function startAndWait(extra: Record<string, string | number> = {}): Promise<{ id: string; link: string; text: string }> {
		await resetPrivate();
		const id = await start(WF, { ...LOW, approvalWaitMinutes: 240, approvalFormUrl: `${server.url}${PURCHASE_APPROVAL}`, ...extra });
		const waiting = await server.waitForExecution(id, 90_000, ['waiting', 'success', 'error', 'crashed', 'canceled']);
		// It waits for the deadline (a wait of under a minute runs to its end in place).
		expect([waiting.status, waiting.error]).toEqual([extra.approvalWaitMinutes ? expect.stringMatching(/^(waiting|success)$/) : 'waiting', undefined]);
		const { to, link } = await privateApproval(PURCHASE_APPROVAL, id);
		expect(new URL(link).searchParams.get('id')).toBe('T089');
		// The approver (School settings approverId, T089 in the sample school) alone; no group.
		const sent = (await appJournal()).filter((d) => JSON.stringify(d.body).includes(PURCHASE_APPROVAL));
		expect(sent.map((d) => d.to)).toEqual([APPROVER_USER_ID]);
		expect(to).toBe(APPROVER_USER_ID);
		expect(await dingtalkMessages()).toEqual([]);
		return { id, link, text: JSON.stringify(sent[0].body) };
	}

	beforeAll(async () => {
		await server.activate(WF);
	});
	afterAll(async () => {
		await server.deactivate(WF);
	});

	beforeEach(async () => {
		await loadStock();
	});

	it('asks for approval of the masks running low; a preview GET changes nothing; approving writes one order', async () => {
		const { id, link, text } = await startAndWait();
		expect(text).toContain('医用口罩');
		expect(text).toContain('紧急 critical');
		expect(text).toMatch(/Order 3800 个 [（(]76 包 packs of 50[）)]/);
		for (const other of ['84消毒液', '75%酒精', '额温枪', '一次性手套']) expect(text).not.toContain(other);
		// The request is recorded as pending while it waits, so a re-run cannot ask twice.
		expect(await allRows('campus_orders')).toEqual([
			expect.objectContaining({ orderKey: `医用口罩@${DAY}`, status: 'pending', quantity: 3800, packs: 76, requestId: id }),
		]);

		// A chat app's link preview: GET shows the first page only and decides nothing.
		const preview = await fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' } });
		expect(preview.status).toBe(200);
		expect(await preview.text()).not.toContain('3800');
		expect((await allRows('campus_orders'))[0].status).toBe('pending');

		const { page } = await decideLink(link, 'Approve', '同意');
		expect(page).toContain('医用口罩: 3800 个');
		const approver = (sampleSchool().staff as Array<Record<string, unknown>>).find((x) => x.staffId === 'T089')?.name;
		expect(page).toContain(`审批人 Approver: ${approver}`);
		const orders = await allRows('campus_orders');
		expect(orders).toHaveLength(1);
		expect(orders[0]).toMatchObject({ orderKey: `医用口罩@${DAY}`, item: '医用口罩', quantity: 3800, packs: 76, status: 'ordered', comment: '同意', approverId: 'T089', approverName: approver });
		expect(String(orders[0].approvedAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
		// The link again: "Already decided", nothing changes.
		const replayed = await openApproval(link);
		await finishApproval(replayed);
		expect(replayed.page).toContain('Already decided');
		expect((await allRows('campus_orders'))[0].status).toBe('ordered');

		// A second run the same day: the order is open, nothing is asked or ordered again.
		await resetRobots();
		const again = await server.run(WF, 'Schedule', { patch: (wf) => setSettings(wf, LOW) });
		expectSuccess(again);
		const masks = outputOf(again, 'Evaluate stock').find((e) => e.item === '医用口罩');
		expect(masks).toMatchObject({ status: 'critical', shouldOrder: false, onOrder: 3800 });
		expect(again.nodes['Send privately']).toBeUndefined();
		expect(await dingtalkMessages()).toEqual([]);
		expect(await allRows('campus_orders')).toHaveLength(1);
	});

	it('declined: no order, and the item is not requested again the same day', async () => {
		const { link } = await startAndWait();
		await decideLink(link, 'Decline', '下周统一采购');
		const orders = await allRows('campus_orders');
		expect(orders).toHaveLength(1);
		expect(orders[0]).toMatchObject({ orderKey: `医用口罩@${DAY}`, status: 'declined', comment: '下周统一采购', approvedAt: '' });

		await resetRobots();
		const again = await server.run(WF, 'Schedule', { patch: (wf) => setSettings(wf, LOW) });
		expectSuccess(again);
		// A declined request is closed, so Evaluate would order again; the recorded key stops it today.
		expect(outputOf(again, 'Evaluate stock').find((e) => e.item === '医用口罩')).toMatchObject({ shouldOrder: true });
		expect(outputOf(again, 'Not requested yet')).toEqual([]);
		expect(await dingtalkMessages()).toEqual([]);
		expect(await allRows('campus_orders')).toHaveLength(1);
	});

	it('no answer in time: recorded as expired, nothing ordered', async () => {
		const { id, link } = await startAndWait({ approvalWaitMinutes: 0.02 });
		expectSuccess(await server.waitForExecution(id, 150_000));
		const orders = await allRows('campus_orders');
		expect(orders).toHaveLength(1);
		expect(orders[0]).toMatchObject({ status: 'expired', comment: 'no answer in time', approvedAt: '' });
		// The approver's link after the deadline decides nothing.
		const late = await openApproval(link);
		await finishApproval(late);
		expect(late.page).toMatch(/Already decided|Link not valid/);
		expect((await allRows('campus_orders'))[0].status).toBe('expired');
	}, 240_000);
});

describe('Campus 22 Daily stock report', () => {
	it('sends the leaders each item with its days of cover and what is on order, once a day', async () => {
		await loadStock();
		await server.insertRows('campus_orders', [
			{ orderKey: `医用口罩@${DAY}`, item: '医用口罩', unit: '个', quantity: 3800, packs: 76, status: 'ordered' },
		]);
		await clearTable('campus_reminders');
		const run = () => server.run('campusStockRpt22', 'Schedule', { patch: (wf) => setSettings(wf, LOW) });
		const result = await run();
		expectSuccess(result);
		const report = outputOf(result, 'Daily stock report')[0] as { lines: Array<Record<string, unknown>>; text: string };
		const messages = await dingtalkMessages();
		expect(messages).toHaveLength(1);
		const text = visibleText(messages[0]);
		expect(text).toContain('物资库存日报（2026年3月6日）');
		expect(text).toContain('预计明日在校 80 人');
		for (const s of SUPPLIES) {
			const line = report.lines.find((l) => l.item === s.item) as Record<string, unknown>;
			expect(line).toBeDefined();
			const shown = text.split('\n').find((l) => l.includes(`${s.item}：`));
			expect([s.item, shown]).toEqual([s.item, expect.stringMatching(/可用 [\d.,]+ 天/)]);
		}
		expect(text).toMatch(/【紧急】医用口罩：库存 1,000 个，可用 6\.2 天.*在途 3,800 个（订单 医用口罩@2026-03-06）/);

		await resetRobots();
		expectSuccess(await run());
		expect(await dingtalkMessages()).toEqual([]);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'stock-report')).toHaveLength(1);
	});
});
