/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
	},
	setupFiles: ['reflect-metadata'],
	testTimeout: 60000,
	// Each test file boots its own emulator on ephemeral ports; two workers match the 2-core machines.
	maxWorkers: 2,
};
