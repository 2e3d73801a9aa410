/** End-to-end: the packed package inside a real n8n CLI (npm run test:e2e). */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
	},
	setupFiles: ['reflect-metadata'],
	// The first run on a machine installs n8n (about 6 minutes); each `n8n execute` takes 4-7 s.
	testTimeout: 20 * 60 * 1000,
	maxWorkers: 1,
};
