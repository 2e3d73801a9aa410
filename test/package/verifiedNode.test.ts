/**
 * The checks n8n applies before a community package can be verified for n8n Cloud, run on each
 * tarball `npm pack` would publish: the main package at the root (Segmind) and the sibling under
 * packages/ (Pixazo). Their contents, their package.json, what every node must carry, and that each
 * holds one service only. The scanner's lint of the shipped JavaScript is scripts/scan-package.mjs
 * (ESLint plugins are ESM).
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
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	overrides?: unknown;
	repository?: { url: string; directory?: string };
	n8n: { nodes: string[]; credentials: string[] };
}

interface PackageUnderTest {
	dir: string;
	name: string;
	/** The node types and credential types it ships, and nothing else. */
	nodes: string[];
	credentials: string[];
	/** Words its codex aliases must cover. */
	aliases: string[];
	/** Text that must appear nowhere in the tarball, file names included (case-insensitive). */
	foreign: RegExp;
}

const PACKAGES: PackageUnderTest[] = [
	{
		dir: root,
		name: 'n8n-nodes-smart-image',
		nodes: ['smartResize', 'smartReframe', 'smartRelight', 'smartConvert'],
		credentials: ['segmindApi'],
		aliases: ['banner', 'resize', 'outpaint', 'relight', 'convert', 'segmind'],
		foreign: /pixazo/i,
	},
	{
		dir: join(root, 'packages', 'n8n-nodes-pixazo'),
		name: 'n8n-nodes-pixazo',
		nodes: ['pixazoSmartResize'],
		credentials: ['pixazoApi'],
		aliases: ['banner', 'resize', 'pixazo'],
		// Nothing of the Segmind nodes: not their names, models, credential or provider.
		foreign:
			/segmind|smartReframe|smartRelight|smartConvert|smart-banner-resizer|ideogram|image-converter/i,
	},
];

interface Unpacked {
	dir: string;
	filename: string;
	size: number;
	files: Array<{ path: string; size: number }>;
}

const unpacked = new Map<string, Unpacked>();
let cleanup = () => {};

beforeAll(() => {
	// Unpacked inside the repository so that the peer dependency n8n-workflow resolves, as in n8n.
	mkdirSync(join(root, '.cache'), { recursive: true });
	const outDir = mkdtempSync(join(root, '.cache', 'pack-'));
	cleanup = () => rmSync(outDir, { recursive: true, force: true });
	for (const pkg of PACKAGES) {
		if (!existsSync(join(pkg.dir, 'dist'))) throw new Error('Build first: npm run build');
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
				cwd: pkg.dir,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			}),
		) as Array<{ filename: string; size: number; files: Array<{ path: string; size: number }> }>;
		const dir = join(outDir, pkg.name);
		mkdirSync(dir);
		execFileSync('tar', ['xzf', join(outDir, packed.filename), '-C', dir]);
		unpacked.set(pkg.name, {
			dir: join(dir, 'package'),
			filename: packed.filename,
			size: packed.size,
			files: packed.files,
		});
	}
}, 120_000);

afterAll(() => cleanup());

const packageOf = (pkg: PackageUnderTest) => unpacked.get(pkg.name)!;
const packedPaths = (pkg: PackageUnderTest) =>
	packageOf(pkg)
		.files.map((file) => file.path)
		.sort();
const manifest = (pkg: PackageUnderTest) =>
	JSON.parse(readFileSync(join(packageOf(pkg).dir, 'package.json'), 'utf8')) as PackageManifest;
const codexOf = (pkg: PackageUnderTest, nodePath: string) =>
	JSON.parse(readFileSync(join(packageOf(pkg).dir, nodePath.replace(/\.js$/, '.json')), 'utf8'));
const loaded = <T>(pkg: PackageUnderTest, path: string) => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(packageOf(pkg).dir, path)) as Record<string, new () => T>;
	return new (Object.values(exported)[0])();
};

describe.each(PACKAGES.map((pkg) => [pkg.name, pkg] as const))(
	'the packed tarball of %s',
	(_, pkg) => {
		test('holds only dist/, the README, the licence and package.json', () => {
			const files = packedPaths(pkg);
			const outside = files.filter(
				(file) =>
					!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
			);
			expect(outside).toEqual([]);
			expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
			expect(files.filter((file) => /test|emulator|\.test\.|examples\//i.test(file))).toEqual([]);
		});

		test('package.json follows the community package rules', () => {
			const manifestJson = manifest(pkg);
			expect(manifestJson.name).toBe(pkg.name);
			expect(manifestJson.name).toMatch(/^n8n-nodes-/);
			expect(manifestJson.keywords).toContain('n8n-community-node-package');
			expect(manifestJson.license).toBe('MIT');
			expect(manifestJson.dependencies ?? {}).toEqual({});
			expect(manifestJson.overrides).toBeUndefined();
			expect(manifestJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
			const forbidden = [
				'preinstall',
				'install',
				'postinstall',
				'prepare',
				'prepublish',
				'preprepare',
				'postprepare',
			];
			expect(
				Object.keys(manifestJson.scripts ?? {}).filter((script) => forbidden.includes(script)),
			).toEqual([]);
			expect(manifestJson.files).toEqual(['dist']);
			// npm provenance ties the package to this repository (and, for a sibling, its folder).
			expect(manifestJson.repository?.url).toMatch(/github\.com\/.+\.git$/);
			for (const file of [...manifestJson.n8n.nodes, ...manifestJson.n8n.credentials])
				expect(existsSync(join(packageOf(pkg).dir, file))).toBe(true);
		});

		test('ships exactly its own nodes and credentials, one service', () => {
			const { n8n } = manifest(pkg);
			expect(n8n.nodes.map((path) => loaded<INodeType>(pkg, path).description.name)).toEqual(
				pkg.nodes,
			);
			expect(n8n.credentials.map((path) => loaded<{ name: string }>(pkg, path).name)).toEqual(
				pkg.credentials,
			);
			for (const path of n8n.nodes) {
				const credentials = loaded<INodeType>(pkg, path).description.credentials ?? [];
				expect(credentials.map((credential) => credential.name)).toEqual(pkg.credentials);
			}
		});

		test(`contains nothing of the other service: no ${pkg.foreign.source} in any file name or file`, () => {
			expect(packedPaths(pkg).filter((path) => pkg.foreign.test(path))).toEqual([]);
			const mentions = packedPaths(pkg).filter((path) =>
				pkg.foreign.test(readFileSync(join(packageOf(pkg).dir, path), 'utf8')),
			);
			expect(mentions).toEqual([]);
		});
	},
);

describe('the main package and the Pixazo package', () => {
	test('each compiles the shared core into its own dist/, and the Pixazo one only what it uses', () => {
		const [main, pixazo] = PACKAGES.map((pkg) => packedPaths(pkg));
		expect(main).toContain('dist/nodes/shared/execute.js');
		expect(pixazo).toContain('dist/nodes/shared/execute.js');
		expect(
			pixazo.filter((path) => /models\/(reframe|relight|convert)|segmind/i.test(path)),
		).toEqual([]);
		// The same source compiles to the same file in both.
		const read = (pkg: PackageUnderTest) =>
			readFileSync(join(packageOf(pkg).dir, 'dist/nodes/shared/execute.js'), 'utf8');
		expect(read(PACKAGES[1])).toBe(read(PACKAGES[0]));
	});

	test('tarball contents and sizes (for the release notes)', () => {
		for (const pkg of PACKAGES) {
			const { filename, size, files } = packageOf(pkg);
			const lines = files
				.map((file) => `  ${String(file.size).padStart(7)}  ${file.path}`)
				.sort((a, b) => a.slice(11).localeCompare(b.slice(11)));
			process.stdout.write(
				`${filename}: ${files.length} files, ${(size / 1024).toFixed(1)} kB packed\n${lines.join('\n')}\n`,
			);
			expect(size).toBeGreaterThan(0);
		}
	});
});

describe.each(PACKAGES.map((pkg) => [pkg.name, pkg] as const))('every node of %s', (_, pkg) => {
	const nodePaths = () => manifest(pkg).n8n.nodes;

	test('has a codex with its node type, categories, search aliases and a documentation URL', () => {
		for (const nodePath of nodePaths()) {
			const codex = codexOf(pkg, nodePath);
			const { name } = loaded<INodeType>(pkg, nodePath).description;
			expect(codex.node).toBe(`${pkg.name}.${name}`);
			expect(codex.categories.length).toBeGreaterThan(0);
			expect(codex.alias.length).toBeGreaterThanOrEqual(5);
			expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		}
	});

	test("links the editor's Docs button to its own README section, anchor intact", () => {
		// The editor uses a node's documentationUrl as it is, but appends utm parameters to the
		// codex URL, after its #anchor, where they break it.
		for (const nodePath of nodePaths()) {
			const { documentationUrl } = loaded<INodeType>(pkg, nodePath).description;
			expect(documentationUrl).toMatch(/^https:\/\/.+#[a-z-]+$/);
			expect(documentationUrl).toBe(codexOf(pkg, nodePath).resources.primaryDocumentation[0].url);
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
			const codex = codexOf(pkg, nodePath);
			expect(codex.categories[0]).toBe('Marketing');
			for (const category of codex.categories) expect(known).toContain(category);
			expect(codex.subcategories).toBeUndefined();
		}
	});

	test('has light and dark SVG icons, a subtitle, and is usable as an AI tool', () => {
		for (const nodePath of nodePaths()) {
			const node = loaded<INodeType>(pkg, nodePath);
			const { icon, subtitle, usableAsTool } = node.description;
			expect(usableAsTool).toBe(true);
			expect(subtitle).toEqual(expect.stringMatching(/^=/));
			const icons = icon as { light: string; dark: string };
			for (const file of [icons.light, icons.dark]) {
				const svg = join(packageOf(pkg).dir, nodePath, '..', file.replace(/^file:/, ''));
				expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
			}
			expect(icons.light).not.toBe(icons.dark);
		}
	});

	test('every credential has light and dark SVG icons', () => {
		for (const credentialPath of manifest(pkg).n8n.credentials) {
			const icons = loaded<{ icon: { light: string; dark: string } }>(pkg, credentialPath).icon;
			for (const file of [icons.light, icons.dark]) {
				const svg = join(packageOf(pkg).dir, credentialPath, '..', file.replace(/^file:/, ''));
				expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
			}
		}
	});

	test('the aliases cover what users search for', () => {
		const aliases = nodePaths()
			.flatMap((nodePath) => codexOf(pkg, nodePath).alias as string[])
			.join(' ');
		for (const word of pkg.aliases) expect(aliases).toContain(word);
	});
});
