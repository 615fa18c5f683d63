/**
 * n8n queue mode on one machine, for tests and benchmarks: a throw-away Postgres and Redis on
 * loopback, one `n8n start` main (EXECUTIONS_MODE=queue) and N `n8n worker` processes, all from
 * the pinned n8n of test/integration/harness.ts, each with its own N8N_USER_FOLDER holding the
 * same installed package tarball (as a district installs it on every machine).
 *
 * Environment names checked against n8n 2.40.7's @n8n/config (scaling-mode.config.js,
 * database.config.js, runners.config.js).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N8nServer, REPO, delay, importCredentials, importWorkflows, installPackage, packPackage, type ServerOptions } from '../integration/harness';
import { startFakes, testCredentials, type Fakes } from '../integration/fakes';

/**
 * Fixed ports from one base, so that a district's firewall rules and a developer's `ss -ltnp`
 * read the same every run: CAMPUS_QUEUE_PORT_BASE (default 28400, above the 25678-27677 range
 * the integration tests pick from their pid; the queue benchmark uses 29400). Every port is
 * checked free on 127.0.0.1 before anything starts; a busy one stops the run with its name.
 */
const BASE = Number(process.env.CAMPUS_QUEUE_PORT_BASE ?? 28400);
export const PORTS = {
	base: BASE,
	postgres: BASE + 32,
	redis: BASE + 79,
	main: BASE + 10, // task broker BASE + 11
	/** Worker i: health server and n8n port BASE + 20 + 2i, its task broker one above. */
	worker: (i: number) => BASE + 20 + 2 * i,
};

/** Every port a stack of n workers listens on, by what listens. */
export function stackPorts(n: number): Array<[string, number]> {
	const out: Array<[string, number]> = [
		['postgres', PORTS.postgres],
		['redis', PORTS.redis],
		['main', PORTS.main],
		['main task broker', PORTS.main + 1],
	];
	for (let i = 0; i < n; i++) out.push([`worker ${i}`, PORTS.worker(i)], [`worker ${i} task broker`, PORTS.worker(i) + 1]);
	return out;
}

/** Throws, naming each, when any of the ports is taken on 127.0.0.1. */
export async function assertPortsFree(ports: Array<[string, number]>): Promise<void> {
	const busy: string[] = [];
	for (const [what, port] of ports) {
		const free = await new Promise<boolean>((done) => {
			const s = createNetServer();
			s.once('error', () => done(false));
			s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
		});
		if (!free) busy.push(`${port} (${what})`);
	}
	if (busy.length) {
		throw new Error(
			`queue stack: port(s) ${busy.join(', ')} already in use on 127.0.0.1 (another test:queue or bench run?); ` +
				`set CAMPUS_QUEUE_PORT_BASE to another base (now ${BASE}; the stack uses base+10 to base+79)`,
		);
	}
}

const log = (m: string) => process.stderr.write(`[queue] ${m}\n`);

// ---------------------------------------------------------------- Postgres

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePostgres } = require('./ensure-postgres.js') as {
	ensurePostgres: () => { dir: string; native: string; bin: string; version: string };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureN8n } = require('../integration/ensure-n8n.js') as { ensureN8n: () => { n8nModules: string } };

function aptInstall(pkg: string): void {
	log(`installing ${pkg} with apt-get`);
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', '-qq', pkg], {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
}

/**
 * Runs one SQL statement on 127.0.0.1 with n8n's own Postgres driver (node-postgres, from the
 * pinned n8n), so that no psql client is needed. Returns the rows.
 */
function pgQuery(port: number, database: string, statement: string): Array<Record<string, unknown>> {
	const script = [
		`const { Client } = require(${JSON.stringify(join(ensureN8n().n8nModules, 'pg'))});`,
		`const c = new Client({ host: '127.0.0.1', port: ${port}, user: 'postgres', database: ${JSON.stringify(database)} });`,
		'c.connect()',
		'  .then(() => c.query(process.env.CAMPUS_SQL))',
		'  .then((r) => { process.stdout.write(JSON.stringify((Array.isArray(r) ? r[r.length - 1] : r).rows ?? [])); return c.end(); })',
		'  .catch((e) => { console.error(e.message); process.exit(1); });',
	].join('\n');
	const out = execFileSync(process.execPath, ['-e', script], {
		encoding: 'utf8',
		env: { ...process.env, CAMPUS_SQL: statement },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return JSON.parse(out || '[]') as Array<Record<string, unknown>>;
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	/** The server's version, as `SHOW server_version` gives it (e.g. "17.10"). */
	version: string;
	env: Record<string, string>;
	/** Runs SQL in the database, returns the rows of its (last) result. */
	sql(statement: string): Array<Record<string, unknown>>;
	stop(): Promise<void>;
}

/**
 * initdb into a temp dir and start PostgreSQL 17 (test/queue/ensure-postgres.js installs it from
 * the npm registry into a cache) on 127.0.0.1. Postgres refuses to run as root: as root, it runs as
 * the `postgres` user if there is one, else as `nobody`, from a copy of the binaries inside the
 * temp dir when that user cannot reach the cache (e.g. under /root).
 */
export async function startPostgres(port = PORTS.postgres, database = 'n8n'): Promise<Postgres> {
	const pg = ensurePostgres();
	const root = mkdtempSync(join(tmpdir(), 'campus-pg-'));
	const data = join(root, 'data');
	let bin = pg.bin;
	let runAs: string | undefined;
	if (process.getuid?.() === 0) {
		runAs = 'postgres';
		try {
			execFileSync('id', ['-u', runAs], { stdio: 'pipe' });
		} catch {
			runAs = 'nobody';
		}
		const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', runAs], { encoding: 'utf8' }).trim());
		chownSync(root, uid, gid);
		try {
			execFileSync('runuser', ['-u', runAs, '--', join(bin, 'postgres'), '--version'], { stdio: 'pipe' });
		} catch {
			cpSync(pg.native, join(root, 'native'), { recursive: true, verbatimSymlinks: true });
			bin = join(root, 'native', 'bin');
		}
	}
	const as = (cmd: string, args: string[]) =>
		runAs
			? execFileSync('runuser', ['-u', runAs, '--', join(bin, cmd), ...args], { stdio: 'pipe' })
			: execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
	as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
	as('pg_ctl', [
		'-D', data, '-l', join(root, 'postgres.log'), '-w', '-t', '60',
		'-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${root} -c fsync=off -c max_connections=60`,
		'start',
	]);
	pgQuery(port, 'postgres', `CREATE DATABASE ${database}`);
	const version = String(pgQuery(port, 'postgres', 'SHOW server_version')[0]?.server_version ?? '');
	return {
		port,
		database,
		user: 'postgres',
		version,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_POOL_SIZE: '4',
		},
		sql: (statement) => pgQuery(port, database, statement),
		async stop() {
			try {
				as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			} finally {
				rmSync(root, { recursive: true, force: true });
			}
		},
	};
}

// ---------------------------------------------------------------- Redis

export interface Redis {
	port: number;
	env: Record<string, string>;
	/** SIGKILL and start again on the same port, empty (no persistence, as --save ''). */
	restart(downMs?: number): Promise<void>;
	stop(): Promise<void>;
}

export async function startRedis(port = PORTS.redis): Promise<Redis> {
	let bin = '';
	try {
		bin = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
	} catch {
		aptInstall('redis-server');
		bin = '/usr/bin/redis-server';
	}
	const dir = mkdtempSync(join(tmpdir(), 'campus-redis-'));
	let proc: ChildProcess | undefined;
	const up = async () => {
		const fd = openSync(join(dir, 'redis.log'), 'a');
		proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		for (let i = 0; i < 100; i++) {
			try {
				if (execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: 'pipe' }).trim() === 'PONG') return;
			} catch {
				// not up yet
			}
			await delay(100);
		}
		throw new Error(`redis did not start; see ${dir}/redis.log`);
	};
	const down = async (signal: NodeJS.Signals) => {
		const p = proc;
		if (!p || p.exitCode !== null || p.signalCode) return;
		await new Promise<void>((done) => {
			p.once('exit', () => done());
			p.kill(signal);
		});
	};
	await up();
	return {
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		async restart(downMs = 1000) {
			await down('SIGKILL');
			await delay(downMs);
			await up();
		},
		async stop() {
			await down('SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------- a gate in front of the fake robots

export type GateMode = 'pass' | 'holdBefore' | 'holdAfter';

/**
 * An HTTP pass-through in front of the fake robots that can hold requests, so that a test can
 * kill a worker while a message is in flight: `holdBefore` holds the request before the robot
 * sees it (a request that dies with the worker never arrives), `holdAfter` lets the robot accept
 * the message and holds only the answer (the robot has it, the worker never learns so).
 */
export interface Gate {
	url: string;
	mode: GateMode;
	/** Robot requests that go through unheld before `mode` applies (then counted down). */
	passFirst: number;
	/** Requests held now. */
	held(): number;
	waitHeld(n: number, timeoutMs?: number): Promise<void>;
	/** Lets held requests go on (those whose client is gone are dropped). */
	release(): void;
	close(): Promise<void>;
}

export async function startGate(target: string): Promise<Gate> {
	const pending: Array<() => void> = [];
	const state = { mode: 'pass' as GateMode, passFirst: 0 };
	const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, holdAnswer: boolean) => {
		const t = new URL(req.url ?? '/', target);
		const out = request(t, { method: req.method, headers: { ...req.headers, host: t.host } }, (r) => {
			const chunks: Buffer[] = [];
			r.on('data', (c: Buffer) => chunks.push(c));
			r.on('end', () => {
				const answer = () => {
					if (res.destroyed) return;
					res.writeHead(r.statusCode ?? 502, r.headers);
					res.end(Buffer.concat(chunks));
				};
				if (holdAnswer) pending.push(answer);
				else answer();
			});
		});
		out.on('error', () => {
			if (!res.destroyed) res.writeHead(502).end();
		});
		out.end(body);
	};
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			let mode = req.url?.startsWith('/__fake') ? 'pass' : state.mode;
			if (mode !== 'pass' && state.passFirst > 0) {
				state.passFirst--;
				mode = 'pass';
			}
			if (mode === 'holdBefore') {
				pending.push(() => {
					if (!res.destroyed && !req.socket.destroyed) forward(req, body, res, false);
				});
			} else forward(req, body, res, mode === 'holdAfter');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		get mode() {
			return state.mode;
		},
		set mode(m: GateMode) {
			state.mode = m;
		},
		get passFirst() {
			return state.passFirst;
		},
		set passFirst(n: number) {
			state.passFirst = n;
		},
		held: () => pending.length,
		async waitHeld(n, timeoutMs = 60_000) {
			const t0 = Date.now();
			while (pending.length < n) {
				if (Date.now() - t0 > timeoutMs) throw new Error(`gate: ${pending.length} of ${n} requests held after ${timeoutMs} ms`);
				await delay(50);
			}
		},
		release() {
			for (const go of pending.splice(0)) go();
		},
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			}),
	};
}

// ---------------------------------------------------------------- the n8n queue stack

export interface QueueStack {
	root: string;
	main: N8nServer;
	workers: N8nServer[];
	postgres: Postgres;
	redis: Redis;
	fakes: Fakes;
	/** Robot base URL the credentials use (the gate in front of the fake robots). */
	gate: Gate;
	/** Environment shared by the main and the workers (queue, database, encryption key). */
	sharedEnv: Record<string, string>;
	workerOptions(i: number): ServerOptions;
	/** Starts worker i (again, e.g. after a kill). */
	startWorker(i: number): Promise<N8nServer>;
	/** SIGKILLs worker i, as a crashed machine. */
	killWorker(i: number): Promise<void>;
	/** Stops worker i gracefully (SIGTERM: it finishes its jobs first), as scaling down. */
	stopWorker(i: number): Promise<void>;
	/** Execution ids worker i took from the queue, from its log ("Worker started execution N"). */
	jobsOf(i: number): string[];
	/** Index of the worker that ran an execution, or -1. */
	workerOf(executionId: string): number;
	/**
	 * Lines of the main's and the workers' logs where n8n warns about the Postgres version
	 * ("Postgres 15 is not supported ...", "... compatibility support only", or that it could not
	 * check): n8n checks at every start of every process.
	 */
	postgresVersionWarnings(): string[];
	timings: Record<string, number>;
	stop(): Promise<void>;
}

/** n8n 2.40.7's warnings about the Postgres version (@n8n/db postgres-version-policy.js). */
export const POSTGRES_VERSION_WARNING = /Postgres \d+ is not supported|Postgres \d+ is outside the supported range|Could not check database version/;

export interface QueueStackOptions {
	workers?: number;
	/** Worker concurrency (`n8n worker --concurrency`), default 10 as n8n's. */
	concurrency?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Folders of workflows to import (default: the ready-made workflows/). */
	workflowDirs?: string[];
}

/**
 * Postgres + Redis + fakes + one main + N workers, the package installed into each machine's
 * user folder from one `npm pack`, the ready-made workflows and test credentials imported.
 */
export async function startQueueStack(options: QueueStackOptions = {}): Promise<QueueStack> {
	const t0 = Date.now();
	const timings: Record<string, number> = {};
	const mark = (k: string) => {
		timings[k] = (Date.now() - t0) / 1000;
		log(`${k} (${timings[k].toFixed(1)} s)`);
	};
	const n = options.workers ?? 2;
	// Worker 6 would take Postgres's port (base + 32).
	if (n > 6) throw new Error(`queue stack: at most 6 workers on one port base (asked for ${n})`);
	const root = mkdtempSync(join(tmpdir(), 'campus-n8n-queue-'));
	const cleanup: Array<() => Promise<void>> = [];
	await assertPortsFree(stackPorts(n));
	try {
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
		cleanup.push(() => postgres.stop(), () => redis.stop());
		mark(`postgres ${postgres.version} on 127.0.0.1:${postgres.port}, redis on 127.0.0.1:${redis.port}`);
		const fakes = await startFakes();
		cleanup.push(() => fakes.close());
		const gate = await startGate(fakes.urls.robots);
		cleanup.push(() => gate.close());
		const sharedEnv: Record<string, string> = {
			...postgres.env,
			...redis.env,
			EXECUTIONS_MODE: 'queue',
			// REST ("Execute workflow") runs go to the workers too (the default from n8n 3).
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_ENCRYPTION_KEY: 'campus-logistics-queue-test-key',
			QUEUE_BULL_PREFIX: `campus${process.pid}`,
			// A killed worker's job is found stalled within seconds, not the default minute.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			...(options.env ?? {}),
		};
		const mainOpts: ServerOptions = {
			userFolder: join(root, 'main'),
			port: PORTS.main,
			env: sharedEnv,
			log: join(root, 'main.log'),
		};
		const workerOptions = (i: number): ServerOptions => ({
			userFolder: join(root, `worker${i}`),
			port: PORTS.worker(i),
			command: ['worker', `--concurrency=${options.concurrency ?? 10}`],
			log: join(root, `worker${i}.log`),
			env: {
				...sharedEnv,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(PORTS.worker(i)),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				// "Worker started execution N" is an info line.
				N8N_LOG_LEVEL: 'info',
			},
		});
		const tarball = packPackage(join(root, 'pack'));
		installPackage(mainOpts.userFolder, tarball);
		// Every worker gets the same installed tree (one npm install, copied: the same version
		// everywhere, as the deployment guide asks).
		for (let i = 0; i < n; i++) {
			cpSync(join(mainOpts.userFolder, '.n8n', 'nodes'), join(workerOptions(i).userFolder, '.n8n', 'nodes'), { recursive: true });
		}
		mark(`installed ${tarball.split('/').pop()} on the main and ${n} worker(s)`);
		await importCredentials(mainOpts, testCredentials({ ...fakes, urls: { ...fakes.urls, robots: gate.url } }));
		for (const dir of options.workflowDirs ?? [join(REPO, 'workflows')]) await importWorkflows(mainOpts, dir);
		mark('imported workflows and credentials into Postgres');
		const main = new N8nServer(mainOpts);
		cleanup.push(() => main.stop());
		await main.start(180_000);
		await main.login();
		mark(`main ready at ${main.url}`);
		const workers: Array<N8nServer> = [];
		const killed = new Set<N8nServer>();
		const startWorker = async (i: number) => {
			const w = new N8nServer(workerOptions(i));
			workers[i] = w;
			await w.start(180_000);
			return w;
		};
		await Promise.all(Array.from({ length: n }, (_, i) => startWorker(i)));
		mark(`${n} worker(s) ready`);
		const postgresVersionWarnings = () =>
			[mainOpts.log!, ...Array.from({ length: n }, (_, i) => workerOptions(i).log!)]
				.flatMap((f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n') : []))
				.filter((l) => POSTGRES_VERSION_WARNING.test(l));
		for (const l of new Set(postgresVersionWarnings())) log(`n8n warns: ${l.trim()}`);
		const jobsOf = (i: number) => {
			const file = workerOptions(i).log!;
			if (!existsSync(file)) return [];
			return [...readFileSync(file, 'utf8').matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
		};
		return {
			root,
			main,
			workers,
			postgres,
			redis,
			fakes,
			gate,
			sharedEnv,
			workerOptions,
			startWorker,
			async killWorker(i) {
				const w = workers[i];
				if (w?.pid && !killed.has(w)) {
					killed.add(w);
					process.kill(w.pid, 'SIGKILL');
					await delay(300);
				}
			},
			async stopWorker(i) {
				const w = workers[i];
				if (w && !killed.has(w)) {
					killed.add(w);
					await w.stop();
				}
			},
			jobsOf,
			postgresVersionWarnings,
			workerOf: (id) => Array.from({ length: n }, (_, i) => i).find((i) => jobsOf(i).includes(id)) ?? -1,
			timings,
			async stop() {
				for (const w of workers) if (w && !killed.has(w)) await w.stop().catch(() => undefined);
				for (const c of cleanup.reverse()) await c().catch((e) => log(`cleanup: ${String(e)}`));
				if (!process.env.CAMPUS_QUEUE_KEEP) rmSync(root, { recursive: true, force: true });
			},
		};
	} catch (e) {
		for (const c of cleanup.reverse()) await c().catch(() => undefined);
		log(`kept ${root} for its logs`);
		throw e;
	}
}
