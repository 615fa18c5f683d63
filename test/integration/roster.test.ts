/**
 * The Duty Roster ready-made workflows (campus-10, -11, -12) imported and run in a real n8n,
 * with the fake DingTalk robot receiving the messages.
 */
import { n8n, state } from './client';
import { loadSampleSchool, outputOf, sampleSchool, setSettings, type ExecutionResult } from './harness';
import { dingtalkMessages, expectSuccess, visibleText, type DingMessage } from './robots';
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl, type LinkSecrets } from '../../nodes/shared/links';
import { appJournal, formDriver, privateApproval, resetPrivate } from './forms';

const server = n8n();
const { openLink, openApproval, finishApproval, decideLink } = formDriver(server);
const SWAP_APPROVAL = '/form/campus-swap-approval';
const robots = () => state().fakes.robots;
const MOBILE = /1[3-9]\d{9}/;
const TEMPERATURE = /3[5-9][.,]\d|℃|°C/;




function expectPrivate(messages: DingMessage[]): void {
	for (const m of messages) {
		expect(visibleText(m)).not.toMatch(MOBILE);
		expect(visibleText(m)).not.toMatch(TEMPERATURE);
	}
}


type Row = Record<string, unknown>;

/**
 * Saves School settings into the stored workflow. n8n 2.40's POST /rest/workflows/:id/run runs the
 * stored workflow and ignores the posted workflowData, so run()'s `patch` alone changes nothing.
 */
async function saveSettings(id: string, values: Record<string, string | number | boolean>): Promise<void> {
	await server.saveWorkflow(id, (wf) => setSettings(wf, values));
}

/** All rows of a table. (The harness's rows() asks for 500 a page; n8n gives at most 250, so it stops early.) */
async function allRows(name: string): Promise<Row[]> {
	return server.rows(name);
}

async function clearTable(name: string): Promise<void> {
	await server.clearRows(name);
	expect(await allRows(name)).toEqual([]);
}

async function runWith(id: string, trigger: string, values: Record<string, string | number | boolean>): Promise<ExecutionResult> {
	await saveSettings(id, values);
	return server.run(id, trigger, { patch: (wf) => setSettings(wf, values) });
}
const staffSample = () => sampleSchool().staff;

beforeAll(async () => {
	await loadSampleSchool(server);
}, 120_000);

beforeEach(async () => {
	await fetch(`${robots()}/__fake/reset`, { method: 'POST' });
});

describe('Campus 10 Generate duty roster', () => {
	const MARCH = { from: '2026-03-01', to: '2026-03-31' };

	beforeAll(async () => {
		await clearTable('campus_roster');
		await clearTable('campus_duty_load');
		await clearTable('campus_reminders');
		await clearTable('campus_staff');
		await server.insertRows('campus_staff', staffSample());
	});

	function checkRoster(rows: Row[]): void {
		const days = Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`);
		const count = new Map<string, number>();
		for (const r of rows) count.set(`${r.date}|${r.duty}|${r.shift}`, (count.get(`${r.date}|${r.duty}|${r.shift}`) ?? 0) + 1);
		for (const d of days) {
			for (const post of ['Gate A', 'Gate B']) {
				for (const shift of ['Day', 'Night']) expect([d, post, shift, count.get(`${d}|${post}|${shift}`)]).toEqual([d, post, shift, 2]);
			}
			expect([d, count.get(`${d}|Administrator on duty|Day`)]).toEqual([d, 1]);
		}
		// Guards are guards, administrators administrators.
		const staff = new Map(staffSample().map((s) => [s.staffId as string, String(s.roles).split(',')]));
		for (const r of rows) expect(staff.get(r.personId as string)).toContain(r.role);
		// Weekly duties: a duty cadre and two duty teachers each school week.
		expect(rows.filter((r) => r.duty === 'Duty cadre').length).toBeGreaterThanOrEqual(4);
		expect(rows.filter((r) => r.duty === 'Duty teachers').length).toBeGreaterThanOrEqual(8);
		// Nobody works two overlapping shifts.
		const byPerson = new Map<string, Array<[number, number, string]>>();
		for (const r of rows) {
			const list = byPerson.get(r.personId as string) ?? [];
			list.push([Date.parse(r.start as string), Date.parse(r.end as string), r.rosterKey as string]);
			byPerson.set(r.personId as string, list);
		}
		const overlaps: string[] = [];
		for (const [person, list] of byPerson) {
			list.sort((a, b) => a[0] - b[0]);
			for (let i = 1; i < list.length; i++) if (list[i][0] < list[i - 1][1]) overlaps.push(`${person}: ${list[i - 1][2]} / ${list[i][2]}`);
		}
		expect(overlaps).toEqual([]);
		// One row per seat: the key is unique.
		const keys = rows.map((r) => r.rosterKey);
		expect(new Set(keys).size).toBe(keys.length);
	}

	it('stores a full month: 2 guards per post and shift every day, one administrator, no overlaps', async () => {
		const result = await runWith('campusRosterGen1', 'Run now', MARCH);
		expectSuccess(result);
		const rows = await allRows('campus_roster');
		checkRoster(rows);
		expect(outputOf(result, 'Generate roster', 1)).toEqual([]);
		const assignments = outputOf(result, 'Generate roster', 0);
		expect(rows).toHaveLength(assignments.length);
		// The per-person summary is stored: every guard appears with their shifts.
		const summary = await allRows('campus_duty_load');
		const guards = summary.filter((s) => String(s.roles).includes('guard'));
		expect(guards).toHaveLength(12);
		for (const g of guards) expect(Number(g.shifts)).toBeGreaterThan(0);
		expect(summary.every((s) => s.period === '2026-03-01..2026-03-31')).toBe(true);
		// No seat was left open, so nothing was sent.
		expect(await dingtalkMessages()).toEqual([]);
	});

	it('a re-run for the same month leaves the same rows, no duplicates', async () => {
		const before = await allRows('campus_roster');
		const summaryBefore = (await allRows('campus_duty_load')).length;
		const result = await runWith('campusRosterGen1', 'Run now', MARCH);
		expectSuccess(result);
		const after = await allRows('campus_roster');
		expect(after).toHaveLength(before.length);
		checkRoster(after);
		const seat = (r: Row) => `${r.rosterKey}=${r.personId}`;
		expect(after.map(seat).sort()).toEqual(before.map(seat).sort());
		expect(await allRows('campus_duty_load')).toHaveLength(summaryBefore);
	});

	it('sends the seats it cannot fill to the administrators, with the reason, once', async () => {
		// Ten of the twelve guards are on leave on 10 March: 8 guard seats that day, 2 guards.
		const guards = staffSample().filter((s) => String(s.roles).includes('guard'));
		const onLeave = new Set(guards.slice(0, 10).map((g) => g.staffId));
		await clearTable('campus_staff');
		await server.insertRows(
			'campus_staff',
			staffSample().map((s) => (onLeave.has(s.staffId) ? { ...s, unavailable: '2026-03-10' } : s)),
		);
		try {
			const period = { from: '2026-03-09', to: '2026-03-11' };
			const result = await runWith('campusRosterGen1', 'Run now', period);
			expectSuccess(result);
			const unfilled = outputOf(result, 'Generate roster', 1).filter((u) => u.kind === 'unfilled');
			expect(unfilled.length).toBeGreaterThan(0);
			expect(unfilled.some((u) => u.date === '2026-03-10')).toBe(true);
			const messages = await dingtalkMessages();
			expect(messages).toHaveLength(1);
			const text = visibleText(messages[0]);
			expect(text).toContain('2026-03-09 to 2026-03-11');
			expect(text).toMatch(/2026-03-10 Gate [AB] (Day|Night) needs \d guard/);
			expect(text).toMatch(/on leave or unavailable/);
			for (const u of unfilled) expect(text).toContain(String(u.reason));
			expectPrivate(messages);
			// Stored rows of 10 March: never someone on leave.
			const rows = (await allRows('campus_roster')).filter((r) => r.date === '2026-03-10' && r.role === 'guard');
			for (const r of rows) expect(onLeave.has(r.personId)).toBe(false);
			// Every alert is recorded; a re-run sends nothing new.
			const recorded = (await allRows('campus_reminders')).filter((r) => r.kind === 'roster-unfilled');
			expect(recorded).toHaveLength(unfilled.length);
			await fetch(`${robots()}/__fake/reset`, { method: 'POST' });
			expectSuccess(await runWith('campusRosterGen1', 'Run now', period));
			expect(await dingtalkMessages()).toEqual([]);
		} finally {
			await clearTable('campus_staff');
			await server.insertRows('campus_staff', staffSample());
		}
	});
});

describe('Campus 11 On duty tomorrow', () => {
	const DAY = '2026-09-08';
	const staff = () => new Map(staffSample().map((s) => [s.staffId as string, s]));
	const seat = (personId: string, duty: string, role: string, shift: string, start: string, end: string, date = DAY, endDate = date): Row => {
		const s = staff().get(personId) as Row;
		return {
			rosterKey: `${date}|${duty}|${shift}|${personId}`,
			kind: 'assignment',
			assignmentId: `${date}|${duty}|${shift}`,
			date,
			endDate,
			duty,
			role,
			shift,
			cadence: date === endDate ? 'daily' : 'weekly',
			start,
			end,
			personId,
			personName: s.name,
			mobile: s.mobile,
			userId: s.userId,
			seat: 1,
			seats: 2,
			weight: 1,
		};
	};

	beforeAll(async () => {
		await clearTable('campus_roster');
		await clearTable('campus_reminders');
		await server.insertRows('campus_roster', [
			seat('T101', 'Gate A', 'guard', 'Day', `${DAY}T07:00:00+08:00`, `${DAY}T19:00:00+08:00`),
			seat('T102', 'Gate A', 'guard', 'Night', `${DAY}T19:00:00+08:00`, '2026-09-09T07:00:00+08:00'),
			seat('T001', 'Administrator on duty', 'admin', 'Day', `${DAY}T07:30:00+08:00`, `${DAY}T17:30:00+08:00`),
			// The duty cadre's week covers tomorrow.
			seat('T009', 'Duty cadre', 'cadre', 'Day', '2026-09-07T07:30:00+08:00', '2026-09-11T17:30:00+08:00', '2026-09-07', '2026-09-11'),
			// Not tomorrow: the day after, and a night that ends on 09-07.
			seat('T103', 'Gate B', 'guard', 'Day', '2026-09-09T07:00:00+08:00', '2026-09-09T19:00:00+08:00', '2026-09-09'),
			seat('T104', 'Gate B', 'guard', 'Night', '2026-09-06T19:00:00+08:00', '2026-09-07T07:00:00+08:00', '2026-09-06'),
		]);
	});

	it('reminds the people on duty tomorrow, mentioning them by mobile, once', async () => {
		const result = await runWith('campusDutyTmrw01', 'Run now', { date: DAY });
		expectSuccess(result);
		const messages = await dingtalkMessages();
		expect(messages).toHaveLength(1);
		const m = messages[0];
		const text = visibleText(m);
		const s = staff();
		const expected = ['T101', 'T102', 'T001', 'T009'];
		expect([...(m.body.at?.atMobiles ?? [])].sort()).toEqual(expected.map((id) => s.get(id)?.mobile).sort());
		for (const id of expected) expect(text).toContain(String(s.get(id)?.name));
		expect(text).not.toContain(String(s.get('T103')?.name));
		expect(text).not.toContain(String(s.get('T104')?.name));
		expect(text).toContain(`On duty tomorrow, ${DAY} (4)`);
		expect(text).toMatch(/【Gate A】/);
		expect(text).toContain('Night 19:00-07:00');
		expect(text).toContain('Day 07:30-Fri 17:30');
		expectPrivate(messages);
		const recorded = (await allRows('campus_reminders')).filter((r) => r.kind === 'duty-tomorrow');
		expect(recorded.map((r) => r.dedupeKey).sort()).toEqual(
			[
				`duty|${DAY}|Gate A|Day|T101`,
				`duty|${DAY}|Gate A|Night|T102`,
				`duty|${DAY}|Administrator on duty|Day|T001`,
				`duty|${DAY}|Duty cadre|Day|T009`,
			].sort(),
		);

		await fetch(`${robots()}/__fake/reset`, { method: 'POST' });
		const again = await runWith('campusDutyTmrw01', 'Run now', { date: DAY });
		expectSuccess(again);
		expect(await dingtalkMessages()).toEqual([]);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'duty-tomorrow')).toHaveLength(4);
	});
});

describe('Campus 12 Duty swap request', () => {
	const WF = 'campusDutySwap01';
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
	const staff = () => new Map(staffSample().map((s) => [s.staffId as string, s]));
	const row = (personId: string, date: string, duty: string, role: string, shift: string, start: string, end: string): Row => {
		const s = staff().get(personId) as Row;
		return {
			rosterKey: `${date}|${duty}|${shift}|1`,
			kind: 'assignment',
			assignmentId: `${date}|${duty}|${shift}`,
			date,
			endDate: date,
			duty,
			role,
			shift,
			cadence: 'daily',
			start,
			end,
			personId,
			personName: s.name,
			mobile: s.mobile,
			userId: s.userId,
			seat: 1,
			seats: 1,
			weight: 1.5,
		};
	};
	const ROSTER = [
		row('T001', today, 'Administrator on duty', 'admin', 'Day', `${today}T07:30:00+08:00`, `${today}T17:30:00+08:00`),
		row('T101', '2026-09-10', 'Gate A', 'guard', 'Night', '2026-09-10T19:00:00+08:00', '2026-09-11T07:00:00+08:00'),
		row('T102', '2026-09-12', 'Gate A', 'guard', 'Night', '2026-09-12T19:00:00+08:00', '2026-09-13T07:00:00+08:00'),
	];
	const who = async () =>
		Object.fromEntries(
			(await allRows('campus_roster')).filter((r) => r.duty === 'Gate A').map((r) => [r.assignmentId as string, r.personId]),
		);
	const UNCHANGED = { '2026-09-10|Gate A|Night': 'T101', '2026-09-12|Gate A|Night': 'T102' };

	const SECRETS: LinkSecrets = { current: 'demo-link-secret-change-me' };
	/** The requester's own duty swap link (Campus 06 sends it each month), as signed with the demo secret. */
	const swapLink = (staffId: string): string => {
		const { claims, sig } = issueLink(SECRETS, { purpose: 'duty-swap', person: staffId }, Math.floor(Date.now() / 1000), 1);
		return linkUrl(`${server.url}/form/campus-duty-swap`, claims, sig, { ...DEFAULT_LINK_FIELDS, id: 'staffId' });
	};

	/**
	 * Opens the swap form from the requester's own link as a teacher's browser does (the answers by
	 * field: date, duty, colleague, colleague's date and duty, shift, reason); returns the last page.
	 */
	async function submit([staffId, ...answers]: string[]): Promise<{ page: string; executionId: string }> {
		return openLink(swapLink(staffId), Object.fromEntries(answers.map((v, i) => [`field-${i}`, v])));
	}

	/** The approval link of a swap, delivered privately to the one approver (never to a group). */
	async function approvalCard(requestId: string): Promise<string> {
		const { to, link } = await privateApproval(SWAP_APPROVAL, requestId);
		expect(to).toBe(staff().get('T001')?.userId);
		expect(JSON.stringify(await dingtalkMessages())).not.toContain(SWAP_APPROVAL);
		return link;
	}
	const swapOf = async (requestId: string) => (await allRows('campus_swaps')).find((r) => r.requestId === requestId) as Row;

	const HANDOVER = ['T101', '2026-09-10', 'Gate A', 'T102', '', '-', '-', '家中有事 family matters'];
	const TWO_WAY = ['T101', '2026-09-10', 'Gate A', 'T102', '2026-09-12', 'Gate A', '-', '家中有事 family matters'];

	beforeAll(async () => {
		await clearTable('campus_staff');
		await server.insertRows('campus_staff', staffSample());
		await saveSettings(WF, { approvalFormUrl: `${server.url}${SWAP_APPROVAL}` });
		await server.activate(WF);
	});

	afterAll(async () => {
		await server.deactivate(WF);
	});

	beforeEach(async () => {
		await clearTable('campus_roster');
		await clearTable('campus_reminders');
		await clearTable('campus_swaps');
		await server.insertRows('campus_roster', ROSTER);
		await resetPrivate();
	});

	it('rejects a swap that breaks a rule on the form, with the reason, and asks nobody', async () => {
		// T010 is a teacher: a guard post needs the role "guard".
		const { page } = await submit(['T101', '2026-09-10', 'Gate A', 'T010', '', '-', '-', 'test']);
		expect(page).toContain('The swap is not possible');
		expect(page).toContain(`${staff().get('T010')?.name} does not have the role "guard" that Gate A needs`);
		expect(await dingtalkMessages()).toEqual([]);
		expect(await who()).toEqual(UNCHANGED);
	});

	it('approved: a preview GET of the link changes nothing, the approver\'s POST swaps both rows once and tells both people', async () => {
		const { page, executionId } = await submit(TWO_WAY);
		expect(page).toContain('Sent for approval');
		const link = await approvalCard(executionId);
		const sent = (await appJournal()).filter((d) => JSON.stringify(d.body).includes(SWAP_APPROVAL));
		expect(sent.map((d) => d.to)).toEqual([staff().get('T001')?.userId]);
		expect(JSON.stringify(sent[0].body)).toContain('family matters');
		expect(await dingtalkMessages()).toEqual([]);
		expect(await swapOf(executionId)).toMatchObject({ status: 'pending', requesterId: 'T101', colleagueId: 'T102' });

		// A chat app's link preview: GET shows the first page only and changes nothing.
		const preview = await fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' } });
		expect(preview.status).toBe(200);
		expect(await preview.text()).not.toContain('family matters');
		expect((await swapOf(executionId)).status).toBe('pending');
		expect(await who()).toEqual(UNCHANGED);

		const { page: decision } = await decideLink(link, 'Approve', 'ok');
		expect(decision).toContain('family matters');
		expect(decision).toContain('审批人 Approver: 胡绿');
		expect(await who()).toEqual({ '2026-09-10|Gate A|Night': 'T102', '2026-09-12|Gate A|Night': 'T101' });
		expect(await swapOf(executionId)).toMatchObject({ status: 'approved', approverId: 'T001', approverName: '胡绿' });
		const rows = await allRows('campus_roster');
		const swapped = rows.find((x) => x.assignmentId === '2026-09-10|Gate A|Night') as Row;
		expect(swapped).toMatchObject({ personName: '郭雪桂英', mobile: '13900000102', userId: 'ut102' });
		expect(String(swapped.note)).toMatch(/^swap \d+: from 欧阳子涵, approved by 胡绿 /);
		const told = (await dingtalkMessages()).filter((m) => m.body.msgtype === 'text' && visibleText(m).includes('approved'));
		expect(told).toHaveLength(1);
		expect([...(told[0].body.at?.atMobiles ?? [])].sort()).toEqual(['13900000101', '13900000102']);
		expect(visibleText(told[0])).toContain('欧阳子涵');
		expect(visibleText(told[0])).toContain('郭雪桂英');
		expectPrivate(await dingtalkMessages());
		expect((await allRows('campus_reminders')).map((x) => x.kind).sort()).toEqual(['duty-swap', 'swap-approval']);
		expect((await allRows('campus_reminders')).find((x) => x.kind === 'swap-approval')?.recipient).toBe('T001');

		// The same link again: "Already decided", and nothing changes.
		const again = await openApproval(link);
		await finishApproval(again);
		expect(again.page).toContain('Already decided');
		expect(await who()).toEqual({ '2026-09-10|Gate A|Night': 'T102', '2026-09-12|Gate A|Night': 'T101' });
	});

	it('declined: the roster stays, the requester hears "not approved"', async () => {
		const { executionId } = await submit(HANDOVER);
		await decideLink(await approvalCard(executionId), 'Decline', '人手不够 short of staff');
		expect(await who()).toEqual(UNCHANGED);
		expect(await swapOf(executionId)).toMatchObject({ status: 'declined', approverName: '胡绿' });
		const told = (await dingtalkMessages()).filter((m) => m.body.msgtype === 'text' && visibleText(m).includes('not approved'));
		expect(told).toHaveLength(1);
		expect(visibleText(told[0])).toContain('declined: 人手不够 short of staff');
		expect(told[0].body.at?.atMobiles).toEqual(['13900000101']);
		expectPrivate(await dingtalkMessages());
	});

	it('no answer in time counts as not approved', async () => {
		// A published workflow keeps running the version it was published with: unpublish, save, publish.
		await server.deactivate(WF);
		await saveSettings(WF, { approvalWaitMinutes: 0.02 });
		await server.activate(WF);
		try {
			const { executionId } = await submit(HANDOVER);
			await approvalCard(executionId);
			const approval = String((await allRows('campus_reminders')).find((r) => r.kind === 'swap-approval')?.executionId);
			const waiting = await server.waitForExecution(approval, 60_000, ['waiting', 'success']);
			expect(outputOf(waiting, 'Approval requested')[0].approvalWaitMinutes).toBe(0.02);
			// n8n resumes timed-out waits from its wait tracker, which looks every minute.
			expectSuccess(await server.waitForExecution(approval, 150_000));
			expect(await who()).toEqual(UNCHANGED);
			expect((await swapOf(executionId)).status).toBe('expired');
			const told = (await dingtalkMessages()).filter((m) => m.body.msgtype === 'text' && visibleText(m).includes('not approved'));
			expect(told).toHaveLength(1);
			expect(visibleText(told[0])).toContain('no answer in time');
		} finally {
			await server.deactivate(WF);
			await saveSettings(WF, { approvalWaitMinutes: 240 });
			await server.activate(WF);
		}
	}, 240_000);
});
