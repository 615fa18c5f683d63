/**
 * Direct messages benchmark: 500 absentees each sent a personal reminder (their own signed link,
 * so one call each) on each platform, through the real operation, transport and credential code
 * to the local fake app APIs, which keep the documented per-app limits. Run 1 may wait 5 s for
 * the limits; whoever would need longer is deferred with a retryAfter time, and run 2 (after
 * that time, as the next scheduled run would) sends them. Prints messages sent, the time
 * against each platform's rate floor, how many were deferred and then sent, and that nobody was
 * lost or messaged twice (from the fake's own journal). Run 2 starts with a fresh budget (nodes keep
 * no state between runs), so the platform may refuse one call at its start; that call is retried
 * and counted in the last column. Then one identical notice to the same
 * 500, which shares calls where the platform takes several recipients.
 * Run: node bench/run-ts.js bench/direct.bench.ts
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import * as sendDirect from '../nodes/SchoolNotify/actions/sendDirect';
import { APP_LIMITS, type AppPlatform } from '../nodes/SchoolNotify/apps/platforms';
import { makeContext } from '../test/helpers/context';
import { fakeOpenId, startFakeApps } from '../test/fakes/apps';
import { appCredentials, n8nAppHttp } from '../test/fakes/n8nAppAuth';

const N = 500;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

/** Least time the per-app call limits allow for m calls starting with a fresh budget. */
function floorMs(platform: AppPlatform, calls: number): number {
	let t = 0;
	for (const l of APP_LIMITS[platform]) if (l.unit === 'calls') t = Math.max(t, Math.max(0, Math.ceil(calls / l.count) - 1) * l.windowMs);
	return t;
}

function absentees(platform: AppPlatform): IDataObject[] {
	return Array.from({ length: N }, (_, i) => {
		const id = `u${String(i + 1).padStart(3, '0')}`;
		return {
			name: `教师${i + 1}`,
			recipientUserId: platform === 'feishu' ? fakeOpenId(id) : id,
			link: `https://school.example.edu/form/health-check?p=${id}&exp=1773100800&sig=${(i * 7919).toString(16)}`,
		};
	});
}

async function run(platform: AppPlatform, items: IDataObject[], store: Record<string, IDataObject>, maxWaitSeconds: number, personal: boolean) {
	const parameters: IDataObject = {
		operation: 'sendDirect',
		platform,
		recipientType: platform === 'feishu' ? 'openId' : 'userId',
		recipient: '={{ $json.recipientUserId }}',
		messageStyle: 'card',
		title: '晨检提醒',
		text: personal ? '={{ $json.text }}' : '今天 08:30 前请提交晨检。',
		link: personal ? '={{ $json.link }}' : 'https://school.example.edu/form/health-check',
		linkText: '填写',
		directOptions: { maxWaitSeconds, retryDelayMs: 200, waitForResultSeconds: 0 },
	};
	const rows: IDataObject[] = items.map((x) => ({ ...x, text: `${x.name}，今天 08:30 前还没有提交晨检。` }));
	const ctx = makeContext({ parameters, inputs: [rows], credentials: store, http: n8nAppHttp(store) });
	const base = ctx.getNodeParameter.bind(ctx) as (n: string, i: number, f?: unknown) => unknown;
	(ctx as { getNodeParameter: unknown }).getNodeParameter = (name: string, i: number, fallback?: unknown) => {
		const v = base(name, i, fallback);
		const m = typeof v === 'string' ? v.match(/^=\{\{\s*\$json\.(\w+)\s*\}\}$/) : null;
		return m ? rows[i]?.[m[1]] : v;
	};
	const t0 = Date.now();
	const [sent, deferred, failed] = (await sendDirect.execute.call(ctx as IExecuteFunctions, ctx.getInputData())) as INodeExecutionData[][];
	return { sent, deferred, failed, ms: Date.now() - t0 };
}

async function main(): Promise<void> {
	const fake = await startFakeApps({ users: Array.from({ length: N }, (_, i) => `u${String(i + 1).padStart(3, '0')}`) });
	const table: string[][] = [['platform', 'sent', 'run 1 sent', 'deferred', 'run 2 sent', 'failed', 'lost', 'twice', 'send time', 'rate floor', 'calls', 'rate-limited calls (retried)']];
	let bad = false;
	try {
		for (const platform of ['dingtalk', 'wecom', 'feishu'] as AppPlatform[]) {
			fake.reset();
			const store = appCredentials(fake.baseUrl);
			const items = absentees(platform);
			const r1 = await run(platform, items, store, 5, true);
			const latest = Math.max(0, ...r1.deferred.map((x) => Date.parse(String(x.json.retryAfter))));
			if (latest > Date.now()) await new Promise((resolve) => setTimeout(resolve, latest - Date.now()));
			const r2 = await run(platform, r1.deferred.map((x) => x.json), store, 120, true);
			const got = new Map<string, number>();
			for (const j of fake.journal) got.set(j.to, (got.get(j.to) ?? 0) + 1);
			const lost = N - got.size;
			const twice = [...got.values()].filter((n) => n > 1).length;
			const sent = r1.sent.length + r2.sent.length;
			if (lost || twice || sent !== N) bad = true;
			table.push([
				platform,
				String(sent),
				String(r1.sent.length),
				String(r1.deferred.length),
				String(r2.sent.length),
				String(r1.failed.length + r2.failed.length),
				String(lost),
				String(twice),
				fmt(r1.ms + r2.ms),
				fmt(floorMs(platform, fake.sendCalls[platform])),
				String(fake.sendCalls[platform]),
				String(fake.refusals.filter((x) => [90018, 45009, 99991400, 230020].includes(x.code)).length),
			]);
		}
		const notice: string[][] = [['platform', 'one notice to', 'sent', 'calls', 'time']];
		for (const platform of ['dingtalk', 'wecom', 'feishu'] as AppPlatform[]) {
			fake.reset();
			const store = appCredentials(fake.baseUrl);
			const r = await run(platform, absentees(platform), store, 120, false);
			notice.push([platform, String(N), String(r.sent.length), String(fake.sendCalls[platform]), fmt(r.ms)]);
		}
		const print = (rows: string[][]) => {
			const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
			for (const r of rows) process.stdout.write(`${r.map((x, c) => x.padEnd(w[c])).join('  ')}\n`);
		};
		process.stdout.write(`Personal reminders to ${N} people per platform (run 1 waits up to 5 s; run 2 sends the deferred after their retryAfter):\n`);
		print(table);
		process.stdout.write('\nOne identical notice to the same people (shared calls where the platform allows):\n');
		print(notice);
		process.stdout.write(`\nRate floors from the documented per-app limits: ${(['dingtalk', 'wecom', 'feishu'] as AppPlatform[])
			.map((p) => `${p} ${APP_LIMITS[p].filter((l) => l.unit === 'calls').map((l) => `${l.count}/${l.windowMs >= 60_000 ? 'min' : 's'}`).join(', ')}`)
			.join('; ')}\n`);
		if (bad) {
			process.stdout.write('SOMEONE WAS LOST OR MESSAGED TWICE\n');
			process.exitCode = 1;
		}
	} finally {
		await fake.close();
	}
}

void main();
