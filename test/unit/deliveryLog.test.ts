import { DeliveryLog, MemoryStore, type RowFilter, type StoredRow } from '../../nodes/shared/deliveryLog';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `T${i}|2026-12-03|Morning|L1`);

describe('delivery log: claim before sending', () => {
	it('gives each key to exactly one of two overlapping runs, whatever the interleaving', async () => {
		for (let trial = 0; trial < 50; trial++) {
			const claims = new MemoryStore();
			const sent = new MemoryStore();
			let t = Date.UTC(2026, 11, 3, 1, 33);
			const a = new DeliveryLog(claims, sent, { runId: 'A', staleMinutes: 10, now: () => t });
			const b = new DeliveryLog(claims, sent, { runId: 'B', staleMinutes: 10, now: () => t });
			const ks = keys(20);
			// B's list overlaps A's in part, and the two claims interleave at random.
			const bKeys = ks.slice(trial % 10);
			const [ra, rb] = trial % 2 ? await Promise.all([a.claim(ks), b.claim(bKeys)]) : [await a.claim(ks), await b.claim(bKeys)];
			t += 1000;
			const all = [...ra.mine, ...rb.mine];
			expect(new Set(all).size).toBe(all.length); // nobody twice
			expect(new Set(all)).toEqual(new Set(ks)); // nobody lost
			for (const x of rb.taken) expect(x.reason).toMatch(/execution A/);
		}
	});

	it('ignores a stale claim (its run died) so the next run sends', async () => {
		const claims = new MemoryStore();
		const sent = new MemoryStore();
		let t = Date.UTC(2026, 11, 3, 1, 33);
		const dead = new DeliveryLog(claims, sent, { runId: 'dead', staleMinutes: 10, now: () => t });
		expect((await dead.claim(keys(3))).mine).toHaveLength(3);
		t += 9 * 60_000;
		const early = new DeliveryLog(claims, sent, { runId: 'early', staleMinutes: 10, now: () => t });
		expect((await early.claim(keys(3))).mine).toHaveLength(0);
		t += 2 * 60_000;
		const later = new DeliveryLog(claims, sent, { runId: 'later', staleMinutes: 10, now: () => t });
		expect((await later.claim(keys(3))).mine).toHaveLength(3);
	});

	it('leaves alone what was already sent, and records each message as it is accepted', async () => {
		const claims = new MemoryStore();
		const sent = new MemoryStore();
		const log = new DeliveryLog(claims, sent, { runId: '7', staleMinutes: 10, now: () => 0 });
		const r = await log.claim(keys(3), (k) => k.startsWith('T1|'));
		expect(r.mine).toHaveLength(2);
		expect(r.taken).toEqual([{ key: keys(3)[1], reason: 'already sent' }]);
		await log.recordSent([{ dedupeKey: r.mine[0], executionId: '7' }]);
		await log.recordSent([]);
		expect(sent.rows).toHaveLength(1);
	});

	it('refuses a stale-claim timeout out of range', () => {
		const s = new MemoryStore();
		expect(() => new DeliveryLog(s, s, { runId: '1', staleMinutes: 0, now: () => 0 })).toThrow(/between 1 and 1440/);
	});

	it('a store that answers out of order still gives one winner (lowest row id)', async () => {
		class Shuffled extends MemoryStore {
			async find(filters: RowFilter[]): Promise<StoredRow[]> {
				return (await super.find(filters)).reverse();
			}
		}
		const claims = new Shuffled();
		const sent = new MemoryStore();
		const a = new DeliveryLog(claims, sent, { runId: 'A', staleMinutes: 10, now: () => 0 });
		const b = new DeliveryLog(claims, sent, { runId: 'B', staleMinutes: 10, now: () => 0 });
		await a.claim(keys(2));
		expect((await b.claim(keys(2))).mine).toEqual([]);
	});
});
