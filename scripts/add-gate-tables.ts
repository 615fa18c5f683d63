/**
 * Adds the gate and movement-log tables (Campus 40 to 44) to workflows/data/tables.json, keys
 * only: existing tables are left as they are. Then regenerate the setup workflow:
 *   node bench/run-ts.js scripts/add-gate-tables.ts && node bench/run-ts.js scripts/gen-setup-workflow.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(__dirname, '..', 'workflows', 'data', 'tables.json');
const tables = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { columns: Array<[string, string]> }>;
const s = (...names: string[]): Array<[string, string]> => names.map((n) => [n, 'string']);

const add: Record<string, { columns: Array<[string, string]> }> = {
	campus_visitors: {
		columns: [
			...s('requestId', 'requestKey', 'visitorName', 'phone', 'organisation', 'reason', 'visitAt', 'visitDate'),
			...s('hostName', 'status', 'approverName', 'decidedAt', 'comment', 'requestedAt'),
		],
	},
	campus_gate_register: {
		columns: [
			...s('registerId', 'visitorName', 'temperature', 'arrivedAt', 'arrivalDate', 'note', 'requestId'),
			['approved', 'boolean'],
			['abnormal', 'boolean'],
			...s('reasons', 'alertKey', 'registeredAt'),
		],
	},
	campus_leave: {
		columns: [
			...s('requestId', 'staffId', 'name', 'department', 'mobile', 'userId', 'leaderName', 'leaderMobile'),
			...s('destination', 'reason', 'expectedReturn', 'status', 'error', 'approverName', 'decidedAt', 'comment'),
			...s('exitAt', 'returnAt', 'requestedAt'),
		],
	},
	campus_movements: {
		columns: s('requestId', 'staffId', 'name', 'direction', 'at', 'status', 'error', 'loggedAt'),
	},
};

for (const [name, spec] of Object.entries(add)) if (!tables[name]) tables[name] = spec;
writeFileSync(file, `${JSON.stringify(tables, null, '\t')}\n`);
