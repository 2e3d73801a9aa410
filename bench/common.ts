/**
 * What every scenario shares: the emulator, a key of its own, the sample image, a way to run
 * Smart Resize through n8n-core, the memory sampler and the timing helpers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RequestLogEntry } from '../emulator';
import { nodeError, nodeOutput, PACKAGE, sourceInto, startWorkflow } from '../harness/n8n';
import type { FixtureItem, RunOptions } from '../harness/n8n';
import type { EmulatorProcess } from './emulatorProcess';

export const ROOT = join(__dirname, '..');
export const SAMPLE_PNG = readFileSync(join(ROOT, 'examples', 'assets', 'product.png'));

/** A key with room for every scenario: the rate-limited one registers its own. */
export const BENCH_KEY = 'emu-segmind-bench-unlimited-0001';

export interface Bench {
	emulator: EmulatorProcess;
	/** Resets the emulator (jobs, media, log, faults, config) and registers the bench key again. */
	reset(): Promise<void>;
	credentials(apiKey?: string): Record<string, ICredentialDataDecryptedObject>;
}

export function benchOn(emulator: EmulatorProcess): Bench {
	return {
		emulator,
		async reset() {
			await emulator.control.reset();
			await emulator.control.addKey({
				key: BENCH_KEY,
				provider: 'segmind',
				credits: 1_000_000,
				rateLimitPerMinute: 1_000_000,
				id: 'segmind:bench',
			});
		},
		credentials(apiKey = BENCH_KEY) {
			return {
				segmindApi: {
					apiKey,
					baseUrl: emulator.segmindUrl,
					uploadUrl: emulator.uploadUrl,
				},
			};
		},
	};
}

export const binaryItem = (json: IDataObject = {}): FixtureItem => ({
	json,
	binary: { data: { data: SAMPLE_PNG, fileName: 'product.png', mimeType: 'image/png' } },
});

export interface NodeSettings extends RunOptions {
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** Settings -> On Error -> Continue: a failed item becomes an error item, the others go on. */
	continueOnFail?: boolean;
}

export interface SmartResizeRun {
	items: INodeExecutionData[];
	error?: Error;
	ms: number;
	staticData: IDataObject;
}

/** Smart Resize with Segmind, binary in and out unless `parameters` say otherwise. */
export async function runSmartResize(
	bench: Bench,
	parameters: IDataObject,
	items: FixtureItem[],
	settings: NodeSettings & { apiKey?: string } = {},
): Promise<SmartResizeRun> {
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
			...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(settings.retryOnFail
				? {
						retryOnFail: true,
						maxTries: settings.retryOnFail.maxTries,
						waitBetweenTries: settings.retryOnFail.waitBetweenTries,
					}
				: {}),
		},
		items,
	);
	const started = performance.now();
	const running = startWorkflow(workflow, bench.credentials(settings.apiKey), settings);
	const run = await running.done;
	const ms = performance.now() - started;
	const error = nodeError(run, 'Smart Resize') ?? undefined;
	return { items: nodeOutput(run, 'Smart Resize'), error, ms, staticData: running.staticData };
}

/** Throws unless every item came out with a binary file: a scenario's figures mean nothing otherwise. */
export function expectImages(what: string, items: INodeExecutionData[], count: number): void {
	const withFiles = items.filter((item) => item.binary?.data).length;
	if (withFiles !== count) {
		throw new Error(`${what}: expected ${count} images, got ${withFiles} (of ${items.length})`);
	}
}

export function expectNoError(what: string, run: { error?: Error }): void {
	if (run.error) throw new Error(`${what} failed: ${run.error.message}`);
}

/** Samples RSS and heap every 10 ms while `work` runs. */
export async function measured<T>(work: () => Promise<T>) {
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
			rssBeforeMb: before.rss / 2 ** 20,
			peakRssMb: peakRss / 2 ** 20,
			rssGrowthMb: (peakRss - before.rss) / 2 ** 20,
			peakHeapMb: peakHeap / 2 ** 20,
		};
	} finally {
		clearInterval(sampler);
	}
}

/** Rejects when `work` takes longer than `ms`: every scenario is bounded in time. */
export async function within<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([work, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const isSubmit = (entry: RequestLogEntry) =>
	entry.origin === 'segmind' && entry.method === 'POST' && entry.path.startsWith('/v2/');
export const isStatusRead = (entry: RequestLogEntry) =>
	entry.origin === 'segmind' &&
	entry.method === 'GET' &&
	/^\/v2\/requests\/[^/]+\/status/.test(entry.path);
export const isResultRead = (entry: RequestLogEntry) =>
	entry.origin === 'segmind' &&
	entry.method === 'GET' &&
	/^\/v2\/requests\/[^/?]+$/.test(entry.path);
