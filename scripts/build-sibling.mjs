#!/usr/bin/env node
// Builds a sibling package (packages/<name>/) into its own dist/, with the shared core (nodes/shared/)
// compiled in, so the package has no runtime dependency on it.
//
//   node scripts/build-sibling.mjs [packages/<name> ...]   (default: every packages/*/tsconfig.build.json)
//
// tsc compiles the package's sources and, following their imports, only the core files they use.
// Its rootDir has to be the repository root to reach nodes/shared/, so it writes the package's own
// files under packages/<name>/. This script moves them up to dist/ and the core to dist/nodes/shared/,
// so dist/ mirrors the package's source layout, as n8n's starter and lint rules expect
// (dist/nodes/<Node>/<Node>.node.js, dist/credentials/<Name>.credentials.js), and recomputes each
// relative import for the moved files. Nothing from the repository other than nodes/shared/ may be
// compiled in; anything else (another package's node or credential) fails the build.
import { execFileSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORE = 'nodes/shared/';
const ASSETS = [
	{ dir: 'nodes', pattern: /\.(png|svg|json)$/ },
	{ dir: 'credentials', pattern: /\.(png|svg)$/ },
];

const toPosix = (path) => path.split(sep).join('/');

function filesUnder(dir) {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => toPosix(relative(dir, join(entry.parentPath, entry.name))));
}

function build(packageArg) {
	const packageDir = resolve(root, packageArg);
	const packageRel = `${toPosix(relative(root, packageDir))}/`;
	const dist = join(packageDir, 'dist');
	const stage = mkdtempSync(join(tmpdir(), 'sibling-build-'));
	try {
		const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
		execFileSync(
			process.execPath,
			[tsc, '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', stage],
			{ stdio: 'inherit' },
		);

		/** Where a compiled file (path relative to the repository root) goes in dist/. */
		const place = (path) => {
			if (path.startsWith(packageRel)) {
				const own = path.slice(packageRel.length);
				if (own.startsWith(CORE)) throw new Error(`${path} would overwrite the shared core`);
				return own;
			}
			if (path.startsWith(CORE)) return path;
			throw new Error(
				`${path} is compiled into ${packageRel}: only the package's own files and ${CORE} may be`,
			);
		};

		rmSync(dist, { recursive: true, force: true });
		for (const path of filesUnder(stage)) {
			const target = place(path);
			let text = readFileSync(join(stage, path), 'utf8');
			// require("..."), import("...") and `from '...'` in the .js and .d.ts files tsc wrote.
			text = text.replace(
				/(require\(|import\(|from )(["'])(\.{1,2}\/[^"']*)\2/g,
				(_, before, quote, specifier) => {
					const imported = posix.normalize(posix.join(posix.dirname(path), specifier));
					let moved = posix.relative(posix.dirname(target), place(imported));
					if (!moved.startsWith('.')) moved = `./${moved}`;
					return `${before}${quote}${moved}${quote}`;
				},
			);
			mkdirSync(dirname(join(dist, target)), { recursive: true });
			writeFileSync(join(dist, target), text);
		}

		// Icons and codex files sit beside the built files: n8n resolves them relative to the .js.
		for (const { dir, pattern } of ASSETS) {
			for (const path of filesUnder(join(packageDir, dir)).filter((file) => pattern.test(file))) {
				const target = join(dist, dir, path);
				mkdirSync(dirname(target), { recursive: true });
				cpSync(join(packageDir, dir, path), target);
			}
		}
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
}

const siblings = readdirSync(join(root, 'packages'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory())
	.map((entry) => join('packages', entry.name))
	.filter((dir) => existsSync(join(root, dir, 'tsconfig.build.json')));
const packages = process.argv.length > 2 ? process.argv.slice(2) : siblings;
for (const packageArg of packages) build(packageArg);
