import { runInNewContext } from 'vm';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CheckInWatch } from '../../nodes/CheckInWatch/CheckInWatch.node';
import { makeContext } from '../helpers/context';

const TEST_KEY = 'a long test key for links only';
const credentials = { campusLinkSecretApi: { secret: TEST_KEY } };

const roster = [
	{ 工号: 'T1', 姓名: '张三', 班级: '一年级1班', 手机: '13900000001', 班主任: '王老师', 班主任手机: '13800000009' },
	{ 工号: 'T2', 姓名: '李四', 班级: '一年级1班', 手机: '13900000002', 班主任: '王老师', 班主任手机: '13800000009' },
	{ 工号: 'T3', 姓名: '王五', 班级: '二年级2班', 手机: '13900000003' },
];
const submissions = [
	{ 工号: 'T1', 提交时间: '2026-03-02 08:30', 体温: '36.5', 症状: '无' },
	{ 工号: 'T2', 提交时间: '2026-03-02 09:20', 体温: '38.1', 症状: '无' },
	{ 工号: 'X9', 提交时间: '2026-03-02 08:31', 体温: '36.5', 症状: '无' },
	{ 工号: 'T2', 提交时间: 'not a time', 体温: '36.5', 症状: '无' },
];
const slots = {
	slot: [
		{ name: 'Morning', opens: '06:00', due: '09:00', graceMinutes: 30 },
		{ name: 'Afternoon', opens: '15:00', due: '17:00', graceMinutes: 30 },
	],
};
const base: IDataObject = { asOf: '2026-03-02 09:40', timezone: 'Asia/Shanghai', slots, lookBackDays: 30, calendar: {} };

async function run(
	parameters: IDataObject,
	inputs: IDataObject[][],
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	const ctx = makeContext({ parameters, inputs, continueOnFail, credentials });
	const [out] = await new CheckInWatch().execute.call(ctx);
	return out;
}

describe('Check-In Watch node: description', () => {
	const d = new CheckInWatch().description;

	it('declares the inputs of each operation by expression, with names', () => {
		const expr = String(d.inputs);
		expect(expr.startsWith('={{') && expr.endsWith('}}')).toBe(true);
		const inputs = (operation: string) =>
			runInNewContext(expr.slice(3, -2), { $parameter: { operation } }) as Array<{ type: string; displayName: string }>;
		expect(inputs('findMissing').map((i) => i.displayName)).toEqual(['Reporters', 'Submissions', 'On Duty (Optional)']);
		expect(inputs('dailySummary').map((i) => i.displayName)).toEqual(['Reporters', 'Submissions']);
		expect(inputs('flagAbnormal').map((i) => i.displayName)).toEqual(['Readings', 'Reporters (Optional)']);
		expect(inputs('verifySignature').map((i) => i.type)).toEqual(['main']);
	});

	it('is a tool-usable node with themed icons and a tested credential', () => {
		expect(d).toMatchObject({ version: 1, usableAsTool: true, name: 'checkInWatch' });
		expect(d.icon).toEqual({ light: 'file:checkInWatch.svg', dark: 'file:checkInWatch.dark.svg' });
		expect(d.credentials?.[0]).toMatchObject({ name: 'campusLinkSecretApi', testedBy: 'campusLinkSecretTest' });
	});

	it('tests the secret locally, never echoing it', async () => {
		const test = new CheckInWatch().methods.credentialTest.campusLinkSecretTest;
		const ok = await test.call({} as never, { id: '1', name: 'x', type: 'campusLinkSecretApi', data: { secret: TEST_KEY } });
		expect(ok.status).toBe('OK');
		const bad = await test.call({} as never, { id: '1', name: 'x', type: 'campusLinkSecretApi', data: { secret: 'short-one' } });
		expect(bad).toMatchObject({ status: 'Error' });
		expect(bad.message).not.toContain('short-one');
	});
});

describe('Check-In Watch node: Find Missing', () => {
	it('outputs missing reports, unknown reporters and, on fail, the bad rows as error items, all paired', async () => {
		const out = await run({ ...base, operation: 'findMissing' }, [roster, submissions, []], true);
		const byKind = (k: string) => out.filter((i) => i.json.kind === k);
		expect(byKind('missing report').map((i) => i.json.reporterId)).toEqual(['T3']);
		expect(byKind('missing report')[0].pairedItem).toEqual([{ item: 2, input: 0 }]);
		expect(byKind('unknown reporter')[0].pairedItem).toEqual([{ item: 2, input: 1 }]);
		const errors = out.filter((i) => i.json.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/^Row 4, field "提交时间": "not a time" is not a timestamp/);
		expect(errors[0].pairedItem).toEqual({ item: 3, input: 1 });
		for (const item of out) expect(item.pairedItem).toBeDefined();
	});

	it('stops on a bad row without continue-on-fail, naming the row and column', async () => {
		await expect(run({ ...base, operation: 'findMissing' }, [roster, submissions, []])).rejects.toThrow(
			/Row 4, field "提交时间"/,
		);
	});

	it('names a missing column; with continue-on-fail every input item gets an error item paired with it', async () => {
		const noTime = submissions.map(({ 工号 }) => ({ 工号 }));
		await expect(run({ ...base, operation: 'findMissing' }, [roster, noTime, []])).rejects.toThrow(NodeOperationError);
		const out = await run({ ...base, operation: 'findMissing' }, [roster, noTime, []], true);
		// The shared router (nodes/shared/router.ts): one error item per input item, each paired with it.
		expect(out).toHaveLength(roster.length + noTime.length);
		for (const item of out) expect(item.json.error).toMatch(/no column "提交时间"/);
		const paired = out.map((i) => i.pairedItem as { item: number; input?: number });
		expect(paired.map((p) => `${p.input ?? 0}:${p.item}`)).toEqual([
			...roster.map((_, i) => `0:${i}`),
			...noTime.map((_, i) => `1:${i}`),
		]);
	});

	it('skips the empty item of an empty table read', async () => {
		const out = await run({ ...base, operation: 'findMissing' }, [roster, [{}], []]);
		expect(out.map((i) => i.json.reporterId)).toEqual(['T1', 'T2', 'T3']);
	});

	it('takes the administrator on duty from the third input, and maps columns from parameters', async () => {
		const enRoster = roster.map((r) => ({ staff: r.工号, who: r.姓名, team: r.班级 }));
		const out = await run(
			{
				...base,
				operation: 'findMissing',
				escalation: { leaderAfterMinutes: 0, adminAfterMinutes: 30 },
				admin: { name: 'fallback', targetGroup: '后勤管理群' },
				reporterColumns: { id: 'staff', name: 'who', group: 'team' },
			},
			[enRoster, [{}], [{ name: '赵主任', mobile: '13700000000', userId: 'zhao' }]],
		);
		expect(out[0].json).toMatchObject({
			reporterName: '张三',
			level: 3,
			adminName: '赵主任',
			targetGroup: '后勤管理群',
			mentionUserIds: ['zhao'],
		});
	});

	it('adds a signed personal link that Verify Signature accepts', async () => {
		const out = await run(
			{ ...base, operation: 'findMissing', addPersonalLink: true, formUrl: 'https://n8n.example.edu/form/check-in', validHours: 24 },
			[roster, submissions.slice(0, 2), []],
		);
		const link = new URL(String(out[0].json.personalLink));
		const q = Object.fromEntries(link.searchParams);
		expect(q).toMatchObject({ id: 'T3', date: '2026-03-02', slot: 'Morning' });
		expect(JSON.stringify(out)).not.toContain(TEST_KEY);
		// The Form Trigger outputs hidden fields under their names; the check-in workflow verifies them.
		const verified = await run({ operation: 'verifySignature', idField: 'id' }, [[{ ...q, 体温: '36.5' }]]);
		expect(verified[0].json).toMatchObject({ id: 'T3', signatureValid: true });
	});
});

describe('Check-In Watch node: Flag Abnormal and Daily Summary', () => {
	it('flags abnormal readings from one input', async () => {
		const out = await run({ ...base, operation: 'flagAbnormal' }, [submissions.slice(0, 2)]);
		expect(out.map((i) => [i.json.reporterId, i.json.reasons])).toEqual([['T2', ['fever']]]);
		expect(out[0].pairedItem).toEqual([{ item: 1, input: 0 }]);
	});

	it('summarises per group', async () => {
		const out = await run({ ...base, asOf: '2026-03-02 18:00', operation: 'dailySummary' }, [roster, submissions], true);
		expect(out.filter((i) => !i.json.error).map((i) => [i.json.group, i.json.expected, i.json.submitted, i.json.abnormal])).toEqual([
			['一年级1班', 4, 2, 1],
			['二年级2班', 2, 0, 0],
			['全校', 6, 2, 1],
		]);
	});
});

describe('Check-In Watch node: Sign Link and Verify Signature', () => {
	const people = [{ reporterId: 'T1', date: '2026-03-02', slot: 'Morning', name: '张三' }, { name: 'no id' }];

	it('signs each item and sends an item without an id to the error output', async () => {
		const out = await run({ operation: 'signLink', formUrl: 'https://n8n.example.edu/form/check-in', validHours: 24 }, [people], true);
		expect(out[0].json.personalLink).toMatch(
			/^https:\/\/n8n\.example\.edu\/form\/check-in\?id=T1&purpose=checkin&date=2026-03-02&slot=Morning&exp=\d+&sig=/,
		);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json.error).toMatch(/no column "reporterId"/);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		// Issue 19: no link is valid forever; 0, a negative number or text is an error naming the field.
		for (const validHours of [0, -5, 'soon', 745]) {
			await expect(run({ operation: 'signLink', formUrl: 'https://x.test/f', validHours }, [people.slice(0, 1)])).rejects.toThrow(/hours/);
		}
	});

	it('passes valid rows and rejects bad or missing signatures with a clear message', async () => {
		const [signed] = await run({ operation: 'signLink', formUrl: 'https://x.test/form/c', validHours: 1 }, [people.slice(0, 1)]);
		const q = Object.fromEntries(new URL(String(signed.json.personalLink)).searchParams);
		const rows = [q, { ...q, id: 'T2' }, { ...q, sig: '' }];
		const out = await run({ operation: 'verifySignature', idField: 'id' }, [rows], true);
		expect(out.map((i) => i.json.signatureValid)).toEqual([true, undefined, undefined]);
		// Error items hold only error and details, so that n8n routes them to the error output.
		expect(Object.keys(out[1].json).sort()).toEqual(['details', 'error']);
		expect(out[1].json.error).toMatch(/signature does not match/);
		expect(out[2].json.error).toMatch(/no signature/);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		await expect(run({ operation: 'verifySignature', idField: 'id' }, [rows.slice(1)])).rejects.toThrow(/signature does not match/);
	});

	it('refuses to sign with a short secret', async () => {
		const ctx = makeContext({
			parameters: { operation: 'signLink', formUrl: 'https://x.test/f' },
			inputs: [people],
			credentials: { campusLinkSecretApi: { secret: 'short' } },
		});
		await expect(new CheckInWatch().execute.call(ctx)).rejects.toThrow(/at least 16 characters/);
	});
});

describe('Check-In Watch node: parameters kept when it moved to operation modules', () => {
	// The description as it was before the split into actions/ (inputs aside: tested above).
	// Names, types, defaults, display rules and texts must stay, so that saved workflows keep working.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const before = require('./CheckInWatch.description.json') as IDataObject;
	const key = (p: IDataObject) => `${String(p.name)} ${JSON.stringify(p.displayOptions ?? {})}`;
	const byKey = (list: IDataObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));

	it('has every parameter of before, the same in every field, and no other', () => {
		const now = JSON.parse(JSON.stringify(new CheckInWatch().description)) as IDataObject;
		delete now.inputs;
		const { properties: p0, ...rest0 } = before;
		const { properties: p1, ...rest1 } = now;
		expect(rest1).toEqual(rest0);
		expect(byKey(p1 as IDataObject[])).toEqual(byKey(p0 as IDataObject[]));
	});
});

describe('Check-In Watch node: one bad value fails its own row only (issue 16)', () => {
	const links = { addPersonalLink: true, formUrl: 'https://n8n.example.edu/form/check-in', validHours: 24 };

	it('Find Missing with personal links: a reporter ID holding half of a character fails that row, the others get their links', async () => {
		const broken = [...roster, { 工号: 'T4\uD800', 姓名: '赵六', 班级: '二年级2班', 手机: '13900000004' }];
		const out = await run({ ...base, operation: 'findMissing', ...links }, [broken, submissions.slice(0, 2), []], true);
		const missing = out.filter((i) => i.json.kind === 'missing report');
		expect(missing.map((i) => i.json.reporterId)).toEqual(['T3']);
		expect(String(missing[0].json.personalLink)).toMatch(/^https:\/\/n8n\.example\.edu\/form\/check-in\?id=T3&/);
		const errors = out.filter((i) => i.json.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/^Row 4, field "工号": "T4\uFFFD" holds a broken character/);
		expect(errors[0].json.error).not.toMatch(/URI malformed/);
		expect(errors[0].pairedItem).toEqual({ item: 3 });
		// Without continue-on-fail the node stops, naming that row.
		await expect(run({ ...base, operation: 'findMissing', ...links }, [broken, submissions.slice(0, 2), []])).rejects.toThrow(/Row 4, field "工号"/);
	});

	it('Find Missing with personal links: a report whose link cannot be made is an error item of its reporter row', async () => {
		// A slot name holding half of a character cannot go into a link.
		const bad = { slot: [{ name: 'M\uD800', opens: '06:00', due: '09:00', graceMinutes: 30 }] };
		const out = await run({ ...base, slots: bad, operation: 'findMissing', ...links }, [roster, submissions.slice(0, 1), []], true);
		expect(out.filter((i) => i.json.kind === 'missing report')).toEqual([]);
		const errors = out.filter((i) => i.json.error);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		for (const e of errors) expect(e.json.error).toMatch(/field "slot": The slot "M\uFFFD" holds a broken character/);
	});

	it('Find Missing: a submission with a broken ID fails that submission only', async () => {
		const subs = [...submissions.slice(0, 2), { 工号: '\uDC00X', 提交时间: '2026-03-02 08:00' }];
		const out = await run({ ...base, operation: 'findMissing', ...links }, [roster, subs, []], true);
		expect(out.filter((i) => i.json.kind === 'missing report').map((i) => i.json.reporterId)).toEqual(['T3']);
		const errors = out.filter((i) => i.json.error);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 2, input: 1 }]);
	});

	it('Sign Link and Verify Signature: a broken ID is an error of its item with a clear reason', async () => {
		const people = [{ reporterId: 'T1' }, { reporterId: 'T\uD800' }];
		const signed = await run({ operation: 'signLink', formUrl: 'https://x.test/form/c', validHours: 24 }, [people], true);
		expect(signed[0].json.personalLink).toMatch(/^https:\/\/x\.test\/form\/c\?id=T1&purpose=checkin&exp=\d+&sig=/);
		expect(signed[1].json.error).toMatch(/^Row 2, field "id": The id "T\uFFFD" holds a broken character/);
		expect(signed[1].pairedItem).toEqual({ item: 1 });
		const q = Object.fromEntries(new URL(String(signed[0].json.personalLink)).searchParams);
		const verified = await run({ operation: 'verifySignature', idField: 'id' }, [[q, { ...q, id: 'T\uD800' }]], true);
		expect(verified[0].json.signatureValid).toBe(true);
		expect(verified[1].json.error).toMatch(/holds a broken character/);
		expect(verified[1].json.error).not.toMatch(/URI malformed/);
	});

	it('errors quote at most a short excerpt of a 1 MB bad value', async () => {
		const huge = `2026-03-02 ${'9'.repeat(1_000_000)}`;
		const out = await run({ ...base, operation: 'findMissing' }, [roster, [...submissions.slice(0, 2), { 工号: 'T3', 提交时间: huge }], []], true);
		const errors = out.filter((i) => i.json.error);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].json.error).length).toBeLessThan(200);
		expect(JSON.stringify(errors[0].json).length).toBeLessThan(1000);
	});
});

describe('Check-In Watch node: every input item comes out (issue 16)', () => {
	async function runAll(parameters: IDataObject, inputs: IDataObject[][], continueOnFail = true): Promise<INodeExecutionData[][]> {
		const ctx = makeContext({ parameters, inputs, continueOnFail, credentials });
		return await new CheckInWatch().execute.call(ctx);
	}

	it('names the outputs of each operation; the new ones come last', () => {
		const expr = String(new CheckInWatch().description.outputs);
		const outputs = (operation: string) =>
			runInNewContext(expr.slice(3, -2), { $parameter: { operation } }) as Array<{ type: string; displayName?: string }>;
		expect(outputs('findMissing').map((o) => o.displayName)).toEqual(['Missing', 'Not Missing']);
		expect(outputs('flagAbnormal').map((o) => o.displayName)).toEqual(['Alerts', 'Not Flagged']);
		for (const operation of ['dailySummary', 'signLink', 'verifySignature']) {
			expect(outputs(operation)).toEqual([{ type: 'main' }]);
		}
	});

	it('Find Missing: a reporter who reported comes out on Not Missing, unchanged and paired with its row', async () => {
		const [missing, notMissing] = await runAll({ ...base, operation: 'findMissing' }, [roster, submissions, []]);
		expect(missing.filter((i) => i.json.kind === 'missing report').map((i) => i.json.reporterId)).toEqual(['T3']);
		expect(notMissing.map((i) => i.json)).toEqual([roster[0], roster[1]]);
		expect(notMissing.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// Every roster row is paired with some output item.
		const paired = new Set(
			[...missing, ...notMissing].flatMap((i) => [i.pairedItem].flat()).filter((p) => p && (typeof p === 'number' || !p.input)).map((p) => (typeof p === 'number' ? p : p!.item)),
		);
		expect([...paired].sort()).toEqual([0, 1, 2]);
	});

	it('Find Missing: a bad roster row is an error item, not Not Missing', async () => {
		const broken = [...roster, { 姓名: '无工号' }];
		const [missing, notMissing] = await runAll({ ...base, operation: 'findMissing' }, [broken, submissions, []]);
		expect(missing.filter((i) => i.json.error).map((i) => i.pairedItem)).toContainEqual({ item: 3 });
		expect(notMissing.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('Flag Abnormal: a normal reading comes out on Not Flagged, paired with its reading', async () => {
		const readings = [submissions[0], { ...submissions[1] }];
		const [alerts, notFlagged] = await runAll({ ...base, operation: 'flagAbnormal', missedInARow: 0 }, [readings, roster]);
		expect(alerts.map((i) => i.json.reporterId)).toEqual(['T2']);
		expect(notFlagged.map((i) => i.json)).toEqual([submissions[0]]);
		expect(notFlagged.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
	});

	it('Verify Signature: a bad signature names the row and the field', async () => {
		const [signed] = await run({ operation: 'signLink', formUrl: 'https://x.test/form/c', validHours: 1 }, [[{ reporterId: 'T1' }]]);
		const q = Object.fromEntries(new URL(String(signed.json.personalLink)).searchParams);
		const out = await run({ operation: 'verifySignature', idField: 'id' }, [[q, { ...q, sig: 'abc' }]], true);
		expect(out[1].json.error).toMatch(/^Row 2, field "sig": /);
		expect(out[1].json.details).toMatchObject({ row: 2, field: 'sig' });
		const ctx = makeContext({ parameters: { operation: 'verifySignature', idField: 'id' }, inputs: [[q, { ...q, sig: 'abc' }]], credentials });
		const thrown = await new CheckInWatch().execute.call(ctx).catch((e: unknown) => e);
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as NodeOperationError).message).toMatch(/^Row 2, field "sig": /);
	});
});
