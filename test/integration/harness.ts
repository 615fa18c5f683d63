/**
 * Real-n8n harness: installs the pinned n8n once per machine (ensure-n8n.js), installs this
 * package the way n8n's community-nodes UI does, imports workflows and credentials with n8n's
 * own CLI, starts `n8n start` on loopback and drives it over its REST API.
 * Used by the integration tests (global-setup.ts) and by `npm start` (scripts/start.ts).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureN8n } = require('./ensure-n8n.js') as {
	ensureN8n: () => { nodeBin: string; n8nBin: string; n8nModules: string; dir: string };
};

const execFileP = promisify(execFile);
export const REPO = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-campus-logistics';
export const OWNER = {
	email: 'it@school.example',
	firstName: 'School',
	lastName: 'IT',
	password: 'Campus-Logistics-1',
};

export interface ServerOptions {
	userFolder: string;
	port: number;
	/** Extra environment (e.g. queue mode). */
	env?: Record<string, string>;
	log?: string;
	/** n8n command line, default ['start'] (queue mode also runs ['worker']). */
	command?: string[];
}

export function n8nEnv(opts: ServerOptions): NodeJS.ProcessEnv {
	const { nodeBin } = ensureN8n();
	const base = { ...process.env };
	// Jest sets NODE_ENV=test and its own variables; n8n must run as it does for a school.
	for (const k of Object.keys(base)) if (k.startsWith('JEST') || k === 'NODE_OPTIONS') delete base[k];
	return {
		...base,
		NODE_ENV: 'production',
		PATH: `${dirname(nodeBin)}:${process.env.PATH}`,
		N8N_USER_FOLDER: opts.userFolder,
		N8N_PORT: String(opts.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${opts.port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${opts.port}/`,
		N8N_RUNNERS_BROKER_PORT: String(opts.port + 1),
		N8N_ENCRYPTION_KEY: 'campus-logistics-test-key',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'Asia/Shanghai',
		TZ: 'Asia/Shanghai',
		...OFFLINE_ENV,
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		DB_SQLITE_POOL_SIZE: '2',
		...(opts.env ?? {}),
	};
}

/** Keeps n8n from calling n8n's servers (schools may run offline). */
export const OFFLINE_ENV: Record<string, string> = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_DISABLED_MODULES: 'mcp-registry',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
};

/** `npm pack` of the built package (builds first when dist/ is missing). */
export function packPackage(dest: string): string {
	if (!existsSync(join(REPO, 'dist', 'nodes'))) {
		execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
	}
	mkdirSync(dest, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: REPO,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const info = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
	return join(dest, info[0].filename);
}

/** Installs the tarball into <user folder>/.n8n/nodes as n8n's community-nodes UI does. */
export function installPackage(userFolder: string, tarball: string): void {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const pkg = join(nodesDir, 'package.json');
	if (!existsSync(pkg)) {
		writeFileSync(pkg, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	}
	execFileSync(
		'npm',
		['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--omit=dev'],
		{ cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'] },
	);
}

async function cli(opts: ServerOptions, args: string[]): Promise<string> {
	const { nodeBin, n8nBin } = ensureN8n();
	try {
		const { stdout, stderr } = await execFileP(nodeBin, [n8nBin, ...args], {
			env: n8nEnv(opts),
			maxBuffer: 64 * 1024 * 1024,
		});
		return stdout + stderr;
	} catch (e) {
		const err = e as { stdout?: string; stderr?: string; message: string };
		const out = `${err.stdout ?? ''}\n${err.stderr ?? ''}`
			.split('\n')
			.filter((l) => l.trim() && !/deprecat|N8N_|^\s+-/i.test(l))
			.slice(-15)
			.join('\n');
		throw new Error(`n8n ${args[0]} failed:\n${out}`);
	}
}

/** Imports every *.json in `dir` (one workflow a file) with n8n's CLI. */
export async function importWorkflows(opts: ServerOptions, dir: string): Promise<string> {
	return cli(opts, ['import:workflow', '--separate', `--input=${dir}`]);
}

/** Imports credentials (plain data; n8n encrypts them) with n8n's CLI. */
export async function importCredentials(opts: ServerOptions, credentials: object[]): Promise<string> {
	const file = join(opts.userFolder, 'credentials-import.json');
	writeFileSync(file, JSON.stringify(credentials));
	return cli(opts, ['import:credentials', `--input=${file}`]);
}

export function workflowFiles(dir = join(REPO, 'workflows')): string[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join(dir, f));
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** The ids of the workflows a workflow calls by id (Execute Workflow nodes reading the database). */
export function calledWorkflows(wf: WorkflowJson): string[] {
	return wf.nodes
		.filter((n) => n.type === 'n8n-nodes-base.executeWorkflow' && (n.parameters.source ?? 'database') === 'database')
		.map((n) => (n.parameters.workflowId as { value?: unknown } | undefined)?.value)
		.filter((v): v is string => typeof v === 'string' && v !== '' && !v.startsWith('='));
}

/** Sets fields of a "School settings" Set node (assignments by name) in a workflow about to run. */
export function setSettings(wf: WorkflowJson, values: Record<string, string | number | boolean>, node = 'School settings'): void {
	const n = wf.nodes.find((x) => x.name === node);
	if (!n) throw new Error(`No node "${node}" in ${wf.name}`);
	const list = ((n.parameters.assignments as { assignments: Array<{ name: string; value: unknown; type: string }> })
		.assignments);
	for (const [k, v] of Object.entries(values)) {
		const a = list.find((x) => x.name === k);
		if (!a) throw new Error(`No setting "${k}" in "${node}" of ${wf.name}`);
		a.value = v;
	}
}

/**
 * Puts Campus 01 (the check-in form) on a shifted clock: the check-in row's time is the form's
 * submission time plus `offsetMinutes` (0: the real time). The demo clock of `npm start` and
 * the calendar tests use it; the rest of the workflow reads the time from that row.
 */
export function shiftCheckInClock(wf: { nodes: Array<{ name: string; parameters: Record<string, unknown> }> }, offsetMinutes: number): void {
	const row = wf.nodes.find((n) => n.name === 'Check-in row');
	const assignments = (row?.parameters.assignments as { assignments: Array<{ name: string; value: string }> } | undefined)?.assignments ?? [];
	const at = assignments.find((a) => a.name === 'submittedAt');
	const base = "$('Check the personal link').first().json.submittedAt";
	if (at) at.value = offsetMinutes ? `={{ DateTime.fromISO(${base}).plus({ minutes: ${offsetMinutes} }).toISO() }}` : `={{ ${base} }}`;
}

export interface ExecutionResult {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	/** Output items per node name: runData[node][run].data.main[output][item].json */
	nodes: Record<string, Array<Array<Array<Record<string, unknown>>>>>;
	error?: { message: string; node?: string; description?: string };
	raw: unknown;
}

/**
 * Called with every execution a test waited for, once it reached the state waited for
 * (test/integration/run-log.ts records them to compare single-process and queue-mode runs).
 */
export const executionObservers: Array<(e: ExecutionResult) => void> = [];

export class N8nServer {
	readonly url: string;
	cookie = '';
	private proc?: ChildProcess;

	constructor(readonly opts: ServerOptions) {
		this.url = `http://127.0.0.1:${opts.port}`;
	}

	async start(timeoutMs = 120_000): Promise<void> {
		const { nodeBin, n8nBin } = ensureN8n();
		const log = this.opts.log ?? join(this.opts.userFolder, 'n8n.log');
		const fd = openSync(log, 'a');
		this.proc = spawn(nodeBin, [n8nBin, ...(this.opts.command ?? ['start'])], {
			env: n8nEnv(this.opts),
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		const started = Date.now();
		while (Date.now() - started < timeoutMs) {
			if (this.proc.exitCode !== null) {
				throw new Error(`n8n exited with code ${this.proc.exitCode}; see ${log}:\n${tail(log)}`);
			}
			try {
				const r = await fetch(`${this.url}/healthz/readiness`);
				if (r.ok) return;
			} catch {
				// not up yet
			}
			await delay(300);
		}
		throw new Error(`n8n did not become ready in ${timeoutMs} ms; see ${log}:\n${tail(log)}`);
	}

	async stop(): Promise<void> {
		const p = this.proc;
		if (!p || p.exitCode !== null) return;
		await new Promise<void>((done) => {
			const t = setTimeout(() => {
				p.kill('SIGKILL');
			}, 15_000);
			p.once('exit', () => {
				clearTimeout(t);
				done();
			});
			p.kill('SIGTERM');
		});
	}

	get pid(): number | undefined {
		return this.proc?.pid;
	}

	/** Sets up the owner account (first run) and logs in. */
	async login(): Promise<void> {
		const setup = await this.raw('POST', '/rest/owner/setup', OWNER);
		if (!setup.ok && setup.status !== 400) {
			throw new Error(`Owner setup failed: ${setup.status} ${await setup.text()}`);
		}
		const r = await this.raw('POST', '/rest/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (!r.ok) throw new Error(`Login failed: ${r.status} ${await r.text()}`);
		const set = r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie') ?? ''];
		this.cookie = set.map((c) => c.split(';')[0]).join('; ');
	}

	/**
	 * One request to n8n. A connection that n8n closed as it was being reused (the keep-alive race:
	 * "other side closed", ECONNRESET, ECONNREFUSED on a busy machine) carried no request that n8n
	 * read, so it is tried again, up to 3 times.
	 */
	async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
		for (let attempt = 1; ; attempt++) {
			try {
				const r = await this.rawOnce(method, path, body, headers);
				// n8n answers every request with 503 "Database is not ready!" (before any route runs)
				// while its database ping (SELECT 1, every 2 s, 5 s timeout) has failed: on a loaded
				// machine SQLite stalls that long. The request was not handled, so it is sent again.
				if (r.status !== 503 || attempt >= 10) return r;
				const text = await r.text();
				if (!text.includes('Database is not ready')) return new Response(text, { status: r.status, headers: r.headers });
				await delay(1000);
				continue;
			} catch (e) {
				const cause = (e as { cause?: { code?: string; message?: string } }).cause;
				const dropped = /other side closed|ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET/i.test(`${cause?.code ?? ''} ${cause?.message ?? ''}`);
				if (!dropped || attempt >= 3 || body instanceof FormData) throw e;
				await delay(500 * attempt);
			}
		}
	}

	private async rawOnce(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
		return fetch(`${this.url}${path}`, {
			method,
			headers: {
				'browser-id': 'campus-logistics-harness',
				...(body !== undefined && !(body instanceof URLSearchParams) && !(body instanceof FormData)
					? { 'content-type': 'application/json' }
					: {}),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body:
				body === undefined
					? undefined
					: body instanceof URLSearchParams || body instanceof FormData
						? body
						: JSON.stringify(body),
			redirect: 'manual',
		});
	}

	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const r = await this.raw(method, path, body);
		const text = await r.text();
		if (!r.ok) throw new Error(`${method} ${path} -> ${r.status}: ${text.slice(0, 800)}`);
		const json = text ? JSON.parse(text) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	async workflow(id: string): Promise<Record<string, unknown>> {
		return this.api('GET', `/rest/workflows/${id}`);
	}

	async projectId(): Promise<string> {
		const p = await this.api<{ id: string }>('GET', '/rest/projects/personal');
		return p.id;
	}

	/**
	 * Saves a change into the stored workflow, as the editor saves it (n8n runs the stored one,
	 * and a published workflow the version it was published with); returns the saved workflow.
	 */
	async saveWorkflow(id: string, change: (wf: WorkflowJson) => void): Promise<WorkflowJson> {
		const wf = (await this.workflow(id)) as unknown as WorkflowJson;
		change(wf);
		return this.api<WorkflowJson>('PATCH', `/rest/workflows/${id}`, {
			name: wf.name,
			nodes: wf.nodes,
			connections: wf.connections,
			settings: wf.settings,
			versionId: wf.versionId,
		});
	}

	/** Runs a workflow from a trigger node as the editor's "Execute workflow" does; waits for it. */
	async run(
		id: string,
		triggerName: string,
		options: { timeoutMs?: number; patch?: (wf: WorkflowJson) => void } = {},
	): Promise<ExecutionResult> {
		const timeoutMs = options.timeoutMs ?? 120_000;
		// n8n runs the stored workflow, so a changed setting is saved first (as the editor does).
		const workflowData = options.patch ? await this.saveWorkflow(id, options.patch) : undefined;
		return this.waitForExecution(await this.startRun(id, triggerName, workflowData), timeoutMs);
	}

	/** Starts a workflow from a trigger node as "Execute workflow" does, without waiting; returns the execution id. */
	async startRun(id: string, triggerName: string, workflowData?: object): Promise<string> {
		const started = await this.api<{ executionId: string }>('POST', `/rest/workflows/${id}/run`, {
			workflowData: workflowData ?? (await this.workflow(id)),
			triggerToStartFrom: { name: triggerName },
		});
		return started.executionId;
	}

	async execution(executionId: string): Promise<ExecutionResult> {
		const e = await this.api<Record<string, unknown>>('GET', `/rest/executions/${executionId}`);
		return parseExecution(e);
	}

	async waitForExecution(executionId: string, timeoutMs = 120_000, untilStatus?: string[]): Promise<ExecutionResult> {
		const started = Date.now();
		const done = untilStatus ?? ['success', 'error', 'crashed', 'canceled'];
		for (;;) {
			const e = await this.execution(executionId);
			if (done.includes(e.status) || (untilStatus === undefined && e.finished)) {
				for (const observe of executionObservers) observe(e);
				return e;
			}
			if (Date.now() - started > timeoutMs) {
				throw new Error(`Execution ${executionId} still ${e.status} after ${timeoutMs} ms`);
			}
			await delay(200);
		}
	}

	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>> {
		const r = await this.api<{ results: Array<{ id: string; status: string; mode: string }> }>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`,
		);
		return r.results;
	}

	/** Publishes (activates) a workflow so its form and webhook URLs answer. */
	async activate(id: string): Promise<void> {
		const wf = await this.workflow(id);
		// n8n publishes a workflow only when the sub-workflows it calls are published: those go first.
		for (const sub of calledWorkflows(wf as unknown as WorkflowJson)) {
			if (sub !== id && !(await this.workflow(sub)).active) await this.activate(sub);
		}
		await this.api('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
	}

	async deactivate(id: string): Promise<void> {
		await this.api('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	/** Data tables of the owner's project: name -> { id, columns }. */
	async dataTables(): Promise<Record<string, { id: string; columns: string[] }>> {
		const r = await this.api<{ data?: unknown[] } | unknown[]>('GET', '/rest/data-tables-global?take=200');
		const list = (Array.isArray(r) ? r : ((r as { data?: unknown[] }).data ?? [])) as Array<{
			id: string;
			name: string;
			columns: Array<{ name: string }>;
		}>;
		return Object.fromEntries(list.map((t) => [t.name, { id: t.id, columns: t.columns.map((c) => c.name) }]));
	}

	async createDataTable(name: string, columns: Array<{ name: string; type: string }>): Promise<string> {
		const pid = await this.projectId();
		const existing = (await this.dataTables())[name];
		if (existing) return existing.id;
		const t = await this.api<{ id: string }>('POST', `/rest/projects/${pid}/data-tables`, { name, columns });
		return t.id;
	}

	async insertRows(name: string, rows: Array<Record<string, unknown>>): Promise<void> {
		const pid = await this.projectId();
		const t = (await this.dataTables())[name];
		if (!t) throw new Error(`No data table "${name}"`);
		for (let i = 0; i < rows.length; i += 500) {
			await this.api('POST', `/rest/projects/${pid}/data-tables/${t.id}/insert`, {
				data: rows.slice(i, i + 500),
				returnType: 'count',
			});
		}
	}

	async rows(name: string): Promise<Array<Record<string, unknown>>> {
		const pid = await this.projectId();
		const t = (await this.dataTables())[name];
		if (!t) throw new Error(`No data table "${name}"`);
		const out: Array<Record<string, unknown>> = [];
		// n8n answers at most 250 rows a page.
		for (let skip = 0; ; skip += 250) {
			const r = await this.api<{ data: Array<Record<string, unknown>>; count: number }>(
				'GET',
				`/rest/projects/${pid}/data-tables/${t.id}/rows?skip=${skip}&take=250`,
			);
			out.push(...r.data);
			if (r.data.length < 250 || out.length >= r.count) return out;
		}
	}

	async clearRows(name: string): Promise<void> {
		const pid = await this.projectId();
		const t = (await this.dataTables())[name];
		if (!t) return;
		// One condition that every row meets (n8n refuses an empty filter).
		const filter = encodeURIComponent(
			JSON.stringify({ type: 'and', filters: [{ columnName: 'id', condition: 'gte', value: 0 }] }),
		);
		await this.api('DELETE', `/rest/projects/${pid}/data-tables/${t.id}/rows?filter=${filter}`);
	}

	/** Node types n8n knows (name -> versions), from the editor's own type list. */
	async knownNodeTypes(): Promise<Set<string>> {
		const r = await this.raw('GET', '/types/nodes.json');
		const list = (await r.json()) as Array<{ name: string }>;
		return new Set(list.map((n) => n.name));
	}
}

/** Reads an execution as the REST API returns it; its `data` is serialised with flatted. */
export function parseExecution(e: Record<string, unknown>): ExecutionResult {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require('flatted') as { parse: (s: string) => unknown };
	const data = (typeof e.data === 'string' ? flatted.parse(e.data) : e.data) as
		| {
				resultData?: {
					runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
					error?: { message: string; node?: { name: string }; description?: string };
				};
		  }
		| undefined;
	const runData = data?.resultData?.runData ?? {};
	const nodes: ExecutionResult['nodes'] = {};
	for (const [name, runs] of Object.entries(runData)) {
		nodes[name] = runs.map((run) => (run.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json)));
	}
	const err = data?.resultData?.error;
	return {
		id: String(e.id),
		workflowId: String(e.workflowId ?? ''),
		status: String(e.status),
		finished: Boolean(e.finished),
		nodes,
		error: err ? { message: err.message, node: err.node?.name, description: err.description } : undefined,
		raw: data,
	};
}

/** Items of a node's output (default: first run, first output). */
export function outputOf(
	result: ExecutionResult,
	node: string,
	output = 0,
	run = 0,
): Array<Record<string, unknown>> {
	const runs = result.nodes[node];
	if (!runs) {
		throw new Error(
			`Node "${node}" did not run. Ran: ${Object.keys(result.nodes).join(', ')}${result.error ? `; error: ${result.error.message} (${result.error.node})` : ''}`,
		);
	}
	return runs[run]?.[output] ?? [];
}

export function delay(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

function tail(file: string): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
	} catch {
		return '';
	}
}

export interface TableSpec {
	sample?: string;
	columns: Array<[string, string]>;
}

export function tableSpecs(): Record<string, TableSpec> {
	return JSON.parse(readFileSync(join(REPO, 'workflows', 'data', 'tables.json'), 'utf8')) as Record<string, TableSpec>;
}

/** A row of campus_staff, as the sample school and the district benchmark make them. */
export interface StaffRow {
	staffId: string;
	name: string;
	department: string;
	roles: string;
	mobile: string;
	userId: string;
	/** Where Campus 06 sends a person's links when reachBy is email or there is no userId. */
	email?: string;
	/** "email" to send personal links by email; empty: the chat app. */
	reachBy?: string;
	leaderName: string;
	leaderMobile: string;
	/** The department head's chat user id (Feishu, WeCom and DingTalk @mentions). */
	leaderUserId?: string;
	unavailable: string;
	weeklyCap: number;
	resident: boolean;
}

export function sampleSchool(): Record<string, Array<Record<string, unknown>>> {
	return JSON.parse(readFileSync(join(REPO, 'workflows', 'data', 'sample-school.json'), 'utf8')) as Record<
		string,
		Array<Record<string, unknown>>
	>;
}

/**
 * Morning check-ins of `day` from every staff member but `missing` (between 08:10 and 08:49), plus
 * one from an id that is not on the staff list (X999), as the check-in tests seed campus_checkins.
 */
export function morningCheckIns(
	staff: Array<Pick<StaffRow, 'staffId' | 'name' | 'department'>>,
	missing: readonly unknown[],
	day: string,
	temperature: (i: number) => string = () => '36.5',
): Array<Record<string, string>> {
	const rows = staff
		.filter((s) => !missing.includes(s))
		.map((s, i) => ({
			reporterId: s.staffId,
			name: s.name,
			department: s.department,
			slot: 'Morning',
			temperature: temperature(i),
			symptoms: '无 None',
			location: '校内',
			submittedAt: `${day}T08:${String(10 + (i % 40)).padStart(2, '0')}:00+08:00`,
		}));
	rows.push({ ...rows[0], reporterId: 'X999', name: '名单外' });
	return rows;
}

/**
 * Creates every data table the ready-made workflows use (as the "Set up data tables" workflow
 * does) and fills the empty ones that have sample data with the sample school.
 */
export async function loadSampleSchool(server: N8nServer, withSample = true): Promise<string[]> {
	const specs = tableSpecs();
	const sample = sampleSchool();
	const filled: string[] = [];
	for (const [name, spec] of Object.entries(specs)) {
		await server.createDataTable(
			name,
			spec.columns.map(([n, type]) => ({ name: n, type })),
		);
		if (withSample && spec.sample && sample[spec.sample]) {
			if ((await server.rows(name)).length === 0) {
				await server.insertRows(name, sample[spec.sample]);
				filled.push(`${name} (${sample[spec.sample].length} rows)`);
			}
		}
	}
	return filled;
}
