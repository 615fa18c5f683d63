/**
 * The ready-made workflows that address one person, in a real n8n (issue 18, issue 19 point 5):
 * Campus 01 fever alerts, Campus 44 not-back reminders, Campus 11 on-duty reminders and Campus 04
 * disinfection reminders reach the person privately (a DingTalk work notification, or an email
 * where campus_staff.reachBy says so), each once; whoever cannot be reached privately is named to
 * the administrators; and no group message carries a temperature, a symptom or a phone number.
 * Who got what is read from the fake apps' journal, the fake SMTP server's mailbox and the fake
 * robots' journal of accepted messages.
 */
import { DEFAULT_LINK_FIELDS, issueLink, linkUrl } from '../../nodes/shared/links';
import { n8n, state } from './client';
import { appJournal, formDriver, mailbox, resetPrivate, rosterSeat, shanghaiIso } from './forms';
import { loadSampleSchool, sampleSchool, setSettings } from './harness';
import { type DingMessage, expectSuccess, visibleText } from './robots';

const server = n8n();
const { openLink } = formDriver(server);
const LINK_SECRET = 'demo-link-secret-change-me';
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const TEMPERATURE = /3[4-9][.,。]\d|℃|°C/;
const SYMPTOMS = /发热|咳嗽|乏力|咽痛|腹泻|Fever|Cough/;

type Row = Record<string, unknown>;
const sampleStaff = (): Row[] => sampleSchool().staff as Row[];
const person = (id: string): Row => sampleStaff().find((s) => s.staffId === id) as Row;

interface RobotEntry {
	channel: string;
	body: unknown;
}
/** What the group robots accepted from `since` on (their journal survives a reset). */
async function robotJournal(since = 0): Promise<{ next: number; entries: RobotEntry[] }> {
	return (await (await fetch(`${state().fakes.robots}/__fake/journal?since=${since}`)).json()) as { next: number; entries: RobotEntry[] };
}
const robotText = (entries: RobotEntry[]): string => entries.map((e) => JSON.stringify(e.body)).join('\n');

/** No group message carries health data or a phone number. */
function expectNoHealthData(entries: RobotEntry[]): void {
	const text = robotText(entries);
	expect(text).not.toMatch(TEMPERATURE);
	expect(text).not.toMatch(SYMPTOMS);
	expect(text).not.toMatch(MOBILE);
}

/** Saves settings into a stored workflow without running it (later test files find it as shipped). */
async function saveSettings(id: string, values: Record<string, string | number | boolean>): Promise<void> {
	await server.saveWorkflow(id, (wf) => setSettings(wf, values));
}

async function replaceStaff(rows: Row[]): Promise<void> {
	await server.clearRows('campus_staff');
	await server.insertRows('campus_staff', rows);
}

beforeAll(async () => {
	await loadSampleSchool(server);
});
afterAll(async () => {
	await replaceStaff(sampleStaff());
});

describe('Campus 01 fever alerts go privately to the department head and the health officer', () => {
	const REPORTER = 'T020'; // 语文组, department head T009 (ut009)
	const OFFICER = 'T006'; // the school's health officer, reached by email
	const checkinLink = (staffId: string): string => {
		const { claims, sig } = issueLink({ current: LINK_SECRET }, { purpose: 'checkin', person: staffId }, Date.now() / 1000, 24);
		return linkUrl(`${server.url}/form/campus-health-checkin`, claims, sig, DEFAULT_LINK_FIELDS);
	};
	const fever = { 'field-0': '37.9', 'field-1': JSON.stringify(['发热 Fever', '咳嗽 Cough']), 'field-2': '校内' };

	beforeAll(async () => {
		await server.clearRows('campus_reminders');
		await server.clearRows('campus_checkins');
		await replaceStaff(sampleStaff().map((s) => (s.staffId === OFFICER ? { ...s, roles: `${s.roles},health-officer`, reachBy: 'email' } : s)));
		await server.activate('campusHealthForm');
	});

	it('an abnormal reading reaches the department head by app and the health officer by email, once; the group hears nothing', async () => {
		await resetPrivate();
		const since = (await robotJournal()).next;
		await openLink(checkinLink(REPORTER), fever);
		const direct = await appJournal();
		const mail = await mailbox();
		expect(direct.map((d) => d.to)).toEqual([person('T009').userId]);
		const alert = JSON.stringify(direct[0].body);
		expect(alert).toContain(String(person(REPORTER).name));
		expect(alert).not.toContain('37.9');
		expect(mail.map((m) => m.to.join())).toEqual([person(OFFICER).email]);
		expect(mail[0].text).toContain(String(person(REPORTER).name));
		expect(mail[0].text).not.toContain('37.9');
		// The groups received nothing at all.
		expect((await robotJournal(since)).entries).toEqual([]);
		expect((await server.rows('campus_reminders')).filter((r) => r.kind === 'health alert')).toHaveLength(2);

		// The same reading again (the standing link works again): nobody is alerted twice.
		await openLink(checkinLink(REPORTER), fever);
		expect(await appJournal()).toHaveLength(1);
		expect(await mailbox()).toHaveLength(1);
		expect((await robotJournal(since)).entries).toEqual([]);
		process.stdout.write(`[private] Campus 01: fever alert to ${direct.length} by app, ${mail.length} by email, 0 group messages; re-run 0 more\n`);
	});

	it('a normal reading alerts nobody', async () => {
		await resetPrivate();
		const since = (await robotJournal()).next;
		await openLink(checkinLink('T021'), { 'field-0': '36.5', 'field-1': JSON.stringify(['无 None']), 'field-2': '家中' });
		expect(await appJournal()).toEqual([]);
		expect(await mailbox()).toEqual([]);
		expect((await robotJournal(since)).entries).toEqual([]);
	});

	it('when nobody can be reached privately, the administrators are told the name only, never the reading', async () => {
		// The reporter's department head has neither a chat id nor an address, and there is no health officer.
		const HEAD = 'T033';
		const REPORTER2 = 'T034';
		await replaceStaff(sampleStaff().map((s) => (s.staffId === HEAD ? { ...s, userId: '', email: '' } : s.staffId === REPORTER2 ? { ...s, leaderUserId: '' } : s)));
		await resetPrivate();
		const since = (await robotJournal()).next;
		await openLink(checkinLink(REPORTER2), fever);
		expect(await appJournal()).toEqual([]);
		expect(await mailbox()).toEqual([]);
		const entries = (await robotJournal(since)).entries;
		expect(entries).toHaveLength(1);
		const text = robotText(entries);
		expect(text).toContain(String(person(REPORTER2).name));
		expect(text).toContain('需要跟进');
		expectNoHealthData(entries);
		expect(text).not.toContain(String(person(REPORTER2).department));
	});

	it('a department head whose reachBy is not known gets nothing, and the administrators are told the row (staffId) and the field', async () => {
		// The head of T034 (T033, found by leaderMobile) has a chat id but reachBy 'wechat'; there is no health officer.
		const HEAD = 'T033';
		const REPORTER3 = 'T034';
		await replaceStaff(sampleStaff().map((s) => (s.staffId === HEAD ? { ...s, reachBy: 'wechat' } : s.staffId === REPORTER3 ? { ...s, leaderUserId: '' } : s)));
		await server.clearRows('campus_reminders');
		await resetPrivate();
		const since = (await robotJournal()).next;
		await openLink(checkinLink(REPORTER3), fever);
		expect(await appJournal()).toEqual([]);
		expect(await mailbox()).toEqual([]);
		const entries = (await robotJournal(since)).entries;
		expect(entries).toHaveLength(1);
		const text = entries.map((e) => visibleText({ body: e.body as DingMessage['body'] })).join('\n');
		expect(text).toContain(String(person(REPORTER3).name));
		expect(text).toContain(`${String(person(HEAD).name)}：campus_staff 中 staffId 为 ${HEAD} 的行：reachBy 字段的值无法识别`);
		expect(text).toContain(`Row staffId ${HEAD} of campus_staff, field "reachBy"`);
		expect(text).not.toContain('wechat');
		expectNoHealthData(entries);
	});
});

describe('Campus 44 not-back reminders go privately; the group only names who is late', () => {
	const WF = 'campusNotBack001';
	const now = Date.now();
	const at = (minutes: number) => shanghaiIso(new Date(now + minutes * 60_000));
	const BY_APP = 'T089';
	const BY_EMAIL = 'T090';
	const UNREACHABLE = 'T091';
	const leave = (requestId: string, who: string, dueInMinutes: number): Row => ({
		requestId,
		staffId: who,
		name: person(who).name,
		department: person(who).department,
		mobile: person(who).mobile,
		userId: who === UNREACHABLE ? '' : person(who).userId,
		leaderName: person(who).leaderName,
		leaderMobile: person(who).leaderMobile,
		destination: '市区人民医院',
		reason: '就医',
		expectedReturn: at(dueInMinutes),
		status: 'out',
		exitAt: at(-300),
	});
	const run = (remindBy: string) =>
		server.run(WF, 'Schedule', {
			patch: (wf) => setSettings(wf, { asOf: at(0), movementFormUrl: `${server.url}/form/campus-leave-movement`, remindBy }),
		});

	beforeAll(async () => {
		for (const t of ['campus_leave', 'campus_movements', 'campus_reminders']) await server.clearRows(t);
		await replaceStaff(
			sampleStaff().map((s) =>
				s.staffId === BY_EMAIL ? { ...s, reachBy: 'email' } : s.staffId === UNREACHABLE ? { ...s, userId: '', email: '' } : s,
			),
		);
		// All three are 40 minutes overdue: past the 30-minute grace, before the department head's 60.
		await server.insertRows('campus_leave', [leave('P1', BY_APP, -40), leave('P2', BY_EMAIL, -40), leave('P3', UNREACHABLE, -40), leave('P4', 'T092', 120)]);
	});
	afterAll(async () => {
		await saveSettings(WF, { remindBy: 'group' });
		await server.clearRows('campus_leave');
	});

	it('remindBy "app": each person gets their own return link by app or email, once; the unreachable one is named to the administrators', async () => {
		await resetPrivate();
		const since = (await robotJournal()).next;
		const result = await run('app');
		expectSuccess(result);
		const direct = await appJournal();
		const mail = await mailbox();
		expect(direct.map((d) => d.to)).toEqual([person(BY_APP).userId]);
		const returnLinks = (text: string) => [...text.matchAll(/https?:\/\/[^\s"'\\]+\/form\/campus-leave-movement\?[^\s"'\\]+/g)].map((m) => m[0].replace(/\\u0026/g, '&'));
		const appLink = returnLinks(JSON.stringify(direct[0].body));
		expect(appLink).toHaveLength(1);
		expect(new URL(appLink[0]).searchParams.get('id')).toBe('P1');
		expect(mail.map((m) => m.to.join())).toEqual([person(BY_EMAIL).email]);
		expect(returnLinks(mail[0].text).map((l) => new URL(l).searchParams.get('id'))).toEqual(['P2']);
		// The group: one message naming the three who are late, one telling the administrators whom the app could not reach.
		const entries = (await robotJournal(since)).entries;
		const text = robotText(entries);
		for (const id of [BY_APP, BY_EMAIL, UNREACHABLE]) expect(text).toContain(String(person(id).name));
		expect(text).not.toContain(String(person('T092').name));
		expect(text).toContain('未能私信送达');
		expect(text).not.toContain('/form/');
		expect(text).not.toContain('医院');
		expectNoHealthData(entries);
		expect(entries).toHaveLength(2);
		// Only what reached the person is recorded; a re-run sends nothing new privately.
		expect((await server.rows('campus_reminders')).filter((r) => r.kind === 'not-back').map((r) => r.recipient).sort()).toEqual(
			[person(BY_APP).name, person(BY_EMAIL).name].sort(),
		);
		expectSuccess(await run('app'));
		expect(await appJournal()).toHaveLength(1);
		expect(await mailbox()).toHaveLength(1);
		process.stdout.write(`[private] Campus 44: ${direct.length} by app, ${mail.length} by email, ${entries.length} group messages (names only); re-run 0 more\n`);
	});
});

describe('Campus 11 on-duty reminders go privately; the group robot only for those without a private channel', () => {
	const WF = 'campusDutyTmrw01';
	const DAY = '2026-09-08';
	const BY_APP = ['T101', 'T001'];
	const BY_EMAIL = 'T102';
	const UNREACHABLE = 'T009';
	const seat = (id: string, duty: string, role: string, shift: string, start: string, end: string): Row => ({
		...rosterSeat(person(id), duty, role, start, end),
		rosterKey: `${DAY}|${duty}|${shift}|${id}`,
		assignmentId: `${DAY}|${duty}|${shift}`,
		shift,
		userId: id === UNREACHABLE ? '' : person(id).userId,
	});
	const run = () => server.run(WF, 'Run now', { patch: (wf) => setSettings(wf, { date: DAY, remindBy: 'app' }) });

	beforeAll(async () => {
		for (const t of ['campus_roster', 'campus_reminders']) await server.clearRows(t);
		await replaceStaff(
			sampleStaff().map((s) =>
				s.staffId === BY_EMAIL ? { ...s, reachBy: 'email' } : s.staffId === UNREACHABLE ? { ...s, userId: '', email: '' } : s,
			),
		);
		await server.insertRows('campus_roster', [
			seat('T101', 'Gate A', 'guard', 'Day', `${DAY}T07:00:00+08:00`, `${DAY}T19:00:00+08:00`),
			seat('T102', 'Gate A', 'guard', 'Night', `${DAY}T19:00:00+08:00`, '2026-09-09T07:00:00+08:00'),
			seat('T001', 'Administrator on duty', 'admin', 'Day', `${DAY}T07:30:00+08:00`, `${DAY}T17:30:00+08:00`),
			seat('T009', 'Duty cadre', 'cadre', 'Day', `${DAY}T07:30:00+08:00`, `${DAY}T17:30:00+08:00`),
		]);
	});
	afterAll(async () => {
		await saveSettings(WF, { remindBy: 'group' });
		await server.clearRows('campus_roster');
	});

	it('remindBy "app": each person on duty gets their own reminder by app or email, once; the one without either is @mentioned in the group', async () => {
		await resetPrivate();
		const since = (await robotJournal()).next;
		expectSuccess(await run());
		const direct = await appJournal();
		const mail = await mailbox();
		expect(direct.map((d) => d.to).sort()).toEqual(BY_APP.map((id) => person(id).userId).sort());
		for (const d of direct) {
			const who = BY_APP.find((id) => person(id).userId === d.to) as string;
			const text = JSON.stringify(d.body);
			expect(text).toContain(String(person(who).name));
			expect(text).toContain(DAY);
			// Only their own duty.
			for (const other of [...BY_APP, BY_EMAIL, UNREACHABLE].filter((x) => x !== who)) expect(text).not.toContain(String(person(other).name));
		}
		expect(mail.map((m) => m.to.join())).toEqual([person(BY_EMAIL).email]);
		expect(mail[0].text).toContain('Gate A');
		expect(mail[0].text).toContain('Night');
		const entries = (await robotJournal(since)).entries;
		expect(entries).toHaveLength(1);
		const group = robotText(entries);
		expect(group).toContain(String(person(UNREACHABLE).name));
		for (const id of [...BY_APP, BY_EMAIL]) expect(group).not.toContain(String(person(id).name));
		expect((await server.rows('campus_reminders')).filter((r) => r.kind === 'duty-tomorrow')).toHaveLength(4);
		// A re-run sends nothing to anyone.
		expectSuccess(await run());
		expect(await appJournal()).toHaveLength(direct.length);
		expect(await mailbox()).toHaveLength(1);
		expect((await robotJournal(since)).entries).toHaveLength(1);
		process.stdout.write(`[private] Campus 11: ${direct.length} by app, ${mail.length} by email, ${entries.length} group fallback; re-run 0 more\n`);
	});
});

describe('Campus 04 disinfection reminders go privately to the person responsible; the group only names the areas', () => {
	const WF = 'campusDisinfect1';
	const DAY = '2026-11-24'; // a Tuesday, a school day
	const areas = sampleSchool().areas as Row[];
	// A04 (T116, by app), A05 (T117, by email), A06 (T118, no private channel) have no record.
	const NOT_DONE = ['A04', 'A05', 'A06'];
	const BY_EMAIL = 'T117';
	const UNREACHABLE = 'T118';
	const areaOf = (id: string) => areas.find((a) => a.areaId === id) as Row;
	const run = () =>
		server.run(WF, 'Schedule', {
			patch: (wf) => setSettings(wf, { asOf: `${DAY}T10:40:00+08:00`, formUrl: `${server.url}/form/campus-disinfection`, remindBy: 'app' }),
		});

	beforeAll(async () => {
		for (const t of ['campus_disinfection', 'campus_reminders']) await server.clearRows(t);
		await replaceStaff(
			sampleStaff().map((s) =>
				s.staffId === BY_EMAIL ? { ...s, reachBy: 'email' } : s.staffId === UNREACHABLE ? { ...s, userId: '', email: '' } : s,
			),
		);
		await server.insertRows(
			'campus_disinfection',
			areas
				.filter((a) => !NOT_DONE.includes(String(a.areaId)))
				.map((a) => ({ areaId: a.areaId, areaName: a.areaName, disinfectant: '84消毒液', doneBy: '保洁', submittedAt: `${DAY} 09:20` })),
		);
	});
	afterAll(async () => {
		await saveSettings(WF, { remindBy: 'group' });
		await server.clearRows('campus_disinfection');
	});

	it('remindBy "app": the person responsible gets the area\'s link by app or email, once; the unreachable one is named to the administrators', async () => {
		await resetPrivate();
		const since = (await robotJournal()).next;
		expectSuccess(await run());
		const direct = await appJournal();
		const mail = await mailbox();
		const areaLinks = (text: string) => [...text.replace(/\\u0026/g, '&').matchAll(/https?:\/\/[^\s"'\\]+\/form\/campus-disinfection\?[^\s"'\\]+/g)].map((m) => new URL(m[0]).searchParams.get('id'));
		expect(direct.map((d) => d.to)).toEqual([person('T116').userId]);
		expect(areaLinks(JSON.stringify(direct[0].body))).toEqual(['A04']);
		expect(mail.map((m) => m.to.join())).toEqual([person(BY_EMAIL).email]);
		expect(areaLinks(mail[0].text)).toEqual(['A05']);
		// The group: the areas and who is responsible, no link; the administrators: who could not be reached.
		const entries = (await robotJournal(since)).entries;
		expect(entries).toHaveLength(2);
		const text = robotText(entries);
		for (const id of NOT_DONE) expect(text).toContain(String(areaOf(id).areaName));
		expect(text).toContain(String(person(UNREACHABLE).name));
		expect(text).toContain('未能私信送达');
		expect(text).not.toContain('/form/');
		expectNoHealthData(entries);
		expect((await server.rows('campus_reminders')).filter((r) => r.kind === 'disinfection').map((r) => r.recipient).sort()).toEqual(
			['A04', 'A05'].map((id) => areaOf(id).areaName).sort(),
		);
		// A re-run reminds nobody privately again.
		expectSuccess(await run());
		expect(await appJournal()).toHaveLength(1);
		expect(await mailbox()).toHaveLength(1);
		process.stdout.write(`[private] Campus 04: ${direct.length} by app, ${mail.length} by email, ${entries.length} group messages (names only); re-run 0 more\n`);
	});
});
