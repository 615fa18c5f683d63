/**
 * Issue 19, tried as a user with bad intent would, against the ready-made workflows in a real
 * n8n: changed and borrowed links, links for another form, replays, expired links, chat previews,
 * self-approval and markup in a visitor's name. Prints a table: attack, workflow, refused or not.
 * What is not refused yet is an it.failing with its reason (and says so in the table).
 */
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl, type LinkSecrets } from '../../nodes/shared/links';
import { ACCOUNT_APPROVAL, IT_LEAD, planUntilAsked, publishProvisioning, runOf, WF_PROVISION } from './account-approval';
import { n8n } from './client';
import { answersTo, appJournal, formDriver, mailbox, messagesUntil, pathOf, privateApproval, resetPrivate, rosterSeat, shanghaiDate, shanghaiIso } from './forms';
import { delay, loadSampleSchool, sampleSchool, setSettings, type WorkflowJson } from './harness';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText, type DingMessage } from './robots';
import { executionsRaceInThisTest } from './run-log';

const server = n8n();
const { postForm, openLink, submitLink, submitAtOnce, openApproval, finishApproval, decideLink } = formDriver(server);
const VISIT_APPROVAL = '/form/campus-visitor-approval';
const LEAVE_APPROVAL = '/form/campus-leave-approval';
const SWAP_APPROVAL = '/form/campus-swap-approval';
const PREVIEW = { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' };
// The demo credential's secret (workflows/data), as the gate test uses it.
const SECRETS: LinkSecrets = { current: 'demo-link-secret-change-me' };
const staff = sampleSchool().staff as Array<Record<string, string>>;
const byId = new Map(staff.map((s) => [s.staffId, s]));
const CADRE = 'T009';
const RESIDENT = 'T089';
const ADMIN = 'T001';
const CHECKIN_FORM = () => `${server.url}/form/campus-health-checkin`;
const MOVEMENT_FORM = () => `${server.url}/form/campus-leave-movement`;
const CHECKIN_ANSWERS = { 'field-0': '36.5', 'field-1': JSON.stringify(['无 None']), 'field-2': '校内' };
const now = () => Math.floor(Date.now() / 1000);

interface Row {
	attack: string;
	workflow: string;
	result: string;
}
const table: Row[] = [];
const record = (attack: string, workflow: string, refused: boolean, note = '') =>
	table.push({ attack, workflow, result: (refused ? 'refused' : 'NOT refused') + (note ? ` (${note})` : '') });
/** A positive path: the bound person succeeds (once). */
const recordAllowed = (what: string, workflow: string, ok: boolean, note = '') =>
	table.push({ attack: what, workflow, result: (ok ? 'allowed' : 'NOT allowed') + (note ? ` (${note})` : '') });

function link(form: string, purpose: string, person: string, extra: { date?: string; slot?: string } = {}, at = now(), hours = 1): string {
	const { claims, sig } = issueLink(SECRETS, { purpose, person, ...extra }, at, hours);
	return linkUrl(form, claims, sig);
}

const checkinsOf = async (id: string) => (await server.rows('campus_checkins')).filter((r) => r.reporterId === id);

beforeAll(async () => {
	await loadSampleSchool(server);
	for (const t of ['campus_checkins', 'campus_reminders', 'campus_visitors', 'campus_leave', 'campus_movements', 'campus_roster', 'campus_swaps']) {
		await server.clearRows(t);
	}
	const h = (n: number) => shanghaiIso(new Date(Date.now() + n * 3600_000));
	await server.insertRows('campus_roster', [
		// Visits in the week of 2026-12-07: the duty cadre decides.
		rosterSeat(byId.get(CADRE)!, 'Duty cadre', 'cadre', '2026-12-07T07:30:00+08:00', '2026-12-11T17:30:00+08:00'),
		// Now: the resident who asks for leave is the rostered cadre himself; an administrator is on duty too.
		rosterSeat(byId.get(RESIDENT)!, 'Duty cadre', 'cadre', h(-6), h(12)),
		rosterSeat(byId.get(ADMIN)!, 'Administrator on duty', 'admin', h(-6), h(12)),
	]);
	await approvalFormsHere('campusVisitReq01', VISIT_APPROVAL);
	await approvalFormsHere('campusLeaveReq01', LEAVE_APPROVAL);
	await approvalFormsHere('campusDutySwap01', SWAP_APPROVAL);
	for (const wf of ['campusHealthForm', 'campusMoveLog001', 'campusVisitReq01', 'campusLeaveReq01', 'campusGateReg001', 'campusDutySwap01']) await server.activate(wf);
	await resetRobots();
}, 180_000);

/** Points a workflow's approval links at this test server's approval form. */
async function approvalFormsHere(id: string, formPath: string): Promise<void> {
	await server.saveWorkflow(id, (wf) => setSettings(wf, { approvalFormUrl: `${server.url}${formPath}` }));
}

afterAll(async () => {
	for (const wf of ['campusHealthForm', 'campusMoveLog001', 'campusVisitReq01', 'campusLeaveReq01', 'campusGateReg001', 'campusDutySwap01']) {
		await server.deactivate(wf).catch(() => undefined);
	}
	const width = (k: keyof Row) => Math.max(k.length, ...table.map((r) => r[k].length));
	const line = (r: Row) => `| ${r.attack.padEnd(width('attack'))} | ${r.workflow.padEnd(width('workflow'))} | ${r.result.padEnd(width('result'))} |`;
	const head = { attack: 'attack', workflow: 'workflow', result: 'result' };
	console.log(
		['Security suite (issue 19)', line(head), line({ attack: '-', workflow: '-', result: '-' }).replace(/ /g, '-'), ...table.map(line)].join('\n'),
	);
});

describe('personal links (Campus 01 check-in, Campus 43 movement log)', () => {
	it('a tampered signature is refused and stores nothing', async () => {
		const id = staff[30].staffId;
		const url = new URL(link(CHECKIN_FORM(), 'checkin', id));
		const sig = url.searchParams.get('sig') as string;
		url.searchParams.set('sig', sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A'));
		const page = await submitLink(url.toString(), CHECKIN_ANSWERS);
		record('tampered signature', 'Campus 01', page.includes('链接无效') && (await checkinsOf(id)).length === 0);
		expect(page).toContain('链接无效');
		expect(await checkinsOf(id)).toEqual([]);
	});

	it("someone's link with another person's ID is refused", async () => {
		const mine = staff[31].staffId;
		const victim = staff[32].staffId;
		const url = new URL(link(CHECKIN_FORM(), 'checkin', mine));
		url.searchParams.set('id', victim);
		const page = await submitLink(url.toString(), CHECKIN_ANSWERS);
		record('a link for another person', 'Campus 01', page.includes('链接无效') && (await checkinsOf(victim)).length === 0);
		expect(page).toContain('链接无效');
		expect(await checkinsOf(victim)).toEqual([]);
	});

	it('a link made for another form is refused (a movement link on the check-in form, and back)', async () => {
		const id = staff[33].staffId;
		const moveOnCheckin = link(CHECKIN_FORM(), 'leave-movement', id, { date: shanghaiDate(new Date()), slot: 'exit' });
		const page = await submitLink(moveOnCheckin, CHECKIN_ANSWERS);
		const refused01 = page.includes('链接无效') && (await checkinsOf(id)).length === 0;
		record('a link for another form', 'Campus 01', refused01);
		expect(page).toContain('链接无效');
		expect(page).toContain('[foreign]');

		const area = String((sampleSchool().areas as Array<Record<string, string>>)[0].areaId);
		const disinfection = await submitLink(link(CHECKIN_FORM(), 'disinfection', area), CHECKIN_ANSWERS);
		record('a link for another form (disinfection)', 'Campus 01', disinfection.includes('[foreign]') && (await checkinsOf(area)).length === 0);
		expect(disinfection).toContain('[foreign]');

		const checkinOnMoves = link(MOVEMENT_FORM(), 'checkin', 'L-anything', { date: shanghaiDate(new Date()), slot: 'exit' });
		const page43 = await submitLink(checkinOnMoves, { 'field-0': '', 'field-1': '' });
		record('a link for another form', 'Campus 43', page43.includes('Link not valid'));
		expect(page43).toContain('Link not valid');
		expect(await checkinsOf(id)).toEqual([]);
	});

	it("a reminder's link works once: the replay is refused", async () => {
		const id = staff[34].staffId;
		const url = link(CHECKIN_FORM(), 'checkin', id, { date: shanghaiDate(new Date()), slot: 'Morning' }, now(), 24);
		const first = await submitLink(url, CHECKIN_ANSWERS);
		expect(first).toContain('已记录');
		const again = await submitLink(url, { ...CHECKIN_ANSWERS, 'field-0': '36.9' });
		const rows = await checkinsOf(id);
		record('replay after use', 'Campus 01', again.includes('链接已使用') && rows.length === 1);
		expect(again).toContain('链接已使用');
		expect(rows).toHaveLength(1);
	});

	it('an expired link is refused with its reason', async () => {
		const id = staff[35].staffId;
		const url = link(CHECKIN_FORM(), 'checkin', id, {}, now() - 7200, 1);
		const page = await submitLink(url, CHECKIN_ANSWERS);
		record('expired link', 'Campus 01', page.includes('链接无效') && (await checkinsOf(id)).length === 0);
		expect(page).toContain('链接无效');
		expect(page).toContain('[expired]');
		expect(await checkinsOf(id)).toEqual([]);
	});

	it("a chat app's preview (GET) of a personal link stores nothing", async () => {
		const id = staff[36].staffId;
		const url = link(CHECKIN_FORM(), 'checkin', id, { date: shanghaiDate(new Date()), slot: 'Afternoon' });
		const r = await fetch(url, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' } });
		expect(r.status).toBe(200);
		await delay(1000);
		const rows = await checkinsOf(id);
		const used = (await server.rows('campus_reminders')).filter((x) => String(x.recipient) === id && x.kind === 'link-use');
		record('GET from a link preview', 'Campus 01', rows.length === 0 && used.length === 0);
		expect(rows).toEqual([]);
		expect(used).toEqual([]);
	});

	it("the gate register refuses anyone without a guard's gate link", async () => {
		await resetRobots();
		const arrival = { 'field-0': '闯入者', 'field-1': '36.5', 'field-2': '', 'field-3': '' };
		const bare = await postForm('/form/campus-gate-register', arrival);
		// A teacher's own check-in link, opened on the register.
		const teacher = await submitLink(link(`${server.url}/form/campus-gate-register`, 'checkin', staff[10].staffId), arrival);
		const rows = (await server.rows('campus_gate_register')).filter((r) => r.visitorName === '闯入者');
		const refused = bare.page.includes('Link not valid') && teacher.includes('Link not valid') && rows.length === 0;
		record("the gate register without a guard's link", 'Campus 41', refused);
		expect(bare.page).toContain('Link not valid');
		expect(teacher).toContain('Link not valid');
		expect(rows).toEqual([]);
		await delay(500);
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('a link valid forever cannot be made: with validity 0 Campus 06 signs and sends nothing', async () => {
		await resetRobots();
		const setValidity = (hours: number) => (wf: WorkflowJson) => {
			const sign = wf.nodes.find((n) => n.name === 'Sign each link');
			if (sign) sign.parameters.validHours = hours;
		};
		try {
			const result = await server.run('campusLinksSend1', 'Run once', { patch: setValidity(0) });
			// Sign each link sends refused items to its error output (unconnected): nothing goes on.
			const [signed = [], refused = []] = result.nodes['Sign each link']?.[0] ?? [];
			await delay(500);
			const sent = (await dingtalkMessages()).length;
			const ok = signed.length === 0 && refused.length > 0 && refused.every((i) => /must expire/.test(String(i.error))) && sent === 0;
			record('a link that never expires (validity 0)', 'Campus 06', ok, `${refused.length} refused`);
			expect(signed).toEqual([]);
			expect(refused.length).toBe(staff.length);
			expect(String(refused[0].error)).toMatch(/validHours.*must expire|must expire/);
			expect(sent).toBe(0);
		} finally {
			await server.saveWorkflow('campusLinksSend1', setValidity(744));
		}
	});
});

describe('single use under concurrent submissions (Campus 01 reminder, Campus 43 exit and return, Campus 51 read)', () => {
	// The same link pressed AT ONCE, as a double tap, a slow network retrying, or a leaked link replayed in parallel.
	const AT_ONCE = 5;
	const atOnce = (url: string, answers: Record<string, string>) => {
		executionsRaceInThisTest();
		return submitAtOnce(url, answers, AT_ONCE);
	};
	const count = (pages: string[], text: string) => pages.filter((p) => p.includes(text)).length;

	it(`a reminder's link sent ${AT_ONCE} times at once stores one check-in; every other answer is "Link already used"`, async () => {
		const id = staff[37].staffId;
		const url = link(CHECKIN_FORM(), 'checkin', id, { date: shanghaiDate(new Date()), slot: 'Evening' }, now(), 24);
		const pages = await atOnce(url, CHECKIN_ANSWERS);
		const rows = await checkinsOf(id);
		const used = count(pages, '链接已使用');
		const stored = count(pages, '已记录');
		const uses = (await server.rows('campus_reminders')).filter((x) => x.kind === 'link-use' && String(x.recipient) === id);
		record(`replay at once (${AT_ONCE} submissions)`, 'Campus 01', rows.length === 1 && stored === 1 && used === AT_ONCE - 1, `${rows.length} stored`);
		expect([rows.length, stored, used]).toEqual([1, 1, AT_ONCE - 1]);
		expect(uses).toHaveLength(1);
		// And after the burst, once more: still refused.
		expect(await submitLink(url, CHECKIN_ANSWERS)).toContain('链接已使用');
		expect(await checkinsOf(id)).toHaveLength(1);
	});

	it('with a slow store (a pause between writing the claim and reading the claims back, as on a busy worker), still one', async () => {
		// Every claim is written before any is read back: only the first one goes on, whichever execution reads first.
		const WF = 'campusHealthForm';
		const between = (wf: WorkflowJson, from: string, to: string, via?: WorkflowJson['nodes'][number]) => {
			const c = wf.connections as Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
			wf.nodes = wf.nodes.filter((n) => n.name !== 'Slow store');
			delete c['Slow store'];
			if (via) wf.nodes.push(via);
			c[from].main[0] = [{ node: via ? via.name : to, type: 'main', index: 0 }];
			if (via) c[via.name] = { main: [[{ node: to, type: 'main', index: 0 }]] };
		};
		const pause = { id: 'slow-store', name: 'Slow store', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [770, -560], parameters: { amount: 1, unit: 'seconds' } };
		await server.deactivate(WF);
		await server.saveWorkflow(WF, (wf) => between(wf, 'Claim the use', 'First claim of the link', pause));
		await server.activate(WF);
		try {
			const id = staff[39].staffId;
			const pages = await atOnce(link(CHECKIN_FORM(), 'checkin', id, { date: shanghaiDate(new Date()), slot: 'Morning' }, now(), 24), CHECKIN_ANSWERS);
			const rows = await checkinsOf(id);
			const uses = (await server.rows('campus_reminders')).filter((x) => x.kind === 'link-use' && String(x.recipient) === id);
			record(`replay at once (${AT_ONCE} submissions, slow store)`, 'Campus 01', rows.length === 1 && count(pages, '链接已使用') === AT_ONCE - 1, `${rows.length} stored`);
			expect([rows.length, count(pages, '已记录'), count(pages, '链接已使用'), uses.length]).toEqual([1, 1, AT_ONCE - 1, 1]);
		} finally {
			await server.deactivate(WF);
			await server.saveWorkflow(WF, (wf) => between(wf, 'Claim the use', 'First claim of the link'));
			await server.activate(WF);
		}
	});

	it(`an exit link, then a return link, sent ${AT_ONCE} times at once log one exit and one return; every other answer is "already logged"`, async () => {
		const leave = 'L-at-once';
		const me = byId.get(RESIDENT)!;
		await server.insertRows('campus_leave', [
			{ requestId: leave, staffId: RESIDENT, name: me.name, status: 'approved', expectedReturn: shanghaiIso(new Date(Date.now() + 6 * 3600_000)) },
		]);
		const moves = async () => (await server.rows('campus_movements')).filter((r) => r.requestId === leave);
		const day = shanghaiDate(new Date());
		const results: Record<string, number[]> = {};
		for (const slot of ['exit', 'return'] as const) {
			const pages = await atOnce(link(MOVEMENT_FORM(), 'leave-movement', leave, { date: day, slot }), { 'field-0': '', 'field-1': '' });
			const logged = (await moves()).filter((r) => r.direction === slot && r.status === 'logged');
			const rejected = (await moves()).filter((r) => r.direction === slot && r.status === 'rejected');
			results[slot] = [logged.length, count(pages, slot === 'exit' ? 'Your exit is logged' : 'Your return is logged'), count(pages, 'already logged'), rejected.length];
			record(`replay at once (${AT_ONCE} ${slot} submissions)`, 'Campus 43', logged.length === 1 && results[slot][2] === AT_ONCE - 1, `${logged.length} logged`);
		}
		// One logged row and one "logged" page; the others say "already logged" and are kept as rejected rows.
		expect(results).toEqual({ exit: [1, 1, AT_ONCE - 1, AT_ONCE - 1], return: [1, 1, AT_ONCE - 1, AT_ONCE - 1] });
		for (const r of (await moves()).filter((x) => x.status === 'rejected')) expect(String(r.error)).toContain('already logged');
		const rows = await server.rows('campus_leave');
		expect(rows.find((r) => r.requestId === leave)).toMatchObject({ status: 'back' });
	});

	it(`a notice's read link pressed ${AT_ONCE} times at once records one receipt; every other answer is "nothing changed"`, async () => {
		const notice = 'N-at-once';
		const reader = staff[38];
		await server.insertRows('campus_notices', [
			{ noticeId: notice, title: '演练通知 Drill', status: 'open', deadline: shanghaiIso(new Date(Date.now() + 3600_000)), senderId: ADMIN },
		]);
		await server.activate('campusNoticeRead');
		try {
			const { claims, sig } = issueLink(SECRETS, { purpose: 'notice-read', person: reader.staffId, request: notice }, now(), 1);
			const pages = await atOnce(linkUrl(`${server.url}/form/campus-notice-read`, claims, sig), { 'field-0': JSON.stringify(['是 Yes']) });
			const receipts = (await server.rows('campus_notice_receipts')).filter((r) => r.receiptKey === `read|${notice}|${reader.staffId}`);
			const recorded = count(pages, '已记录');
			const unchanged = count(pages, 'nothing changed');
			record(`replay at once (${AT_ONCE} presses)`, 'Campus 51', receipts.length === 1 && recorded === 1 && unchanged === AT_ONCE - 1, `${receipts.length} stored`);
			expect([receipts.length, recorded, unchanged]).toEqual([1, 1, AT_ONCE - 1]);
			expect(receipts[0]).toMatchObject({ kind: 'read', status: 'confirmed', staffId: reader.staffId, name: reader.name });
		} finally {
			await server.deactivate('campusNoticeRead').catch(() => undefined);
		}
	});
});

describe('approvals (Campus 40 visitor, Campus 42 leave)', () => {
	const visit = (name: string) => ({
		'field-0': name,
		'field-1': '13812345678',
		'field-2': 'ACME',
		'field-3': '送货 delivery',
		'field-4': '2026-12-09',
		'field-5': '11:00',
		'field-6': '王老师',
	});
	const visitor = async (name: string) => (await server.rows('campus_visitors')).find((r) => r.visitorName === name) as Record<string, unknown>;

	/** Who received an approval link of this form, privately (chat user ids, mail:<address>). */
	const linkRecipients = async (formPath: string): Promise<string[]> => [
		...(await appJournal()).filter((d) => JSON.stringify(d.body).includes(formPath)).map((d) => d.to),
		...(await mailbox()).filter((m) => m.text.includes(formPath)).map((m) => `mail:${m.to.join()}`),
	];
	const groupHasLink = async (formPath: string) => (await dingtalkMessages()).some((m) => JSON.stringify(m.body).includes(formPath));

	it("markup in a visitor's name never reaches the approver as a mention, link or heading; a replay after decline changes nothing", async () => {
		await resetRobots();
		await resetPrivate();
		const name = '@所有人 [点我](http://evil.example/x) <at user_id="all">所有人</at>';
		const { executionId } = await postForm('/form/campus-visitor-request', visit(name));
		const { to, link } = await privateApproval(VISIT_APPROVAL, executionId);
		const sent = (await appJournal()).filter((d) => d.to === to);
		const text = JSON.stringify(sent.map((d) => d.body));
		const clean = !/@所有人|\[点我\]|http:\/\/evil|<at /.test(text);
		record("markup in a visitor's name", 'Campus 40', clean);
		expect(text).toContain('所有人'); // the name is still shown, as plain text
		expect(text).not.toMatch(/@所有人|\[点我\]|http:\/\/evil|<at /);

		// The cadre declines; the link again, and the decision page again with "Approve", change nothing.
		const opened = await openApproval(link);
		await finishApproval(opened, { 'field-0': 'Decline', 'field-1': 'no' });
		expect((await visitor(name)).status).toBe('declined');
		const again = await openApproval(link);
		const form = new FormData();
		form.append('field-0', 'Approve');
		form.append('field-1', 'replay');
		const replay = await server.raw('POST', pathOf(opened.next), form);
		await finishApproval(again);
		await delay(1000);
		const still = (await visitor(name)).status;
		const guardsTold = (await dingtalkMessages()).some((m) => visibleText(m).includes('Visitor approved'));
		const refused = again.page.includes('Already decided') && still === 'declined' && !guardsTold;
		record('replay after decline', 'Campus 40', refused, `"Already decided"; the used decision page answers HTTP ${replay.status}`);
		expect(again.page).toContain('Already decided');
		expect(still).toBe('declined');
		expect(guardsTold).toBe(false);
	});

	it("a chat app's preview (GET) of an approval link decides nothing and shows nothing personal", async () => {
		await resetPrivate();
		const { executionId } = await postForm('/form/campus-visitor-request', visit('预览访客'));
		const { link } = await privateApproval(VISIT_APPROVAL, executionId);
		const before = (await server.executions('campusVisitReq01')).length;
		const r = await fetch(link, { headers: PREVIEW });
		expect(r.status).toBe(200);
		const html = await r.text();
		await delay(1000);
		const pending = (await visitor('预览访客')).status === 'pending';
		const noRun = (await server.executions('campusVisitReq01')).length === before;
		record('GET from a link preview', 'Campus 40', pending && noRun && !html.includes('13812345678'));
		expect(pending).toBe(true);
		expect(noRun).toBe(true);
		expect(html).not.toContain('13812345678');
		await decideLink(link, 'Decline');
	});

	it('an approval link decided twice at the same moment is decided once: one decision, one "Already decided", the guards told once', async () => {
		await resetRobots();
		await resetPrivate();
		const { executionId } = await postForm('/form/campus-visitor-request', visit('并发访客'));
		const { link } = await privateApproval(VISIT_APPROVAL, executionId);
		const [a, b] = [await openApproval(link), await openApproval(link)];
		expect([a.page, b.page]).toEqual([expect.stringContaining('Decision'), expect.stringContaining('Decision')]);
		executionsRaceInThisTest();
		const pages = await Promise.all([a, b].map((opened) => finishApproval(opened, { 'field-0': 'Approve', 'field-1': 'ok' })));
		await delay(1000);
		const row = await visitor('并发访客');
		const guardsTold = (await dingtalkMessages()).filter((m) => visibleText(m).includes('Visitor approved')).length;
		const decidedOnce = pages.filter((p) => p.includes('Already decided')).length === 1 && row.status === 'approved' && guardsTold === 1;
		record('two decisions at once (the conditional update on status pending)', 'Campus 40', decidedOnce);
		expect(pages.filter((p) => p.includes('Already decided'))).toHaveLength(1);
		expect(row.status).toBe('approved');
		expect(guardsTold).toBe(1);
	});

	it('an approval link made for another approver, or with a changed signature or request, is refused before any detail is shown', async () => {
		await resetPrivate();
		const { executionId } = await postForm('/form/campus-visitor-request', visit('绑定访客'));
		const { link } = await privateApproval(VISIT_APPROVAL, executionId);
		expect(new URL(link).searchParams.get('id')).toBe(CADRE);
		// A correctly signed link for this request, made for the administrator instead of the cadre asked.
		const { claims, sig } = issueLink(SECRETS, { purpose: 'visit-approval', person: ADMIN, request: executionId }, now(), 1);
		const other = await openApproval(linkUrl(`${server.url}${VISIT_APPROVAL}`, claims, sig));
		await finishApproval(other);
		const otherRefused = other.page.includes('Link not valid') && other.page.includes('[foreign]') && !other.page.includes('13812345678');
		record('a link for another approver', 'Campus 40', otherRefused);
		expect(other.page).toContain('[foreign]');
		expect(other.page).not.toContain('13812345678');

		const tampered = new URL(link);
		const s0 = tampered.searchParams.get('sig') as string;
		tampered.searchParams.set('sig', s0.slice(0, -1) + (s0.endsWith('A') ? 'B' : 'A'));
		const bad = await openApproval(tampered.toString());
		await finishApproval(bad);
		const moved = new URL(link);
		moved.searchParams.set('request', String(Number(executionId) + 1000));
		const elsewhere = await openApproval(moved.toString());
		await finishApproval(elsewhere);
		const sigRefused = bad.page.includes('[tampered]') && elsewhere.page.includes('Link not valid') && !bad.page.includes('13812345678');
		record('tampered signature (approval link)', 'Campus 40', sigRefused);
		record("the approver's link for another request", 'Campus 40', elsewhere.page.includes('Link not valid'));
		expect(bad.page).toContain('[tampered]');
		expect(elsewhere.page).toContain('Link not valid');
		expect((await visitor('绑定访客')).status).toBe('pending');
		await decideLink(link, 'Decline');
	});

	const leaveAnswers = (time: string) => ({
		'field-0': '市区',
		'field-1': '事假',
		'field-2': shanghaiDate(new Date(Date.now() + 86400_000)),
		'field-3': time,
	});
	const leaveLink = (staffId: string) => {
		const { claims, sig } = issueLink(SECRETS, { purpose: 'leave-request', person: staffId }, now(), 1);
		return linkUrl(`${server.url}/form/campus-leave-request`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
	};
	const askLeave = (time = '20:00') => openLink(leaveLink(RESIDENT), leaveAnswers(time));
	const leaveOf = async (id: string) => (await server.rows('campus_leave')).find((r) => r.requestId === id) as Record<string, unknown>;

	it('when the rostered cadre is the requester, the next person on the roster is asked, and the record says so', async () => {
		await resetRobots();
		await resetPrivate();
		const { executionId } = await askLeave();
		const { to, link } = await privateApproval(LEAVE_APPROVAL, executionId);
		const admin = byId.get(ADMIN)!;
		const me = byId.get(RESIDENT)!;
		const recipients = await linkRecipients(LEAVE_APPROVAL);
		await delay(500);
		const note = String((await leaveOf(executionId)).comment);
		const ok = to === admin.userId && recipients.length === 1 && !recipients.includes(me.userId) && note.includes('the next person on the roster') && !(await groupHasLink(LEAVE_APPROVAL));
		record('self-approval: the rostered approver is the requester', 'Campus 42', ok);
		expect(to).toBe(admin.userId);
		expect(recipients).toEqual([admin.userId]);
		expect(new URL(link).searchParams.get('id')).toBe(ADMIN);
		expect(note).toContain(`the next person on the roster, ${admin.name}`);
		const { page } = await decideLink(link, 'Decline', 'no');
		expect(page).toContain(`审批人 Approver: ${admin.name}`);
		expect(await leaveOf(executionId)).toMatchObject({ status: 'declined', approverName: admin.name });
		expect(String((await leaveOf(executionId)).comment)).toContain('no');
		// The answer goes to the requester alone; no group hears it.
		const answer = (await answersTo(me.userId, 1)).filter((a) => a.text.includes('not approved'));
		const groupHeard = (await dingtalkMessages()).some((m) => visibleText(m).includes('not approved') || visibleText(m).includes(me.name));
		record('the answer (and exit/return links) posted to a group', 'Campus 42', answer.length === 1 && !groupHeard, 'sent to the requester privately');
		expect(answer).toHaveLength(1);
		expect(groupHeard).toBe(false);
	});

	// Formerly an it.failing: the card went to the staff group and n8n's Wait form took any POST.
	it('self-approval: the requester never receives the approval link, and no link they can make decides', async () => {
		await resetRobots();
		await resetPrivate();
		const { executionId } = await askLeave('21:30');
		const { link } = await privateApproval(LEAVE_APPROVAL, executionId);
		const me = byId.get(RESIDENT)!;
		const received = (await linkRecipients(LEAVE_APPROVAL)).some((r) => r === me.userId || r === `mail:${me.email}`);
		const inGroup = await groupHasLink(LEAVE_APPROVAL);
		// The requester's own (valid) leave link, presented on the approval form for their request.
		const own = new URL(leaveLink(RESIDENT));
		const forged = new URL(`${server.url}${LEAVE_APPROVAL}`);
		for (const k of ['purpose', 'exp', 'sig']) forged.searchParams.set(k, own.searchParams.get(k) as string);
		forged.searchParams.set('id', RESIDENT);
		forged.searchParams.set('request', executionId);
		const mine = await openApproval(forged.toString());
		await finishApproval(mine);
		// The approver's link with the requester's ID in it.
		const swapped = new URL(link);
		swapped.searchParams.set('id', RESIDENT);
		const borrowed = await openApproval(swapped.toString());
		await finishApproval(borrowed);
		const leave = await leaveOf(executionId);
		const refused = !received && !inGroup && mine.page.includes('Link not valid') && borrowed.page.includes('Link not valid') && leave.status === 'pending';
		record('self-approval: the requester decides their own leave', 'Campus 42', refused);
		expect(received).toBe(false);
		expect(inGroup).toBe(false);
		expect(mine.page).toContain('Link not valid');
		expect(borrowed.page).toContain('Link not valid');
		expect(leave.status).toBe('pending');
		await decideLink(link, 'Decline');
	});

	it('an approver who asks for email (reachBy) gets the link by email alone', async () => {
		await resetPrivate();
		const admin = byId.get(ADMIN)!;
		const rows = staff.map((r) => (r.staffId === ADMIN ? { ...r, reachBy: 'email' } : r));
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', rows);
		try {
			const { executionId } = await askLeave('22:00');
			const { to, link } = await privateApproval(LEAVE_APPROVAL, executionId);
			const recipients = await linkRecipients(LEAVE_APPROVAL);
			record('the approval link to anyone but the approver (email)', 'Campus 42', to === `mail:${admin.email}` && recipients.length === 1);
			expect(to).toBe(`mail:${admin.email}`);
			expect(recipients).toEqual([`mail:${admin.email}`]);
			await decideLink(link, 'Decline');
			expect((await leaveOf(executionId)).approverName).toBe(admin.name);
		} finally {
			await server.clearRows('campus_staff');
			await server.insertRows('campus_staff', staff);
		}
	});

	it("a leave request in a colleague's name is refused: without a link, or with their ID on my link", async () => {
		await resetRobots();
		const count = (await server.rows('campus_leave')).length;
		const bare = await postForm('/form/campus-leave-request', { ...leaveAnswers('21:00'), staffId: 'T090' });
		const url = new URL(leaveLink(RESIDENT));
		url.searchParams.set('staffId', 'T090');
		const borrowed = await submitLink(url.toString(), leaveAnswers('21:00'));
		const stored = (await server.rows('campus_leave')).length;
		const refused = bare.page.includes('Link not valid') && borrowed.includes('Link not valid') && stored === count;
		record("a request in a colleague's name", 'Campus 42', refused);
		expect(bare.page).toContain('Link not valid');
		expect(borrowed).toContain('Link not valid');
		expect(stored).toBe(count);
		await delay(500);
		expect(await dingtalkMessages()).toEqual([]);
	});
});

describe('names in group reminders (Campus 02 digest, issue 19 point 4)', () => {
	it("markup in a staff member's name or department never reaches the group as a mention, link or heading; the personal link stays", async () => {
		await resetRobots();
		await server.clearRows('campus_reminders');
		const hostile = {
			...byId.get('T050')!,
			staffId: 'T990',
			name: '<at user_id="all">所有人</at> @所有人 [点我](http://evil.example/x)',
			department: '# 停课 @all',
			roles: '',
			userId: 'all',
			mobile: '13900000990',
		};
		await server.insertRows('campus_staff', [hostile]);
		const result = await server
			.run('campusMissedChk1', 'Schedule', {
				patch: (wf: WorkflowJson) => setSettings(wf, { asOf: '2026-11-24T09:40:00+08:00', formUrl: CHECKIN_FORM() }),
			})
			.finally(async () => {
				// The other test files share this n8n: the staff table goes back to the sample school.
				await server.clearRows('campus_staff');
				await server.insertRows('campus_staff', staff);
				await server.clearRows('campus_reminders');
			});
		expect(result.error).toBeUndefined();
		const sent = await messagesUntil((m) => m.some((x) => visibleText(x).includes('T990')), 'the digest naming T990');
		const text = sent.map(visibleText).join('\n');
		const atAll = sent.some((m) => (m.body as DingMessage['body'] & { at?: { isAtAll?: boolean } }).at?.isAtAll);
		const ids = sent.flatMap((m) => (m.body as DingMessage['body'] & { at?: { atUserIds?: string[] } }).at?.atUserIds ?? []);
		const clean = !/<at |@所有人|@all|\[点我\]|http:\/\/evil|\n# /.test(text) && !atAll && !ids.includes('all');
		record("markup in a staff member's name (digest)", 'Campus 02', clean);
		expect(text).toContain('所有人'); // shown, as plain text
		expect(text).not.toMatch(/<at |@所有人|@all|\[点我\]|http:\/\/evil|\n# /);
		expect(atAll).toBe(false);
		expect(ids).not.toContain('all');
		// The person's own link on this n8n stays whole, so the reminder still works.
		expect(text).toContain(`点此补报 ${CHECKIN_FORM()}?id=T990&`);
	});
});

describe('duty swaps (Campus 12)', () => {
	const colleague = () => staff.find((x) => x.staffId !== ADMIN && String(x.roles).split(',').includes('admin'))!;
	const answers = () => ({
		'field-0': shanghaiDate(new Date()),
		'field-1': 'Administrator on duty',
		'field-2': colleague().staffId,
		'field-3': '',
		'field-4': '-',
		'field-5': '-',
		'field-6': '家中有事',
	});
	const swapLink = (staffId: string) => {
		const { claims, sig } = issueLink(SECRETS, { purpose: 'duty-swap', person: staffId }, now(), 1);
		return linkUrl(`${server.url}/form/campus-duty-swap`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
	};
	const swapOf = async (id: string) => (await server.rows('campus_swaps')).find((r) => r.requestId === id) as Record<string, unknown>;
	const swapRecipients = async (): Promise<string[]> => [
		...(await appJournal()).filter((d) => JSON.stringify(d.body).includes(SWAP_APPROVAL)).map((d) => d.to),
		...(await mailbox()).filter((m) => m.text.includes(SWAP_APPROVAL)).map((m) => `mail:${m.to.join()}`),
	];

	it("a swap in a colleague's name is refused: a bare form with a typed ID, or their ID on my link", async () => {
		await resetRobots();
		const count = (await server.rows('campus_swaps')).length;
		const bare = await postForm('/form/campus-duty-swap', { ...answers(), staffId: ADMIN });
		const url = new URL(swapLink(RESIDENT));
		url.searchParams.set('staffId', ADMIN);
		const borrowed = await submitLink(url.toString(), answers());
		const stored = (await server.rows('campus_swaps')).length;
		record('anonymous POST of the swap form (typed staff ID)', 'Campus 12', bare.page.includes('Link not valid') && stored === count);
		record("a swap in a colleague's name (their ID on my link)", 'Campus 12', borrowed.includes('Link not valid') && stored === count);
		expect(bare.page).toContain('Link not valid');
		expect(borrowed).toContain('[tampered]');
		expect(stored).toBe(count);
		await delay(500);
		expect(await dingtalkMessages()).toEqual([]);
		expect(await swapRecipients()).toEqual([]);
	});

	it('the administrator on duty who asks never approves: the link goes to the next person alone, and only that link decides, once', async () => {
		await resetRobots();
		await resetPrivate();
		const me = byId.get(ADMIN)!;
		const next = byId.get(RESIDENT)!; // the duty cadre on duty today: the next person on the roster
		const { page, executionId } = await openLink(swapLink(ADMIN), answers());
		expect(page).toContain('Sent for approval');
		expect(await swapOf(executionId)).toMatchObject({ status: 'pending', requesterId: ADMIN, colleagueId: colleague().staffId });
		const { to, link } = await privateApproval(SWAP_APPROVAL, executionId);
		const recipients = await swapRecipients();
		const inGroup = JSON.stringify(await dingtalkMessages()).includes(SWAP_APPROVAL);
		const routed = to === next.userId && recipients.length === 1 && !recipients.includes(me.userId) && !recipients.includes(colleague().userId) && !inGroup;
		record('self-approval: the administrator on duty asks for a swap', 'Campus 12', routed);
		expect(recipients).toEqual([next.userId]);
		expect(new URL(link).searchParams.get('id')).toBe(RESIDENT);
		expect(inGroup).toBe(false);

		// A chat app's preview (GET) of the approval link: nothing changes, no detail is shown.
		const before = (await server.executions('campusDutySwap01')).length;
		const preview = await fetch(link, { headers: PREVIEW });
		const html = await preview.text();
		await delay(1000);
		const quiet = (await swapOf(executionId)).status === 'pending' && (await server.executions('campusDutySwap01')).length === before && !html.includes('家中有事');
		record('GET from a link preview', 'Campus 12', quiet);
		expect(quiet).toBe(true);

		// The requester presses "their own" approval: their swap link on the approval form, or the approver's link with their ID.
		const own = new URL(swapLink(ADMIN));
		const forged = new URL(`${server.url}${SWAP_APPROVAL}`);
		for (const k of ['purpose', 'exp', 'sig']) forged.searchParams.set(k, own.searchParams.get(k) as string);
		forged.searchParams.set('id', ADMIN);
		forged.searchParams.set('request', executionId);
		const mine = await openApproval(forged.toString());
		await finishApproval(mine);
		const swapped = new URL(link);
		swapped.searchParams.set('id', ADMIN);
		const borrowed = await openApproval(swapped.toString());
		await finishApproval(borrowed);
		const selfRefused = mine.page.includes('Link not valid') && borrowed.page.includes('Link not valid') && !borrowed.page.includes('家中有事');
		record('self-approval: the requester decides their own swap', 'Campus 12', selfRefused);
		expect(mine.page).toContain('Link not valid');
		expect(borrowed.page).toContain('Link not valid');

		// A correctly signed link for this swap, made for the colleague instead of the approver asked.
		const { claims, sig } = issueLink(SECRETS, { purpose: 'swap-approval', person: colleague().staffId, request: executionId }, now(), 1);
		const other = await openApproval(linkUrl(`${server.url}${SWAP_APPROVAL}`, claims, sig));
		await finishApproval(other);
		record('a link for another approver', 'Campus 12', other.page.includes('[foreign]') && !other.page.includes('家中有事'));
		expect(other.page).toContain('[foreign]');
		expect(other.page).not.toContain('家中有事');

		const tampered = new URL(link);
		const s0 = tampered.searchParams.get('sig') as string;
		tampered.searchParams.set('sig', s0.slice(0, -1) + (s0.endsWith('A') ? 'B' : 'A'));
		const bad = await openApproval(tampered.toString());
		await finishApproval(bad);
		record('tampered signature (approval link)', 'Campus 12', bad.page.includes('[tampered]') && !bad.page.includes('家中有事'));
		expect(bad.page).toContain('[tampered]');
		expect((await swapOf(executionId)).status).toBe('pending');

		// The bound approver decides, once; the record names them.
		const { page: decision } = await decideLink(link, 'Decline', 'no');
		expect(decision).toContain(`审批人 Approver: ${next.name}`);
		const decided = await swapOf(executionId);
		recordAllowed('the bound approver decides', 'Campus 12', decided.status === 'declined' && decided.approverName === next.name, 'once; the record names them');
		expect(decided).toMatchObject({ status: 'declined', approverId: RESIDENT, approverName: next.name });

		// Replay after the decision: "Already decided", nothing changes.
		const again = await openApproval(link);
		await finishApproval(again);
		const still = await swapOf(executionId);
		const rosterSeats = (await server.rows('campus_roster')).filter((r) => r.duty === 'Administrator on duty').map((r) => r.personId);
		record('replay after decline', 'Campus 12', again.page.includes('Already decided') && still.status === 'declined' && rosterSeats.includes(ADMIN));
		expect(again.page).toContain('Already decided');
		expect(still.status).toBe('declined');
		expect(rosterSeats).toContain(ADMIN);
	});
});

describe('supplies (Campus 20 count, Campus 21 purchase approval)', () => {
	const COUNTER = 'T089'; // logistics
	const TEACHER = 'T010';
	const PURCHASE_APPROVAL = '/form/campus-purchase-approval';
	const countLink = (staffId: string, purpose = 'supply-count') => {
		const { claims, sig } = issueLink(SECRETS, { purpose, person: staffId }, now(), 1);
		return linkUrl(`${server.url}/form/campus-supply-count`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
	};
	const COUNT = { 'field-0': '84消毒液', 'field-1': '57', 'field-2': '瓶', 'field-3': '0' };
	const counts = async () => (await server.rows('campus_stock_counts')).length;
	const onHand = async () => (await server.rows('campus_inventory')).find((r) => r.item === '84消毒液')?.onHand;

	beforeAll(async () => {
		await server.clearRows('campus_stock_counts');
		await server.clearRows('campus_orders');
		await server.activate('campusSupplyCnt1');
	});
	afterAll(async () => {
		await server.deactivate('campusSupplyCnt1').catch(() => undefined);
	});

	it("the supply count records nothing without the logistics staff member's own link", async () => {
		const [n0, stock0] = [await counts(), await onHand()];
		const bare = await postForm('/form/campus-supply-count', { ...COUNT, staffId: COUNTER });
		const mine = new URL(countLink(COUNTER));
		mine.searchParams.set('staffId', 'T088');
		const borrowed = await submitLink(mine.toString(), COUNT);
		// A correctly signed link of this person, made for another form (their leave request link).
		const other = await submitLink(countLink(COUNTER, 'leave-request'), COUNT);
		// A correctly signed count link for someone who is not logistics staff.
		const teacher = await submitLink(countLink(TEACHER), COUNT);
		const before = (await server.executions('campusSupplyCnt1')).length;
		const preview = await fetch(countLink(COUNTER), { headers: PREVIEW });
		expect(preview.status).toBe(200);
		await delay(1000);
		const noRun = (await server.executions('campusSupplyCnt1')).length === before;
		const unchanged = (await counts()) === n0 && (await onHand()) === stock0;
		record('anonymous POST of the count form (overwrites stock)', 'Campus 20', bare.page.includes('Link not valid') && unchanged);
		record('a link for another person', 'Campus 20', borrowed.includes('[tampered]') && unchanged);
		record('a link for another form (leave request)', 'Campus 20', other.includes('Link not valid') && unchanged);
		record('a count link for someone not in logistics', 'Campus 20', teacher.includes('Only logistics staff') && unchanged);
		record('GET from a link preview', 'Campus 20', noRun && unchanged);
		expect(bare.page).toContain('Link not valid');
		expect(borrowed).toContain('[tampered]');
		expect(other).toContain('Link not valid');
		expect(teacher).toContain('Only logistics staff');
		expect(noRun).toBe(true);
		expect(unchanged).toBe(true);

		// The logistics staff member's own link: recorded once, in their name.
		const ok = await submitLink(countLink(COUNTER), COUNT);
		const row = (await server.rows('campus_stock_counts')).find((r) => r.item === '84消毒液');
		recordAllowed('the logistics staff member counts', 'Campus 20', ok.includes('已记录 Recorded') && row?.countedBy === byId.get(COUNTER)?.name, 'countedBy from the link');
		expect(ok).toContain('已记录 Recorded');
		expect(row).toMatchObject({ count: 57, countedBy: byId.get(COUNTER)?.name });
		expect(await onHand()).toBe(57);
	});

	it('a purchase approval link decides only for the approver it was made for, once', async () => {
		const WF = 'campusReorder021';
		const supplies = sampleSchool().supplies as Array<Record<string, unknown> & { item: string; unit: string }>;
		const day = '2026-03-06';
		const masks = [1800, 1640, 1460, 1320, 1160, 1000];
		await server.clearRows('campus_inventory');
		await server.insertRows('campus_inventory', supplies.map((x) => ({ ...x, onHand: x.item === '医用口罩' ? 1000 : 10_000 })));
		await server.clearRows('campus_stock_counts');
		await server.insertRows(
			'campus_stock_counts',
			['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', day].map((date, i) => ({ date, item: '医用口罩', unit: '个', count: masks[i], received: 0, countedBy: 'x' })),
		);
		await server.clearRows('campus_orders');
		await resetRobots();
		await resetPrivate();
		const saved = await server.saveWorkflow(WF, (wf) => setSettings(wf, { asOf: day, headcountAhead: 80, serviceLevel: 95, approvalFormUrl: `${server.url}${PURCHASE_APPROVAL}` }));
		await server.activate(WF);
		try {
			const id = await server.startRun(WF, 'Schedule', saved);
			const { to, link } = await privateApproval(PURCHASE_APPROVAL, id);
			const approver = byId.get('T089')!;
			const orderOf = async () => (await server.rows('campus_orders')).find((r) => r.requestId === id) as Record<string, unknown>;
			for (let i = 0; i < 50 && !(await orderOf()); i++) await delay(200);
			const inGroup = JSON.stringify(await dingtalkMessages()).includes(PURCHASE_APPROVAL);
			record('the purchase approval link to anyone but the approver', 'Campus 21', to === approver.userId && !inGroup);
			expect(to).toBe(approver.userId);
			expect(inGroup).toBe(false);

			const before = (await server.executions(WF)).length;
			const preview = await fetch(link, { headers: PREVIEW });
			const html = await preview.text();
			await delay(1000);
			const quiet = (await orderOf()).status === 'pending' && (await server.executions(WF)).length === before && !html.includes('3800');
			record('GET from a link preview', 'Campus 21', quiet);
			expect(quiet).toBe(true);

			const bare = await openApproval(`${server.url}${PURCHASE_APPROVAL}?request=${id}`);
			await finishApproval(bare);
			const { claims, sig } = issueLink(SECRETS, { purpose: 'purchase-approval', person: ADMIN, request: id }, now(), 1);
			const other = await openApproval(linkUrl(`${server.url}${PURCHASE_APPROVAL}`, claims, sig));
			await finishApproval(other);
			const tampered = new URL(link);
			const s0 = tampered.searchParams.get('sig') as string;
			tampered.searchParams.set('sig', s0.slice(0, -1) + (s0.endsWith('A') ? 'B' : 'A'));
			const bad = await openApproval(tampered.toString());
			await finishApproval(bad);
			const pending = (await orderOf()).status === 'pending';
			record('anonymous POST of the purchase approval form', 'Campus 21', bare.page.includes('Link not valid') && pending);
			record('a link for another approver', 'Campus 21', other.page.includes('[foreign]') && !other.page.includes('3800') && pending);
			record('tampered signature (approval link)', 'Campus 21', bad.page.includes('[tampered]') && !bad.page.includes('3800') && pending);
			expect(bare.page).toContain('Link not valid');
			expect(other.page).toContain('[foreign]');
			expect(bad.page).toContain('[tampered]');
			expect(pending).toBe(true);

			const { page } = await decideLink(link, 'Decline', 'no');
			expect(page).toContain('3800');
			const decided = await orderOf();
			recordAllowed('the bound approver decides', 'Campus 21', decided.status === 'declined' && decided.approverName === approver.name, 'once; the record names them');
			expect(decided).toMatchObject({ status: 'declined', approverId: 'T089', approverName: approver.name });
			const again = await openApproval(link);
			await finishApproval(again);
			const still = (await orderOf()).status;
			record('replay after decline', 'Campus 21', again.page.includes('Already decided') && still === 'declined');
			expect(again.page).toContain('Already decided');
			expect(still).toBe('declined');
			expectSuccess(await server.waitForExecution(again.executionId, 10_000));
		} finally {
			await server.deactivate(WF).catch(() => undefined);
		}
	});
});

describe('teaching accounts (Campus 30 approval)', () => {
	const summaryShown = (html: string) => html.includes('新建 create');

	beforeAll(async () => {
		await server.clearRows('campus_account_runs');
		await publishProvisioning(server);
	});
	afterAll(async () => {
		await server.deactivate(WF_PROVISION).catch(() => undefined);
	});

	it('the approval link decides only for the IT lead it was made for, once, and never reaches a group', async () => {
		const { id, to, link } = await planUntilAsked(server);
		const lead = byId.get(IT_LEAD)!;
		const recipients = [...(await appJournal()).map((d) => d.to), ...(await mailbox()).map((m) => `mail:${m.to.join()}`)];
		const inGroup = (await dingtalkMessages()).some((m) => /\/form(-waiting)?\//.test(JSON.stringify(m.body)));
		record('the account approval link to anyone but the IT lead (or a group)', 'Campus 30', to === lead.userId && recipients.length === 1 && !inGroup);
		expect(to).toBe(lead.userId);
		expect(recipients).toEqual([lead.userId]);
		expect(inGroup).toBe(false);
		const status = async () => String((await runOf(server, id))?.status);
		expect(await status()).toBe('pending');

		const preview = await fetch(link, { headers: PREVIEW });
		const html = await preview.text();
		await delay(1000);
		record('GET from a link preview', 'Campus 30', preview.status === 200 && !summaryShown(html) && (await status()) === 'pending');
		expect(summaryShown(html)).toBe(false);
		expect(await status()).toBe('pending');

		const bare = await openApproval(`${server.url}${ACCOUNT_APPROVAL}?request=${id}`);
		await finishApproval(bare);
		const { claims, sig } = issueLink(SECRETS, { purpose: 'account-approval', person: 'T002', request: id }, now(), 1);
		const other = await openApproval(linkUrl(`${server.url}${ACCOUNT_APPROVAL}`, claims, sig));
		await finishApproval(other);
		const foreign = issueLink(SECRETS, { purpose: 'purchase-approval', person: IT_LEAD, request: id }, now(), 1);
		const purchase = await openApproval(linkUrl(`${server.url}${ACCOUNT_APPROVAL}`, foreign.claims, foreign.sig));
		await finishApproval(purchase);
		const tampered = new URL(link);
		const s0 = tampered.searchParams.get('sig') as string;
		tampered.searchParams.set('sig', s0.slice(0, -1) + (s0.endsWith('A') ? 'B' : 'A'));
		const bad = await openApproval(tampered.toString());
		await finishApproval(bad);
		const pending = (await status()) === 'pending';
		record('anonymous POST of the account approval form', 'Campus 30', bare.page.includes('Link not valid') && !summaryShown(bare.page) && pending);
		record('a link for another person', 'Campus 30', other.page.includes('[foreign]') && !summaryShown(other.page) && pending);
		record('a link for another form (purchase approval)', 'Campus 30', purchase.page.includes('Link not valid') && !summaryShown(purchase.page) && pending);
		record('tampered signature (approval link)', 'Campus 30', bad.page.includes('[tampered]') && !summaryShown(bad.page) && pending);
		expect(bare.page).toContain('Link not valid');
		expect(other.page).toContain('[foreign]');
		expect(purchase.page).toContain('Link not valid');
		expect(bad.page).toContain('[tampered]');
		expect(pending).toBe(true);

		const { page } = await decideLink(link, 'Decline', 'no');
		expect(summaryShown(page)).toBe(true);
		const decided = await runOf(server, id);
		recordAllowed('the IT lead decides', 'Campus 30', decided?.status === 'declined' && decided?.approverName === lead.name, 'once; the record names them');
		expect(decided).toMatchObject({ status: 'declined', approverId: IT_LEAD, approverName: lead.name });

		const again = await openApproval(link);
		await finishApproval(again);
		record('replay after decline', 'Campus 30', again.page.includes('Already decided') && (await status()) === 'declined');
		expect(again.page).toContain('Already decided');
		expect(await status()).toBe('declined');
	});
});
