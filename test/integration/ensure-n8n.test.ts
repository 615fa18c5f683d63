/**
 * The n8n cache is checked, not trusted: a cache whose SQLite driver does not load is mended
 * (rebuilt) on the next run, never reused. This breaks the cache's real sqlite3 binary and runs
 * ensure-n8n.js as `npm start` / `npm test` would, so it only runs on a cache that may be broken
 * for a minute and a half: CI's (.ci/run makes a new one each run and sets
 * CAMPUS_N8N_CACHE_DISPOSABLE=1). On a developer's shared cache it is skipped unless asked for.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ensure = require('./ensure-n8n.js') as {
	paths: () => { dir: string; n8nModules: string; nodeBin: string };
	nativeProblem: (p: object) => string | null;
};

const disposable = process.env.CAMPUS_N8N_CACHE_DISPOSABLE === '1';
const maybe = disposable ? it : it.skip;

describe('ensure-n8n: a broken cache is mended, not reused', () => {
	maybe(
		'a cache whose sqlite3 binary does not load is detected, rebuilt and only then marked complete',
		() => {
			const p = ensure.paths();
			expect(ensure.nativeProblem(p)).toBeNull();
			const binary = join(p.n8nModules, 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
			expect(existsSync(binary)).toBe(true);
			const marker = join(p.dir, '.complete');
			expect(existsSync(marker)).toBe(true);
			renameSync(binary, `${binary}.bak`);
			writeFileSync(binary, 'not a shared object');
			try {
				const problem = ensure.nativeProblem(p);
				expect(problem).toMatch(/native modules do not load/);
				const out = execFileSync(process.execPath, [join(__dirname, 'ensure-n8n.js')], {
					encoding: 'utf8',
					stdio: ['ignore', 'pipe', 'pipe'],
					// as under `npm test`: the project's .npmrc reaches children as this variable
					env: { ...process.env, npm_config_ignore_scripts: 'true' },
				});
				expect(JSON.parse(out.trim().split('\n').pop() as string).dir).toBe(p.dir);
				expect(ensure.nativeProblem(p)).toBeNull();
				expect(readFileSync(binary).length).toBeGreaterThan(100_000);
				expect(JSON.parse(readFileSync(marker, 'utf8'))).toMatchObject({ n8n: '2.40.7' });
			} finally {
				if (ensure.nativeProblem(p)) renameSync(`${binary}.bak`, binary);
				rmSync(`${binary}.bak`, { force: true });
			}
		},
		600_000,
	);

	it('a marker from an older install is not taken as complete', () => {
		const src = readFileSync(join(__dirname, 'ensure-n8n.js'), 'utf8');
		// the marker is JSON with a version; a bare timestamp (the old format) fails markerOk
		expect(src).toMatch(/MARKER_VERSION/);
		expect(existsSync(join(ensure.paths().dir, '.complete'))).toBe(true);
		const marker = JSON.parse(readFileSync(join(ensure.paths().dir, '.complete'), 'utf8'));
		expect(marker.version).toBeGreaterThanOrEqual(2);
	});
});
