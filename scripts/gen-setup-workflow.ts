/**
 * Writes workflows/campus-00-setup-data-tables.json from workflows/data/tables.json: one n8n
 * Data Table "create" node (reusing an existing table) per table the ready-made workflows use.
 * Run after changing tables.json: node bench/run-ts.js scripts/gen-setup-workflow.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const tables = JSON.parse(readFileSync(join(root, 'workflows', 'data', 'tables.json'), 'utf8')) as Record<
	string,
	{ columns: Array<[string, string]> }
>;

const nodes: object[] = [
	{
		id: 'setup-trigger',
		name: 'Run once to set up',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	},
];
const connections: Record<string, object> = {};
let prev = 'Run once to set up';
Object.entries(tables).forEach(([name, spec], i) => {
	const nodeName = `Create ${name}`;
	nodes.push({
		id: `setup-${name}`,
		name: nodeName,
		type: 'n8n-nodes-base.dataTable',
		typeVersion: 1.1,
		position: [220 * (i + 1), 0],
		executeOnce: true,
		parameters: {
			resource: 'table',
			operation: 'create',
			tableName: name,
			columns: { column: spec.columns.map(([n, type]) => ({ name: n, type })) },
			options: { createIfNotExists: true },
		},
	});
	connections[prev] = { main: [[{ node: nodeName, type: 'main', index: 0 }]] };
	prev = nodeName;
});

const workflow = {
	id: 'campusSetupTbl00',
	name: 'Campus 00 Set up data tables',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes,
	connections,
	pinData: {},
	meta: { templateCredsSetupCompleted: true },
	tags: [],
};
writeFileSync(
	join(root, 'workflows', 'campus-00-setup-data-tables.json'),
	JSON.stringify(workflow, null, '\t') + '\n',
);
console.log(`campus-00-setup-data-tables.json: ${Object.keys(tables).length} tables`);
