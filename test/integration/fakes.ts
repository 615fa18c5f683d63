/**
 * The fake external services the integration run points n8n at (loopback only), and the test
 * credentials that name them. Each fake lives in test/fakes and behaves as the documented API.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Fakes {
	urls: Record<string, string>;
	/** Credential values the fake Google accepts (when it runs). */
	googleCredentials?: Record<string, string>;
	describe(): string;
	close(): Promise<void>;
}

interface Closable {
	baseUrl: string;
	close: () => Promise<void>;
}

export async function startFakes(options: { port?: number } = {}): Promise<Fakes> {
	const running: Record<string, Closable> = {};
	let googleCredentials: Record<string, string> | undefined;
	let smtpServer = '';
	const dir = join(__dirname, '..', 'fakes');
	if (existsSync(join(dir, 'robots.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeRobots } = require('../fakes/robots') as {
			startFakeRobots: (o?: { port?: number }) => Promise<Closable>;
		};
		running.robots = await startFakeRobots(options.port ? { port: options.port } : undefined);
	}
	if (existsSync(join(dir, 'apps.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeApps } = require('../fakes/apps') as { startFakeApps: (o?: { users?: string[] }) => Promise<Closable> };
		// The apps' directories know the default test users and the sample school's staff.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const sample = require('../../workflows/data/sample-school.json') as { staff: Array<{ userId?: string }> };
		const users = [
			...Array.from({ length: 600 }, (_, i) => `u${String(i + 1).padStart(3, '0')}`),
			...sample.staff.map((s) => String(s.userId ?? '')).filter(Boolean),
		];
		running.apps = await startFakeApps({ users });
	}
	if (existsSync(join(dir, 'google.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeGoogle } = require('../fakes/google') as {
			startFakeGoogle: (o?: { port?: number }) => Promise<{
				url: string;
				credentials: Record<string, string>;
				close: () => Promise<void>;
			}>;
		};
		const google = await startFakeGoogle(options.port ? { port: options.port + 1 } : undefined);
		running.google = { baseUrl: google.url, close: () => google.close() };
		googleCredentials = google.credentials;
	}
	if (existsSync(join(dir, 'smtp.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startFakeSmtp } = require('../fakes/smtp') as {
			startFakeSmtp: () => Promise<{ baseUrl: string; host: string; port: number; close: () => Promise<void> }>;
		};
		const smtp = await startFakeSmtp();
		running.smtp = smtp;
		smtpServer = `${smtp.host}:${smtp.port}`;
	}
	const urls = Object.fromEntries(Object.entries(running).map(([k, v]) => [k, v.baseUrl]));
	if (smtpServer) urls.smtpServer = smtpServer;
	return {
		urls,
		googleCredentials,
		describe: () => Object.entries(urls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
		close: async () => {
			for (const f of Object.values(running)) await f.close();
		},
	};
}

/** Credentials the ready-made workflows reference, pointed at the fakes. Filled in per service. */
export const CREDENTIAL_IDS = {
	dingtalk: 'campusDingTalk01',
	wecom: 'campusWeCom00001',
	feishu: 'campusFeishu0001',
	linkSecret: 'campusLinkSecr01',
	google: 'campusGoogle0001',
	dingtalkApp: 'campusDtApp00001',
	wecomApp: 'campusWcApp00001',
	feishuApp: 'campusFsApp00001',
	smtp: 'campusSmtp000001',
};

export function testCredentials(fakes: Fakes): object[] {
	const list: object[] = [];
	const robots = fakes.urls.robots;
	if (robots) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { FAKE_ROBOTS } = require('../fakes/robots') as {
			FAKE_ROBOTS: {
				dingtalk: { signed: { accessToken: string; secret: string } };
				wecom: { plain: { key: string } };
				feishu: { signed: { hookId: string; secret: string } };
			};
		};
		list.push(
			{
				id: CREDENTIAL_IDS.dingtalk,
				name: 'School DingTalk robot',
				type: 'dingTalkRobotApi',
				data: { ...FAKE_ROBOTS.dingtalk.signed, keyword: '', baseUrl: robots },
			},
			{
				id: CREDENTIAL_IDS.wecom,
				name: 'School WeCom robot',
				type: 'weComRobotApi',
				data: { webhookKey: FAKE_ROBOTS.wecom.plain.key, baseUrl: robots },
			},
			{
				id: CREDENTIAL_IDS.feishu,
				name: 'School Feishu bot',
				type: 'feishuBotApi',
				data: { ...FAKE_ROBOTS.feishu.signed, keyword: '', baseUrl: robots },
			},
		);
	}
	const apps = fakes.urls.apps;
	if (apps) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { FAKE_APPS } = require('../fakes/apps') as { FAKE_APPS: Record<'dingtalk' | 'wecom' | 'feishu', Record<string, string>> };
		const token = { accessToken: '', expiresAt: 0, baseUrl: apps };
		list.push(
			{ id: CREDENTIAL_IDS.dingtalkApp, name: 'School DingTalk app', type: 'dingTalkAppApi', data: { ...FAKE_APPS.dingtalk, ...token } },
			{ id: CREDENTIAL_IDS.wecomApp, name: 'School WeCom app', type: 'weComAppApi', data: { ...FAKE_APPS.wecom, ...token } },
			{ id: CREDENTIAL_IDS.feishuApp, name: 'School Feishu app', type: 'feishuAppApi', data: { ...FAKE_APPS.feishu, ...token } },
		);
	}
	if (fakes.urls.smtpServer) {
		const [host, port] = fakes.urls.smtpServer.split(':');
		list.push({
			id: CREDENTIAL_IDS.smtp,
			name: 'School email (SMTP)',
			type: 'smtp',
			data: { user: '', password: '', host, port: Number(port), secure: false, disableStartTls: true, hostName: '' },
		});
	}
	if (fakes.googleCredentials) {
		list.push({
			id: CREDENTIAL_IDS.google,
			name: 'School Google Workspace',
			type: 'googleWorkspaceSchoolApi',
			data: { ...fakes.googleCredentials, domain: 'school.example.cn', passwordSecret: 'demo-password-secret-change-me' },
		});
	}
	list.push({
		id: CREDENTIAL_IDS.linkSecret,
		name: 'Check-in link secret',
		type: 'campusLinkSecretApi',
		data: { secret: 'demo-link-secret-change-me' },
	});
	return list;
}
