/**
 * The job engine's benchmark, run with `npm run bench`. Every figure is set against a baseline run
 * in the same bench run, on the same machine, against the same emulator (a child process, so the
 * memory figures are the n8n side's alone). Prints a table and writes out/bench.json.
 *
 *  1. batch: 20 items x 3 sizes, 3 s jobs, binary in and out; the node at its defaults and with
 *     pacing, against the hand-wired loop of n8n-nodes-base nodes and against a raw undici client;
 *  2. rate-limited batch: 100 items against 50 requests per (time-scaled) window, polls not counting
 *     and counting, against the limit's own bound; and a batch meeting ten stray 429s, against the
 *     same batch meeting none;
 *  3. polling: jobs of 2, 10, 30 and 120 s, status requests against a fixed 1 s poll, detection delay;
 *  4. billing: Retry On Fail and a re-run with the failed run's static data submit nothing twice;
 *  5. memory: 4K outputs, peak RSS growth of this process;
 *  and the engine overhead of one small run against an instant emulator.
 *
 * A missed target is printed as MISSED and does not fail the command; a crash does (exit 1). The
 * emulator child is killed whatever happens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { useFilesystemBinaryData } from '../harness/n8n';
import { benchOn, ROOT, within } from './common';
import type { Bench } from './common';
import { startEmulatorProcess } from './emulatorProcess';
import { missed, table } from './report';
import type { Row } from './report';
import { batchScenario } from './scenarios/batch';
import { billingScenario } from './scenarios/billing';
import { engineOverheadScenario } from './scenarios/engineOverhead';
import { memoryScenario } from './scenarios/memory';
import { pollingScenario } from './scenarios/polling';
import { rateLimitedScenario } from './scenarios/rateLimited';
import { strayRateLimitsScenario } from './scenarios/strayRateLimits';

const MINUTE = 60_000;
/** The whole bench stops by itself after this, as a crash. */
const WATCHDOG_MS = 20 * MINUTE;
const BATCH_ROUNDS = 3;

interface Scenario {
	name: string;
	limitMs: number;
	run: (bench: Bench) => Promise<{ rows: Row[]; figures: unknown }>;
}

const SCENARIOS: Scenario[] = [
	// First, while the process holds the least memory: RSS that an earlier scenario reserved and
	// kept would hide this one's growth.
	{ name: 'memory', limitMs: 3 * MINUTE, run: memoryScenario },
	{ name: 'engineOverhead', limitMs: 2 * MINUTE, run: engineOverheadScenario },
	{ name: 'batch', limitMs: 6 * MINUTE, run: (bench) => batchScenario(bench, BATCH_ROUNDS) },
	{ name: 'rateLimited', limitMs: 4 * MINUTE, run: rateLimitedScenario },
	{ name: 'strayRateLimits', limitMs: 2 * MINUTE, run: strayRateLimitsScenario },
	{ name: 'billing', limitMs: 2 * MINUTE, run: billingScenario },
	{ name: 'polling', limitMs: 4 * MINUTE, run: pollingScenario },
];

async function main() {
	const started = performance.now();
	const watchdog = setTimeout(() => {
		console.error(`bench: still running after ${WATCHDOG_MS / MINUTE} minutes, giving up`);
		process.exit(1);
	}, WATCHDOG_MS);
	watchdog.unref();

	await useFilesystemBinaryData();
	// The emulator child is killed on the way out, whatever the way (see emulatorProcess.ts).
	const stopOnSignal = (signal: NodeJS.Signals) => {
		console.error(`bench: stopped by ${signal}`);
		process.exit(1);
	};
	process.once('SIGINT', stopOnSignal);
	process.once('SIGTERM', stopOnSignal);

	const rows: Row[] = [];
	const figures: Record<string, unknown> = {};
	const emulator = await startEmulatorProcess(ROOT);
	try {
		const bench = benchOn(emulator);
		// BENCH_ONLY=batch,polling runs only those scenarios (for working on one of them).
		const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
		for (const scenario of SCENARIOS.filter((entry) => !only || only.includes(entry.name))) {
			const scenarioStarted = performance.now();
			process.stdout.write(`  ${scenario.name} ... `);
			const result = await within(scenario.name, scenario.limitMs, scenario.run(bench));
			rows.push(...result.rows);
			figures[scenario.name] = result.figures;
			console.log(`${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
		}
	} finally {
		emulator.stop();
	}

	const totalSeconds = (performance.now() - started) / 1000;
	const notes = [
		'Rate-limited batch: time-scaled 10x, 50 requests per 6 s window standing for 50 per minute; URL input, so uploads do not count against the limit; Continue On Fail on, to count failed items.',
		'Hand-wired loop: gets the binary like the node, and uploads it itself (Extract from File, then HTTP Request to upload-asset), with a Wait of 5 s in its loop.',
		`Batch figures: the median of ${BATCH_ROUNDS} rounds, the four ways run in turn in each round.`,
	];
	console.log(
		`\nJob engine benchmark (n8n-core in-process, emulator in a child process; ${cpus().length} cores, Node ${process.version}, ${totalSeconds.toFixed(0)} s)\n`,
	);
	console.log(table(rows));
	console.log('');
	for (const note of notes) console.log(`Note: ${note}`);
	const misses = missed(rows);
	if (misses.length > 0) {
		console.log('\nMISSED targets:');
		for (const miss of misses) console.log(`  - ${miss}`);
	}
	mkdirSync(join(ROOT, 'out'), { recursive: true });
	writeFileSync(
		join(ROOT, 'out', 'bench.json'),
		JSON.stringify(
			{
				node: process.version,
				cores: cpus().length,
				at: new Date().toISOString(),
				totalSeconds: Math.round(totalSeconds),
				notes,
				rows,
				missed: misses,
				figures,
			},
			null,
			2,
		),
	);
	console.log('\nWritten to out/bench.json');
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error('bench crashed:', error);
		process.exit(1);
	},
);
