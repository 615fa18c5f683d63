import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { n8n } from './client';
import { outputOf, tableSpecs, workflowFiles, REPO } from './harness';

const server = n8n();

describe('the package in a real n8n', () => {
	it('knows every node type that the ready-made workflows use', async () => {
		const known = await server.knownNodeTypes();
		const files = [...workflowFiles(), ...workflowFiles(join(REPO, 'test', 'integration', 'fixtures'))];
		const unknown: string[] = [];
		for (const f of files) {
			const wf = JSON.parse(readFileSync(f, 'utf8')) as { nodes: Array<{ type: string }> };
			for (const n of wf.nodes) if (!known.has(n.type)) unknown.push(`${f.split('/').pop()}: ${n.type}`);
		}
		expect(unknown).toEqual([]);
		expect(known.has('n8n-nodes-campus-logistics.schoolCalendar')).toBe(true);
	});

	it('imported every ready-made workflow', async () => {
		for (const f of workflowFiles()) {
			const wf = JSON.parse(readFileSync(f, 'utf8')) as { id: string; name: string };
			const stored = await server.workflow(wf.id);
			expect(stored.name).toBe(wf.name);
		}
	});

	it('runs the School Calendar node, with a bad row on the error output', async () => {
		const result = await server.run('campusCalSmoke01', 'Start');
		expect(result.status).toBe('success');
		const ok = outputOf(result, 'School Calendar', 0);
		const errors = outputOf(result, 'School Calendar', 1);
		expect(ok.map((i) => [i.day, i.isSchoolDay, i.dayKind])).toEqual([
			['2026-10-01', false, 'public holiday'],
			['2026-10-10', true, 'make-up workday'],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].error).toMatch(/Field "date": "not a date" is not a date/);
		// n8n merges the failed input item back into its error item: nothing is lost.
		expect(errors[0].day).toBe('not a date');
		expect(errors[0].details).toMatchObject({ field: 'date', row: 3 });
	});

	it('sets up every data table with the "Set up data tables" workflow, twice without harm', async () => {
		for (let run = 0; run < 2; run++) {
			const result = await server.run('campusSetupTbl00', 'Run once to set up');
			expect(result.status).toBe('success');
		}
		const tables = await server.dataTables();
		for (const [name, spec] of Object.entries(tableSpecs())) {
			expect(tables[name]).toBeDefined();
			expect(tables[name].columns).toEqual(expect.arrayContaining(spec.columns.map(([c]) => c)));
		}
	});
});
