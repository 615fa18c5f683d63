/**
 * n8n queue mode tests (npm run test:queue): Postgres, Redis, one n8n main and two workers on
 * loopback, started by test/queue/queue.test.ts itself. Kept apart from `npm test` (about 3 minutes
 * of start-up on two cores).
 */
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	testTimeout: 300000,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
};
