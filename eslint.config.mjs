import { config } from '@n8n/node-cli/eslint';

// The Cloud-ready config from @n8n/node-cli lints every .ts file. Shipped code (nodes/, credentials/)
// keeps all of it; the emulator, the harness, tests, scripts and benchmarks run on a developer machine,
// so they may use timers, process, console and devDependencies, and are not n8n nodes.
const devOnly = [
	'emulator/**/*.ts',
	'harness/**/*.ts',
	'test/**/*.ts',
	'scripts/**/*.ts',
	'bench/**/*.ts',
];

export default [
	{
		ignores: [
			'dist/**',
			'packages/*/dist/**',
			'**/.build/**',
			'node_modules/**',
			'coverage/**',
			'.cache/**',
			'out/**',
			'*.js',
			'*.mjs',
		],
	},
	...config,
	{
		files: devOnly,
		rules: {
			'no-console': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/no-http-request-with-manual-auth': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/missing-paired-item': 'off',
			'@n8n/community-nodes/node-usable-as-tool': 'off',
			'@n8n/community-nodes/require-node-description-fields': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'import-x/no-named-as-default-member': 'off',
			// Test-only credential types (a provider that exists only in the tests) need no icon or test.
			'@n8n/community-nodes/credential-test-required': 'off',
			'@n8n/community-nodes/icon-validation': 'off',
			'@n8n/community-nodes/cred-class-field-icon-missing': 'off',
		},
	},
];
