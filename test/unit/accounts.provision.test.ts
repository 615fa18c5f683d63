/**
 * Provisioning against the fake Google server: real HTTP on loopback, through the node's own
 * transport (google.ts over transport.ts) and the credential's preAuthentication, as n8n runs them.
 */
import { signAssertion } from '../../nodes/TeachingAccounts/serviceAccount';
import { ApiError, Pacer, paced } from '../../nodes/TeachingAccounts/pacing';
import { planAccounts, type PlannedAccount } from '../../nodes/TeachingAccounts/plan';
import { courseAlias, provision, type ProvisionOptions } from '../../nodes/TeachingAccounts/provision';
import { sha1Hex, initialPassword } from '../../nodes/TeachingAccounts/passwords';
import { googleThroughN8n, startFakeGoogle, type FakeGoogle } from '../fakes/google';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const fast: Partial<ProvisionOptions> = { directoryPerMinute: 60000, classroomPerMinute: 60000, retry: { baseDelayMs: 5, maxRetries: 6, creationRetries: 20 } };

function roster(n: number, classes = 4) {
	const names = ['张伟', '王芳', '李娜', '单雄信', '仇英', '尉迟恭', '吕小明', '欧阳修'];
	return Array.from({ length: n }, (_, i) => ({ 姓名: names[i % names.length], 学号: String(20230000 + i), 班级: `一(${(i % classes) + 1})班`, 角色: '学生' }));
}
const teachers = [
	{ 姓名: '刘老师', 学号: 'T01', 班级: '一(1)班', 角色: '班主任' },
	{ 姓名: '陈老师', 学号: 'T02', 班级: '', 角色: '教师' },
];
const rows = (accounts: PlannedAccount[]) => accounts as unknown as Array<Record<string, unknown>>;

describe('Provision Google Workspace (fake server)', () => {
	let fake: FakeGoogle;
	beforeEach(async () => {
		fake = await startFakeGoogle({ creationDelayMs: 30 });
	});
	afterEach(async () => {
		await fake.close();
	});
	const google = () => googleThroughN8n({ ...fake.credentials });
	const options = (extra: Partial<ProvisionOptions> = {}): ProvisionOptions => ({ passwordSecret: 'secret', sleep, ...fast, ...extra });

	it('creates org units, users with hashed passwords and courses with members; a re-run creates nothing', async () => {
		const plan = planAccounts([...roster(12), ...teachers], [], { domain: 'school.example.cn' }).accounts;
		const courses = [
			{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' },
			{ 班级: '一(2)班', 科目: '语文', 任课教师: 'T02, T01' },
		];
		const r1 = await provision(google(), rows(plan), courses, options());
		expect(r1.people.every((p) => p.ok && p.result === 'created')).toBe(true);
		expect(r1.courses.map((c) => [c.result, c.teachers, c.students])).toEqual([
			['created', 1, 3],
			['created', 2, 3],
		]);
		const s1 = fake.state();
		expect(s1.users).toHaveLength(14);
		const zhang = s1.users.find((u) => u.primaryEmail === plan[0].primaryEmail);
		expect(zhang).toMatchObject({ hashFunction: 'SHA-1', changePasswordAtNextLogin: true, orgUnitPath: '/Students/一(1)班', externalIds: [{ type: 'organization', value: '20230000' }] });
		expect(s1.orgUnits.map((o) => o.orgUnitPath).sort()).toEqual(['/', '/Students', '/Students/一(1)班', '/Students/一(2)班', '/Students/一(3)班', '/Students/一(4)班', '/Teachers']);
		const alias = courseAlias('campus', '一(2)班', '语文');
		expect(s1.teachers[alias].sort()).toEqual([plan[12].primaryEmail, plan[13].primaryEmail].sort());
		expect(s1.courses.find((c) => c.id !== undefined && c.section === '一(2)班')).toMatchObject({ courseState: 'ACTIVE', ownerId: plan[13].primaryEmail });

		await sleep(50);
		const r2 = await provision(google(), rows(plan), courses, options());
		expect(r2.people.every((p) => p.ok && p.result === 'exists')).toBe(true);
		expect(r2.courses.every((c) => c.result === 'exists')).toBe(true);
		const s2 = fake.state();
		expect(s2.users).toHaveLength(14);
		expect(s2.courses).toHaveLength(2);
		expect(s2.counters.insertsAccepted).toBe(14);
		expect(r2.orgUnitsCreated).toEqual([]);
	});

	it('sends the SHA-1 of the derived password, never the password', async () => {
		const plan = planAccounts(roster(1), [], { domain: 'school.example.cn' }).accounts;
		await provision(google(), rows(plan), [], options());
		const stored = fake.state().users[0];
		const password = initialPassword('secret', '20230000');
		expect(stored.password).toBe(sha1Hex(password));
		expect(stored.password).not.toContain(password);
		expect(stored.hashFunction).toBe('SHA-1');
	});

	it('moves a student who changed class (patch, after creation completes)', async () => {
		const plan = planAccounts(roster(2), [], { domain: 'school.example.cn' }).accounts;
		await provision(google(), rows(plan), [], options());
		await sleep(50);
		const moved = plan.map((p, i) => (i === 0 ? { ...p, class: '一(9)班', orgUnitPath: '/Students/一(9)班' } : p));
		const r = await provision(google(), rows(moved), [], options());
		expect(r.people.map((p) => p.result)).toEqual(['updated', 'exists']);
		expect(fake.state().users.find((u) => u.primaryEmail === plan[0].primaryEmail)?.orgUnitPath).toBe('/Students/一(9)班');
	});

	it('retries "User creation is not complete" (412) right after a create', async () => {
		await fake.close();
		fake = await startFakeGoogle({ creationDelayMs: 300 });
		const plan = planAccounts(roster(1), [], { domain: 'school.example.cn' }).accounts;
		await provision(google(), rows(plan), [], options());
		const api = google();
		const stats = { requests: 0, rateLimited: 0, retried: 0 };
		const pacer = new Pacer(0, sleep, Date.now);
		const res = await paced(pacer, () => api.patchUser(plan[0].primaryEmail, { orgUnitPath: '/Students' }), { retry: { maxRetries: 2, baseDelayMs: 40, creationRetries: 20 }, sleep, stats });
		expect(res.primaryEmail).toBe(plan[0].primaryEmail);
		expect(stats.retried).toBeGreaterThan(0);
	});

	it('adds members whose accounts are still being created (404 retried for new users)', async () => {
		await fake.close();
		fake = await startFakeGoogle({ creationDelayMs: 400 });
		const plan = planAccounts([...roster(3, 1), ...teachers], [], { domain: 'school.example.cn' }).accounts;
		const r = await provision(google(), rows(plan), [{ 班级: '一(1)班', 科目: '科学', 任课教师: 'T01' }], options());
		expect(r.people.every((p) => p.ok)).toBe(true);
		expect(r.courses[0]).toMatchObject({ ok: true, students: 3, teachers: 1 });
		expect(r.stats.classroom.retried).toBeGreaterThan(0);
	});

	it('backs off on 403 userRateLimitExceeded and still gets everyone through', async () => {
		await fake.close();
		fake = await startFakeGoogle({ directoryPerMinute: 10, windowMs: 500, creationDelayMs: 0 });
		const plan = planAccounts(roster(30), [], { domain: 'school.example.cn' }).accounts;
		const r = await provision(google(), rows(plan), [], options({ directoryPerMinute: 60000, retry: { baseDelayMs: 100, maxRetries: 10 } }));
		expect(r.people.filter((p) => p.ok)).toHaveLength(30);
		expect(fake.state().counters.rateLimited).toBeGreaterThan(0);
		expect(r.stats.directory.rateLimited).toBe(fake.state().counters.rateLimited);
		expect(fake.state().users).toHaveLength(30);
	});

	it('retries 429s and 5xx without duplicating anyone', async () => {
		fake.fault({ status: 429, count: 5, every: 3, api: 'directory' });
		fake.fault({ status: 503, count: 5, every: 4 });
		fake.fault({ status: 500, count: 3, api: 'classroom' });
		const plan = planAccounts([...roster(40), ...teachers], [], { domain: 'school.example.cn' }).accounts;
		const r = await provision(google(), rows(plan), [{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }], options());
		expect(r.people.every((p) => p.ok)).toBe(true);
		const s = fake.state();
		expect(s.counters.faultsInjected).toBe(13);
		expect(s.users).toHaveLength(42);
		expect(new Set(s.users.map((u) => u.primaryEmail)).size).toBe(42);
	});

	it('survives a crash halfway through: the re-run loses nobody and duplicates nobody', async () => {
		const plan = planAccounts([...roster(60), ...teachers], [], { domain: 'school.example.cn' }).accounts;
		const courses = [{ 班级: '一(1)班', 科目: '数学', 任课教师: 'T01' }];
		fake.fault({ crashAfter: 40 });
		const r1 = await provision(google(), rows(plan), courses, options({ retry: { baseDelayMs: 5, maxRetries: 2 } }));
		const ok1 = r1.people.filter((p) => p.ok).length;
		const failed1 = r1.people.filter((p) => !p.ok);
		expect(r1.people).toHaveLength(62); // every person is in one output or the other
		expect(failed1.length).toBeGreaterThan(0);
		expect(failed1[0].error).toMatch(/No answer from Google|ECONNRESET|socket|fetch failed/i);
		const s1 = fake.state();
		expect(s1.counters.dropped).toBeGreaterThan(0);
		// Some users exist although their run never heard so.
		expect(s1.users.length).toBeGreaterThan(ok1 - 1);

		fake.recover();
		await sleep(50);
		const r2 = await provision(google(), rows(plan), courses, options());
		expect(r2.people.every((p) => p.ok)).toBe(true);
		const s2 = fake.state();
		expect(s2.users).toHaveLength(62);
		expect(new Set(s2.users.map((u) => u.primaryEmail)).size).toBe(62);
		expect(s2.courses).toHaveLength(1);
		expect(s2.students[courseAlias('campus', '一(1)班', '数学')]).toHaveLength(15);
	});

	it('sends conflicts and unreadable rows to the error side with the reason', async () => {
		const plan = planAccounts([...roster(2), roster(1)[0]], [], { domain: 'school.example.cn' }).accounts;
		const r = await provision(google(), [...rows(plan), {}, { name: 'x' }], [], options());
		expect(r.people.map((p) => p.ok)).toEqual([true, true, false, false]);
		expect(r.people[2].error).toMatch(/Not provisioned: the plan marks a conflict \(Duplicate id/);
		expect(r.people[3].error).toMatch(/Row 5, field "primaryEmail"/);
	});

	it('reports a refused token clearly, without the key', async () => {
		const other = googleThroughN8n({ ...fake.credentials, privateKey: (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
		await expect(other.check()).rejects.toThrow(/Google refused the service account token: Invalid JWT Signature/);
		await expect(google().check()).resolves.toBeUndefined();
		const jwt = signAssertion({ ...fake.credentials }, 1_700_000_000);
		const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
		expect(claims).toMatchObject({ iss: fake.credentials.serviceAccountEmail, sub: fake.credentials.delegatedUser, aud: fake.credentials.tokenUrl });
		expect(claims.scope.split(' ')).toContain('https://www.googleapis.com/auth/classroom.rosters');
	});

	it('gives up a silent call after the request timeout and retries it with the usual backoff', async () => {
		const plan = planAccounts(roster(3), [], { domain: 'school.example.cn' }).accounts;
		fake.fault({ hangMs: 3000, count: 2 });
		const r = await provision(googleThroughN8n({ ...fake.credentials }, 250), rows(plan), [], options());
		expect(r.people.every((p) => p.ok)).toBe(true);
		expect(fake.state().counters.faultsInjected).toBe(2);
		expect(r.stats.directory.retried).toBeGreaterThanOrEqual(2);
		expect(fake.state().users).toHaveLength(3);
	});

	it('renews the token when Google answers 401 (n8n runs preAuthentication again), once per renewal', async () => {
		const api = google();
		await api.listOrgUnits();
		expect(fake.state().counters.tokens).toBe(1);
		await api.listOrgUnits();
		expect(fake.state().counters.tokens).toBe(1);
		fake.revokeTokens();
		await expect(api.listOrgUnits()).resolves.toEqual(expect.any(Array));
		expect(fake.state().counters.tokens).toBe(2);
	});

	it('does not retry a refused token: the credential is wrong, not the network', async () => {
		const api = googleThroughN8n({ ...fake.credentials, delegatedUser: '' });
		const stats = { requests: 0, rateLimited: 0, retried: 0 };
		const e = await paced(new Pacer(0, sleep, Date.now), () => api.listOrgUnits(), { retry: { maxRetries: 3, baseDelayMs: 5, creationRetries: 3 }, sleep, stats }).catch((x: unknown) => x);
		expect(e).toMatchObject({ status: 401, message: expect.stringMatching(/Google refused the service account token/) });
		expect(stats.retried).toBe(0);
	});

	it('maps errors: ApiError carries status and reason', async () => {
		const api = google();
		await expect(api.patchUser('nobody@school.example.cn', { orgUnitPath: '/' })).rejects.toMatchObject({ status: 404, reason: 'notFound' });
		const e = await api.insertUser({ primaryEmail: 'x@school.example.cn' }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect((e as ApiError).status).toBe(400);
	});
});
