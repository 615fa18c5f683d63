/**
 * Nodes keep no state between executions (issue 10: in n8n queue mode any worker runs any
 * execution, so a budget, cache or "already sent" record in one worker's memory would be wrong on
 * the others). Checked on the source of every node and credential file: no module-level `let` or
 * `var`, and no module-level collection or object that the code changes (push, set, add, delete,
 * assignment to a member). Constant lookup tables are fine. The behaviour itself is checked by
 * `npm run test:queue`, which runs every workflow on two workers and compares with one process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		if (statSync(p).isDirectory()) return sources(p);
		return p.endsWith('.ts') ? [p] : [];
	});
}

const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill']);

/** Module-level state in one file: names with the reason. */
export function moduleState(file: string, text = readFileSync(file, 'utf8')): string[] {
	const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
	const found: string[] = [];
	const topNames = new Set<string>();
	for (const st of sf.statements) {
		if (!ts.isVariableStatement(st)) continue;
		const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
		for (const d of st.declarationList.declarations) {
			if (!ts.isIdentifier(d.name)) continue;
			if (!isConst) found.push(`${d.name.text}: module-level ${st.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}`);
			else topNames.add(d.name.text);
		}
	}
	// A top-level constant changed anywhere in the file: X.push(..), X.set(..), X.y = .., X[k] = ..
	const visit = (n: ts.Node) => {
		if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
			const target = n.expression.expression;
			if (ts.isIdentifier(target) && topNames.has(target.text) && MUTATORS.has(n.expression.name.text)) {
				found.push(`${target.text}: changed by .${n.expression.name.text}() at line ${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
			}
		}
		if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
			const left = n.left;
			if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && ts.isIdentifier(left.expression) && topNames.has(left.expression.text)) {
				found.push(`${left.expression.text}: a member assigned at line ${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
			}
		}
		ts.forEachChild(n, visit);
	};
	visit(sf);
	return found;
}

describe('no node keeps state between executions', () => {
	const files = [...sources(join(ROOT, 'nodes')), ...sources(join(ROOT, 'credentials'))];

	it('finds the node sources', () => {
		expect(files.length).toBeGreaterThan(20);
	});

	it.each(files.map((f) => [relative(ROOT, f)]))('%s holds no module-level state', (file) => {
		expect(moduleState(join(ROOT, file))).toEqual([]);
	});

	it('the check itself finds a module-level budget, cache or "sent" record', () => {
		const src = [
			'let sentToday = 0;',
			'const cache = new Map<string, string>();',
			'const budget = { used: 0 };',
			'const LIMITS = new Set(["a"]);',
			'export function send(k: string) { cache.set(k, k); budget.used = 1; sentToday++; return LIMITS.has(k); }',
		].join('\n');
		expect(moduleState('x.ts', src)).toEqual([
			'sentToday: module-level let',
			'cache: changed by .set() at line 5',
			'budget: a member assigned at line 5',
		]);
	});
});
