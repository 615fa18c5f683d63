#!/usr/bin/env node
// Installs the pinned n8n (and the Node 24 it needs) once per machine into a cache outside the
// clone, and reuses it only while it is whole. Prints the paths as JSON on the last line.
// Recipe: ../shared/DESIGN.md ("Real n8n here").
//
// What makes a cache whole is checked, not assumed: the pinned Node runs, n8n's entry point is
// there, and n8n's own SQLite driver and isolated-vm load under the pinned Node (an in-memory
// database is opened and an isolate created). A cache that fails the check is mended on the
// next run (the native modules rebuilt, or the install redone), never reused as it is.
'use strict';
const { execFileSync } = require('node:child_process');
const { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, dirname } = require('node:path');

const N8N_VERSION = '2.40.7';
const NODE_VERSION = '24.21.0';
/** n8n's dependency tree as tested (lockfileVersion 3, from a working install of N8N_VERSION). */
const N8N_LOCK = join(__dirname, 'n8n-package-lock.json');
const MARKER_VERSION = 2; // bump when what "complete" means changes, so older caches are checked again

function cacheDir() {
	return (
		process.env.CAMPUS_N8N_CACHE ||
		join(homedir(), '.cache', 'n8n-nodes-campus-logistics', `n8n-${N8N_VERSION}`)
	);
}

function paths(dir = cacheDir()) {
	const nodePkg = join(dir, 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
	return {
		dir,
		nodeDir: nodePkg,
		nodeBin: join(nodePkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node'),
		n8nBin: join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nModules: join(dir, 'n8n', 'node_modules'),
	};
}

function log(m) {
	process.stderr.write(`[ensure-n8n] ${m}\n`);
}

/**
 * The environment for every npm the install runs. npm hands its own settings to child
 * processes as npm_config_* variables: the project's `.npmrc` (ignore-scripts=true), and
 * whatever the user's npm carries. Those that change what an install builds are dropped and
 * set explicitly; the registry, proxy and cache settings a user relies on are kept.
 */
function npmEnv(extra) {
	const env = {};
	const drop = /^npm_config_(ignore_scripts|build_from_source|omit|include|production|only|global|prefix|engine_strict|dry_run|offline|node_gyp|nodedir|target|runtime|arch|platform|package_lock|save|workspaces?|legacy_peer_deps|foreground_scripts)$/i;
	for (const [k, v] of Object.entries(process.env)) {
		if (drop.test(k)) continue;
		if (/^npm_(lifecycle|package|command|execpath)/i.test(k)) continue;
		env[k] = v;
	}
	return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_progress: 'false', ...extra };
}

/**
 * Runs one install step. Its output (npm's, node-gyp's compiler warnings) goes to
 * <cache>/install.log rather than the terminal; on failure the log's last lines are shown.
 */
function run(cmd, args, opts) {
	const started = Date.now();
	const logFile = join(cacheDir(), 'install.log');
	log(`${cmd} ${args.join(' ')} (in ${opts.cwd}; output in ${logFile})`);
	appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')} (in ${opts.cwd}) ${new Date().toISOString()}\n`);
	const fd = openSync(logFile, 'a');
	try {
		execFileSync(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
	} catch (e) {
		closeSync(fd);
		const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
		process.stderr.write(`${tail}\n`);
		throw new Error(`[ensure-n8n] ${cmd} ${args.join(' ')} failed (exit ${e.status}); the full output is in ${logFile}`);
	}
	closeSync(fd);
	log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Loads n8n's SQLite driver and isolated-vm under the pinned Node. Returns null when both work. */
function nativeProblem(p) {
	if (!existsSync(p.nodeBin)) return `the pinned Node is missing (${p.nodeBin})`;
	if (!existsSync(p.n8nBin)) return `n8n is missing (${p.n8nBin})`;
	const probe = [
		"const { createRequire } = require('node:module');",
		`const r = createRequire(${JSON.stringify(join(p.n8nModules, 'n8n', 'package.json'))});`,
		"const sqlite3 = r('sqlite3');",
		"const db = new sqlite3.Database(':memory:');",
		"db.get('select 41 + 1 as x', (e, row) => {",
		"  if (e || !row || row.x !== 42) { console.error('sqlite3 query failed', e); process.exit(3); }",
		"  const ivm = r('isolated-vm');",
		"  const iso = new ivm.Isolate({ memoryLimit: 8 });",
		"  const v = iso.compileScriptSync('6 * 7').runSync(iso.createContextSync());",
		"  if (v !== 42) { console.error('isolated-vm gave', v); process.exit(4); }",
		"  db.close(); iso.dispose(); console.log('ok');",
		'});',
	].join('\n');
	try {
		const out = execFileSync(p.nodeBin, ['-e', probe], {
			cwd: p.dir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 60_000,
		});
		return out.trim().endsWith('ok') ? null : `unexpected probe output: ${out.trim().slice(0, 200)}`;
	} catch (e) {
		const text = `${e.stderr || ''}${e.stdout || ''}`.trim().split('\n').filter(Boolean);
		return `n8n's native modules do not load under Node ${NODE_VERSION}: ${text.slice(-3).join(' | ').slice(0, 400) || e.message}`;
	}
}

let checked; // per process: harness callers ask several times

function markerOk(marker) {
	try {
		const m = JSON.parse(readFileSync(marker, 'utf8'));
		return m && m.version === MARKER_VERSION && m.n8n === N8N_VERSION && m.node === NODE_VERSION;
	} catch {
		return false;
	}
}

function ensureN8n() {
	const p = paths();
	if (checked && checked.dir === p.dir) return checked;
	const marker = join(p.dir, '.complete');
	if (markerOk(marker)) {
		const problem = nativeProblem(p);
		if (!problem) return (checked = p);
		log(`the cached n8n in ${p.dir} is not usable (${problem}); mending it`);
	} else if (existsSync(p.dir) && readdirSync(p.dir).length) {
		log(`the n8n cache in ${p.dir} is incomplete or from an older install; completing it`);
	} else {
		log(`installing n8n ${N8N_VERSION} and Node ${NODE_VERSION} into ${p.dir} (once per machine: about 2.4 GB, 6 to 7 minutes on 2 cores)`);
	}
	rmSync(marker, { force: true });
	const started = Date.now();
	mkdirSync(p.dir, { recursive: true });

	// 1. Node 24 from the npm registry (binary and headers ship inside the package).
	const nodeDir = join(p.dir, 'node');
	let nodeOk = false;
	try {
		nodeOk = existsSync(p.nodeBin) && execFileSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).trim() === `v${NODE_VERSION}`;
	} catch {
		nodeOk = false;
	}
	if (!nodeOk) {
		rmSync(nodeDir, { recursive: true, force: true });
		mkdirSync(nodeDir, { recursive: true });
		writeFileSync(
			join(nodeDir, 'package.json'),
			JSON.stringify({
				name: 'campus-n8n-node-runtime',
				private: true,
				dependencies: { [`node-${process.platform}-${process.arch}`]: NODE_VERSION },
			}),
		);
		run('npm', ['install', '--ignore-scripts', '--no-package-lock'], { cwd: nodeDir, env: npmEnv() });
	}

	// 2. n8n itself with scripts off (kafka's native module can neither download nor build
	//    here), then the two native modules n8n needs, built for the pinned Node with scripts on
	//    whatever the project's or the user's npm settings say.
	const n8nDir = join(p.dir, 'n8n');
	mkdirSync(n8nDir, { recursive: true });
	writeFileSync(
		join(n8nDir, 'package.json'),
		JSON.stringify({
			name: 'campus-n8n-runtime',
			private: true,
			dependencies: { n8n: N8N_VERSION },
			// n8n's xlsx dependency points at a host that cannot be reached from here.
			overrides: { xlsx: 'npm:xlsx-republish@0.20.3' },
		}),
	);
	const buildEnv = npmEnv({
		PATH: `${dirname(p.nodeBin)}:${process.env.PATH}`,
		npm_config_nodedir: p.nodeDir,
	});
	let n8nPresent = false;
	try {
		n8nPresent = JSON.parse(readFileSync(join(p.n8nModules, 'n8n', 'package.json'), 'utf8')).version === N8N_VERSION && statSync(p.n8nBin).isFile();
	} catch {
		n8nPresent = false;
	}
	if (!n8nPresent) {
		// n8n's own dependencies as they were resolved when this package was tested (a lockfile kept
		// beside this script), so that a package published since, or a registry mirror that has not
		// caught up with one, cannot break a newcomer's install. Without it, or if the pinned install
		// fails, n8n's dependencies are resolved afresh.
		const env = { ...buildEnv, npm_config_ignore_scripts: 'true' };
		let pinned = false;
		if (existsSync(N8N_LOCK)) {
			copyFileSync(N8N_LOCK, join(n8nDir, 'package-lock.json'));
			try {
				run('npm', ['ci', '--ignore-scripts', '--legacy-peer-deps'], { cwd: n8nDir, env });
				pinned = true;
			} catch (e) {
				log(`the pinned install failed (${String(e.message).split('\n')[0]}); resolving n8n's dependencies afresh`);
				rmSync(join(n8nDir, 'node_modules'), { recursive: true, force: true });
				rmSync(join(n8nDir, 'package-lock.json'), { force: true });
			}
		}
		if (!pinned) run('npm', ['install', '--ignore-scripts', '--no-package-lock', '--legacy-peer-deps'], { cwd: n8nDir, env });
	}
	run('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd: n8nDir,
		env: { ...buildEnv, npm_config_ignore_scripts: 'false' },
	});
	const problem = nativeProblem(p);
	if (problem) {
		throw new Error(
			`[ensure-n8n] n8n ${N8N_VERSION} was installed in ${p.dir} but ${problem}. ` +
				'Building them needs python3, make and a C++ compiler (Debian: apt-get install python3 make g++). ' +
				'Run the command again to retry; the cache is not marked complete.',
		);
	}
	writeFileSync(
		marker,
		JSON.stringify({ version: MARKER_VERSION, n8n: N8N_VERSION, node: NODE_VERSION, at: new Date().toISOString() }),
	);
	log(`n8n ${N8N_VERSION} installed and checked in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return (checked = p);
}

module.exports = { N8N_VERSION, NODE_VERSION, cacheDir, paths, ensureN8n, nativeProblem, npmEnv };

if (require.main === module) {
	console.log(JSON.stringify(ensureN8n()));
}
