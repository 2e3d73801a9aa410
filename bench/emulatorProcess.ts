/**
 * The emulator in a child process (scripts/emulator.ts on ephemeral loopback ports), so that the
 * bench process's memory and event loop are the n8n side's alone.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { EmulatorControl } from '../emulator';

export interface EmulatorProcess {
	segmindUrl: string;
	uploadUrl: string;
	mediaUrl: string;
	control: EmulatorControl;
	/** Kills the child; safe to call more than once. */
	stop(): void;
}

const STARTUP_TIMEOUT_MS = 30_000;

export function startEmulatorProcess(root: string): Promise<EmulatorProcess> {
	// Node itself with tsx's loader, not tsx's CLI: the CLI runs the script in a grandchild, which
	// killing the CLI would leave running. The child leads a process group of its own (with esbuild's
	// service), and the whole group is killed.
	const child: ChildProcess = spawn(
		process.execPath,
		['--import', 'tsx', join(root, 'scripts', 'emulator.ts'), '--host', '127.0.0.1', '--port', '0'],
		{ cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true },
	);
	let stopped = false;
	const stop = () => {
		if (stopped) return;
		stopped = true;
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			child.kill('SIGKILL');
		}
	};
	// Whatever way the bench ends, the child goes with it.
	process.once('exit', stop);

	return new Promise((resolve, reject) => {
		let output = '';
		const timer = setTimeout(() => {
			stop();
			reject(new Error(`emulator did not start within ${STARTUP_TIMEOUT_MS} ms: ${output}`));
		}, STARTUP_TIMEOUT_MS);
		const urlAfter = (label: string) =>
			new RegExp(`${label}\\s+(http://127\\.0\\.0\\.1:\\d+\\S*)`).exec(output)?.[1];
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (!output.includes('Ctrl-C to stop')) return;
			clearTimeout(timer);
			const segmindUrl = urlAfter('Segmind API');
			const uploadUrl = urlAfter('Upload URL');
			const mediaUrl = urlAfter('Media \\(CDN\\)');
			if (!segmindUrl || !uploadUrl || !mediaUrl) {
				stop();
				reject(new Error(`could not read the emulator's URLs from: ${output}`));
				return;
			}
			resolve({
				segmindUrl,
				uploadUrl,
				mediaUrl,
				control: new EmulatorControl(segmindUrl),
				stop,
			});
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			if (stopped) return;
			stopped = true;
			const error = new Error(`emulator exited (${code ?? signal}): ${output.slice(-2000)}`);
			reject(error);
			// After start-up, losing the emulator is a crash of the bench.
			console.error(error.message);
			process.exit(1);
		});
	});
}
