#!/usr/bin/env node
// Installs the pinned n8n (and the Node 24 it needs) once per machine into a cache outside the
// clone, and reuses it when it is complete. Prints the paths as JSON on the last line.
// Recipe: ../shared/DESIGN.md ("Real n8n here").
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync, rmSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, dirname } = require('node:path');

const N8N_VERSION = '2.40.7';
const NODE_VERSION = '24.21.0';

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

function run(cmd, args, opts) {
	const started = Date.now();
	process.stderr.write(`[ensure-n8n] ${cmd} ${args.join(' ')} (in ${opts.cwd})\n`);
	execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
	process.stderr.write(`[ensure-n8n]   done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

function ensureN8n() {
	const p = paths();
	const marker = join(p.dir, '.complete');
	if (existsSync(marker) && existsSync(p.nodeBin) && existsSync(p.n8nBin)) return p;
	const started = Date.now();
	mkdirSync(p.dir, { recursive: true });
	const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };

	// 1. Node 24 from the npm registry (binary and headers ship inside the package).
	const nodeDir = join(p.dir, 'node');
	if (!existsSync(p.nodeBin)) {
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
		run('npm', ['install', '--ignore-scripts', '--no-package-lock'], { cwd: nodeDir, env: npmEnv });
	}

	// 2. n8n itself, scripts off, then the two native modules it needs, built for Node 24.
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
	const buildEnv = {
		...npmEnv,
		PATH: `${dirname(p.nodeBin)}:${process.env.PATH}`,
		npm_config_nodedir: p.nodeDir,
	};
	run('npm', ['install', '--ignore-scripts', '--no-package-lock', '--legacy-peer-deps'], {
		cwd: n8nDir,
		env: buildEnv,
	});
	run('npm', ['rebuild', 'sqlite3', 'isolated-vm'], { cwd: n8nDir, env: buildEnv });
	writeFileSync(marker, new Date().toISOString());
	process.stderr.write(
		`[ensure-n8n] n8n ${N8N_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
	);
	return p;
}

module.exports = { N8N_VERSION, NODE_VERSION, cacheDir, paths, ensureN8n };

if (require.main === module) {
	console.log(JSON.stringify(ensureN8n()));
}
