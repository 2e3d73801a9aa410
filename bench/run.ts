/**
 * Benchmarks, run with `npm run bench`. The emulator runs in a child process, so the memory figures
 * are the n8n side's alone: n8n-core's engine running the package's nodes, as in a real instance.
 *
 * Figures printed, and written to out/bench.json:
 *  - engine overhead: a Smart Resize run (3 sizes x 2 variants) against a zero-latency emulator;
 *  - batch: many items through Smart Resize with binary in and out, wall time and peak memory;
 *  - large results: 4K outputs, peak memory against the bytes produced;
 *  - polling: status checks and added latency for a job that takes several seconds, default settings;
 *  - emulator: raw v2 submit + poll + download throughput over undici, as a baseline.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { request } from 'undici';

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
const mediaUrl = `http://127.0.0.1:${PORT + 2}`;
const credentials = {
	segmindApi: {
		apiKey: TEST_KEYS.segmind.valid,
		baseUrl: segmindUrl,
		uploadUrl: `${segmindUrl}/upload-asset`,
	},
};

function startEmulatorProcess(): Promise<ChildProcess> {
	const child = spawn(
		process.execPath,
		[require.resolve('tsx/cli'), join(root, 'scripts', 'emulator.ts'), '--port', String(PORT)],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
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

/** Samples RSS and heap every 10 ms while `work` runs. */
async function measured<T>(work: () => Promise<T>) {
	global.gc?.();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	}, 10);
	const started = performance.now();
	try {
		const result = await work();
		return {
			result,
			ms: performance.now() - started,
			peakRssMb: peakRss / 2 ** 20,
			rssGrowthMb: (peakRss - before.rss) / 2 ** 20,
			peakHeapMb: peakHeap / 2 ** 20,
		};
	} finally {
		clearInterval(sampler);
	}
}

async function runResize(parameters: Record<string, unknown>, items: FixtureItem[]) {
	const workflow = sourceInto(
		{
			name: 'Smart Resize',
			type: `${PACKAGE}.smartResize`,
			parameters: {
				operation: 'resize',
				inputSource: 'binary',
				output: 'binary',
				...parameters,
			} as never,
			credentials: { segmindApi: { id: '1', name: 'Segmind' } },
		},
		items,
	);
	const run = await startWorkflow(workflow, credentials).done;
	const error = nodeError(run, 'Smart Resize');
	if (error) throw new Error(`bench run failed: ${error.message}`);
	return nodeOutput(run, 'Smart Resize');
}

const sample = (): FixtureItem => ({
	json: {},
	binary: { data: { data: SAMPLE_PNG, fileName: 'product.png', mimeType: 'image/png' } },
});
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
	await useFilesystemBinaryData();
	const emulator = await startEmulatorProcess();
	const control = new EmulatorControl(segmindUrl);
	const figures: Record<string, Record<string, number>> = {};
	try {
		// 1. Engine overhead: what the node adds around the provider, with the provider instant.
		await control.configure({ queueMs: 0, processingMs: 0 });
		const fast = {
			sizePresets: ['instagramPost', 'instagramStory', 'facebookLink'],
			variantsPerSize: 2,
			options: { pollIntervalSeconds: 0.1 },
		};
		await runResize(fast, [sample()]); // warm-up: renders are cached by the emulator from here on
		const times: number[] = [];
		for (let run = 0; run < 10; run++) {
			const started = performance.now();
			const items = await runResize(fast, [sample()]);
			if (items.length !== 6) throw new Error(`expected 6 images, got ${items.length}`);
			times.push(performance.now() - started);
		}
		figures.engineOverhead = {
			runs: 10,
			imagesPerRun: 6,
			medianMs: round(median(times)),
			minMs: round(Math.min(...times)),
			maxMs: round(Math.max(...times)),
		};

		// 2. Batch: many items, binary in (uploaded) and binary out (downloaded, stored by n8n).
		const batchItems = Array.from({ length: 30 }, sample);
		await control.configure({ queueMs: 20, processingMs: 80 });
		const batch = await measured(() =>
			runResize(
				{
					sizePresets: ['instagramPost', 'facebookLink', 'iabMediumRectangle'],
					variantsPerSize: 1,
					options: { pollIntervalSeconds: 0.1 },
				},
				batchItems,
			),
		);
		figures.batch = {
			items: 30,
			images: batch.result.length,
			wallMs: round(batch.ms),
			msPerItem: round(batch.ms / 30),
			peakRssMb: round(batch.peakRssMb),
			rssGrowthMb: round(batch.rssGrowthMb),
			peakHeapMb: round(batch.peakHeapMb),
		};

		// 3. Large results: 4K outputs, to see memory against the bytes produced.
		const large = await measured(() =>
			runResize(
				{
					sizePresets: [],
					customSizes: '3840x2160, 2160x3840',
					variantsPerSize: 2,
					options: { pollIntervalSeconds: 0.1 },
				},
				[sample(), sample()],
			),
		);
		const largeBytes = large.result.reduce((sum, item) => sum + Number(item.json.fileSize ?? 0), 0);
		figures.largeResults = {
			images: large.result.length,
			outputMb: round(largeBytes / 2 ** 20),
			wallMs: round(large.ms),
			peakRssMb: round(large.peakRssMb),
			rssGrowthMb: round(large.rssGrowthMb),
		};

		// 4. Polling at default settings, for a job that takes 6 s as a short real job would.
		await control.configure({ queueMs: 1000, processingMs: 5000 });
		await control.clearRequests();
		const polled = await measured(() =>
			runResize(
				{
					sizePresets: ['instagramPost'],
					variantsPerSize: 1,
					inputSource: 'url',
					imageUrl: `${mediaUrl}/samples/product.png`,
				},
				[{ json: {} }],
			),
		);
		const statusChecks = (await control.requests({ origin: 'segmind' })).filter((entry) =>
			entry.path.endsWith('/status'),
		).length;
		figures.polling = {
			jobMs: 6000,
			wallMs: round(polled.ms),
			addedLatencyMs: round(polled.ms - 6000),
			statusChecks,
		};

		// 5. The emulator alone, over undici: the ceiling the benchmarks above run under.
		await control.configure({ queueMs: 0, processingMs: 0 });
		const headers = { 'x-api-key': TEST_KEYS.segmind.valid, 'content-type': 'application/json' };
		const jobs = 200;
		const started = performance.now();
		let next = 0;
		await Promise.all(
			Array.from({ length: 20 }, async () => {
				while (next < jobs) {
					next++;
					const submit = await request(`${segmindUrl}/v2/image-converter`, {
						method: 'POST',
						headers,
						body: JSON.stringify({
							image_url: `${mediaUrl}/samples/product.png`,
							target_format: 'webp',
						}),
					});
					const { request_id: id } = (await submit.body.json()) as { request_id: string };
					for (;;) {
						const result = await request(`${segmindUrl}/v2/requests/${id}`, { headers });
						const body = (await result.body.json()) as { status: string; output?: string };
						if (body.status === 'COMPLETED') {
							await (await request(body.output!)).body.arrayBuffer();
							break;
						}
					}
				}
			}),
		);
		const seconds = (performance.now() - started) / 1000;
		figures.emulator = {
			jobs,
			concurrency: 20,
			seconds: round(seconds, 2),
			jobsPerSecond: round(jobs / seconds),
		};
	} finally {
		emulator.kill();
	}

	console.log('\nBenchmarks (n8n-core engine in-process, emulator in a child process)\n');
	for (const [name, values] of Object.entries(figures)) {
		console.log(
			`  ${name.padEnd(16)} ${Object.entries(values)
				.map(([key, value]) => `${key}=${value}`)
				.join('  ')}`,
		);
	}
	mkdirSync(join(root, 'out'), { recursive: true });
	writeFileSync(
		join(root, 'out', 'bench.json'),
		JSON.stringify({ node: process.version, at: new Date().toISOString(), figures }, null, 2),
	);
	console.log('\n  written to out/bench.json');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
