#!/usr/bin/env node
// Runs a TypeScript benchmark file with the installed typescript compiler (transpile only).
// Usage: node bench/run-ts.js <file.ts> [its arguments]
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = function (module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
		fileName: filename,
	});
	module._compile(outputText, filename);
};
const path = require('path');
// The first argument is the file to run; the rest are its own arguments.
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(file), ...rest];
require(path.resolve(file));
