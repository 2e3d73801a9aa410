/**
 * Soak test, run with `npm run soak` (outside the default test run): 300 items through Smart
 * Resize in batches, binary in and binary out, with about 10 % of them carrying a seeded random
 * fault (emulator magic values in the Prompt option), Continue On Fail on. The emulator runs in a
 * child process, as for the benchmarks, so the memory figures are the n8n side's alone.
 *
 * Printed: items, delivered, error items, lost items (an input with neither an output nor an error
 * item), duplicate submits (an input submitted and accepted more than once, or a job no output
 * accounts for), and RSS and heap after a gc, after the first 100 jobs and after the last 100.
 * Exits non-zero if any item was lost or any submit duplicated.
 *
 *   npm run soak                    # 300 items, batches of 50, seed 1
 *   npm run soak -- --seed 7 --items 600 --batch 60 --fault-rate 0.2
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import type { INodeExecutionData } from 'n8n-workflow';

import { EmulatorControl, TEST_KEYS } from '../emulator';
import {
	nodeError,
	nodeOutput,
	PACKAGE,
	sourceInto,
	startWorkflow,
	useFilesystemBinaryData,
} from '../harness/n8n';
import type { FixtureItem } from '../harness/n8n';

const root = join(__dirname, '..');
const SAMPLE_PNG = readFileSync(join(root, 'examples', 'assets', 'product.png'));
const PORT = 18787 + Math.floor(Math.random() * 500) * 3;
const segmindUrl = `http://127.0.0.1:${PORT}`;
const credentials = {
	segmindApi: {
		apiKey: TEST_KEYS.segmind.valid,
		baseUrl: segmindUrl,
		uploadUrl: `${segmindUrl}/upload-asset`,
	},
};
const SUBMIT_PATH = '/v2/smart-banner-resizer';

const { values: args } = parseArgs({
	options: {
		seed: { type: 'string', default: '1' },
		items: { type: 'string', default: '300' },
		batch: { type: 'string', default: '50' },
		'fault-rate': { type: 'string', default: '0.1' },
	},
});
const SEED = Number(args.seed);
const ITEMS = Number(args.items);
const BATCH = Number(args.batch);
const FAULT_RATE = Number(args['fault-rate']);

/** mulberry32, so a seed gives the same faults on every run. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The faults an item may carry; transport ones answer the submit, which is not retried but after a 429. */
const FAULTS: Array<(random: () => number) => string> = [
	() => 'emulate:500x1',
	() => 'emulate:502',
	() => 'emulate:drop',
	() => 'emulate:malformed',
	() => 'emulate:fail',
	() => 'emulate:429x1',
	(random) => `emulate:latency=${200 + Math.floor(random() * 2000)}`,
];

interface PlannedItem {
	index: number;
	fault: string;
	sizes: string[];
}

function plan(): PlannedItem[] {
	const random = seeded(SEED);
	return Array.from({ length: ITEMS }, (_, index) => {
		const fault = random() < FAULT_RATE ? FAULTS[Math.floor(random() * FAULTS.length)](random) : '';
		const sizes = new Set<string>();
		const wanted = 1 + Math.floor(random() * 2);
		while (sizes.size < wanted) {
			sizes.add(`${64 + Math.floor(random() * 400)}x${64 + Math.floor(random() * 400)}`);
		}
		return { index, fault, sizes: [...sizes] };
	});
}

function startEmulatorProcess(): Promise<ChildProcess> {
	const child = spawn(
		process.execPath,
		[require.resolve('tsx/cli'), join(root, 'scripts', 'emulator.ts'), '--port', String(PORT)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('Ctrl-C to stop')) resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${output}`)));
	});
}

async function runBatch(items: PlannedItem[]): Promise<INodeExecutionData[]> {
	const fixture: FixtureItem[] = items.map((item) => ({
		json: {
			item: item.index,
			// The item's own number keeps every submit body different (counted directives are per body).
			prompt: `${item.fault} soak item ${item.index}`.trim(),
			sizes: item.sizes.join(', '),
		},
		binary: { data: { data: SAMPLE_PNG, fileName: 'product.png', mimeType: 'image/png' } },
	}));
	const workflow = sourceInto(
		{
			name: 'Smart Resize',
			type: `${PACKAGE}.smartResize`,
			parameters: {
				operation: 'resize',
				inputSource: 'binary',
				output: 'binary',
				sizePresets: [],
				customSizes: '={{ $json.sizes }}',
				variantsPerSize: 1,
				options: { pollIntervalSeconds: 0.5, prompt: '={{ $json.prompt }}' },
			},
			credentials: { segmindApi: { id: '1', name: 'Segmind' } },
			onError: 'continueRegularOutput',
		},
		fixture,
	);
	const run = await startWorkflow(workflow, credentials).done;
	const error = nodeError(run, 'Smart Resize');
	if (error) throw new Error(`the batch failed as a whole: ${error.message}`);
	return nodeOutput(run, 'Smart Resize');
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

function memory() {
	global.gc?.();
	const { rss, heapUsed } = process.memoryUsage();
	return { rssMb: mb(rss), heapMb: mb(heapUsed) };
}

async function main() {
	if (!global.gc) console.warn('run with --expose-gc (npm run soak) for steady memory figures');
	await useFilesystemBinaryData();
	const emulator = await startEmulatorProcess();
	const control = new EmulatorControl(segmindUrl);
	const totals = {
		items: 0,
		faulted: 0,
		delivered: 0,
		images: 0,
		errorItems: 0,
		lost: 0,
		duplicateSubmits: 0,
		jobs: 0,
		submits: 0,
		rateLimitedByPace: 0,
	};
	const memoryAfter: Array<{ jobs: number; rssMb: number; heapMb: number }> = [];
	const errorCodes = new Map<string, number>();
	const faults = new Map<string, number>();
	const started = performance.now();
	try {
		// A 429's reset a second away, not a minute: a batch paused by one resumes soon.
		await control.configure({ rateLimitWindowMs: 1000 });
		const planned = plan();
		const seenJobs = new Set<string>();
		for (let from = 0; from < planned.length; from += BATCH) {
			const batch = planned.slice(from, from + BATCH);
			await control.clearRequests();
			const batchStarted = performance.now();
			const output = await runBatch(batch);

			// Outputs by input: images, or exactly one error item; never none.
			const byInput = new Map<number, INodeExecutionData[]>();
			for (const item of output) {
				const index = (item.pairedItem as { item: number }).item;
				byInput.set(index, [...(byInput.get(index) ?? []), item]);
			}
			const requestIds = new Map<string, number>();
			batch.forEach((item, index) => {
				const outputs = byInput.get(index) ?? [];
				const images = outputs.filter((candidate) => candidate.binary?.data);
				const errors = outputs.filter((candidate) => candidate.json.error !== undefined);
				totals.items++;
				if (item.fault) {
					totals.faulted++;
					const name = item.fault.replace(/^emulate:/, '').replace(/=\d+$/, '');
					faults.set(name, (faults.get(name) ?? 0) + 1);
				}
				if (images.length === 0 && errors.length === 0) {
					totals.lost++;
					console.error(`  lost: item ${item.index} (${item.fault || 'no fault'})`);
					return;
				}
				if (errors.length > 0 && (errors.length > 1 || images.length > 0)) {
					totals.lost++;
					console.error(
						`  item ${item.index}: ${errors.length} error items and ${images.length} images`,
					);
				}
				if (errors.length > 0) {
					totals.errorItems++;
					const code = String(errors[0].json.errorCode);
					errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
					if (code === 'RATE_LIMITED') totals.rateLimitedByPace++;
					if (typeof errors[0].json.requestId === 'string') {
						requestIds.set(errors[0].json.requestId, item.index);
					}
				} else {
					totals.delivered++;
					totals.images += images.length;
					const ids = new Set(images.map((image) => String(image.json.requestId)));
					if (ids.size !== 1) {
						totals.duplicateSubmits += ids.size - 1;
						console.error(`  item ${item.index}: images from ${ids.size} jobs`);
					}
					for (const id of ids) {
						if (requestIds.has(id)) {
							totals.duplicateSubmits++;
							console.error(`  job ${id} shared by items ${requestIds.get(id)} and ${item.index}`);
						}
						requestIds.set(id, item.index);
					}
				}
			});

			// Every job this batch created is one input's, and no input has a second one.
			const jobs = (await control.jobs()).filter((job) => !seenJobs.has(job.id));
			for (const job of jobs) seenJobs.add(job.id);
			const orphans = jobs.filter((job) => !requestIds.has(job.id));
			if (orphans.length > 0) {
				totals.duplicateSubmits += orphans.length;
				console.error(`  ${orphans.length} jobs no output accounts for`);
			}
			const log = await control.requests({ origin: 'segmind' });
			const submits = log.filter(
				(entry) => entry.method === 'POST' && entry.path.startsWith(SUBMIT_PATH),
			);
			// Each input is submitted once, and again only after a 429 refused it (which created no
			// job): any other repeat is a submit the provider may have accepted twice.
			const refused = submits.filter((entry) => entry.status === 429).length;
			const repeated = submits.length - refused - batch.length;
			if (repeated > 0) {
				totals.duplicateSubmits += repeated;
				console.error(`  ${repeated} submits more than one per input`);
			}
			const accepted = submits.filter((entry) => entry.status === 200 && !entry.fault).length;
			if (accepted !== jobs.length) {
				console.error(`  ${accepted} submits accepted but ${jobs.length} jobs created`);
			}
			totals.jobs += jobs.length;
			totals.submits += submits.length;

			const done = from + batch.length;
			const now = memory();
			memoryAfter.push({ jobs: done, ...now });
			console.log(
				`  items ${String(from + 1).padStart(3)}-${String(done).padEnd(3)} ` +
					`${((performance.now() - batchStarted) / 1000).toFixed(1).padStart(5)} s  ` +
					`outputs ${String(output.length).padStart(3)}  jobs ${String(jobs.length).padStart(2)}  ` +
					`submits ${String(submits.length).padStart(2)} (${refused} refused by a 429)  ` +
					`rss ${now.rssMb} MB  heap ${now.heapMb} MB`,
			);
		}
	} finally {
		emulator.kill();
	}

	const seconds = (performance.now() - started) / 1000;
	const afterFirst = memoryAfter.find((entry) => entry.jobs >= 100) ?? memoryAfter[0];
	const afterLast = memoryAfter[memoryAfter.length - 1];
	console.log(`
Soak: ${ITEMS} items through Smart Resize (binary in and out), batches of ${BATCH}, seed ${SEED},
${totals.faulted} items (${Math.round((totals.faulted / totals.items) * 100)} %) with a random fault, Continue On Fail, ${seconds.toFixed(1)} s
faults: ${[...faults].map(([name, times]) => `${name} ${times}`).join(', ')}

  total items        ${totals.items}
  delivered          ${totals.delivered} (${totals.images} images)
  error items        ${totals.errorItems} (${[...errorCodes].map(([code, times]) => `${code} ${times}`).join(', ')})
  lost items         ${totals.lost}
  duplicate submits  ${totals.duplicateSubmits}
  jobs / submits     ${totals.jobs} jobs from ${totals.submits} submits
  memory after the first 100 jobs   rss ${afterFirst.rssMb} MB  heap ${afterFirst.heapMb} MB
  memory after the last 100 jobs    rss ${afterLast.rssMb} MB  heap ${afterLast.heapMb} MB  (after ${afterLast.jobs} jobs)
  growth                            rss ${mb((afterLast.rssMb - afterFirst.rssMb) * 2 ** 20)} MB  heap ${mb((afterLast.heapMb - afterFirst.heapMb) * 2 ** 20)} MB
`);
	if (totals.lost > 0 || totals.duplicateSubmits > 0) {
		console.error('FAILED: items were lost or submitted twice');
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
