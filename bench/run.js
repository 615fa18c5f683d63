#!/usr/bin/env node
// npm run bench: runs every bench/*.bench.ts (or those named on the command line), one after the
// other, each in its own process so that one's memory does not skew the next.
const { execFileSync } = require('child_process');
const { readdirSync } = require('fs');
const { join } = require('path');

const only = process.argv.slice(2);
const files = readdirSync(__dirname)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => !only.length || only.some((o) => f.includes(o)))
	.sort();
let failed = 0;
for (const f of files) {
	console.log(`\n=== ${f}`);
	try {
		execFileSync(process.execPath, ['--expose-gc', join(__dirname, 'run-ts.js'), join(__dirname, f)], {
			stdio: 'inherit',
		});
	} catch {
		failed++;
	}
}
if (failed) {
	console.error(`${failed} benchmark(s) failed`);
	process.exit(1);
}
