/**
 * Takes the docs' screenshots in a real n8n: each ready-made workflow in the editor, and each
 * form as a phone shows it. Needs Chromium and CJK fonts (Debian: apt-get install chromium
 * fonts-noto-cjk).
 * Run: node bench/run-ts.js scripts/screenshots.ts   (writes docs/images/*.png)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
	N8nServer,
	OWNER,
	REPO,
	importCredentials,
	importWorkflows,
	installPackage,
	loadSampleSchool,
	packPackage,
	workflowFiles,
} from '../test/integration/harness';
import { CREDENTIAL_IDS, startFakes, testCredentials } from '../test/integration/fakes';

/** The app credentials' screens for docs/nodes/direct-messages.md (filter: "credential"). */
const CREDENTIAL_SHOTS: Array<[string, string]> = [
	[CREDENTIAL_IDS.dingtalkApp, 'credential-dingtalk-app'],
	[CREDENTIAL_IDS.wecomApp, 'credential-wecom-app'],
	[CREDENTIAL_IDS.feishuApp, 'credential-feishu-app'],
	[CREDENTIAL_IDS.smtp, 'credential-school-email-smtp'],
];

async function main(): Promise<void> {
	const root = mkdtempSync(join(tmpdir(), 'campus-shots-'));
	const opts = { userFolder: join(root, 'user'), port: 25900 };
	const fakes = await startFakes();
	installPackage(opts.userFolder, packPackage(join(root, 'pack')));
	await importCredentials(opts, testCredentials(fakes));
	await importWorkflows(opts, join(REPO, 'workflows'));
	const server = new N8nServer(opts);
	await server.start();
	await server.login();
	await loadSampleSchool(server);
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
	try {
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'en-US' });
		const page = await context.newPage();
		// Sign in as a person does (n8n ties its session to the browser that signed in).
		await page.goto(`${server.url}/signin`, { waitUntil: 'networkidle' });
		await page.fill('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]', OWNER.email);
		await page.fill('input[type="password"]', OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30_000 });
		const only = process.argv.slice(2);
		for (const file of workflowFiles()) {
			const wf = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string };
			const base = file.split('/').pop()!.replace(/\.json$/, '');
			if (only.length && !only.some((o) => base.includes(o))) continue;
			await page.goto(`${server.url}/workflow/${wf.id}`, { waitUntil: 'networkidle' });
			try {
				await page.waitForSelector('.vue-flow__node', { timeout: 30_000 });
			} catch (e) {
				await page.screenshot({ path: join(tmpdir(), 'campus-shot-failed.png') });
				throw e;
			}
			// Close the panels and toasts that a first visit shows, then fit the canvas.
			await page.keyboard.press('Escape');
			await page.keyboard.press('1');
			await page.waitForTimeout(800);
			const out = join(REPO, 'docs', 'images', `${base}.png`);
			await page.screenshot({ path: out });
			console.log(`${out}`);
		}
		// The credential screens a school fills in (the fake values of the tests, secrets masked).
		for (const [id, base] of CREDENTIAL_SHOTS) {
			if (only.length && !only.some((o) => base.includes(o))) continue;
			await page.goto(`${server.url}/home/credentials/${id}`, { waitUntil: 'networkidle' });
			const modal = page.locator('[data-test-id="editCredential-modal"] .el-dialog, .el-dialog').first();
			await modal.waitFor({ timeout: 30_000 });
			await page.waitForTimeout(800);
			const out = join(REPO, 'docs', 'images', `${base}.png`);
			await modal.screenshot({ path: out });
			console.log(`${out}`);
		}
		// Forms as a phone shows them (390 px wide): published workflows with a Form Trigger.
		const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
		const mobile = await phone.newPage();
		for (const file of workflowFiles()) {
			const wf = JSON.parse(readFileSync(file, 'utf8')) as {
				id: string;
				nodes: Array<{ type: string; parameters: { path?: string; options?: { path?: string } } }>;
			};
			const form = wf.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
			const path = form?.parameters.options?.path ?? form?.parameters.path;
			if (!path) continue;
			const base = file.split('/').pop()!.replace(/\.json$/, '');
			if (only.length && !only.some((o) => base.includes(o))) continue;
			await server.activate(wf.id);
			let shown = await mobile.goto(`${server.url}/form/${path}`, { waitUntil: 'networkidle' });
			for (let i = 0; shown?.status() === 404 && i < 20; i++) {
				await mobile.waitForTimeout(300);
				shown = await mobile.goto(`${server.url}/form/${path}`, { waitUntil: 'networkidle' });
			}
			const out = join(REPO, 'docs', 'images', `${base}-form-phone.png`);
			await mobile.screenshot({ path: out, fullPage: true });
			console.log(`${out}`);
		}
	} finally {
		await browser.close();
		await server.stop();
		await fakes.close();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
