/**
 * The Teaching Accounts ready-made workflows (campus-30 to -33) imported and run in a real n8n,
 * against the fake Google Workspace (test/fakes/google.ts) and the fake DingTalk robot.
 */
import { n8n, state } from './client';
import { delay, loadSampleSchool, outputOf, sampleSchool, type ExecutionResult } from './harness';
import { appJournal, formDriver, mailbox, pathOf, resetPrivate } from './forms';
import { everyInitialPassword, executionsHolding, IT_LEAD, planUntilAsked, publishProvisioning, runOf, startPlanning, WF_PROVISION, WF_SHEETS } from './account-approval';
import { CREDENTIAL_IDS } from './fakes';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText } from './robots';

const server = n8n();
const google = () => state().fakes.google;
const MOBILE = /1[3-9]\d{9}/;

const WF_AUDIT = 'campusLoginAudt1';
const WF_SURVEY = 'campusDevSurvey1';
const WF_SURVEY_SUMMARY = 'campusDevSumm001';

type Row = Record<string, unknown>;
interface GoogleState {
	users: Array<{ primaryEmail: string; orgUnitPath: string; externalIds?: Array<{ value: string }>; lastLoginTime: string }>;
	orgUnits: Array<{ orgUnitPath: string }>;
	courses: Array<{ id: string; name: string; section: string; ownerId: string }>;
	teachers: Record<string, string[]>;
	students: Record<string, string[]>;
	counters: { insertsAccepted: number; faultsInjected: number; rateLimited: number; duplicates: number };
}

const school = sampleSchool();
const students = school.students as Array<{ studentId: string; name: string; className: string }>;
const staff = school.staff as Array<{ staffId: string; name: string; roles: string; mobile: string }>;
const classes = school.classes as Array<{ className: string; headTeacherId: string }>;
const teachers = staff.filter((s) => s.roles.includes('teacher'));
const PEOPLE = [...students.map((s) => s.studentId), ...teachers.map((t) => t.staffId)].sort();
const headTeacher = (className: string) => staff.find((s) => s.staffId === classes.find((c) => c.className === className)?.headTeacherId)!;


async function googleState(): Promise<GoogleState> {
	return (await (await fetch(`${google()}/__fake/state`)).json()) as GoogleState;
}
async function googlePost(path: string, body?: unknown): Promise<void> {
	const r = await fetch(`${google()}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
	expect(r.status).toBe(200);
}


/** All rows of a table (n8n gives at most 250 a page). */
async function allRows(name: string): Promise<Row[]> {
	return server.rows(name);
}

async function clearTable(name: string): Promise<void> {
	await server.clearRows(name);
	expect(await allRows(name)).toEqual([]);
}

/** A provisioning approval runs up to 4 minutes (the 403 bursts); a whole test up to 7. */
const PROVISION_TIMEOUT_MS = 420_000;
const { openApproval } = formDriver(server);
const PREVIEW = { 'user-agent': 'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)' };
const lead = staff.find((s) => s.staffId === IT_LEAD) as (typeof staff)[number] & { userId: string; email: string; name: string };

/**
 * The IT lead decides through their private link as their browser does: open (GET, then POST the
 * signed link), answer the decision page, and read the page that follows (after provisioning).
 */
async function decide(link: string, decision: 'Approve' | 'Decline', comment = ''): Promise<{ page: string; done: string; result: ExecutionResult }> {
	const opened = await openApproval(link);
	expect(opened.page).toContain('Decision');
	const form = new FormData();
	form.append('field-0', decision);
	form.append('field-1', comment);
	const r = await server.raw('POST', pathOf(opened.next), form);
	expect(r.status).toBeLessThan(400);
	await server.waitForExecution(opened.executionId, 300_000, ['waiting', 'error', 'crashed', 'success']);
	const done = await (await server.raw('GET', pathOf(opened.next))).text();
	await server.raw('POST', pathOf(opened.next), new FormData());
	const result = await server.waitForExecution(opened.executionId, 300_000);
	expectSuccess(result);
	return { page: opened.page, done, result };
}

/** A planning run and its approval: the summary the IT lead saw and the approval run. */
async function provision(decision: 'Approve' | 'Decline'): Promise<{ page: string; done: string; result: ExecutionResult; id: string }> {
	const { id, to, link } = await planUntilAsked(server);
	expect(to).toBe(lead.userId);
	const { page, done, result } = await decide(link, decision, decision === 'Approve' ? 'ok' : '名单还要核对 roster to check');
	return { page, done, result, id };
}

function expectEveryoneOnce(g: GoogleState): void {
	const ids = g.users.map((u) => u.externalIds?.[0]?.value ?? '').sort();
	expect(ids).toEqual(PEOPLE);
	expect(new Set(g.users.map((u) => u.primaryEmail)).size).toBe(PEOPLE.length);
}

function expectClassesAndCourses(g: GoogleState): void {
	const units = g.orgUnits.map((u) => u.orgUnitPath);
	expect(units).toEqual(expect.arrayContaining(['/Students', '/Teachers', ...classes.map((c) => `/Students/${c.className}`)]));
	expect(g.courses).toHaveLength(classes.length);
	const emailOf = new Map(g.users.map((u) => [u.externalIds?.[0]?.value, u.primaryEmail]));
	for (const c of classes) {
		const course = g.courses.find((x) => x.section === c.className);
		expect(course?.ownerId).toBe(emailOf.get(c.headTeacherId));
	}
	// Each course holds exactly the pupils of one class; every pupil is in one course.
	const classOf = new Map(students.map((s) => [emailOf.get(s.studentId), s.className]));
	expect(Object.keys(g.students)).toHaveLength(classes.length);
	for (const members of Object.values(g.students)) expect(new Set(members.map((m) => classOf.get(m))).size).toBe(1);
	const members = Object.values(g.students).flat().sort();
	expect(members).toEqual(students.map((s) => emailOf.get(s.studentId)).sort());
}

beforeAll(async () => {
	await loadSampleSchool(server);
	for (const t of ['campus_accounts', 'campus_account_runs', 'campus_reminders', 'campus_device_survey']) await clearTable(t);
	await googlePost('/__fake/reset');
	await resetRobots();
	await publishProvisioning(server);
}, 120_000);

afterAll(async () => {
	await server.deactivate(WF_PROVISION).catch(() => undefined);
});

/** Group messages (the IT group robot) that carry a link to an approval page. */
const linksInGroup = async () => (await dingtalkMessages()).filter((m) => /\/form(-waiting)?\//.test(JSON.stringify(m.body)));

describe('Campus 30 Provision teaching accounts', () => {
	it('without an IT lead (itLeadStaffId empty or unknown): no link anywhere; the IT group is told what to set; nothing is created', async () => {
		try {
			for (const value of ['', 'T999']) {
				await publishProvisioning(server, { itLeadStaffId: value });
				await resetRobots();
				await resetPrivate();
				const before = (await allRows('campus_account_runs')).length;
				const id = await startPlanning(server);
				expectSuccess(await server.waitForExecution(id, 120_000));
				const told = (await dingtalkMessages()).map(visibleText).join('\n');
				expect(told).toContain('itLeadStaffId');
				if (value) expect(told).toContain('T999');
				expect(told).toContain(`新建 create: ${PEOPLE.length}`);
				expect(told).not.toMatch(/https?:\/\//);
				expect(await appJournal()).toEqual([]);
				expect(await mailbox()).toEqual([]);
				expect((await allRows('campus_account_runs')).length).toBe(before);
			}
			expect((await googleState()).users).toHaveLength(0);
		} finally {
			await publishProvisioning(server);
		}
	});

	it("declined: the IT lead alone gets the link with the counts; a preview changes nothing; the decision names them; a replay is refused; nothing is created", async () => {
		const { id, to, link } = await planUntilAsked(server);
		expect(to).toBe(lead.userId);
		const delivered = await appJournal();
		expect(delivered.map((d) => d.to)).toEqual([lead.userId]);
		expect(JSON.stringify(delivered[0].body)).toContain(`新建 create: ${PEOPLE.length}`);
		expect(JSON.stringify(delivered[0].body)).not.toMatch(MOBILE);
		expect(await linksInGroup()).toEqual([]);
		expect(await mailbox()).toEqual([]);
		expect(await runOf(server, id)).toMatchObject({ status: 'pending', approverId: IT_LEAD, create: PEOPLE.length, keep: 0, conflict: 0 });

		const before = await googleState();
		const preview = await fetch(link, { headers: PREVIEW });
		expect(preview.status).toBe(200);
		expect(await preview.text()).not.toContain('新建 create');
		await delay(1000);
		expect((await runOf(server, id))?.status).toBe('pending');

		const { page, done, result } = await decide(link, 'Decline', '名单还要核对 roster to check');
		expect(page).toContain(`新建 create: ${PEOPLE.length}`);
		expect(page).toContain(`审批人 Approver: ${lead.name}`);
		expect(done).toContain('Decision recorded');
		expect(result.nodes['Provision Google Workspace']).toBeUndefined();
		expect(await runOf(server, id)).toMatchObject({ status: 'declined', approverId: IT_LEAD, approverName: lead.name });

		const again = await openApproval(link);
		expect(again.page).toContain('Already decided');
		await server.raw('POST', pathOf(again.next), new FormData());
		expectSuccess(await server.waitForExecution(again.executionId, 60_000));
		expect((await runOf(server, id))?.status).toBe('declined');

		const g = await googleState();
		expect(g.counters).toEqual(before.counters);
		expect(g.users).toHaveLength(0);
		expect(g.courses).toHaveLength(0);
		expect(g.orgUnits.map((u) => u.orgUnitPath)).toEqual(['/']);
		expect(await allRows('campus_accounts')).toHaveLength(0);
	}, PROVISION_TIMEOUT_MS);

	it('not decided in time: the run expires and its link then changes nothing', async () => {
		await publishProvisioning(server, { approvalWaitMinutes: 0.1 });
		try {
			const { id, link } = await planUntilAsked(server);
			for (let i = 0; i < 100 && (await runOf(server, id))?.status !== 'expired'; i++) await delay(300);
			expect((await runOf(server, id))?.status).toBe('expired');
			const late = await openApproval(link);
			expect(late.page).toMatch(/Already decided|Link not valid/);
			expect(late.page).not.toContain('新建 create');
			await server.raw('POST', pathOf(late.next), new FormData());
			expectSuccess(await server.waitForExecution(late.executionId, 60_000));
			expect((await runOf(server, id))?.status).toBe('expired');
			expect((await googleState()).users).toHaveLength(0);
		} finally {
			await publishProvisioning(server);
		}
	}, PROVISION_TIMEOUT_MS);

	it('approved: every pupil and teacher once, an org unit and a course per class, accounts stored; each class teacher is emailed their class sheet only; no stored execution holds a password', async () => {
		await fetch(`${state().fakes.smtp}/__fake/reset`, { method: 'POST' }).catch(() => undefined);
		const { done, result, id } = await provision('Approve');
		expect(done).toContain('Accounts provisioned');
		expect(done).toContain(`新建 created ${PEOPLE.length}`);
		expect(outputOf(result, 'Provision Google Workspace', 1)).toEqual([]);
		expect(await runOf(server, id)).toMatchObject({ status: 'approved', approverName: lead.name });
		const g = await googleState();
		expectEveryoneOnce(g);
		expectClassesAndCourses(g);
		const pupil = g.users.find((u) => u.externalIds?.[0]?.value === students[0].studentId)!;
		expect(pupil.orgUnitPath).toBe(`/Students/${students[0].className}`);

		const stored = await allRows('campus_accounts');
		expect(stored.map((r) => r.personId).sort()).toEqual(PEOPLE);
		expect(stored.filter((r) => r.isClassTeacher === true)).toHaveLength(classes.length);
		expect(JSON.stringify(stored)).not.toMatch(/初始密码|password/i);

		// One xlsx per class to its class teacher's account, the staff sheet to the IT lead, nobody else.
		const emailOf = new Map(stored.map((r) => [r.personId, String(r.primaryEmail)]));
		const mail = (await mailbox()).filter((m) => /初始密码表/.test(m.subject));
		const expected = [
			...classes.map((c) => ({ to: emailOf.get(c.headTeacherId), file: `passwords-${c.className}.xlsx` })),
			{ to: lead.email, file: 'passwords-staff.xlsx' },
		];
		expect(mail.map((m) => ({ to: m.to.join(), files: (m as { attachments?: string[] }).attachments })).sort((a, b) => String(a.to).localeCompare(String(b.to)))).toEqual(
			expected.map((e) => ({ to: e.to, files: [e.file] })).sort((a, b) => String(a.to).localeCompare(String(b.to))),
		);
		expect(outputOf(result, 'Send the password sheets')[0]).toMatchObject({ sent: classes.length + 1, failed: '' });

		// The group hears the counts; no link and no password reach it.
		const told = (await dingtalkMessages()).find((m) => m.body.msgtype === 'text');
		expect(visibleText(told!)).toContain(`新建 created ${PEOPLE.length}`);
		expect(await linksInGroup()).toEqual([]);

		// No execution n8n keeps (of Campus 30 or of its password-sheets workflow) holds an initial password.
		const passwords = everyInitialPassword();
		const { read, holding } = await executionsHolding(server, [WF_PROVISION, WF_SHEETS], passwords);
		expect(read).toBeGreaterThan(0);
		expect(holding).toEqual([]);
		expect(await server.executions(WF_SHEETS)).toEqual([]);
	}, PROVISION_TIMEOUT_MS);

	it('a second approved run creates nothing new', async () => {
		const before = await googleState();
		const { page, result } = await provision('Approve');
		expect(page).toContain('新建 create: 0');
		expect(page).toContain(`保留 keep: ${PEOPLE.length}`);
		const users = outputOf(result, 'Provision Google Workspace').filter((i) => i.kind === 'user');
		expect(users).toHaveLength(PEOPLE.length);
		expect(users.every((u) => u.result === 'exists')).toBe(true);
		const after = await googleState();
		expect(after.counters.insertsAccepted).toBe(before.counters.insertsAccepted);
		expect(after.courses).toHaveLength(classes.length);
		expect(after.orgUnits).toHaveLength(before.orgUnits.length);
		expectEveryoneOnce(after);
		expect((await allRows('campus_accounts')).length).toBe(PEOPLE.length);
	}, PROVISION_TIMEOUT_MS);

	it('the roster changed between the plan and the approval: nothing is provisioned and the IT lead is told to run again', async () => {
		const newcomer = { studentId: '20261199', name: '新同学', classId: 'C11', className: classes[0].className, role: 'student', guardianMobile: '' };
		const { id, link } = await planUntilAsked(server);
		const before = await googleState();
		await server.insertRows('campus_students', [newcomer]);
		try {
			const { done, result } = await decide(link, 'Approve');
			expect(done).toContain('Roster changed');
			expect(result.nodes['Provision Google Workspace']).toBeUndefined();
			expect((await googleState()).counters.insertsAccepted).toBe(before.counters.insertsAccepted);
			expect(await runOf(server, id)).toMatchObject({ status: 'approved', comment: expect.stringContaining('roster changed') });
		} finally {
			await server.clearRows('campus_students');
			await server.insertRows('campus_students', school.students);
		}
	}, PROVISION_TIMEOUT_MS);

	it('403 userRateLimitExceeded bursts and 5xx answers: nobody lost or duplicated', async () => {
		await googlePost('/__fake/reset');
		await clearTable('campus_accounts');
		await googlePost('/__fake/fault', { status: 403, reason: 'userRateLimitExceeded', api: 'directory', count: 12, every: 3 });
		await googlePost('/__fake/fault', { status: 503, count: 8, every: 5 });
		await googlePost('/__fake/fault', { status: 429, api: 'classroom', count: 6, every: 4 });
		const { result } = await provision('Approve');
		expect(outputOf(result, 'Provision Google Workspace', 1)).toEqual([]);
		const g = await googleState();
		expect(g.counters.faultsInjected).toBe(26);
		expectEveryoneOnce(g);
		expectClassesAndCourses(g);
		expect((await allRows('campus_accounts')).map((r) => r.personId).sort()).toEqual(PEOPLE);
		await googlePost('/__fake/recover');
	}, PROVISION_TIMEOUT_MS);
});

describe('Google Workspace (School) credential in n8n', () => {
	it('tests as n8n runs it: preAuthentication gets a token with the four scopes, then one Directory read; a refusal names the fix, never the key', async () => {
		const creds = (await (await fetch(`${google()}/__fake/credentials`)).json()) as Record<string, string>;
		const test = (data: Record<string, string>) =>
			server.api<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id: CREDENTIAL_IDS.google, name: 'School Google Workspace', type: 'googleWorkspaceSchoolApi', data: { ...data, passwordSecret: 'x', accessToken: '' } },
			});
		const before = (await googleState()) as GoogleState & { counters: { tokens: number } };
		const ok = await test(creds);
		expect(ok.status).toBe('OK');
		expect(((await googleState()) as GoogleState & { counters: { tokens: number } }).counters.tokens).toBe(before.counters.tokens + 1);
		const bad = await test({ ...creds, delegatedUser: '' });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/Google refused the service account token.*domain-wide delegation/);
		expect(bad.message).not.toMatch(/PRIVATE KEY/);
	});
});

describe('Campus 31 Weekly login audit', () => {
	// Uses the accounts Campus 30 made above.
	const NEVER = [students[0], students[3], students[15]];
	const STALE = [students[40]];

	beforeAll(async () => {
		const g = await googleState();
		expect(g.users).toHaveLength(PEOPLE.length);
		const emailOf = new Map(g.users.map((u) => [u.externalIds?.[0]?.value, u.primaryEmail]));
		const skip = new Set([...NEVER, ...STALE].map((s) => s.studentId));
		await googlePost('/__fake/login', { emails: PEOPLE.filter((p) => !skip.has(p)).map((p) => emailOf.get(p)) });
		await googlePost('/__fake/login', {
			emails: STALE.map((s) => emailOf.get(s.studentId)),
			at: new Date(Date.now() - 20 * 86400000).toISOString(),
		});
		await clearTable('campus_reminders');
		await resetRobots();
	});

	it('reminds the class teachers, naming exactly the pupils who never or long ago logged in, without phone numbers', async () => {
		const result = await server.run(WF_AUDIT, 'Schedule');
		expectSuccess(result);
		const found = outputOf(result, 'Pupils to remind');
		expect(found.map((i) => i.personId).sort()).toEqual([...NEVER, ...STALE].map((s) => s.studentId).sort());
		const sent = await dingtalkMessages();
		expect(sent.length).toBeGreaterThan(0);
		const text = sent.map(visibleText).join('\n');
		const named = [...text.matchAll(/^- ([^:：\n]+)[:：]/gm)].map((m) => m[1].trim()).sort();
		expect(named).toEqual([...NEVER, ...STALE].map((s) => s.name).sort());
		for (const s of NEVER) expect(text).toContain(`- ${s.name}: 从未登录`);
		expect(text).toContain(`- ${STALE[0].name}: 20 天未登录`);
		for (const s of [...NEVER, ...STALE]) expect(text).toContain(`【${s.className} 班主任 ${headTeacher(s.className).name}】`);
		expect(text).not.toMatch(MOBILE);
		const mentioned = sent.flatMap((m) => m.body.at?.atMobiles ?? []);
		expect([...new Set(mentioned)].sort()).toEqual([...new Set([...NEVER, ...STALE].map((s) => headTeacher(s.className).mobile))].sort());
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'login audit')).toHaveLength(NEVER.length + STALE.length);
	});

	it('sends nothing new when it runs again in the same week', async () => {
		const before = (await dingtalkMessages()).length;
		const result = await server.run(WF_AUDIT, 'Schedule');
		expectSuccess(result);
		expect(outputOf(result, 'Pupils to remind')).toHaveLength(NEVER.length + STALE.length);
		expect((await dingtalkMessages()).length).toBe(before);
		expect((await allRows('campus_reminders')).filter((r) => r.kind === 'login audit')).toHaveLength(NEVER.length + STALE.length);
	});
});

/**
 * Fills an n8n form as a browser does: answers by the ids n8n renders (field-0, field-1...), then
 * follows n8n's form-waiting page to the completion text.
 */
async function submitForm(url: string, answers: Record<string, string>): Promise<{ status: number; html: string }> {
	let page = await fetch(url);
	for (let i = 0; page.status === 404 && i < 50; i++) {
		await delay(200);
		page = await fetch(url);
	}
	expect(page.status).toBe(200);
	await page.text();
	const body = new FormData();
	for (const [k, v] of Object.entries(answers)) body.append(k, v);
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
	return { status: r.status, html: text };
}

describe('Campus 32 Home device survey and Campus 33 follow-up', () => {
	const [a, b, c, d] = [students[1], students[2], students[25], students[60]];
	const answer = (s: typeof a, computer: string, phone: string, internet: string) => ({
		'field-0': s.studentId,
		'field-1': s.name,
		'field-2': s.className,
		'field-3': computer,
		'field-4': phone,
		'field-5': internet,
	});

	beforeAll(async () => {
		await server.activate(WF_SURVEY);
		await resetRobots();
	});
	afterAll(async () => {
		await server.deactivate(WF_SURVEY);
	});

	it('stores the guardians\' answers', async () => {
		const form = `${server.url}/form/campus-device-survey`;
		for (const fields of [
			answer(a, '无 No', '无 No', '无 None'),
			answer(b, '有 Yes', '有 Yes', '宽带/WiFi Broadband'),
			answer(c, '无 No', '无 No', '仅手机流量 Mobile data only'),
			answer(d, '无 No', '无 No', '无 None'),
			// d's guardian corrects the answer: the latest counts.
			answer(d, '无 No', '有 Yes', '仅手机流量 Mobile data only'),
		]) {
			const r = await submitForm(form, fields);
			expect(r.html).toContain('提交成功');
		}
		const rows = await allRows('campus_device_survey');
		expect(rows).toHaveLength(5);
		expect(rows.find((r) => r.studentId === a.studentId)).toMatchObject({ name: a.name, class: a.className, computer: '无', phoneOrTablet: '无', internet: '无 None', surveyRound: '2026-autumn' });
		expect(rows.find((r) => r.studentId === b.studentId)).toMatchObject({ computer: '有', phoneOrTablet: '有' });
	});

	it('tells each class teacher the pupils with no device, once', async () => {
		const result = await server.run(WF_SURVEY_SUMMARY, 'Schedule');
		expectSuccess(result);
		const sent = await dingtalkMessages();
		expect(sent.length).toBeGreaterThan(0);
		const text = sent.map(visibleText).join('\n');
		const named = [...text.matchAll(/^- ([^:：\n]+)[:：]/gm)].map((m) => m[1].trim()).sort();
		expect(named).toEqual([a.name, c.name].sort());
		for (const s of [a, c]) {
			const section = text.split('【').find((x) => x.startsWith(`${s.className} 班主任 ${headTeacher(s.className).name}】`));
			expect(section).toContain(`- ${s.name}: 家中无电脑、手机或平板`);
		}
		expect(text).not.toMatch(MOBILE);
		expect([...new Set(sent.flatMap((m) => m.body.at?.atMobiles ?? []))].sort()).toEqual(
			[...new Set([a, c].map((s) => headTeacher(s.className).mobile))].sort(),
		);
		const again = await server.run(WF_SURVEY_SUMMARY, 'Schedule');
		expectSuccess(again);
		expect((await dingtalkMessages()).length).toBe(sent.length);
	});
});
