/**
 * Campus 30 (provision teaching accounts) driven as the IT staff and the IT lead do, for the
 * accounts and security tests: a planning run up to its private approval link, the link opened
 * and decided, and every execution n8n stored searched for initial passwords.
 */
import { initialPassword } from '../../nodes/TeachingAccounts/passwords';
import { privateApproval, resetPrivate } from './forms';
import { delay, parseExecution, sampleSchool, setSettings, type N8nServer, type WorkflowJson } from './harness';
import { resetRobots } from './robots';

export const WF_PROVISION = 'campusProvAcct01';
export const WF_SHEETS = 'campusPwdSheet30';
export const ACCOUNT_APPROVAL = '/form/campus-account-approval';
/** The IT lead of the tests: a DingTalk user id and an email in the sample school. */
export const IT_LEAD = 'T001';
/** The Google credential's password secret in the tests (test/integration/fakes.ts). */
export const PASSWORD_SECRET = 'demo-password-secret-change-me';

/** Points Campus 30 at this server's approval form, with the IT lead set, and publishes it. */
export async function publishProvisioning(server: N8nServer, settings: Record<string, string | number> = {}): Promise<void> {
	await server.deactivate(WF_PROVISION).catch(() => undefined);
	await server.saveWorkflow(WF_PROVISION, (wf: WorkflowJson) =>
		setSettings(wf, { itLeadStaffId: IT_LEAD, approvalWaitMinutes: 1440, approvalFormUrl: `${server.url}${ACCOUNT_APPROVAL}`, ...settings }),
	);
	await server.activate(WF_PROVISION); // and the password sheets it calls
}

/** Starts Campus 30 as the editor's "Execute workflow" does; returns the execution id. */
export async function startPlanning(server: N8nServer): Promise<string> {
	return server.startRun(WF_PROVISION, 'Start');
}

/** A planning run up to the IT lead's private approval link: the run id, who got it, the link. */
export async function planUntilAsked(server: N8nServer): Promise<{ id: string; to: string; link: string }> {
	await resetRobots();
	await resetPrivate();
	const id = await startPlanning(server);
	const { to, link } = await privateApproval(ACCOUNT_APPROVAL, id);
	// The run is recorded as pending once the link is sent.
	for (let i = 0; i < 100 && !(await runOf(server, id)); i++) await delay(200);
	return { id, to, link };
}

/** The campus_account_runs row of a planning run. */
export async function runOf(server: N8nServer, id: string): Promise<Record<string, unknown> | undefined> {
	return (await server.rows('campus_account_runs')).find((r) => String(r.runId) === String(id));
}

/** Every initial password the tests' people get (the Teaching Accounts export's derivation). */
export function everyInitialPassword(): string[] {
	const school = sampleSchool();
	const ids = [
		...(school.students as Array<{ studentId: string }>).map((s) => s.studentId),
		...(school.staff as Array<{ staffId: string; roles: string }>).filter((s) => s.roles.includes('teacher')).map((s) => s.staffId),
	];
	return ids.map((id) => initialPassword(PASSWORD_SECRET, id));
}

/**
 * Every execution of the workflows that n8n lists (finished, waiting or running), read with its
 * data; returns how many were read and the ids of those holding any of `secrets`.
 */
export async function executionsHolding(server: N8nServer, workflowIds: string[], secrets: string[]): Promise<{ read: number; holding: string[] }> {
	let read = 0;
	const holding: string[] = [];
	for (const wf of workflowIds) {
		for (const e of await server.executions(wf)) {
			const raw = await server.api<Record<string, unknown>>('GET', `/rest/executions/${e.id}`);
			read++;
			const text = JSON.stringify(raw) + JSON.stringify(parseExecution(raw).raw);
			if (secrets.some((s) => text.includes(s))) holding.push(String(e.id));
		}
	}
	return { read, holding };
}
