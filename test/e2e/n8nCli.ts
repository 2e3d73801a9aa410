/**
 * Drives a real n8n CLI for the end-to-end tests. The environment comes from
 * scripts/e2e/n8n-env.sh (installs n8n once per machine, outside the repository), so the shell
 * helpers and these tests share one definition of an isolated, offline n8n.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractRunData } = require('../../scripts/e2e/extract-run.cjs') as {
	extractRunData: (stdout: string) => N8nRun;
};

export interface N8nRun {
	status: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<N8nItem>> }; error?: { message: string } }>
			>;
			error?: { message: string; description?: string };
		};
	};
}

export interface N8nItem {
	json: Record<string, unknown>;
	binary?: Record<string, { id?: string; fileName?: string; mimeType?: string }>;
	pairedItem?: unknown;
}

export interface N8nInstance {
	home: string;
	env: NodeJS.ProcessEnv;
	node: string;
	bin: string;
	/** Working directory of every n8n process: relative file paths in workflows resolve here. */
	workDir: string;
}

/** Installs that n8n version if needed (once per machine) and prepares a fresh user folder. */
export function setUpN8n(version = '2.41.1'): N8nInstance {
	const home = mkdtempSync(join(tmpdir(), 'smart-image-e2e-'));
	const script = `source scripts/e2e/n8n-env.sh >&2 && n8n_e2e_setup "$1" >&2 && env -0`;
	// Jest's own variables stay out: with NODE_ENV=test, n8n's logger prints nothing, and the run
	// data of `n8n execute` goes through the logger.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(
			([name]) => name !== 'NODE_ENV' && !name.startsWith('JEST_'),
		),
	);
	inherited.N8N_VERSION = version;
	const dump = execFileSync('bash', ['-c', script, 'setup', home], {
		cwd: root,
		env: inherited,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 2 ** 20,
	});
	const env = Object.fromEntries(
		dump
			.split('\0')
			.filter(Boolean)
			.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
	) as NodeJS.ProcessEnv;
	const workDir = join(home, 'work');
	mkdirSync(workDir, { recursive: true });
	return { home, env, node: env.N8N_E2E_NODE!, bin: env.N8N_E2E_BIN!, workDir };
}

/**
 * Packs a package of the repository as npm would publish it (the main one at the root, or a sibling
 * under packages/) and installs the tarball's contents where Settings → Community Nodes puts
 * packages, so node types are `<package name>.<node>`.
 */
export function installPackedPackage(n8n: N8nInstance, packageDir = '.'): string {
	const packDir = mkdtempSync(join(tmpdir(), 'smart-image-e2e-pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
			cwd: join(root, packageDir),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ name: string; filename: string }>;
	execFileSync('tar', ['xzf', join(packDir, packed.filename), '-C', packDir]);
	const destination = join(n8n.env.N8N_USER_FOLDER!, '.n8n', 'nodes', 'node_modules', packed.name);
	mkdirSync(destination, { recursive: true });
	cpSync(join(packDir, 'package'), destination, { recursive: true });
	return packed.filename;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.once('error', reject);
	});
}

export interface CliResult {
	code: number;
	stdout: string;
}

/** Runs one n8n CLI command; `n8n execute` has no timeout of its own, so this one adds it. */
export async function n8nCommand(
	n8n: N8nInstance,
	args: string[],
	timeoutMs = 180_000,
): Promise<CliResult> {
	const env = {
		...n8n.env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RESTRICT_FILE_ACCESS_TO: n8n.workDir,
	};
	return new Promise((resolve, reject) => {
		const child = spawn(n8n.node, [n8n.bin, ...args], {
			cwd: n8n.workDir,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args[0]} timed out after ${timeoutMs} ms:\n${stdout.slice(-3000)}`));
		}, timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code: code ?? 1, stdout });
		});
	});
}

export async function importJson(
	n8n: N8nInstance,
	kind: 'credentials' | 'workflow',
	data: unknown,
	extraArgs: string[] = [],
): Promise<string> {
	const file = join(n8n.home, `${kind}-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(data));
	const result = await n8nCommand(n8n, [`import:${kind}`, `--input=${file}`, ...extraArgs]);
	if (result.code !== 0)
		throw new Error(`n8n import:${kind} failed (${result.code}):\n${result.stdout.slice(-3000)}`);
	return result.stdout;
}

export async function executeWorkflow(
	n8n: N8nInstance,
	id: string,
): Promise<{ code: number; run: N8nRun; log: string }> {
	const result = await n8nCommand(n8n, ['execute', `--id=${id}`, '--rawOutput']);
	let run: N8nRun;
	try {
		run = extractRunData(result.stdout);
	} catch (error) {
		throw new Error(
			`n8n execute --id=${id} printed no run (exit ${result.code}): ${(error as Error).message}`,
		);
	}
	return { code: result.code, run, log: result.stdout };
}

export function outputOf(run: N8nRun, nodeName: string): N8nItem[] {
	const runs = run.data.resultData.runData[nodeName];
	return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
}

export function copyIntoWorkDir(n8n: N8nInstance, relativePath: string): void {
	const target = join(n8n.workDir, relativePath);
	mkdirSync(join(target, '..'), { recursive: true });
	cpSync(join(root, relativePath), target);
}
