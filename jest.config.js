/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
module.exports = {
	testTimeout: 240000,
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local-n8n/'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/nodes/**/*.test.ts'],
		},
		{
			// Issue 16, point 6: generated bad and odd input through every operation of every node.
			displayName: 'property',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local-n8n/'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/property/**/*.test.ts'],
		},
		{
			displayName: 'integration',
			testEnvironment: 'node',
			modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local-n8n/'],
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/integration/run-log.ts'],
			globalSetup: '<rootDir>/test/integration/global-setup.ts',
			globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
		},
	],
};
