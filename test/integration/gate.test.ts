/**
 * Gate and movement log (Campus 40 to 44) in a real n8n, against the fake DingTalk robot:
 * visitor approval (approved, declined, no answer in time), the gate register's alerts, staff
 * leave with approval, exit and return from signed personal links, and the not-back reminder.
 */
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl } from '../../nodes/shared/links';
import { n8n } from './client';
import { answersTo, appJournal, formDriver, mailbox, messagesUntil, privateApproval, resetPrivate, rosterSeat, shanghaiDate, shanghaiIso } from './forms';
import { delay, loadSampleSchool, outputOf, sampleSchool, setSettings, type WorkflowJson } from './harness';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText, type DingMessage } from './robots';

const server = n8n();
const { postForm, openLink, submitLink, openApproval, finishApproval, decideLink } = formDriver(server);
const VISIT_APPROVAL = '/form/campus-visitor-approval';
const LEAVE_APPROVAL = '/form/campus-leave-approval';
const PREVIEW = { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' };
const LINK_SECRET = 'demo-link-secret-change-me';
const MOBILE = /1[3-9]\d{9}/;
const TEMPERATURE = /3[4-9][.,。]\d|℃|°C/;

type Row = Record<string, unknown>;

const staff = () => new Map(sampleSchool().staff.map((s) => [s.staffId as string, s]));
const shanghai = shanghaiDate;
const isoAt = shanghaiIso;
const TODAY = shanghai(new Date());

/** A resident's own leave request link, as Campus 06 signs it. */
function leaveRequestLink(staffId: string): string {
	const { claims, sig } = issueLink({ current: LINK_SECRET }, { purpose: 'leave-request', person: staffId }, Date.now() / 1000, 1);
	return linkUrl(`${server.url}/form/campus-leave-request`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
}

const seat = (personId: string, duty: string, role: string, start: string, end: string): Row =>
	rosterSeat(staff().get(personId) as Row, duty, role, start, end);

async function allRows(name: string): Promise<Row[]> {
	return server.rows(name);
}

async function saveSettings(id: string, values: Record<string, string | number | boolean>): Promise<void> {
	await server.saveWorkflow(id, (wf) => setSettings(wf, values));
}

/** Publishes a workflow with changed settings (a published workflow runs the version it was published with). */
async function republish(id: string, values: Record<string, string | number | boolean>): Promise<void> {
	await server.deactivate(id).catch(() => undefined);
	await saveSettings(id, values);
	await server.activate(id);
}

function expectPrivate(messages: DingMessage[]): void {
	for (const m of messages) {
		expect(visibleText(m)).not.toMatch(MOBILE);
		expect(visibleText(m)).not.toMatch(TEMPERATURE);
	}
}

// The people of the sample school used here.
const CADRE = 'T009';
const ADMIN = 'T001';
const GUARDS = ['T101', 'T102'];
const RESIDENT = 'T089';

beforeAll(async () => {
	await loadSampleSchool(server);
	for (const t of ['campus_visitors', 'campus_gate_register', 'campus_leave', 'campus_movements', 'campus_reminders', 'campus_roster']) {
		await server.clearRows(t);
	}
	const now = Date.now();
	const h = (n: number) => isoAt(new Date(now + n * 3600_000));
	await server.insertRows('campus_roster', [
		// Campus 40's visits: the duty cadre's week, and a Saturday with only the administrator on duty.
		seat(CADRE, 'Duty cadre', 'cadre', '2026-12-07T07:30:00+08:00', '2026-12-11T17:30:00+08:00'),
		seat(ADMIN, 'Administrator on duty', 'admin', '2026-12-12T07:30:00+08:00', '2026-12-12T17:30:00+08:00'),
		...GUARDS.map((g) => seat(g, 'Gate A', 'guard', '2026-12-09T07:00:00+08:00', '2026-12-09T19:00:00+08:00')),
		// Now (gate register, leave approval, not-back escalation): the duty cadre.
		seat(CADRE, 'Duty cadre', 'cadre', h(-6), h(12)),
	]);
	await server.clearRows('campus_staff');
	await server.insertRows('campus_staff', sampleSchool().staff);
}, 120_000);

beforeEach(async () => {
	await resetRobots();
	await resetPrivate();
});

/** Every message that carried an approval link of this form: who received it (private), and nothing else did. */
async function approvalRecipients(formPath: string): Promise<string[]> {
	const chat = (await appJournal()).filter((d) => JSON.stringify(d.body).includes(formPath)).map((d) => d.to);
	const mail = (await mailbox()).filter((m) => m.text.includes(formPath)).map((m) => `mail:${m.to.join()}`);
	return [...chat, ...mail];
}

describe('Campus 40 Visitor entry request', () => {
	const WF = 'campusVisitReq01';
	const FORM = '/form/campus-visitor-request';
	const visit = (name: string, date: string, time: string) => ({
		'field-0': name,
		'field-1': '13812345678',
		'field-2': '某某公司 ACME',
		'field-3': '送检测试剂 delivering test kits',
		'field-4': date,
		'field-5': time,
		'field-6': '王老师',
	});
	const request = async (name: string) => (await allRows('campus_visitors')).find((r) => r.visitorName === name) as Row;

	beforeAll(async () => {
		await republish(WF, { approvalFormUrl: `${server.url}${VISIT_APPROVAL}` });
	});
	afterAll(async () => {
		await server.deactivate(WF);
	});

	it('approved: the cadre on duty at the visit alone gets a private link; the page shows the phone only through it; GET changes nothing; the record names who decided', async () => {
		const { page, executionId } = await postForm(FORM, visit('张访客', '2026-12-09', '10:00'));
		expect(page).toContain('Sent for approval');
		expect(await request('张访客')).toMatchObject({ status: 'pending', phone: '13812345678', visitAt: '2026-12-09T10:00:00+08:00' });
		const { to, link } = await privateApproval(VISIT_APPROVAL, executionId);
		expect(to).toBe(staff().get(CADRE)?.userId);
		expect(await approvalRecipients(VISIT_APPROVAL)).toEqual([staff().get(CADRE)?.userId]);
		const message = JSON.stringify((await appJournal()).find((d) => d.to === to)?.body);
		expect(message).toContain('张访客');
		expect(message).toContain('2026-12-09 10:00');
		expect(message).not.toMatch(MOBILE);
		expect(message).not.toContain('delivering test kits');
		expect(new URL(link).searchParams.get('id')).toBe(CADRE);
		expect(new URL(link).searchParams.get('purpose')).toBe('visit-approval');
		// No group hears of the approval.
		expect(await dingtalkMessages()).toEqual([]);

		// A chat preview (GET) shows the first page only: no phone, nothing decided.
		const preview = await fetch(link, { headers: PREVIEW });
		expect(preview.status).toBe(200);
		expect(await preview.text()).not.toContain('13812345678');
		await delay(1000);
		expect((await request('张访客')).status).toBe('pending');

		const { page: decision, done } = await decideLink(link, 'Approve', 'ok');
		expect(decision).toContain('13812345678');
		expect(decision).toContain('delivering test kits');
		expect(done).toContain('Decision recorded');
		expect(await request('张访客')).toMatchObject({ status: 'approved', approverName: staff().get(CADRE)?.name, comment: 'ok' });
		const after = await messagesUntil((m) => m.some((x) => visibleText(x).includes('Visitor approved')), 'the guards message');
		const told = after.filter((m) => visibleText(m).includes('Visitor approved'));
		expect(told).toHaveLength(1);
		expect(visibleText(told[0])).toContain('张访客');
		expect(visibleText(told[0])).toContain('2026-12-09 10:00');
		expect([...(told[0].body.at?.atMobiles ?? [])].sort()).toEqual(GUARDS.map((g) => staff().get(g)?.mobile).sort());
		expectPrivate(after);
		const kinds = (await allRows('campus_reminders')).map((r) => r.kind).sort();
		expect(kinds).toEqual(['visit-approval', 'visit-gate']);
		expect((await allRows('campus_reminders')).find((r) => r.kind === 'visit-approval')?.recipient).toBe(CADRE);

		// The link again, after the decision: a clear page, nothing changes.
		const again = await openApproval(link);
		expect(again.page).toContain('Already decided');
		await finishApproval(again);
		expect((await request('张访客')).status).toBe('approved');
	});

	it('the same visitor at the same time again: "already received", nobody is asked twice', async () => {
		const { page } = await postForm(FORM, visit('张访客', '2026-12-09', '10:00'));
		expect(page).toContain('Already received');
		await delay(1500);
		expect(await dingtalkMessages()).toEqual([]);
		expect((await allRows('campus_visitors')).filter((r) => r.visitorName === '张访客')).toHaveLength(1);
	});

	it('declined: with no cadre on duty (Saturday) the administrator on duty is asked; status declined, the guards hear nothing', async () => {
		const { executionId } = await postForm(FORM, visit('李访客', '2026-12-12', '9:30'));
		const { to, link } = await privateApproval(VISIT_APPROVAL, executionId);
		expect(to).toBe(staff().get(ADMIN)?.userId);
		expect(await approvalRecipients(VISIT_APPROVAL)).toEqual([staff().get(ADMIN)?.userId]);
		const { page } = await decideLink(link, 'Decline', '当天不接待 not that day');
		expect(page).toContain(`审批人 Approver: ${staff().get(ADMIN)?.name}`);
		expect(await request('李访客')).toMatchObject({ status: 'declined', comment: '当天不接待 not that day', approverName: staff().get(ADMIN)?.name });
		await delay(500);
		expect((await dingtalkMessages()).filter((m) => visibleText(m).includes('Visitor approved'))).toEqual([]);
	});

	it("an approver the school's app cannot reach, and who has no email: the administrators' group gets the request number and the approver's name, no link", async () => {
		const admin = staff().get(ADMIN) as Row;
		const rows = sampleSchool().staff.map((r) => (r.staffId === ADMIN ? { ...r, userId: 'ut-left-the-school', email: '' } : r));
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', rows);
		try {
			const { executionId } = await postForm(FORM, visit('赵访客', '2026-12-12', '11:00'));
			const all = await messagesUntil((m) => m.some((x) => visibleText(x).includes(`来访申请 ${executionId} `)), 'the administrators notice');
			const notice = all.filter((x) => visibleText(x).includes(`来访申请 ${executionId} `));
			expect(notice).toHaveLength(1);
			expect(visibleText(notice[0])).toContain(String(admin.name));
			expect(visibleText(notice[0])).not.toContain('/form/');
			expect(visibleText(notice[0])).not.toContain('赵访客');
			expectPrivate(all);
			expect(await approvalRecipients(VISIT_APPROVAL)).toEqual([]);
		} finally {
			await server.clearRows('campus_staff');
			await server.insertRows('campus_staff', sampleSchool().staff);
		}
	});

	it('an unreadable time is refused on the form and stores nothing', async () => {
		const { page } = await postForm(FORM, visit('王访客', '2026-12-09', 'ten'));
		expect(page).toContain('Time not readable');
		expect(await request('王访客')).toBeUndefined();
	});
});

describe('Campus 41 Gate register', () => {
	const WF = 'campusGateReg001';
	const FORM = '/form/campus-gate-register';
	// The register is opened from the guard's own gate link (Campus 06 sends it).
	const gateLink = (guardId: string) => {
		const { claims, sig } = issueLink({ current: LINK_SECRET }, { purpose: 'gate-register', person: guardId }, Date.now() / 1000, 1);
		return linkUrl(`${server.url}${FORM}`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'guardId' });
	};
	const arrive = (name: string, temperature: string, time = '', note = '') =>
		openLink(gateLink(GUARDS[0]), { 'field-0': name, 'field-1': temperature, 'field-2': time, 'field-3': note });
	const register = async (name: string) => (await allRows('campus_gate_register')).filter((r) => r.visitorName === name);

	beforeAll(async () => {
		await server.insertRows('campus_visitors', [
			{ requestId: '9001', requestKey: 'x', visitorName: '赵 来宾', phone: '13800000000', visitAt: `${TODAY}T10:00:00+08:00`, visitDate: TODAY, hostName: '王老师', status: 'approved' },
			{ requestId: '9002', requestKey: 'y', visitorName: '钱来宾', phone: '13800000000', visitAt: `${TODAY}T10:00:00+08:00`, visitDate: TODAY, hostName: '王老师', status: 'declined' },
		]);
		await server.activate(WF);
	});
	afterAll(async () => {
		await server.deactivate(WF);
	});

	it('an approved visitor with a normal reading: stored, no alert', async () => {
		const { page } = await arrive('赵来宾', '36.5', '09:55');
		expect(page).toContain('the visitor may enter');
		const rows = await register('赵来宾');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ approved: true, abnormal: false, requestId: '9001', temperature: '36.5', arrivedAt: `${TODAY}T09:55:00+08:00`, alertKey: '' });
		await delay(1000);
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('no approved request for today: the cadre on duty is alerted by name, without the temperature', async () => {
		const { page } = await arrive('钱来宾', '36.6');
		expect(page).toContain('duty cadre is on the way');
		const rows = await register('钱来宾');
		expect(rows[0]).toMatchObject({ approved: false, abnormal: false, alertKey: `gate|${TODAY}|钱来宾|unapproved` });
		const sent = await messagesUntil((m) => m.length > 0, 'the gate alert');
		expect(sent).toHaveLength(1);
		expect(visibleText(sent[0])).toContain('钱来宾');
		expect(visibleText(sent[0])).toContain('no approved request');
		expect(sent[0].body.at?.atMobiles).toEqual([staff().get(CADRE)?.mobile]);
		expectPrivate(sent);
	});

	it('a fever of an approved visitor alerts the cadre without the temperature; the reading is stored', async () => {
		await arrive('赵来宾', '37.9℃', '', '复测 second reading');
		const rows = await register('赵来宾');
		expect(rows).toHaveLength(2);
		expect(rows[1]).toMatchObject({ approved: true, abnormal: true, reasons: 'fever', temperature: '37.9℃', alertKey: `gate|${TODAY}|赵来宾|reading` });
		const sent = await messagesUntil((m) => m.length > 0, 'the fever alert');
		expect(sent).toHaveLength(1);
		expect(visibleText(sent[0])).toContain('赵来宾');
		expect(visibleText(sent[0])).toContain('needs a check');
		expect(visibleText(sent[0])).not.toContain('37.9');
		expectPrivate(sent);
	});

	it('an unreadable reading is an alert, never a pass', async () => {
		await arrive('孙来宾', 'abc');
		expect((await register('孙来宾'))[0]).toMatchObject({ abnormal: true, reasons: 'unreadable temperature', approved: false });
		await messagesUntil((m) => m.length > 0, 'the alert for an unreadable reading');
	});

	it('on a 2027 date, beyond the holiday data, the register works as on an ordinary day and warns that the day is unknown', async () => {
		// 2027-10-01 (National Day, unknown to the built-in data and to an empty calendar table): the
		// gate register runs on a clock moved to that morning, as the demo clock moves Campus 01.
		// National Day counts as an ordinary Friday: the register works as usual, with the warning.
		const day = '2027-10-01';
		const offset = Math.round((Date.parse(`${day}T10:00:00+08:00`) - Date.now()) / 60_000);
		const original = ((await server.workflow(WF)) as unknown as WorkflowJson).nodes;
		await server.insertRows('campus_visitors', [
			{ requestId: '9003', requestKey: 'z', visitorName: '周来宾', phone: '13800000000', visitAt: `${day}T10:00:00+08:00`, visitDate: day, hostName: '王老师', status: 'approved' },
		]);
		await server.deactivate(WF);
		await server.saveWorkflow(WF, (wf) => {
			// The arrival's time and date, and the As Of of the reading check (default: now).
			const arrival = wf.nodes.find((n) => n.name === 'Arrival')!;
			arrival.parameters = JSON.parse(JSON.stringify(arrival.parameters).split('$now').join(`$now.plus({ minutes: ${offset} })`));
			wf.nodes.find((n) => n.name === 'Flag the reading')!.parameters.asOf = `={{ $now.plus({ minutes: ${offset} }).toISO() }}`;
		});
		await server.activate(WF);
		try {
			const { page, executionId } = await arrive('周来宾', '36.5', '09:55');
			expect(page).toContain('the visitor may enter');
			const rows = await register('周来宾');
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({ approved: true, abnormal: false, requestId: '9003', arrivedAt: `${day}T09:55:00+08:00`, alertKey: '' });
			const result = await server.execution(executionId);
			expect(outputOf(result, 'Flag the reading').filter((i) => i.error !== undefined)).toEqual([]);
			const runs = (result.raw as { resultData: { runData: Record<string, Array<{ hints?: Array<{ message: string }> }>> } }).resultData.runData;
			const hints = (runs['Flag the reading']?.[0]?.hints ?? []).map((h) => h.message);
			expect(hints).toEqual([expect.stringMatching(/^No holiday data for 2027: its days are treated as ordinary weekdays and weekends/)]);
			await delay(1000);
			expect(await dingtalkMessages()).toEqual([]);
		} finally {
			await server.deactivate(WF);
			await server.saveWorkflow(WF, (wf) => {
				wf.nodes = original;
			});
			await server.activate(WF);
		}
	});

	it('a second submission for the same visitor and reason is stored but sends no second alert', async () => {
		const before = (await allRows('campus_reminders')).filter((r) => r.kind === 'gate-alert').length;
		await arrive('钱来宾', '36.4');
		await arrive('赵来宾', '38.1');
		expect(await register('钱来宾')).toHaveLength(2);
		expect(await register('赵来宾')).toHaveLength(3);
		await delay(1500);
		expect(await dingtalkMessages()).toEqual([]);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'gate-alert')).toHaveLength(before);
	});
});

describe('Campus 42 Staff leave request and Campus 43 Staff movement log', () => {
	const WF = 'campusLeaveReq01';
	const MOVES = 'campusMoveLog001';
	const tomorrow = shanghai(new Date(Date.now() + 86400_000));
	// The form is opened from the staff member's own leave link (Campus 06 sends it): the ID comes from the link.
	const ask = (id: string, time = '20:00', date = tomorrow) =>
		openLink(leaveRequestLink(id), { 'field-0': '市区 downtown', 'field-1': '就医 doctor', 'field-2': date, 'field-3': time });
	const leaveOf = async (executionId: string) => (await allRows('campus_leave')).find((r) => r.requestId === executionId) as Row;
	const movementsOf = async (requestId: string) => (await allRows('campus_movements')).filter((r) => r.requestId === requestId);
	let approvedId = '';
	let links: { exit: string; return: string } = { exit: '', return: '' };

	beforeAll(async () => {
		await server.activate(MOVES);
		await republish(WF, { movementFormUrl: `${server.url}/form/campus-leave-movement`, approvalFormUrl: `${server.url}${LEAVE_APPROVAL}` });
	});
	afterAll(async () => {
		await server.deactivate(WF);
		await server.deactivate(MOVES);
	});

	it('an unknown staff id or a non-resident is refused with the reason, stored as rejected, nobody asked', async () => {
		const unknown = await ask('T999');
		expect(unknown.page).toContain('Unknown staff ID');
		expect(await leaveOf(unknown.executionId)).toMatchObject({ status: 'rejected', staffId: 'T999', error: expect.stringContaining('Unknown staff ID "T999"') });
		const teacher = await ask('T010');
		expect(teacher.page).toContain('is not resident staff');
		expect(await leaveOf(teacher.executionId)).toMatchObject({ status: 'rejected', error: expect.stringContaining('not resident') });
		const late = await ask(RESIDENT, '25:99');
		expect(late.page).toContain('not readable');
		await delay(1000);
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('approved: the cadre alone gets a private link; GET of it changes nothing; the decision names the cadre; the staff member gets signed exit and return links', async () => {
		const { page, executionId } = await ask(RESIDENT);
		approvedId = executionId;
		expect(page).toContain('Sent for approval');
		expect(await leaveOf(executionId)).toMatchObject({ status: 'pending', name: staff().get(RESIDENT)?.name, expectedReturn: `${tomorrow}T20:00:00+08:00` });
		const { to, link } = await privateApproval(LEAVE_APPROVAL, executionId);
		expect(to).toBe(staff().get(CADRE)?.userId);
		expect(await approvalRecipients(LEAVE_APPROVAL)).toEqual([staff().get(CADRE)?.userId]);
		const message = JSON.stringify((await appJournal()).find((d) => d.to === to)?.body);
		expect(message).toContain(String(staff().get(RESIDENT)?.name));
		expect(message).not.toContain('doctor');
		expect(await dingtalkMessages()).toEqual([]);
		const preview = await fetch(link, { headers: PREVIEW });
		expect(preview.status).toBe(200);
		expect(await preview.text()).not.toContain('doctor');
		await delay(1000);
		expect((await leaveOf(executionId)).status).toBe('pending');

		const decided = await decideLink(link, 'Approve');
		expect(decided.page).toContain('doctor');
		expect(await leaveOf(executionId)).toMatchObject({ status: 'approved', approverName: staff().get(CADRE)?.name });
		// The answer and the exit and return links go to the staff member alone, privately; no group hears it.
		const me = staff().get(RESIDENT) as Row;
		const answers = await answersTo(String(me.userId), 2);
		expect(answers.map((a) => a.text).join('\n')).toContain('Your leave is approved');
		const urls = answers.map((a) => a.link);
		expect(urls).toHaveLength(2);
		links = {
			exit: urls.find((u) => new URL(u).searchParams.get('slot') === 'exit') as string,
			return: urls.find((u) => new URL(u).searchParams.get('slot') === 'return') as string,
		};
		expect(new URL(links.exit).searchParams.get('id')).toBe(executionId);
		expect(links.exit).toContain('/form/campus-leave-movement?');
		expect(JSON.stringify(await dingtalkMessages())).not.toContain('/form/campus-leave-movement');
		expect((await dingtalkMessages()).filter((m) => visibleText(m).includes('approved'))).toEqual([]);
	});

	it('a return before the exit is refused and logged; the exit, then the return, are logged from the links', async () => {
		const early = await submitLink(links.return, { 'field-0': '', 'field-1': '' });
		expect(early).toContain('A return cannot be logged before its exit');
		expect(await movementsOf(approvedId)).toEqual([expect.objectContaining({ direction: 'return', status: 'rejected' })]);

		const exit = await submitLink(links.exit, { 'field-0': '', 'field-1': '去医院' });
		expect(exit).toContain('Your exit is logged');
		expect(await leaveOf(approvedId)).toMatchObject({ status: 'out', exitAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
		const again = await submitLink(links.exit, { 'field-0': '', 'field-1': '' });
		expect(again).toContain('already logged');

		// A return time typed before the exit time is refused too.
		const exitAt = String((await leaveOf(approvedId)).exitAt);
		const exitMinutes = Number(exitAt.slice(11, 13)) * 60 + Number(exitAt.slice(14, 16));
		if (exitMinutes > 0) {
			const before = await submitLink(links.return, { 'field-0': '00:00', 'field-1': '' });
			expect(before).toContain('before the exit time');
		}
		const back = await submitLink(links.return, { 'field-0': '', 'field-1': '' });
		expect(back).toContain('Your return is logged');
		expect(await leaveOf(approvedId)).toMatchObject({ status: 'back', returnAt: expect.stringMatching(/^\d{4}-/) });
		const rows = await movementsOf(approvedId);
		expect(rows.filter((r) => r.status === 'logged').map((r) => r.direction)).toEqual(['exit', 'return']);
		expect(rows.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(2);
		for (const r of rows.filter((x) => x.status === 'rejected')) expect(String(r.error)).not.toBe('');
	});

	it('declined: the staff member is told; an exit link for it (no approved request) and a forged link are refused and logged', async () => {
		const { executionId } = await ask(RESIDENT, '21:00');
		const { link } = await privateApproval(LEAVE_APPROVAL, executionId);
		await decideLink(link, 'Decline', '人手不足');
		expect(await leaveOf(executionId)).toMatchObject({ status: 'declined', comment: '人手不足', approverName: staff().get(CADRE)?.name });
		// The same link again: "Already decided", nothing changes.
		const replay = await openApproval(link);
		expect(replay.page).toContain('Already decided');
		await finishApproval(replay);
		expect((await leaveOf(executionId)).status).toBe('declined');
		const answers = await answersTo(String(staff().get(RESIDENT)?.userId), 1);
		expect(answers[0].text).toContain('not approved');
		expect(answers[0].text).toContain('人手不足');
		expect((await dingtalkMessages()).filter((m) => visibleText(m).includes('not approved'))).toEqual([]);

		// A correctly signed exit link for a leave that is not approved.
		const made = issueLink({ current: LINK_SECRET }, { purpose: 'leave-movement', person: executionId, date: tomorrow, slot: 'exit' }, Date.now() / 1000, 1);
		const url = linkUrl(`${server.url}/form/campus-leave-movement`, made.claims, made.sig);
		expect(await submitLink(url, { 'field-0': '', 'field-1': '' })).toContain('No approved request');
		expect(await movementsOf(executionId)).toEqual([expect.objectContaining({ status: 'rejected', error: expect.stringContaining('declined') })]);

		// The approved leave's id with a made-up signature.
		const forged = new URL(url);
		forged.searchParams.set('id', approvedId);
		expect(await submitLink(forged.toString(), { 'field-0': '', 'field-1': '' })).toContain('Link not valid');
		const bare = await submitLink(`${server.url}/form/campus-leave-movement`, { 'field-0': '', 'field-1': '' });
		expect(bare).toContain('Link not valid');
		const refused = (await allRows('campus_movements')).filter((r) => String(r.error).includes('Link not valid'));
		expect(refused).toHaveLength(2);
		expect((await leaveOf(approvedId)).status).toBe('back');
	});
});

describe('No answer in time (Campus 40 and 42 together)', () => {
	it('a visitor request expires and a leave request expires; each requester outcome is stored', async () => {
		await republish('campusVisitReq01', { approvalWaitMinutes: 0.02, approvalFormUrl: `${server.url}${VISIT_APPROVAL}` });
		await republish('campusLeaveReq01', {
			approvalWaitMinutes: 0.02,
			movementFormUrl: `${server.url}/form/campus-leave-movement`,
			approvalFormUrl: `${server.url}${LEAVE_APPROVAL}`,
		});
		try {
			const visitor = await postForm('/form/campus-visitor-request', {
				'field-0': '周访客',
				'field-1': '13812345678',
				'field-2': '',
				'field-3': '参观 visit',
				'field-4': '2026-12-10',
				'field-5': '15:00',
				'field-6': '李老师',
			});
			const leave = await openLink(leaveRequestLink(RESIDENT), {
				'field-0': '家 home',
				'field-1': '家事 family',
				'field-2': shanghai(new Date(Date.now() + 86400_000)),
				'field-3': '19:00',
			});
			const visitLink = (await privateApproval(VISIT_APPROVAL, visitor.executionId)).link;
			await privateApproval(LEAVE_APPROVAL, leave.executionId);
			const statusOf = async () => [
				(await allRows('campus_visitors')).find((r) => r.visitorName === '周访客')?.status,
				(await allRows('campus_leave')).find((r) => r.requestId === leave.executionId)?.status,
			];
			for (let i = 0; i < 150 && (await statusOf()).join() !== 'expired,expired'; i++) await delay(400);
			expect((await allRows('campus_visitors')).find((r) => r.visitorName === '周访客')).toMatchObject({ status: 'expired', comment: 'no answer in time' });
			expect((await allRows('campus_leave')).find((r) => r.requestId === leave.executionId)).toMatchObject({ status: 'expired' });
			// The leave's requester is told privately; no group hears it.
			const told = (await answersTo(String(staff().get(RESIDENT)?.userId), 1)).filter((a) => a.text.includes('no answer in time'));
			expect(told).toHaveLength(1);
			expect((await dingtalkMessages()).filter((m) => visibleText(m).includes('no answer in time'))).toEqual([]);
			// A timed-out request cannot be decided: its link (still within its minute) says so.
			const late = await openApproval(visitLink);
			expect(late.page).toMatch(/Already decided|Link not valid/);
			await finishApproval(late);
			expect((await allRows('campus_visitors')).find((r) => r.visitorName === '周访客')?.status).toBe('expired');
			expect((await dingtalkMessages()).filter((m) => visibleText(m).includes('Visitor approved'))).toEqual([]);
		} finally {
			await server.deactivate('campusVisitReq01');
			await server.deactivate('campusLeaveReq01');
			await saveSettings('campusVisitReq01', { approvalWaitMinutes: 240, approvalFormUrl: 'http://localhost:5678/form/campus-visitor-approval' });
			await saveSettings('campusLeaveReq01', {
				approvalWaitMinutes: 120,
				movementFormUrl: 'http://localhost:5678/form/campus-leave-movement',
				approvalFormUrl: 'http://localhost:5678/form/campus-leave-approval',
			});
		}
	}, 300_000);
});

describe('Campus 44 Not back on time', () => {
	const WF = 'campusNotBack001';
	const now = Date.now();
	const at = (minutes: number) => isoAt(new Date(now + minutes * 60_000));
	const s = (id: string) => staff().get(id) as Row;
	const leave = (requestId: string, who: string, status: string, dueInMinutes: number): Row => ({
		requestId,
		staffId: who,
		name: s(who).name,
		department: s(who).department,
		mobile: s(who).mobile,
		userId: s(who).userId,
		leaderName: s(who).leaderName,
		leaderMobile: s(who).leaderMobile,
		destination: '市区',
		reason: '事假',
		expectedReturn: at(dueInMinutes),
		status,
		exitAt: at(-300),
	});
	const run = (asOf: string) =>
		server.run(WF, 'Schedule', {
			patch: (wf) => setSettings(wf, { asOf, movementFormUrl: `${server.url}/form/campus-leave-movement` }),
		});

	beforeAll(async () => {
		await server.clearRows('campus_leave');
		await server.clearRows('campus_movements');
		await server.insertRows('campus_leave', [
			leave('N1', 'T089', 'out', -90), // 90 minutes overdue: reminded, with the department head
			leave('N2', 'T090', 'out', -10), // inside the 30-minute grace: not yet
			leave('N3', 'T091', 'out', 120), // not due
			leave('N4', 'T092', 'back', -90), // back
			leave('N5', 'T093', 'declined', -90), // never left
		]);
		await server.insertRows('campus_movements', [
			{ requestId: 'N4', staffId: 'T092', direction: 'exit', at: at(-300), status: 'logged' },
			{ requestId: 'N4', staffId: 'T092', direction: 'return', at: at(-60), status: 'logged' },
		]);
	});

	it('reminds whoever is past the expected return + grace, with the department head, and a fresh return link; once', async () => {
		const result = await run(isoAt(new Date(now)));
		expectSuccess(result);
		const found = outputOf(result, 'Find who is not back').filter((i) => i.kind === 'missing report');
		expect(found.map((i) => [i.reporterId, i.status]).sort()).toEqual([
			['N1', 'missing'],
			['N2', 'overdue'],
		]);
		const sent = await messagesUntil((m) => m.length > 0, 'the not-back reminder');
		expect(sent).toHaveLength(1);
		const text = visibleText(sent[0]);
		expect(text).toContain(String(s('T089').name));
		expect(text).not.toContain(String(s('T090').name));
		expect(text).toContain('/form/campus-leave-movement?');
		expect(text).toContain('slot=return');
		expect([...(sent[0].body.at?.atMobiles ?? [])].sort()).toEqual([s('T089').mobile, s('T089').leaderMobile].sort());
		expect(text.replace(/https?:\/\/\S+/g, '')).not.toMatch(MOBILE);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'not-back').map((r) => r.dedupeKey)).toEqual([
			expect.stringMatching(/^leave\|N1\|\d{4}-\d\d-\d\d\|return\|L2$/),
		]);

		await resetRobots();
		expectSuccess(await run(isoAt(new Date(now + 5 * 60_000))));
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('escalates to the duty cadre after two hours', async () => {
		const result = await run(isoAt(new Date(now + 35 * 60_000)));
		expectSuccess(result);
		const sent = await messagesUntil((m) => m.length > 0, 'the escalation');
		const mentioned = sent.flatMap((m) => m.body.at?.atMobiles ?? []);
		expect(mentioned).toEqual(expect.arrayContaining([s('T089').mobile, s(CADRE).mobile]));
		// T090 is past the grace by now: first reminder, to them alone.
		expect(mentioned).toContain(s('T090').mobile);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'not-back')).toHaveLength(3);
	});
});
