/**
 * The check-in watch workflows (Campus 01 to 05) in a real n8n, against the fake DingTalk robot.
 */
import { n8n } from './client';
import { appJournal, mailbox, resetPrivate } from './forms';
import { DateTime } from 'luxon';
import { SchoolCalendar } from '../../nodes/shared/calendar';
import { loadSampleSchool, morningCheckIns, outputOf, sampleSchool, setSettings, type N8nServer } from './harness';
import { dingtalkMessages, resetRobots, visibleText } from './robots';

const server: N8nServer = n8n();



const staff = sampleSchool().staff as Array<{ staffId: string; name: string; mobile: string; userId: string; department: string }>;
const areas = sampleSchool().areas as Array<{ areaId: string; areaName: string; responsibleMobile: string }>;
const DAY = '2026-11-24'; // a Tuesday, a school day
const MISSING = staff.slice(20, 25);

/**
 * Fills a form as a browser does: GET the page (the personal link's query fills the hidden
 * inputs), POST hidden inputs by name and answers by field name, then follow n8n's
 * form-waiting page to the completion text.
 */
async function submitForm(url: string, answers: Record<string, string | string[]>): Promise<{ status: number; html: string }> {
	let page = await fetch(url);
	for (let i = 0; page.status === 404 && i < 50; i++) {
		// A just-published form takes a moment to register.
		await new Promise((r) => setTimeout(r, 200));
		page = await fetch(url);
	}
	expect(page.status).toBe(200);
	const html = await page.text();
	const body = new FormData();
	for (const m of html.matchAll(/<input[^>]*type=['"]hidden['"][^>]*>/g)) {
		const name = /name=['"]([^'"]+)['"]/.exec(m[0])?.[1];
		const value = /value=['"]([^'"]*)['"]/.exec(m[0])?.[1] ?? '';
		if (name) body.append(name, value.replace(/&amp;/g, '&'));
	}
	for (const [k, v] of Object.entries(answers)) for (const x of ([] as string[]).concat(v)) body.append(k, x);
	const r = await fetch(url, { method: 'POST', body });
	let text = await r.text();
	const waiting = /"formWaitingUrl":"([^"]+)"/.exec(text)?.[1];
	if (waiting) {
		// As the form page's script does: wait for the execution to reach its completion page.
		const status = waiting.replace('?', '/n8n-execution-status?');
		for (let i = 0; i < 100; i++) {
			const st = await (await fetch(status)).text();
			if (st === 'form-waiting' || st === 'success' || st === 'error') break;
			await new Promise((res) => setTimeout(res, 200));
		}
		text = await (await fetch(waiting, { signal: AbortSignal.timeout(60_000) })).text();
	}
	return { status: r.status, html: text };
}


/**
 * The answer page says whether the report counts for a check, by the same slots as Campus 02
 * (morning 06:00 to 09:00 + 90 minutes, afternoon 15:00 to 17:00 + 90 minutes, school days).
 */
function expectRecordedPage(html: string, at = DateTime.now().setZone('Asia/Shanghai')): void {
	expect(html).toContain('已记录');
	const m = at.hour * 60 + at.minute;
	const inSlot = (m >= 360 && m <= 630) || (m >= 900 && m <= 1110);
	// Campus 01 treats days beyond the holiday data as ordinary days (a check-in never fails for it).
	const schoolDay = new SchoolCalendar({ unknownDays: 'ordinary' }).isSchoolDay(at.toISODate() as string);
	if (inSlot && schoolDay) expect(html).toContain('提交成功');
	else expect(html).toContain('不计入打卡');
}

beforeAll(async () => {
	await loadSampleSchool(server);
	for (const t of ['campus_checkins', 'campus_reminders', 'campus_disinfection']) await server.clearRows(t);
	// Everyone but MISSING reported this morning (every 7th with a unit: 36.8℃); one id is not on the staff list.
	const rows = morningCheckIns(staff, MISSING, DAY, (i) => (i % 7 === 0 ? '36.8℃' : '36.5'));
	await server.insertRows('campus_checkins', rows);
	await resetRobots();
});

describe('Campus 02 Missed-check reminders', () => {
	let personalLink = '';

	it('reminds exactly the staff who have not reported, with @mentions and no phone number in the text', async () => {
		const result = await server.run('campusMissedChk1', 'Schedule', {
			patch: (wf) =>
				setSettings(wf, { asOf: `${DAY}T09:40:00+08:00`, formUrl: `${server.url}/form/campus-health-checkin` }),
		});
		expect(result.error).toBeUndefined();
		const found = outputOf(result, 'Find who is missing').filter((i) => i.kind === 'missing report');
		expect(found.map((i) => i.reporterId).sort()).toEqual(MISSING.map((s) => s.staffId).sort());
		const unknown = outputOf(result, 'Find who is missing').filter((i) => i.kind === 'unknown reporter');
		expect(unknown).toHaveLength(1);
		personalLink = String(found[0].personalLink);
		expect(personalLink).toContain('/form/campus-health-checkin?');

		const sent = await dingtalkMessages();
		expect(sent.length).toBeGreaterThan(0);
		const all = sent.map(visibleText).join('\n');
		const mentioned = sent.flatMap((m) => [...(m.body.at?.atMobiles ?? []), ...(m.body.at?.atUserIds ?? [])]);
		for (const s of MISSING) {
			expect(all).toContain(s.name);
			expect(mentioned).toContain(s.userId);
			expect(all).not.toContain(s.mobile);
		}
		// Each reminder carries the person's own link to make up the check.
		expect(all).toContain(`点此补报 ${server.url}/form/campus-health-checkin?id=`);
		// Nobody who reported is named.
		expect(all).not.toContain(staff[0].name + '：');
		expect(all).not.toMatch(/3[5-9][.,]\d\s*(℃|°C)/);
		const recorded = await server.rows('campus_reminders');
		expect(recorded.map((r) => r.dedupeKey)).toEqual(
			expect.arrayContaining(MISSING.map((s) => `${s.staffId}|${DAY}|Morning|L1`)),
		);
		// The unknown reporter's item is not a reminder: nobody claims it (no claim row that nothing sends).
		expect(recorded.filter((r) => String(r.dedupeKey).startsWith('unknown|'))).toEqual([]);
	});

	it('sends nothing twice when it runs again in the same slot', async () => {
		const before = (await dingtalkMessages()).length;
		const recordedBefore = (await server.rows('campus_reminders')).filter((r) => r.kind !== 'claim').length;
		const result = await server.run('campusMissedChk1', 'Schedule', {
			patch: (wf) =>
				setSettings(wf, { asOf: `${DAY}T09:50:00+08:00`, formUrl: `${server.url}/form/campus-health-checkin` }),
		});
		expect(result.error).toBeUndefined();
		expect(outputOf(result, 'Find who is missing').filter((i) => i.kind === 'missing report')).toHaveLength(5);
		expect((await dingtalkMessages()).length).toBe(before);
		expect((await server.rows('campus_reminders')).filter((r) => r.kind !== 'claim').length).toBe(recordedBefore);
	});

	it('escalates to the department head at the next run, an hour overdue, once', async () => {
		const before = (await dingtalkMessages()).length;
		const run = () =>
			server.run('campusMissedChk1', 'Schedule', {
				patch: (wf) =>
					setSettings(wf, { asOf: `${DAY}T10:05:00+08:00`, formUrl: `${server.url}/form/campus-health-checkin` }),
			});
		const result = await run();
		expect(result.error).toBeUndefined();
		const found = outputOf(result, 'Find who is missing').filter((i) => i.kind === 'missing report');
		expect(found.map((i) => i.level)).toEqual(MISSING.map(() => 2));
		const sent = (await dingtalkMessages()).slice(before);
		expect(sent.length).toBeGreaterThan(0);
		const leaders = MISSING.map((m) => (sampleSchool().staff as Array<Record<string, string>>).find((s) => s.staffId === m.staffId)!.leaderMobile);
		const mentioned = sent.flatMap((m) => m.body.at?.atMobiles ?? []);
		for (const l of leaders) expect(mentioned).toContain(l);
		expect(sent.map(visibleText).join('\n')).not.toMatch(/(?<![=\d])1[3-9]\d{9}(?!\d)/);
		const count = (await dingtalkMessages()).length;
		await run();
		expect((await dingtalkMessages()).length).toBe(count);
	});

	it('does nothing on a day off (National Day)', async () => {
		const before = (await dingtalkMessages()).length;
		const result = await server.run('campusMissedChk1', 'Schedule', {
			patch: (wf) => setSettings(wf, { asOf: '2026-10-02T09:40:00+08:00' }),
		});
		expect(result.error).toBeUndefined();
		expect(outputOf(result, 'Is it a school day?')[0]).toMatchObject({ isSchoolDay: false, dayKind: 'public holiday' });
		expect(result.nodes['Find who is missing']).toBeUndefined();
		expect((await dingtalkMessages()).length).toBe(before);
	});

	describe('Campus 01 Staff health check-in (the form behind the personal link)', () => {
		beforeAll(async () => {
			await server.activate('campusHealthForm');
		});

		it('stores a check-in sent from the personal link', async () => {
			const id = new URL(personalLink).searchParams.get('id');
			const r = await submitForm(personalLink, { 'field-0': '36.6', 'field-1': JSON.stringify(['无 None']), 'field-2': '家中' });
			expect(r.status).toBe(200);
			expectRecordedPage(r.html);
			const rows = (await server.rows('campus_checkins')).filter((x) => x.reporterId === id);
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({ temperature: '36.6', location: '家中', slot: 'Morning' });
			expect(rows[0].name).toBe(MISSING.find((s) => s.staffId === id)?.name);
		});

		it('rejects a tampered or missing signature and stores nothing', async () => {
			const count = (await server.rows('campus_checkins')).length;
			const url = new URL(personalLink);
			url.searchParams.set('id', 'T001');
			const forged = await submitForm(url.toString(), { 'field-0': '36.5', 'field-1': JSON.stringify(['无 None']), 'field-2': '校内' });
			expect(forged.html).toContain('链接无效');
			const bare = await submitForm(`${server.url}/form/campus-health-checkin`, {
				'field-0': '36.5',
				'field-1': JSON.stringify(['无 None']),
				'field-2': '校内',
			});
			expect(bare.html).toContain('链接无效');
			expect((await server.rows('campus_checkins')).length).toBe(count);
		});

		// The department head's chat id, and the person's own (a head who reports is not alerted about themselves).
		const headOf = (id: unknown) => (sampleSchool().staff as Array<Record<string, unknown>>).find((s) => s.staffId === id)?.leaderUserId;
		const userIdOf = (id: unknown) => staff.find((s) => s.staffId === id)?.userId;
		it('alerts the department head about a fever privately, without showing the temperature; the group hears nothing', async () => {
			await resetRobots();
			const link = new URL(personalLink);
			const other = (
				await server.run('campusMissedChk1', 'Schedule', {
					patch: (wf) =>
						setSettings(wf, { asOf: `${DAY}T17:40:00+08:00`, formUrl: `${server.url}/form/campus-health-checkin` }),
				})
			).nodes['Find who is missing'][0][0].find((i) => i.kind === 'missing report' && i.reporterId !== link.searchParams.get('id') && headOf(i.reporterId) !== userIdOf(i.reporterId));
			expect(other).toBeDefined();
			await resetRobots();
			await resetPrivate();
			const r = await submitForm(String(other!.personalLink), { 'field-0': '37.8℃', 'field-1': JSON.stringify(['发热 Fever']), 'field-2': '校内' });
			expectRecordedPage(r.html);
			let sent = await appJournal();
			for (let i = 0; i < 50 && sent.length === 0; i++) {
				await new Promise((res) => setTimeout(res, 200));
				sent = await appJournal();
			}
			expect(sent.map((d) => d.to)).toEqual([headOf(other!.reporterId)]);
			const text = JSON.stringify(sent[0].body);
			expect(text).toContain(String(other!.recipientName));
			expect(text).not.toContain('37.8');
			expect(text).not.toMatch(/\d{11}/);
			expect(await dingtalkMessages()).toEqual([]);
		});
	});
});

describe('Campus 03 Daily health summary', () => {
	it('sends per-department counts and the whole-school total to the leaders', async () => {
		await resetRobots();
		const result = await server.run('campusDailySumm1', 'Schedule', {
			patch: (wf) => setSettings(wf, { asOf: `${DAY}T18:35:00+08:00` }),
		});
		expect(result.error).toBeUndefined();
		const summary = outputOf(result, 'Daily summary');
		const total = summary.find((i) => i.kind === 'daily total');
		// 120 staff, two slots due by 18:35.
		expect(total).toMatchObject({ expected: 240 });
		const depts = new Set(staff.map((s) => s.department));
		expect(summary.filter((i) => i.kind === 'daily summary')).toHaveLength(depts.size);
		const text = (await dingtalkMessages()).map(visibleText).join('\n');
		for (const d of depts) expect(text).toContain(d);
		expect(text).toContain('全校');
		expect(text).not.toMatch(/3[5-9][.,]\d/);
		expect(text).not.toMatch(/\d{11}/);
	});
});

describe('Campus 04 Disinfection record watch and Campus 05 Disinfection record', () => {
	const NOT_DONE = areas.slice(3, 5);

	beforeAll(async () => {
		await server.clearRows('campus_disinfection');
		await server.insertRows(
			'campus_disinfection',
			areas
				.filter((a) => !NOT_DONE.includes(a))
				.map((a) => ({ areaId: a.areaId, areaName: a.areaName, disinfectant: '84消毒液', doneBy: '保洁', submittedAt: `${DAY} 09:20` })),
		);
		await resetRobots();
	});

	let link = '';
	it('reminds the cleaners responsible for the areas with no record, once', async () => {
		const run = () =>
			server.run('campusDisinfect1', 'Schedule', {
				patch: (wf) => setSettings(wf, { asOf: `${DAY}T10:40:00+08:00`, formUrl: `${server.url}/form/campus-disinfection` }),
			});
		const result = await run();
		expect(result.error).toBeUndefined();
		const found = outputOf(result, 'Find areas not done').filter((i) => i.kind === 'missing report');
		expect(found.map((i) => i.reporterId).sort()).toEqual(NOT_DONE.map((a) => a.areaId));
		link = String(found[0].personalLink);
		const sent = await dingtalkMessages();
		const text = sent.map(visibleText).join('\n');
		for (const a of NOT_DONE) expect(text).toContain(a.areaName);
		expect(sent.flatMap((m) => m.body.at?.atMobiles ?? [])).toEqual(
			expect.arrayContaining(NOT_DONE.map((a) => a.responsibleMobile)),
		);
		expect(text).not.toMatch(/\d{11}/);
		const again = await run();
		expect(again.error).toBeUndefined();
		expect((await dingtalkMessages()).length).toBe(sent.length);
	});

	it('records the disinfection from the link in the reminder', async () => {
		await server.activate('campusDisinfForm');
		const r = await submitForm(link, { 'field-0': '84消毒液', 'field-1': '李师傅' });
		expect(r.html).toContain('已登记');
		const id = new URL(link).searchParams.get('id');
		const rows = (await server.rows('campus_disinfection')).filter((x) => x.areaId === id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ doneBy: '李师傅', areaName: NOT_DONE.find((a) => a.areaId === id)?.areaName });
	});
});

describe('Campus 06 Send personal check-in links', () => {
	const checkinLinks = (text: string) => [...text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/form\/campus-health-checkin\?[^\s"）)\\]+/g)].map((m) => m[0]);
	const byEmail = staff[1];
	const unreachable = staff[2];
	const unknownWay = staff[3];

	beforeAll(async () => {
		// One person asks for email, one has neither a chat id nor an address, one has a reachBy the workflow does not know.
		const rows = (sampleSchool().staff as Array<Record<string, unknown>>).map((r) =>
			r.staffId === byEmail.staffId
				? { ...r, reachBy: 'email' }
				: r.staffId === unreachable.staffId
					? { ...r, userId: '', email: '' }
					: r.staffId === unknownWay.staffId
						? { ...r, reachBy: 'wechat' }
						: r,
		);
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', rows);
	});
	afterAll(async () => {
		await server.clearRows('campus_staff');
		await server.insertRows('campus_staff', sampleSchool().staff);
	});

	it('sends every staff member their own link privately (app or email), once; nobody\'s link reaches a group', async () => {
		await resetRobots();
		// The fake apps are not reset (n8n keeps their tokens for the other tests): count from here.
		await resetPrivate();
		const run = () =>
			server.run('campusLinksSend1', 'Run once', {
				patch: (wf) => setSettings(wf, { formUrl: `${server.url}/form/campus-health-checkin` }),
			});
		const result = await run();
		expect(result.error).toBeUndefined();
		const direct = (await appJournal()).filter((j) => j.platform === 'dingtalk');
		const emails = await mailbox();
		// Each private message carries the recipient's own link, and only theirs.
		for (const d of direct) {
			const links = checkinLinks(JSON.stringify(d.body));
			for (const l of links) expect(staff.find((x) => x.staffId === new URL(l).searchParams.get('id'))?.userId).toBe(d.to);
		}
		const appLinks = direct.flatMap((d) => checkinLinks(JSON.stringify(d.body)));
		const mailLinks = emails.flatMap((m) => checkinLinks(m.text));
		expect(emails.map((m) => m.to.join())).toEqual(expect.arrayContaining([String((sampleSchool().staff as Array<Record<string, unknown>>)[1].email)]));
		expect(mailLinks.map((l) => new URL(l).searchParams.get('id'))).toEqual([byEmail.staffId]);
		const reached = new Set([...appLinks, ...mailLinks].map((l) => new URL(l).searchParams.get('id')));
		expect(reached).toEqual(new Set(staff.filter((x) => x !== unreachable && x !== unknownWay).map((x) => x.staffId)));
		// The groups see no link at all; the administrators are told who has no private channel,
		// and whose reachBy is not known, by the row (staffId) and the field.
		const group = (await dingtalkMessages()).map(visibleText).join('\n');
		expect(group).not.toContain('/form/');
		expect(group).toContain(unreachable.name);
		expect(group).toContain(`${unknownWay.name}：campus_staff 中 staffId 为 ${unknownWay.staffId} 的行：reachBy 字段的值无法识别`);
		expect(group).toContain(`Row staffId ${unknownWay.staffId} of campus_staff, field "reachBy"`);
		expect(group).not.toMatch(/(?<![=\d])1[3-9]\d{9}(?!\d)/);
		// A standing link names the person and the form, and expires after 31 days (issue 19).
		const mine = appLinks.find((l) => new URL(l).searchParams.get('id') === staff[5].staffId)!;
		expect(new URL(mine).searchParams.get('purpose')).toBe('checkin');
		const exp = Number(new URL(mine).searchParams.get('exp'));
		expect(exp - Date.now() / 1000).toBeGreaterThan(30 * 86400);
		expect(exp - Date.now() / 1000).toBeLessThanOrEqual(31 * 86400);
		await server.activate('campusHealthForm');
		const r = await submitForm(mine, { 'field-0': '36.4', 'field-1': JSON.stringify(['无 None']), 'field-2': '校内' });
		expectRecordedPage(r.html);
		const rows = (await server.rows('campus_checkins')).filter((x) => x.reporterId === staff[5].staffId && x.temperature === '36.4');
		expect(rows).toHaveLength(1);
		// Run again: nothing is sent twice.
		const [appCount, mailCount] = [(await appJournal()).length, (await mailbox()).length];
		expect((await run()).error).toBeUndefined();
		expect((await appJournal()).length).toBe(appCount);
		expect((await mailbox()).length).toBe(mailCount);
	});
});

