/**
 * n8n in queue mode for the end-to-end tests: its own PostgreSQL and Redis on loopback (Debian's
 * binaries, installed by scripts/e2e/install-services.sh when missing), an n8n main process and
 * `n8n worker` processes, each with its own user folder and ports. Every process is started here,
 * owned by the test, and stopped by its PID (its process group for n8n, whose task runners are
 * children of it).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	cpSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { N8nInstance } from './n8nCli';

const root = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.once('error', reject);
	});
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown by a `waitFor` probe when waiting longer cannot help (the process has exited). */
export class GaveUp extends Error {}

export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	everyMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			if (error instanceof GaveUp) throw error;
			lastError = error;
		}
		await sleep(everyMs);
	}
	throw new Error(
		`timed out after ${timeoutMs} ms waiting for ${what}: ${String(lastError ?? '')}`,
	);
}

/** A process this test started; `stop()` signals its PID (or process group) and waits for exit. */
export class OwnedProcess {
	readonly exited: Promise<number | null>;
	private exitCode: number | null | undefined;

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
		readonly logFile: string,
		private readonly group: boolean,
		private readonly stopSignal: NodeJS.Signals,
	) {
		this.exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => {
				this.exitCode = code ?? (signal ? 128 : null);
				resolve(this.exitCode);
			}),
		);
		live.add(this);
	}

	get pid(): number {
		return this.child.pid!;
	}

	get running(): boolean {
		return this.exitCode === undefined;
	}

	log(): string {
		return readFileSync(this.logFile, 'utf8');
	}

	private signal(signal: NodeJS.Signals): void {
		try {
			process.kill(this.group ? -this.pid : this.pid, signal);
		} catch {
			// already gone
		}
	}

	async stop(graceMs = 20_000): Promise<void> {
		if (this.running) {
			this.signal(this.stopSignal);
			const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
			await this.exited;
			clearTimeout(timer);
		}
		// Whatever the leader left behind in its group (n8n's task runners).
		if (this.group) this.signal('SIGKILL');
		live.delete(this);
	}

	/** Last resort when jest exits without afterAll (synchronous). */
	kill(): void {
		this.signal('SIGKILL');
	}
}

const live = new Set<OwnedProcess>();
process.once('exit', () => {
	for (const owned of live) owned.kill();
});

function spawnLogged(
	name: string,
	logFile: string,
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; group?: boolean },
	stopSignal: NodeJS.Signals = 'SIGTERM',
): OwnedProcess {
	const fd = openSync(logFile, 'a');
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		uid: options.uid,
		gid: options.gid,
		detached: options.group ?? false,
		stdio: ['ignore', fd, fd],
	});
	closeSync(fd);
	return new OwnedProcess(name, child, logFile, options.group ?? false, stopSignal);
}

export interface ServiceBinaries {
	redisServer: string;
	postgresBin: string;
}

/** Installs Redis and PostgreSQL from Debian's packages when missing (idempotent). */
export function ensureServiceBinaries(): ServiceBinaries {
	const out = execFileSync('bash', [join(root, 'scripts', 'e2e', 'install-services.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const value = (key: string) =>
		/^(\w+)=(.*)$/m.exec(out.split('\n').find((l) => l.startsWith(`${key}=`)) ?? '')?.[2];
	return { redisServer: value('redis')!, postgresBin: value('postgres')! };
}

export async function startRedis(
	bin: string,
	dir: string,
): Promise<{ port: number; process: OwnedProcess }> {
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const redis = spawnLogged(
		'redis',
		join(dir, 'redis.log'),
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ cwd: dir },
	);
	await waitFor(
		'Redis',
		() => /Ready to accept connections/.test(redis.log()) || undefined,
		30_000,
	);
	return { port, process: redis };
}

/** PostgreSQL refuses to run as root, so it runs as the `postgres` user (or `nobody`). */
function serviceUser(): { uid: number; gid: number } {
	for (const user of ['postgres', 'nobody']) {
		try {
			const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
			return { uid, gid };
		} catch {
			// try the next one
		}
	}
	throw new Error('no postgres or nobody user to run PostgreSQL as');
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	password: string;
	process: OwnedProcess;
}

export async function startPostgres(binDir: string, dir: string): Promise<Postgres> {
	const asRoot = process.getuid?.() === 0;
	const owner: { uid?: number; gid?: number } = asRoot ? serviceUser() : {};
	mkdirSync(dir, { recursive: true });
	// The server runs as another user, who may not traverse root's home where the cache is: it gets
	// its own copy of the binaries and libraries (native/bin, native/lib, native/share; ~60 MB).
	const native = join(dir, 'native');
	cpSync(join(binDir, '..'), native, { recursive: true, verbatimSymlinks: true });
	const bin = join(native, 'bin');
	const data = join(dir, 'data');
	if (asRoot) chownSync(dir, owner.uid!, owner.gid!);
	const port = await freePort();
	const user = 'n8n';
	execFileSync(
		join(bin, 'initdb'),
		['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
		{ cwd: dir, ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
	);
	const postgres = spawnLogged(
		'postgres',
		join(dir, 'postgres.log'),
		join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'max_connections=100',
		],
		{ cwd: dir, ...owner },
		'SIGINT', // fast shutdown
	);
	await waitFor(
		'PostgreSQL',
		() => /database system is ready to accept connections/.test(postgres.log()) || undefined,
		60_000,
	);
	return { port, database: 'n8n', user, password: 'n8n', process: postgres };
}

/** Makes a temp dir that the PostgreSQL user can traverse (mkdtemp makes it 0700). */
export function openUp(dir: string): void {
	chmodSync(dir, 0o755);
}

export interface QueueCluster {
	/** The environment every n8n process shares (DB, Redis, queue mode, binary data mode). */
	env: NodeJS.ProcessEnv;
	node: string;
	bin: string;
	home: string;
	packageDir: string;
}

/** Per-process user folder with the packed package installed as Community Nodes does. */
export function userFolderFor(cluster: QueueCluster, name: string): string {
	const folder = join(cluster.home, name, 'user');
	const destination = join(folder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-smart-image');
	rmSync(destination, { recursive: true, force: true });
	mkdirSync(destination, { recursive: true });
	cpSync(cluster.packageDir, destination, { recursive: true });
	return folder;
}

export type N8nProcess = OwnedProcess & { port: number };

export async function startMain(cluster: QueueCluster, name = 'main'): Promise<N8nProcess> {
	const port = await freePort();
	const env = {
		...cluster.env,
		N8N_USER_FOLDER: userFolderFor(cluster, name),
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	mkdirSync(join(cluster.home, name), { recursive: true });
	const main = spawnLogged(
		name,
		join(cluster.home, name, 'n8n.log'),
		cluster.node,
		[cluster.bin, 'start'],
		{
			env,
			cwd: join(cluster.home, name),
			group: true,
		},
	);
	await waitFor(
		`${name} to be ready`,
		async () => {
			if (!main.running) throw new GaveUp(`${name} exited:\n${main.log().slice(-3000)}`);
			const response = await fetch(`http://127.0.0.1:${port}/healthz/readiness`);
			return response.status === 200 || undefined;
		},
		180_000,
		500,
	);
	return Object.assign(main, { port });
}

export async function startWorker(
	cluster: QueueCluster,
	name: string,
	concurrency: number,
): Promise<N8nProcess> {
	const port = await freePort();
	const env = {
		...cluster.env,
		N8N_USER_FOLDER: userFolderFor(cluster, name),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(port),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// Each worker's own main port, though a worker serves no UI or webhooks.
		N8N_PORT: String(await freePort()),
	};
	const worker = spawnLogged(
		name,
		join(cluster.home, name, 'n8n.log'),
		cluster.node,
		[cluster.bin, 'worker', `--concurrency=${concurrency}`],
		{ env, cwd: join(cluster.home, name), group: true },
	);
	await waitFor(
		`${name} to be ready`,
		async () => {
			if (!worker.running) throw new GaveUp(`${name} exited:\n${worker.log().slice(-3000)}`);
			const response = await fetch(`http://127.0.0.1:${port}/healthz/readiness`);
			return response.status === 200 || undefined;
		},
		180_000,
		500,
	);
	return Object.assign(worker, { port });
}

/** Execution ids a worker's log says it started (`Worker started execution 12 (job 7)`). */
export function executionsStartedBy(worker: OwnedProcess): string[] {
	return [...worker.log().matchAll(/Worker started execution (\d+) \(job/g)].map((m) => m[1]);
}

/** n8n's own `pg` and `flatted`, to read what n8n stored in its database. */
export function n8nModules(n8n: Pick<N8nInstance, 'bin'>) {
	const requireFromN8n = createRequire(n8n.bin);
	return {
		pg: requireFromN8n('pg') as {
			Client: new (config: object) => {
				connect(): Promise<void>;
				query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
				end(): Promise<void>;
			};
		},
		flatted: requireFromN8n('flatted') as { parse(text: string): unknown },
	};
}

/**
 * `n8n start` on one user folder (regular mode, SQLite): what the editor sees. Stopped by PID with
 * `stop()`, or on exit.
 */
export async function startEditor(n8n: N8nInstance): Promise<N8nProcess> {
	const port = await freePort();
	const env = {
		...n8n.env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_SECURE_COOKIE: 'false',
		// n8n 2.x's MCP registry module reaches out at start; n8n 1.x has no such module and refuses
		// to start when asked to disable one it does not know.
		...(n8n.env.N8N_VERSION?.startsWith('1.') ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
	};
	const editor = spawnLogged('editor', join(n8n.home, 'editor.log'), n8n.node, [n8n.bin, 'start'], {
		env,
		cwd: n8n.workDir,
		group: true,
	});
	await waitFor(
		'the editor to be ready',
		async () => {
			if (!editor.running) throw new GaveUp(`n8n start exited:\n${editor.log().slice(-3000)}`);
			// Readiness answers before n8n 1.x has mounted its REST API; the settings endpoint comes last.
			const response = await fetch(`http://127.0.0.1:${port}/rest/settings`);
			return response.status === 200 || undefined;
		},
		180_000,
		500,
	);
	return Object.assign(editor, { port });
}

/** Sets up the instance owner and returns a REST caller with the owner's session. */
export async function ownerRest(
	port: number,
): Promise<
	(
		method: 'GET' | 'POST',
		path: string,
		body?: object,
	) => Promise<{ status: number; body: unknown }>
> {
	const headers = { 'content-type': 'application/json', 'browser-id': 'smart-image-e2e' };
	const owner = { email: 'owner@example.com', password: 'Smart-image-1' };
	let setup = await fetch(`http://127.0.0.1:${port}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ ...owner, firstName: 'Smart', lastName: 'Image' }),
	});
	if (setup.status === 400 && /already setup/.test(await setup.text())) {
		// A later start on the same user folder: log in instead.
		setup = await fetch(`http://127.0.0.1:${port}/rest/login`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	if (setup.status !== 200) throw new Error(`owner session: ${setup.status} ${await setup.text()}`);
	const cookie = setup.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	return async (method, path, body) => {
		const response = await fetch(`http://127.0.0.1:${port}${path}`, {
			method,
			headers: { ...headers, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON (an icon)
		}
		return { status: response.status, body: parsed };
	};
}
