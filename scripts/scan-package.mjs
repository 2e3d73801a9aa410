#!/usr/bin/env node
// Lints each package of the repository (the main one at the root and each sibling under packages/)
// the way n8n's @n8n/scan-community-package does before verifying it for n8n Cloud: the
// community-nodes recommended rules (restricted globals and imports among them) and n8n-nodes-base's
// package rules, on the JavaScript inside the tarball `npm pack` makes of that package and on its
// shippable sources, with inline eslint-disable comments ignored. Exits non-zero on any error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function scanConfig() {
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser: tseslint.parser } },
	];
}

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scanConfig(),
	});
	const results = await eslint.lintFiles(patterns);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	if (errors > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		process.stdout.write(await formatter.format(results));
	}
	console.log(
		`${errors === 0 ? 'ok  ' : 'FAIL'} ${label}: ${results.length} files, ${errors} errors`,
	);
	return errors;
}

/** Each package the repository publishes: the main one at the root, and each sibling. */
const PACKAGES = [
	{ dir: root, sources: ['package.json', 'nodes/**/*.{ts,json}', 'credentials/**/*.ts'] },
	{
		dir: join(root, 'packages', 'n8n-nodes-pixazo'),
		sources: ['package.json', 'nodes/**/*.{ts,json}', 'credentials/**/*.ts', 'providers/**/*.ts'],
	},
];

let errors = 0;
for (const { dir, sources } of PACKAGES) {
	const packDir = mkdtempSync(join(tmpdir(), 'smart-image-scan-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
			cwd: dir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	execFileSync('tar', ['xzf', join(packDir, packed.filename), '-C', packDir]);
	const name = relative(root, dir) || '.';
	errors += await lint(dir, sources, `${packed.name} sources (${name}: ${sources.join(', ')})`);
	errors += await lint(
		join(packDir, 'package'),
		['**/*.js', 'package.json'],
		`${packed.name} tarball ${packed.filename}`,
	);
	rmSync(packDir, { recursive: true, force: true });
}
process.exit(errors === 0 ? 0 : 1);
