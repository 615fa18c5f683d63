/** A fake Google server started before the tests of a block and closed after them. */
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from '../fakes/google';

/**
 * Starts the fake before each test (`each`, a fresh state every test) or once for the block
 * (`all`); the returned function gives the running fake.
 */
export function useFakeGoogle(options: FakeGoogleOptions, scope: 'each' | 'all' = 'each'): () => FakeGoogle {
	let fake: FakeGoogle | undefined;
	const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
	before(async () => {
		fake = await startFakeGoogle(options);
	});
	after(async () => {
		await fake?.close();
	});
	return () => {
		if (!fake) throw new Error('The fake Google server is not running');
		return fake;
	};
}
