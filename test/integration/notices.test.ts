/**
 * Notices with read receipts (issue 18): Campus 50 sends a notice privately to a department,
 * Campus 51 records "I have read it" from the person's own signed link, Campus 52 reads DingTalk's
 * read status, reminds only whoever has not read (once per level, the second naming department
 * heads to the sender) and sends the sender the summary at the deadline. In a real n8n against the
 * fake DingTalk app (asynchronous results, a read switch) and the loopback SMTP server.
 */
import { n8n, state } from './client';
import { formDriver } from './forms';
import { loadSampleSchool, sampleSchool, setSettings, type ExecutionResult } from './harness';
import { dingtalkMessages, expectSuccess, visibleText } from './robots';
import { issueLink, linkUrl, readSecrets } from '../../nodes/shared/links';

const server = n8n();
const { postForm, openLink } = formDriver(server);
const SEND = 'campusNoticeSend';
const READ = 'campusNoticeRead';
const WATCH = 'campusNoticeWatch';
const DEPT = '保洁组';
type Staff = Record<string, string>;
const school = sampleSchool().staff as Staff[];
const sender = school[0]; // T001, office (admin, cadre), not in the department
const members = school.filter((s) => s.department === DEPT);
const [readsOnDingTalk, byEmail, unreachable, readsLater] = members;
const stillUnread = members.slice(4);
const TITLE = '消毒安排调整';
const PHONE = /(?<![=\d])1[3-9]\d{9}(?!\d)/;
const READ_LINK = /http:\/\/127\.0\.0\.1:\d+\/form\/campus-notice-read\?[^\s"）)\\]+/g;

interface Sent {
	platform: string;
	to: string;
	body: Record<string, unknown>;
}
const apps = () => state().fakes.apps;
const journal = async (): Promise<Sent[]> => ((await (await fetch(`${apps()}/__fake/state`)).json()) as { journal: Sent[] }).journal;
const mail = async () => (await (await fetch(`${state().fakes.smtp}/__fake/mail`)).json()) as Array<{ to: string[]; subject: string; text: string }>;
const readOnDingTalk = (userId: string) => fetch(`${apps()}/__fake/read`, { method: 'POST', body: JSON.stringify({ userId }) });
const textOf = (s: Sent) => JSON.stringify(s.body);
const linksIn = (text: string) => [...text.replace(/\\u0026/g, '&').matchAll(READ_LINK)].map((m) => m[0].replace(/&amp;/g, '&'));
const param = (url: string, k: string) => new URL(url).searchParams.get(k);

/** The Shanghai wall time `ms` from now, as the form takes it (yyyy-MM-dd HH:mm). */
function shanghaiIn(ms: number): string {
	const d = new Date(Date.now() + ms + 8 * 3600_000);
	return d.toISOString().slice(0, 16).replace('T', ' ');
}

async function watch(asOfMs: number): Promise<ExecutionResult> {
	const result = await server.run(WATCH, 'Schedule', {
		patch: (wf) => setSettings(wf, { asOf: new Date(asOfMs).toISOString(), readFormUrl: `${server.url}/form/campus-notice-read` }),
	});
	expectSuccess(result);
	return result;
}

const receipts = async () => (await server.rows('campus_notice_receipts')) as Staff[];

describe('Notices with read receipts (Campus 50, 51, 52)', () => {
	let notice: Staff;
	const linkOf = new Map<string, string>();

	beforeAll(async () => {
		await loadSampleSchool(server);
		// One member asks for email; one has neither a chat id nor an address.
		const rows = (sampleSchool().staff as Staff[]).map((r) =>
			r.staffId === byEmail.staffId ? { ...r, reachBy: 'email' } : r.staffId === unreachable.staffId ? { ...r, userId: '', email: '' } : r,
		);
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', rows);
		for (const t of ['campus_notices', 'campus_notice_receipts', 'campus_reminders']) await server.clearRows(t);
		await fetch(`${apps()}/__fake/reset`, { method: 'POST' });
		await fetch(`${state().fakes.smtp}/__fake/reset`, { method: 'POST' });
		await server.saveWorkflow(SEND, (wf) => setSettings(wf, { readFormUrl: `${server.url}/form/campus-notice-read` }));
		await server.activate(SEND);
		await server.activate(READ);
	});
	afterAll(async () => {
		await server.deactivate(SEND);
		await server.deactivate(READ);
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', sampleSchool().staff);
	});

	it('refuses a notice from someone outside the office, and sends nothing', async () => {
		const { page } = await postForm('/form/campus-notice', {
			'field-0': members[5].staffId,
			'field-1': TITLE,
			'field-2': '请按新安排消毒。',
			'field-3': '部门 Department',
			'field-4': DEPT,
			'field-5': shanghaiIn(48 * 3600_000),
		});
		expect(page).toContain('Only the office');
		expect(await server.rows('campus_notices')).toHaveLength(0);
		expect(await journal()).toHaveLength(0);
	});

	it('a notice to a department reaches each member once, privately, with their own read link', async () => {
		const { page } = await postForm('/form/campus-notice', {
			'field-0': sender.staffId,
			'field-1': TITLE,
			'field-2': '即日起保洁组每天 14:00 增加一次走廊消毒。',
			'field-3': '部门 Department',
			'field-4': DEPT,
			'field-5': shanghaiIn(48 * 3600_000),
		});
		// The sender's page: 7 of 8 reached, the one with no channel named with the reason.
		expect(page).toContain('7 / 8');
		expect(page).toContain(unreachable.name);
		const notices = (await server.rows('campus_notices')) as Staff[];
		expect(notices).toHaveLength(1);
		notice = notices[0];
		expect(notice).toMatchObject({ title: TITLE, status: 'open', senderId: sender.staffId, audience: `department:${DEPT}` });
		const deadline = Date.parse(notice.deadline) / 1000;

		// DingTalk: one work notification to each member with a chat id (not the email one), nobody else.
		const direct = await journal();
		const appMembers = members.filter((m) => m !== byEmail && m !== unreachable);
		expect(direct.map((d) => d.to).sort()).toEqual(appMembers.map((m) => m.userId).sort());
		const emails = await mail();
		expect(emails.map((m) => m.to.join())).toEqual([byEmail.email]);
		for (const [who, text] of [
			...direct.map((d) => [members.find((m) => m.userId === d.to)!, textOf(d)] as const),
			[byEmail, emails[0].text] as const,
		]) {
			expect(text).toContain('走廊消毒');
			const links = linksIn(text);
			expect(links).toHaveLength(1);
			// Bound to this person and this notice, for the read page only, expiring at the deadline.
			expect([param(links[0], 'id'), param(links[0], 'request'), param(links[0], 'purpose')]).toEqual([who.staffId, notice.noticeId, 'notice-read']);
			expect(Math.abs(Number(param(links[0], 'exp')) - deadline)).toBeLessThan(300);
			linkOf.set(who.staffId, links[0]);
		}
		// Everyone accounted for: 7 sent, 1 failed with the reason.
		const rows = (await receipts()).filter((r) => r.kind === 'delivery');
		expect(rows).toHaveLength(8);
		expect(rows.filter((r) => r.status === 'sent')).toHaveLength(7);
		expect(rows.filter((r) => r.status === 'failed').map((r) => [r.staffId, r.reason])).toEqual([[unreachable.staffId, expect.stringContaining('No chat ID or email')]]);
		// No group message.
		expect((await dingtalkMessages()).map(visibleText).join('\n')).not.toContain(TITLE);
	});

	it('records "I have read it" once: a second press changes nothing and says so', async () => {
		// A chat app's link preview (a GET) shows the page and records nothing.
		const preview = await fetch(linkOf.get(byEmail.staffId)!);
		expect(preview.status).toBe(200);
		expect(await preview.text()).toContain('我已阅读');
		expect((await receipts()).filter((r) => r.kind === 'read')).toEqual([]);
		const first = await openLink(linkOf.get(byEmail.staffId)!, { 'field-0': JSON.stringify(['是 Yes']) });
		expect(first.page).toContain('已记录');
		const again = await openLink(linkOf.get(byEmail.staffId)!, { 'field-0': JSON.stringify(['是 Yes']) });
		expect(again.page).toContain('nothing changed');
		const reads = (await receipts()).filter((r) => r.kind === 'read');
		expect(reads.map((r) => [r.staffId, r.status, r.channel])).toEqual([[byEmail.staffId, 'confirmed', 'link']]);
	});

	it('refuses a changed link, another person\'s or notice\'s, a link for another form, and an expired one', async () => {
		const mine = linkOf.get(stillUnread[0].staffId)!;
		const other = new URL(mine);
		other.searchParams.set('id', stillUnread[1].staffId);
		const otherNotice = new URL(mine);
		otherNotice.searchParams.set('request', 'N-another');
		const secrets = readSecrets('demo-link-secret-change-me');
		const now = Math.floor(Date.now() / 1000);
		const sign = (purpose: string, at: number, hours: number) => {
			const { claims, sig } = issueLink(secrets, { purpose, person: stillUnread[0].staffId, request: notice.noticeId }, at, hours);
			return linkUrl(`${server.url}/form/campus-notice-read`, claims, sig);
		};
		const cases: Array<[string, string]> = [
			[other.toString(), 'was changed'],
			[otherNotice.toString(), 'was changed'],
			[sign('checkin', now, 24), 'another person, notice or form'],
			[sign('notice-read', now - 3 * 3600, 1), 'has expired'],
		];
		for (const [url, why] of cases) {
			const { page } = await openLink(url, { 'field-0': JSON.stringify(['是 Yes']) });
			expect(page).toContain('Nothing was recorded');
			expect(page).toContain(why);
		}
		const reads = (await receipts()).filter((r) => r.kind === 'read').map((r) => r.staffId);
		expect(reads).toEqual([byEmail.staffId]);
	});

	it('the watch counts DingTalk reads, reminds only the unread, once per level, and names department heads to the sender at the second', async () => {
		const sentAt = Date.parse(notice.sentAt);
		const span = Date.parse(notice.deadline) - sentAt;
		await readOnDingTalk(readsOnDingTalk.userId);
		const before = (await journal()).length;
		const mailBefore = (await mail()).length;

		// Past half the time: the first reminder.
		await watch(sentAt + 0.6 * span);
		const reads = (await receipts()).filter((r) => r.kind === 'read');
		expect(reads.map((r) => [r.staffId, r.status]).sort()).toEqual([[byEmail.staffId, 'confirmed'], [readsOnDingTalk.staffId, 'read']].sort());
		const first = (await journal()).slice(before);
		const unreadOnApp = [readsLater, ...stillUnread];
		expect(first.map((d) => d.to).sort()).toEqual(unreadOnApp.map((m) => m.userId).sort());
		for (const d of first) {
			const who = members.find((m) => m.userId === d.to)!;
			expect(textOf(d)).toContain('走廊消毒');
			expect(linksIn(textOf(d)).map((l) => param(l, 'id'))).toEqual([who.staffId]);
		}
		expect((await mail()).length).toBe(mailBefore);
		// Recorded once per person and level; the one with no channel is recorded as not reached.
		const level1 = ((await server.rows('campus_reminders')) as Staff[]).filter((r) => r.dedupeKey.endsWith('|L1'));
		expect(level1.map((r) => r.dedupeKey).sort()).toEqual([...unreadOnApp, unreachable].map((m) => `notice|${notice.noticeId}|${m.staffId}|L1`).sort());
		expect(level1.find((r) => r.dedupeKey.includes(unreachable.staffId))?.kind).toBe('notice reminder failed');

		// The next run at the same level sends nothing.
		const afterFirst = (await journal()).length;
		await watch(sentAt + 0.7 * span);
		expect((await journal()).length).toBe(afterFirst);

		// One more reads the reminder on DingTalk; at 80 % the rest get the second reminder.
		await readOnDingTalk(readsLater.userId);
		await watch(sentAt + 0.85 * span);
		const second = (await journal()).slice(afterFirst);
		const toSender = second.filter((d) => d.to === sender.userId);
		expect(second.filter((d) => d.to !== sender.userId).map((d) => d.to).sort()).toEqual(stillUnread.map((m) => m.userId).sort());
		expect(toSender).toHaveLength(1);
		const told = textOf(toSender[0]);
		for (const m of [unreachable, ...stillUnread]) expect(told).toContain(m.name);
		expect(told).toContain(`负责人 ${stillUnread[0].leaderName}`);
		// Those who have read are not listed (the first is also the department head named beside the others).
		for (const m of [readsOnDingTalk, byEmail, readsLater]) expect(told).not.toContain(`- ${m.name}（`);
		expect(told).not.toMatch(PHONE);
		expect(linksIn(told)).toEqual([]);

		const afterSecond = (await journal()).length;
		await watch(sentAt + 0.9 * span);
		expect((await journal()).length).toBe(afterSecond);
	});

	it('at the deadline the sender gets the summary once: read N of M and the names of who has not read', async () => {
		const deadline = Date.parse(notice.deadline);
		const before = (await journal()).length;
		await watch(deadline + 60_000);
		const sent = (await journal()).slice(before);
		// No reminder after the deadline: the summary to the sender only.
		expect(sent.map((d) => d.to)).toEqual([sender.userId]);
		const summary = textOf(sent[0]);
		expect(summary).toContain('已读 3 / 8');
		expect(summary).toContain('Read by 3 of 8');
		for (const m of [unreachable, ...stillUnread]) expect(summary).toContain(m.name);
		for (const m of [readsOnDingTalk, byEmail, readsLater]) expect(summary).not.toContain(m.name);
		expect(summary).not.toMatch(PHONE);
		for (const m of members) expect(summary).not.toContain(m.staffId);
		expect(((await server.rows('campus_notices')) as Staff[])[0].status).toBe('closed');
		// Once.
		await watch(deadline + 31 * 60_000);
		expect((await journal()).length).toBe(before + 1);
		expect((await dingtalkMessages()).map(visibleText).join('\n')).not.toContain(TITLE);
	});

	it('a notice to a role reaches everyone with that role among their roles, and nobody else', async () => {
		const before = (await journal()).length;
		const guards = (sampleSchool().staff as Staff[]).filter((s) => s.roles.split(',').includes('guard'));
		const { page } = await postForm('/form/campus-notice', {
			'field-0': sender.staffId,
			'field-1': '门岗规则调整',
			'field-2': '访客登记改为扫码。',
			'field-3': '角色 Role',
			'field-4': 'guard',
			'field-5': shanghaiIn(24 * 3600_000),
		});
		expect(page).toContain(`${guards.length} / ${guards.length}`);
		const sent = (await journal()).slice(before);
		expect(sent.map((d) => d.to).sort()).toEqual(guards.map((g) => g.userId).sort());
		const notices = ((await server.rows('campus_notices')) as Staff[]).filter((n) => n.title === '门岗规则调整');
		expect(notices.map((n) => [n.audience, n.status, Number(n.recipients)])).toEqual([['role:guard', 'open', guards.length]]);
	});
});
