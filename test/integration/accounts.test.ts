/**
 * The Teaching Accounts ready-made workflows (campus-30 to -33) imported and run in a real n8n,
 * against the fake Google Workspace (test/fakes/google.ts) and the fake DingTalk robot.
 */
import { n8n, state } from './client';
import { delay, loadSampleSchool, outputOf, sampleSchool, setSettings, type ExecutionResult, type WorkflowJson } from './harness';
import { appJournal, mailbox, resetPrivate } from './forms';
import { CREDENTIAL_IDS } from './fakes';
import { dingtalkMessages, expectSuccess, resetRobots, visibleText, type DingMessage } from './robots';

const server = n8n();
const google = () => state().fakes.google;
const MOBILE = /1[3-9]\d{9}/;

const WF_PROVISION = 'campusProvAcct01';
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

/** A provisioning run waits for its approval (up to 2 minutes) and then runs (up to 4). */
const PROVISION_TIMEOUT_MS = 420_000;

/** Starts a run as the editor's "Execute workflow" does, without waiting for it to end. */
async function start(id: string, trigger: string): Promise<string> {
	const workflowData = (await server.workflow(id)) as unknown as WorkflowJson;
	const r = await server.api<{ executionId: string }>('POST', `/rest/workflows/${id}/run`, {
		workflowData,
		triggerToStartFrom: { name: trigger },
	});
	return r.executionId;
}

const path = (url: string) => {
	const u = new URL(url);
	return u.pathname + u.search;
};

async function approvalCard(): Promise<DingMessage> {
	for (let i = 0; i < 300; i++) {
		const card = (await dingtalkMessages()).find((m) => m.body.msgtype === 'actionCard');
		if (card) return card;
		await delay(200);
	}
	throw new Error('No approval card reached the robot');
}

/**
 * Runs Campus 30 up to its approval, checks that opening the link (a chat preview's GET) changes
 * nothing, then answers the approval form as the IT lead's browser does.
 */
async function provision(decision: 'Approve' | 'Decline'): Promise<{ result: ExecutionResult; card: DingMessage }> {
	const { id, card } = await untilDecided(decision);
	const result = await server.waitForExecution(id, 240_000);
	expectSuccess(result);
	return { result, card };
}

/** Runs Campus 30 up to its approval and answers it; returns without waiting for the run to end. */
async function untilDecided(decision: 'Approve' | 'Decline'): Promise<{ id: string; card: DingMessage }> {
	await resetRobots();
	const id = await start(WF_PROVISION, 'Start');
	const waiting = await server.waitForExecution(id, 120_000, ['waiting', 'success', 'error', 'crashed']);
	expect([waiting.status, waiting.error]).toEqual(['waiting', undefined]);
	const card = await approvalCard();
	const link = card.body.actionCard!.singleURL;
	expect(link).toContain(`/${id}`);
	const stateBefore = await googleState();
	const preview = await server.raw('GET', path(link));
	expect(preview.status).toBe(200);
	expect(await preview.text()).toContain('Approve');
	await delay(500);
	expect((await server.execution(id)).status).toBe('waiting');
	expect((await googleState()).counters).toEqual(stateBefore.counters);

	const form = new FormData();
	form.append('field-0', decision);
	form.append('field-1', decision === 'Approve' ? 'ok' : '名单还要核对 roster to check');
	const r = await server.raw('POST', path(link), form);
	expect(r.status).toBeLessThan(400);
	return { id, card };
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
	for (const t of ['campus_accounts', 'campus_reminders', 'campus_device_survey']) await clearTable(t);
	await googlePost('/__fake/reset');
	await resetRobots();
});

describe('Campus 30 Provision teaching accounts', () => {
	it('declined: asks the IT lead with the counts, and creates nothing', async () => {
		const { result, card } = await provision('Decline');
		expect(visibleText(card)).toContain(`新建 create: ${PEOPLE.length}`);
		expect(visibleText(card)).not.toMatch(MOBILE);
		expect(outputOf(result, 'Plan summary')[0]).toMatchObject({ create: PEOPLE.length, keep: 0, conflict: 0 });
		expect(result.nodes['Provision Google Workspace']).toBeUndefined();
		const g = await googleState();
		expect(g.users).toHaveLength(0);
		expect(g.courses).toHaveLength(0);
		expect(g.orgUnits.map((u) => u.orgUnitPath)).toEqual(['/']);
		expect(await allRows('campus_accounts')).toHaveLength(0);
	});

	it('with itLeadStaffId set: the approval goes to the IT lead alone by DingTalk work notification, no card in the group; declined, nothing created', async () => {
		const lead = (sampleSchool().staff as Array<{ staffId: string; userId?: string }>).find((s) => s.userId)!;
		await server.saveWorkflow(WF_PROVISION, (wf) => setSettings(wf, { itLeadStaffId: lead.staffId }));
		try {
			await resetRobots();
			await resetPrivate();
			const id = await start(WF_PROVISION, 'Start');
			const waiting = await server.waitForExecution(id, 120_000, ['waiting', 'success', 'error', 'crashed']);
			expect([waiting.status, waiting.error]).toEqual(['waiting', undefined]);
			const delivered = (await appJournal()).filter((d) => JSON.stringify(d.body).includes(`/${id}`));
			expect(delivered).toHaveLength(1);
			expect(String(delivered[0].to)).toContain(String(lead.userId));
			expect(await mailbox()).toEqual([]);
			expect((await dingtalkMessages()).filter((m) => m.body.msgtype === 'actionCard')).toEqual([]);
			const link = [...JSON.stringify(delivered[0].body).matchAll(/https?:\/\/[^"\\\s]+/g)].map((m) => m[0]).find((u) => u.includes(`/${id}`))!;
			expect(link).toBeTruthy();
			const form = new FormData();
			form.append('field-0', 'Decline');
			form.append('field-1', '名单还要核对 roster to check');
			const r = await server.raw('POST', path(link), form);
			expect(r.status).toBeLessThan(400);
			const result = await server.waitForExecution(id, 240_000);
			expectSuccess(result);
			expect(result.nodes['Provision Google Workspace']).toBeUndefined();
			expect((await googleState()).users).toHaveLength(0);
		} finally {
			await server.saveWorkflow(WF_PROVISION, (wf) => setSettings(wf, { itLeadStaffId: '' }));
		}
	});

	it('approved: every pupil and teacher once, an org unit and a course per class, accounts stored, a password sheet per class', async () => {
		const { result } = await provision('Approve');
		expect(outputOf(result, 'Provision Google Workspace', 1)).toEqual([]);
		const g = await googleState();
		expectEveryoneOnce(g);
		expectClassesAndCourses(g);
		const pupil = g.users.find((u) => u.externalIds?.[0]?.value === students[0].studentId)!;
		expect(pupil.orgUnitPath).toBe(`/Students/${students[0].className}`);

		const stored = await allRows('campus_accounts');
		expect(stored.map((r) => r.personId).sort()).toEqual(PEOPLE);
		expect(stored.filter((r) => r.isClassTeacher === true)).toHaveLength(classes.length);

		// One xlsx per class (and one for the staff), each addressed to the class teacher.
		const files = outputOf(result, 'Initial-password sheets');
		expect(files.map((f) => f.file).sort()).toEqual([...classes.map((c) => `passwords-${c.className}.xlsx`), 'passwords-staff.xlsx'].sort());
		const first = files.find((f) => f.file === `passwords-${classes[0].className}.xlsx`)!;
		const teacherEmail = stored.find((r) => r.personId === classes[0].headTeacherId)?.primaryEmail;
		expect(first.recipientEmail).toBe(teacherEmail);
		const raw = result.raw as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ binary?: Record<string, { fileName: string; mimeType: string }> }>> } }>> } };
		const made = raw.resultData.runData['Make the xlsx'].map((run) => run.data.main[0][0].binary?.data);
		expect(made.map((b) => b?.fileName).sort()).toEqual(files.map((f) => f.file).sort());
		expect(made[0]?.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		// Plain passwords never reach the table.
		expect(JSON.stringify(stored)).not.toMatch(/初始密码|password/i);

		const told = (await dingtalkMessages()).find((m) => m.body.msgtype === 'text');
		expect(visibleText(told!)).toContain(`新建 created ${PEOPLE.length}`);
	}, PROVISION_TIMEOUT_MS);

	it('a second approved run creates nothing new', async () => {
		const before = await googleState();
		const { result, card } = await provision('Approve');
		expect(visibleText(card)).toContain('新建 create: 0');
		expect(visibleText(card)).toContain(`保留 keep: ${PEOPLE.length}`);
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
	});
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
