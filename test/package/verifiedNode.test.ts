/**
 * The checks n8n applies before a community package can be verified for n8n Cloud, run on the
 * tarball `npm pack` would publish: its contents, its package.json, and what every node must carry.
 * The scanner's lint of the shipped JavaScript is scripts/scan-package.mjs (ESLint plugins are ESM).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');

interface PackageManifest {
	name: string;
	keywords: string[];
	license: string;
	files: string[];
	scripts?: Record<string, string>;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	overrides?: unknown;
	n8n: { nodes: string[]; credentials: string[] };
}
let packageDir: string;
let packedFiles: string[];

beforeAll(() => {
	if (!existsSync(join(root, 'dist'))) throw new Error('Build first: npm run build');
	// Unpacked inside the repository so that the peer dependency n8n-workflow resolves, as in n8n.
	mkdirSync(join(root, '.cache'), { recursive: true });
	const outDir = mkdtempSync(join(root, '.cache', 'pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	packedFiles = packed.files.map((file) => file.path).sort();
	execFileSync('tar', ['xzf', join(outDir, packed.filename), '-C', outDir]);
	packageDir = join(outDir, 'package');
	cleanup = () => rmSync(outDir, { recursive: true, force: true });
}, 120_000);

let cleanup = () => {};
afterAll(() => cleanup());

const manifest = () =>
	JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;

describe('the packed tarball', () => {
	test('holds only dist/, the README, the licence and package.json', () => {
		const outside = packedFiles.filter(
			(file) =>
				!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		expect(outside).toEqual([]);
		expect(packedFiles).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
		expect(packedFiles.filter((file) => /test|emulator|\.test\.|examples\//i.test(file))).toEqual(
			[],
		);
	});

	test('package.json follows the community package rules', () => {
		const pkg = manifest();
		expect(pkg.name).toMatch(/^n8n-nodes-/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.overrides).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		const forbidden = [
			'preinstall',
			'install',
			'postinstall',
			'prepare',
			'prepublish',
			'preprepare',
			'postprepare',
		];
		expect(Object.keys(pkg.scripts ?? {}).filter((script) => forbidden.includes(script))).toEqual(
			[],
		);
		expect(pkg.files).toEqual(['dist']);
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
			expect(existsSync(join(packageDir, file))).toBe(true);
	});
});

describe('every node', () => {
	const nodePaths = () => manifest().n8n.nodes as string[];

	test('has a codex with categories, search aliases and a documentation URL', () => {
		for (const nodePath of nodePaths()) {
			const codex = JSON.parse(
				readFileSync(join(packageDir, nodePath.replace(/\.js$/, '.json')), 'utf8'),
			);
			expect(codex.categories.length).toBeGreaterThan(0);
			expect(codex.alias.length).toBeGreaterThanOrEqual(5);
			expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		}
	});

	test("files itself under the categories n8n's own image and marketing nodes use", () => {
		// n8n's node panel groups nodes by codex category; a category or subcategory it does not
		// know leaves the node out of the panel's lists. n8n's image nodes (Edit Image, Bannerbear,
		// APITemplate.io) sit under Marketing, and only Core Nodes have a Files subcategory.
		const baseNodes = join(root, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');
		const known = new Set<string>();
		for (const codexPath of execFileSync('find', [baseNodes, '-name', '*.node.json'], {
			encoding: 'utf8',
		})
			.trim()
			.split('\n')) {
			for (const category of JSON.parse(readFileSync(codexPath, 'utf8')).categories ?? []) {
				known.add(category);
			}
		}
		for (const nodePath of nodePaths()) {
			const codex = JSON.parse(
				readFileSync(join(packageDir, nodePath.replace(/\.js$/, '.json')), 'utf8'),
			);
			expect(codex.categories[0]).toBe('Marketing');
			for (const category of codex.categories) expect(known).toContain(category);
			expect(codex.subcategories).toBeUndefined();
		}
	});

	test('has light and dark SVG icons, a subtitle, and is usable as an AI tool', () => {
		for (const nodePath of nodePaths()) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(join(packageDir, nodePath)) as Record<string, new () => INodeType>;
			const node = new (Object.values(exported)[0])();
			const { icon, subtitle, usableAsTool } = node.description;
			expect(usableAsTool).toBe(true);
			expect(subtitle).toEqual(expect.stringMatching(/^=/));
			const icons = icon as { light: string; dark: string };
			for (const file of [icons.light, icons.dark]) {
				const svg = join(packageDir, nodePath, '..', file.replace(/^file:/, ''));
				expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
			}
			expect(icons.light).not.toBe(icons.dark);
		}
	});

	test('the aliases cover what users search for', () => {
		const aliases = nodePaths()
			.flatMap(
				(nodePath) =>
					JSON.parse(readFileSync(join(packageDir, nodePath.replace(/\.js$/, '.json')), 'utf8'))
						.alias as string[],
			)
			.join(' ');
		for (const word of ['banner', 'resize', 'outpaint', 'relight', 'convert'])
			expect(aliases).toContain(word);
	});
});
