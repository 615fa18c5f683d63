/**
 * Campus 02 Missed-check reminders at school size, counted from the fake robots' own journal of
 * accepted messages (issue 17): 1,000 staff in 30 departments with 500 absent, on each channel,
 * reminded by the runs every 5 minutes of one make-up window (lost 0, twice 0, messages against
 * a lower bound); two runs that overlap for one slot (nobody twice); and the last run of the
 * window telling the administrator on duty whom it could not reach.
 *
 * The fake's clock moves 5 minutes between runs, as the Schedule Trigger's would, so that the
 * robots' per-minute windows behave as they would between real runs.
 */
import { n8n, state } from './client';
import { CREDENTIAL_IDS } from './fakes';
import { appJournal, resetPrivate } from './forms';
import { loadSampleSchool, morningCheckIns, outputOf, setSettings, type ExecutionResult, type WorkflowJson } from './harness';

const server = n8n();
const WF = 'campusMissedChk1';
const DAY = '2026-11-24'; // a Tuesday, a school day
type Channel = 'dingtalk' | 'wecom' | 'feishu';
const CREDENTIAL: Record<Channel, [string, string, string]> = {
	dingtalk: ['dingTalkRobotApi', CREDENTIAL_IDS.dingtalk, 'School DingTalk robot'],
	wecom: ['weComRobotApi', CREDENTIAL_IDS.wecom, 'School WeCom robot'],
	feishu: ['feishuBotApi', CREDENTIAL_IDS.feishu, 'School Feishu bot'],
};
/**
 * The documented size of one message, in bytes: WeCom text (the type whose @mentions by mobile
 * work) 2,048 and markdown 4,096; DingTalk 20,000; Feishu 20 KB.
 */
function limitOf(channel: Channel, body: unknown): number {
	if (channel === 'wecom') return (body as { msgtype?: string }).msgtype === 'markdown' ? 4096 : 2048;
	return channel === 'dingtalk' ? 20000 : 20 * 1024;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬'.split('');

/** 1,000 staff in 30 departments, every name different. */
function bigStaff(n = 1000): Array<Record<string, unknown>> {
	return Array.from({ length: n }, (_, i) => {
		const dept = `部门${String(i % 30).padStart(2, '0')}`;
		return {
			staffId: `B${String(i).padStart(4, '0')}`,
			name: `${SURNAMES[i % 30]}${GIVEN[Math.floor(i / 30) % 32]}${GIVEN[(Math.floor(i / 960) + 7) % 32]}`,
			department: dept,
			roles: 'teacher',
			mobile: `137${String(i).padStart(8, '0')}`,
			// The fake apps' directory knows u001..u600.
			userId: i < 600 ? `u${String(i + 1).padStart(3, '0')}` : `ub${i}`,
			leaderName: `主任${i % 30}`,
			leaderMobile: `136${String(i % 30).padStart(8, '0')}`,
			unavailable: '',
			weeklyCap: 3,
			resident: false,
		};
	});
}

interface JournalEntry {
	channel: string;
	robot: string;
	body: unknown;
}

async function fake(path: string, body?: unknown): Promise<Response> {
	return fetch(`${state().fakes.robots}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
}

async function journalSince(since: number): Promise<{ next: number; entries: JournalEntry[] }> {
	return (await (await fake(`/__fake/journal?since=${since}`)).json()) as { next: number; entries: JournalEntry[] };
}

/** The staff ids whose personal link a message carries: one per person reminded in it. */
function remindedIn(e: JournalEntry): string[] {
	return [...JSON.stringify(e.body).matchAll(/[?&]id=(B\d{4})\b/g)].map((m) => m[1]);
}

function useChannel(wf: WorkflowJson, channel: Channel, asOf: string, remindBy = 'group'): void {
	setSettings(wf, { asOf, formUrl: `${server.url}/form/campus-health-checkin`, remindBy });
	const [type, id, name] = CREDENTIAL[channel];
	for (const n of wf.nodes.filter((x) => x.name === 'Send reminders' || x.name === 'Tell the administrator')) {
		n.parameters.channel = channel;
		n.credentials = { [type]: { id, name } };
	}
}

async function setUpSchool(absent: number): Promise<string[]> {
	const staff = bigStaff();
	const missing = staff.slice(0, absent);
	for (const t of ['campus_staff', 'campus_checkins', 'campus_reminders', 'campus_roster']) await server.clearRows(t);
	await server.insertRows('campus_staff', staff);
	await server.insertRows(
		'campus_checkins',
		morningCheckIns(staff as Array<{ staffId: string; name: string; department: string }>, missing, DAY).filter((r) => r.reporterId !== 'X999'),
	);
	await server.insertRows('campus_roster', [
		{ rosterKey: `${DAY}|admin`, kind: 'assignment', date: DAY, duty: 'Administrator on duty', role: 'admin', shift: 'Day', start: `${DAY}T07:30:00+08:00`, end: `${DAY}T17:30:00+08:00`, personId: 'B0999', personName: '值班领导', mobile: '13500000999', userId: 'uadmin' },
	]);
	return missing.map((s) => String(s.staffId));
}

function expectSuccess(r: ExecutionResult): void {
	if (r.status !== 'success') throw new Error(`execution ${r.id} ${r.status}: ${JSON.stringify(r.error)}`);
}

describe('Campus 02 at school size: 500 of 1,000 staff absent, counted from the robots’ journal', () => {
	beforeAll(async () => {
		await loadSampleSchool(server, false);
	});
	afterAll(async () => {
		// Leave the sample school as the other test files expect it.
		for (const t of ['campus_staff', 'campus_checkins', 'campus_reminders', 'campus_roster']) await server.clearRows(t);
		await loadSampleSchool(server);
		await fake('/__fake/reset', {});
	});

	for (const channel of ['wecom', 'dingtalk', 'feishu'] as Channel[]) {
		it(`${channel}: the runs of one make-up window remind all 500, each once`, async () => {
			const missing = await setUpSchool(500);
			await fake('/__fake/reset', {});
			let since = (await journalSince(0)).next;
			const times = new Map<string, number>();
			let messages = 0;
			let fill = 0;
			const perRun: string[] = [];
			// 09:33, 09:38, … 09:58: the first-level reminders of the morning window (10:03 escalates).
			for (let minute = 33; minute <= 58; minute += 5) {
				const result = await server.run(WF, 'Schedule', {
					patch: (wf) => useChannel(wf, channel, `${DAY}T09:${minute}:00+08:00`),
					timeoutMs: 300_000,
				});
				expectSuccess(result);
				const j = await journalSince(since);
				since = j.next;
				let people = 0;
				for (const e of j.entries) {
					const ids = remindedIn(e);
					if (!ids.length) continue;
					messages++;
					// The share of a message's size limit it fills (JSON is a little larger than the text).
					fill += Buffer.byteLength(JSON.stringify(e.body)) / limitOf(channel, e.body);
					people += ids.length;
					for (const id of ids) times.set(id, (times.get(id) ?? 0) + 1);
				}
				perRun.push(`09:${minute} ${people}`);
				await fake('/__fake/advance', { ms: 5 * 60_000 });
			}
			const lost = missing.filter((id) => !times.has(id));
			const twice = [...times.entries()].filter(([, n]) => n > 1).map(([id]) => id);
			const bound = Math.ceil(fill);
			process.stdout.write(
				`[reminders] ${channel}: 500 absent, reminded ${times.size}, lost ${lost.length}, twice ${twice.length}; ` +
					`${messages} messages (lower bound by size ${bound}); people per run ${perRun.join(', ')}\n`,
			);
			expect(lost).toEqual([]);
			expect(twice).toEqual([]);
			expect([...times.keys()].every((id) => missing.includes(id))).toBe(true);
			// The messages are packed: at most a quarter more than the size alone requires.
			expect(messages).toBeLessThanOrEqual(Math.ceil(bound * 1.25) + 1);
			// Every person sent is recorded once, as sent (claims are separate rows).
			const sent = (await server.rows('campus_reminders')).filter((r) => r.kind === 'missed check-in');
			expect(sent).toHaveLength(500);
			expect(new Set(sent.map((r) => r.dedupeKey)).size).toBe(500);
		}, 900_000);
	}

	it('two runs that overlap for one slot remind each person once between them', async () => {
		const missing = await setUpSchool(500);
		await fake('/__fake/reset', {});
		const since = (await journalSince(0)).next;
		// One saved version, then two runs started together, as two workers would start them.
		const saved = await server.saveWorkflow(WF, (wf) => useChannel(wf, 'feishu', `${DAY}T09:33:00+08:00`));
		const start = () => server.startRun(WF, 'Schedule', saved);
		const [a, b] = await Promise.all([start(), start()]);
		const results = await Promise.all([server.waitForExecution(a, 300_000), server.waitForExecution(b, 300_000)]);
		results.forEach(expectSuccess);
		const times = new Map<string, number>();
		for (const e of (await journalSince(since)).entries) for (const id of remindedIn(e)) times.set(id, (times.get(id) ?? 0) + 1);
		const twice = [...times.entries()].filter(([, n]) => n > 1);
		// A run that finds everyone claimed by the other stops before "Ours to send": it sends to 0.
		const sentBy = results.map((r) => (r.nodes['Ours to send'] ? outputOf(r, 'Ours to send').length : 0));
		process.stdout.write(`[reminders] overlapping runs (feishu): reminded ${times.size}, twice ${twice.length}, split ${sentBy.join(' + ')}\n`);
		expect(twice).toEqual([]);
		// What one run left to the other is sent by the other, or by the next run.
		const next = await server.run(WF, 'Schedule', { patch: (w) => useChannel(w, 'feishu', `${DAY}T09:38:00+08:00`), timeoutMs: 300_000 });
		expectSuccess(next);
		const all = new Map<string, number>();
		for (const e of (await journalSince(since)).entries) for (const id of remindedIn(e)) all.set(id, (all.get(id) ?? 0) + 1);
		expect(missing.filter((id) => !all.has(id))).toEqual([]);
		expect([...all.values()].every((n) => n === 1)).toBe(true);
	}, 900_000);

	it('remindBy "app": each of 500 absent gets one private DingTalk work notification with their own link; the group sees none', async () => {
		const missing = await setUpSchool(500);
		await fake('/__fake/reset', {});
		// The fake apps are not reset (n8n keeps their tokens for the other tests): count from here.
		await resetPrivate();
		const since = (await journalSince(0)).next;
		const result = await server.run(WF, 'Schedule', {
			patch: (wf) => useChannel(wf, 'dingtalk', `${DAY}T09:33:00+08:00`, 'app'),
			timeoutMs: 600_000,
		});
		expectSuccess(result);
		const journal = await appJournal();
		const userOf = new Map(bigStaff().map((x) => [String(x.staffId), String(x.userId)]));
		const times = new Map<string, number>();
		for (const j of journal) {
			const ids = [...JSON.stringify(j.body).matchAll(/[?&]id=(B\d{4})\b/g)].map((m) => m[1]);
			expect(ids.length).toBe(1);
			// The link in a private message is the recipient's own.
			expect(userOf.get(ids[0])).toBe(j.to);
			times.set(ids[0], (times.get(ids[0]) ?? 0) + 1);
		}
		const group = (await journalSince(since)).entries.filter((e) => remindedIn(e).length);
		process.stdout.write(`[reminders] remindBy app (dingtalk): 500 absent, ${times.size} private messages, ${group.length} group messages with links\n`);
		expect(missing.filter((id) => !times.has(id))).toEqual([]);
		expect([...times.values()].every((n) => n === 1)).toBe(true);
		expect(group).toEqual([]);
		expect((await server.rows('campus_reminders')).filter((r) => r.kind === 'missed check-in')).toHaveLength(500);
	}, 900_000);

	it('the last run of the window tells the administrator on duty whom it could not reach, and why', async () => {
		const missing = await setUpSchool(3);
		await fake('/__fake/reset', {});
		const since = (await journalSince(0)).next;
		// The robot answers 5xx to the reminder and its 3 retries: the 3 people are not reached.
		await fake('/__fake/fault', { channel: 'dingtalk', kind: '5xx', times: 4 });
		const result = await server.run(WF, 'Schedule', { patch: (wf) => useChannel(wf, 'dingtalk', `${DAY}T10:28:00+08:00`), timeoutMs: 300_000 });
		expectSuccess(result);
		// Nothing recorded as sent: a re-run tries them again.
		expect((await server.rows('campus_reminders')).filter((r) => r.kind !== 'claim')).toHaveLength(0);
		expect(outputOf(result, 'Last run of the window?').map((i) => i.reporterId).sort()).toEqual(missing.sort());
		const entries = (await journalSince(since)).entries;
		expect(entries).toHaveLength(1);
		const text = JSON.stringify(entries[0].body);
		expect(text).toContain('未能送达');
		for (const s of bigStaff().slice(0, 3)) {
			expect(text).toContain(String(s.name));
			expect(text).not.toContain(String(s.mobile));
		}
		// @mentions the administrator on duty from campus_roster.
		expect(text).toContain('uadmin');
	}, 300_000);
});
