/**
 * Forms and approval links driven as a browser and a chat app do, for the gate and security
 * tests: post a form, open a personal link (GET fills the hidden inputs, POST sends them back),
 * find an approval card's link, decide it.
 */
import { state } from './client';
import { delay, type N8nServer } from './harness';
import { dingtalkMessages, expectSuccess, type DingMessage } from './robots';

export const pathOf = (url: string): string => {
	const u = new URL(url);
	return u.pathname + u.search;
};

export const executionOf = (url: string): string => /\/form-waiting\/(\d+)/.exec(url)?.[1] as string;

export async function messagesUntil(pred: (all: DingMessage[]) => boolean, what: string, tries = 150): Promise<DingMessage[]> {
	for (let i = 0; i < tries; i++) {
		const all = await dingtalkMessages();
		if (pred(all)) return all;
		await delay(200);
	}
	throw new Error(`The robot never received ${what}: ${JSON.stringify(await dingtalkMessages()).slice(0, 1500)}`);
}

export async function approvalLink(title: string): Promise<string> {
	const all = await messagesUntil((m) => m.some((x) => x.body.actionCard?.title === title), `a card "${title}"`);
	return all.find((x) => x.body.actionCard?.title === title)?.body.actionCard?.singleURL as string;
}

export function formDriver(server: N8nServer) {
	/** Posts a form as the browser does (answers by field-N); returns the completion page and the execution. */
	async function postForm(formPath: string, fields: Record<string, string>): Promise<{ page: string; executionId: string }> {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.append(k, v);
		let r = await server.raw('POST', formPath, form);
		for (let i = 0; i < 50 && r.status === 404; i++) {
			await delay(200);
			r = await server.raw('POST', formPath, form);
		}
		const body = await r.text();
		expect([r.status, body]).toEqual([200, expect.stringContaining('formWaitingUrl')]);
		const url = (JSON.parse(body) as { formWaitingUrl: string }).formWaitingUrl;
		const executionId = executionOf(url);
		await server.waitForExecution(executionId, 60_000, ['waiting', 'error', 'crashed', 'success']);
		const page = await (await server.raw('GET', pathOf(url))).text();
		await server.raw('POST', pathOf(url), new FormData());
		expectSuccess(await server.waitForExecution(executionId, 60_000));
		return { page, executionId };
	}

	/**
	 * Opens a form from a personal link as a browser does: GET fills the hidden inputs from the
	 * query, then POST them with the answers; returns the completion page.
	 */
	async function openLink(url: string, answers: Record<string, string>): Promise<{ page: string; executionId: string }> {
		return postForm(pathOf(url), { ...answers, ...(await linkFields(url)) });
	}

	/** The hidden inputs a personal link's form page fills (GET, waiting for a just-published form). */
	async function linkFields(url: string): Promise<Record<string, string>> {
		let page = await fetch(url);
		for (let i = 0; page.status === 404 && i < 50; i++) {
			await delay(200);
			page = await fetch(url);
		}
		expect(page.status).toBe(200);
		return hiddenInputs(await page.text());
	}

	const submitLink = async (url: string, answers: Record<string, string>): Promise<string> => (await openLink(url, answers)).page;

	/**
	 * Opens a personal link once, then sends its form `times` times at the same moment (a double
	 * tap, a retrying network, a leaked link replayed in parallel); returns every completion page.
	 */
	async function submitAtOnce(url: string, answers: Record<string, string>, times: number): Promise<string[]> {
		const fields = { ...answers, ...(await linkFields(url)) };
		return (await Promise.all(Array.from({ length: times }, () => postForm(pathOf(url), fields)))).map((r) => r.page);
	}

	/** Answers an approval page (a Wait form): Approve or Decline, with a comment. */
	async function decide(link: string, decision: 'Approve' | 'Decline', comment = ''): Promise<void> {
		const approval = executionOf(link);
		await server.waitForExecution(approval, 60_000, ['waiting']);
		const form = new FormData();
		form.append('field-0', decision);
		form.append('field-1', comment);
		const r = await server.raw('POST', pathOf(link), form);
		expect(r.status).toBeLessThan(400);
		expectSuccess(await server.waitForExecution(approval, 60_000));
	}

	/**
	 * Opens a private approval link as the approver's browser does: GET the page (nothing changes),
	 * POST its hidden fields (the signed link), and read the page that follows: the decision page
	 * when the link is verified, otherwise a completion page ("Link not valid", "Already decided").
	 */
	async function openApproval(link: string): Promise<{ page: string; executionId: string; next: string }> {
		let first = await fetch(link);
		for (let i = 0; first.status === 404 && i < 50; i++) {
			await delay(200);
			first = await fetch(link);
		}
		expect(first.status).toBe(200);
		const form = new FormData();
		for (const [k, v] of Object.entries(hiddenInputs(await first.text()))) form.append(k, v);
		const r = await server.raw('POST', pathOf(link), form);
		const body = await r.text();
		expect([r.status, body]).toEqual([200, expect.stringContaining('formWaitingUrl')]);
		const next = (JSON.parse(body) as { formWaitingUrl: string }).formWaitingUrl;
		const executionId = executionOf(next);
		await server.waitForExecution(executionId, 60_000, ['waiting', 'error', 'crashed', 'success']);
		const page = await (await server.raw('GET', pathOf(next))).text();
		return { page, executionId, next };
	}

	/** Answers the page an approval link opened (the decision, or nothing on a completion page); returns the last page. */
	async function finishApproval(opened: { executionId: string; next: string }, answers?: Record<string, string>): Promise<string> {
		const form = new FormData();
		for (const [k, v] of Object.entries(answers ?? {})) form.append(k, v);
		await server.raw('POST', pathOf(opened.next), form);
		if (!answers) {
			expectSuccess(await server.waitForExecution(opened.executionId, 60_000));
			return '';
		}
		await server.waitForExecution(opened.executionId, 60_000, ['waiting', 'error', 'crashed', 'success']);
		const done = await (await server.raw('GET', pathOf(opened.next))).text();
		await server.raw('POST', pathOf(opened.next), new FormData());
		expectSuccess(await server.waitForExecution(opened.executionId, 60_000));
		return done;
	}

	/** Decides through a private approval link: returns the decision page (with the details) and the page after it. */
	async function decideLink(link: string, decision: 'Approve' | 'Decline', comment = ''): Promise<{ page: string; done: string }> {
		const opened = await openApproval(link);
		expect(opened.page).toContain('Decision');
		const done = await finishApproval(opened, { 'field-0': decision, 'field-1': comment });
		return { page: opened.page, done };
	}

	return { postForm, openLink, submitLink, submitAtOnce, decide, openApproval, finishApproval, decideLink };
}

function hiddenInputs(html: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const m of html.matchAll(/<input[^>]*type=['"]hidden['"][^>]*>/g)) {
		const name = /name=['"]([^'"]+)['"]/.exec(m[0])?.[1];
		const value = /value=['"]([^'"]*)['"]/.exec(m[0])?.[1] ?? '';
		if (name) fields[name] = value.replace(/&amp;/g, '&');
	}
	return fields;
}

/** What the fake chat apps delivered (one entry a person and message) and the fake SMTP server's mail. */
export interface Delivered {
	platform: string;
	to: string;
	body: unknown;
}
// The fake apps are never reset (n8n keeps their tokens for the other tests): resetPrivate() marks
// where the journal and the mailbox stand, and both are read from that mark on.
const since = { journal: 0, mail: 0 };
const allJournal = async (): Promise<Delivered[]> =>
	((await (await fetch(`${state().fakes.apps}/__fake/state`)).json()) as { journal: Delivered[] }).journal;
const allMail = async (): Promise<Array<{ to: string[]; subject: string; text: string }>> =>
	(await (await fetch(`${state().fakes.smtp}/__fake/mail`)).json()) as Array<{ to: string[]; subject: string; text: string }>;
/** What the chat apps delivered since the last resetPrivate(). */
export const appJournal = async (): Promise<Delivered[]> => (await allJournal()).slice(since.journal);
/** The mail received since the last resetPrivate(). */
export const mailbox = async (): Promise<Array<{ to: string[]; subject: string; text: string }>> => (await allMail()).slice(since.mail);
export async function resetPrivate(): Promise<void> {
	since.journal = (await allJournal()).length;
	since.mail = (await allMail()).length;
}

/** The approval links of one form path (e.g. /form/campus-leave-approval) in a text. */
export const approvalLinks = (text: string, formPath: string): string[] =>
	[...text.matchAll(/https?:\/\/[^\s"'）)\\]+/g)].map((m) => m[0]).filter((u) => u.includes(`${formPath}?`));

/**
 * Waits until an approval link for `request` (its request id) was delivered privately; returns
 * who received it (a chat user id, or `mail:<address>`) and the link.
 */
export async function privateApproval(formPath: string, request: string, tries = 150): Promise<{ to: string; link: string }> {
	for (let i = 0; i < tries; i++) {
		for (const d of await appJournal()) {
			const link = approvalLinks(JSON.stringify(d.body).replace(/\\u0026/g, '&'), formPath).find((u) => new URL(u).searchParams.get('request') === request);
			if (link) return { to: d.to, link };
		}
		for (const m of await mailbox()) {
			const link = approvalLinks(m.text, formPath).find((u) => new URL(u).searchParams.get('request') === request);
			if (link) return { to: `mail:${m.to.join()}`, link };
		}
		await delay(200);
	}
	throw new Error(`No approval link for request ${request} was delivered: ${JSON.stringify(await appJournal()).slice(0, 1500)}`);
}

/** One roster seat (a campus_roster row) for a staff member of the sample school. */
export function rosterSeat(s: Record<string, unknown>, duty: string, role: string, start: string, end: string): Record<string, unknown> {
	const date = start.slice(0, 10);
	return {
		rosterKey: `${date}|${duty}|${s.staffId}`,
		kind: 'assignment',
		assignmentId: `${date}|${duty}|Day`,
		date,
		endDate: end.slice(0, 10),
		duty,
		role,
		shift: 'Day',
		cadence: 'daily',
		start,
		end,
		personId: s.staffId,
		personName: s.name,
		mobile: s.mobile,
		userId: s.userId,
		seat: 1,
		seats: 1,
		weight: 1,
	};
}

const ZONE = 'Asia/Shanghai';
/** The date in Shanghai, and an ISO time there to the minute. */
export const shanghaiDate = (d: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(d);
export const shanghaiIso = (d: Date): string =>
	`${shanghaiDate(d)}T${new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)}:00+08:00`;


/** Every text in a delivered message body, one a line (title, text, link line). */
const textOf = (body: unknown): string =>
	typeof body === 'string' ? body : Array.isArray(body) ? body.map(textOf).join('\n') : body && typeof body === 'object' ? Object.values(body).map(textOf).join('\n') : '';

/**
 * Waits until `count` private messages reached `to` (a chat user id) since the last resetPrivate();
 * returns their text and the one link each carries ('' when none).
 */
export async function answersTo(to: string, count: number, tries = 150): Promise<Array<{ text: string; link: string }>> {
	for (let i = 0; i < tries; i++) {
		const mine = (await appJournal()).filter((d) => d.to === to);
		if (mine.length >= count) {
			return mine.map((d) => {
				const text = textOf(d.body);
				return { text, link: /https?:\/\/[^\s"'）)\\]+/.exec(text)?.[0] ?? '' };
			});
		}
		await delay(200);
	}
	throw new Error(`${to} received fewer than ${count} private messages: ${JSON.stringify(await appJournal()).slice(0, 1500)}`);
}
