/**
 * Batch: 20 items x 3 sizes (1 variant each), jobs of 3 s, binary in and out. Four ways of doing the
 * same work, run in turn in every round (the order rotating), the median of the rounds compared.
 */
import type { RequestLogEntry } from '../../emulator';
import type { Bench } from '../common';
import {
	BENCH_KEY,
	binaryItem,
	expectImages,
	expectNoError,
	isResultRead,
	isStatusRead,
	isSubmit,
	median,
	round,
	runSmartResize,
	SAMPLE_PNG,
} from '../common';
import { runHandWiredLoop } from '../handWiredLoop';
import { runRawClient } from '../rawClient';
import type { Row } from '../report';
import { seconds, times } from '../report';

const ITEMS = 20;
const SIZES = ['1080x1080', '1200x628', '300x250'];
const PRESETS = ['instagramPost', 'facebookLink', 'iabMediumRectangle'];
const JOB_MS = 3000;
const WAIT_SECONDS = 5;
const PACED_RPM = 600;

type Way = 'loop' | 'raw' | 'node' | 'paced';
const WAYS: Way[] = ['loop', 'raw', 'node', 'paced'];

function requestCounts(log: RequestLogEntry[]) {
	return {
		uploads: log.filter((entry) => entry.origin === 'upload').length,
		submits: log.filter(isSubmit).length,
		statusReads: log.filter(isStatusRead).length,
		resultReads: log.filter(isResultRead).length,
		downloads: log.filter((entry) => entry.origin === 'media').length,
	};
}

export async function batchScenario(bench: Bench, rounds: number) {
	const { control, segmindUrl, uploadUrl } = bench.emulator;
	await bench.reset();
	await control.configure({ queueMs: 0, processingMs: JOB_MS });

	const items = () => Array.from({ length: ITEMS }, () => binaryItem());
	const images = ITEMS * SIZES.length;
	const nodeParameters = (options: Record<string, unknown>) => ({
		sizePresets: PRESETS,
		variantsPerSize: 1,
		options,
	});
	const runs: Record<Way, (count: number) => Promise<number>> = {
		loop: async (count) => {
			const run = await runHandWiredLoop(bench, items().slice(0, count), {
				sizes: SIZES,
				waitSeconds: WAIT_SECONDS,
			});
			if (run.files.length !== count * SIZES.length || run.files.some((file) => !file.binary?.data))
				throw new Error(`hand-wired loop: expected ${count * SIZES.length} files`);
			return run.ms;
		},
		raw: async (count) => {
			const run = await runRawClient({
				segmindUrl,
				uploadUrl,
				apiKey: BENCH_KEY,
				sizes: SIZES,
				image: SAMPLE_PNG,
				items: count,
			});
			if (run.files !== count * SIZES.length) throw new Error(`raw client: ${run.files} files`);
			return run.ms;
		},
		node: async (count) => {
			const run = await runSmartResize(bench, nodeParameters({}), items().slice(0, count));
			expectNoError('node at defaults', run);
			expectImages('node at defaults', run.items, count * SIZES.length);
			return run.ms;
		},
		paced: async (count) => {
			const run = await runSmartResize(
				bench,
				nodeParameters({ requestsPerMinute: PACED_RPM }),
				items().slice(0, count),
			);
			expectNoError('node with pacing', run);
			expectImages('node with pacing', run.items, count * SIZES.length);
			return run.ms;
		},
	};

	// Warm-up, not measured: module loading, JIT, and the emulator's render cache for these sizes.
	for (const way of WAYS) await runs[way](2);

	const ms: Record<Way, number[]> = { loop: [], raw: [], node: [], paced: [] };
	const requests = {} as Record<Way, ReturnType<typeof requestCounts>>;
	for (let round = 0; round < rounds; round++) {
		const order = WAYS.map((_, index) => WAYS[(index + round) % WAYS.length]);
		for (const way of order) {
			await control.clearRequests();
			ms[way].push(await runs[way](ITEMS));
			requests[way] = requestCounts(await control.requests());
		}
	}
	const loop = median(ms.loop);
	const raw = median(ms.raw);
	const node = median(ms.node);
	const paced = median(ms.paced);
	const scenario = `batch ${ITEMS}x${SIZES.length}, 3 s jobs`;
	const rows: Row[] = [
		{
			scenario,
			figure: `node at defaults: ${seconds(node)}`,
			baseline: `hand-wired loop: ${seconds(loop)}`,
			ratio: `${times(loop / node)} faster`,
			target: '>= 1.5x faster',
			met: loop / node >= 1.5,
		},
		{
			scenario,
			figure: `node at defaults: ${seconds(node)}`,
			baseline: `raw client: ${seconds(raw)}`,
			ratio: times(node / raw),
			target: '<= 1.3x',
			met: node / raw <= 1.3,
		},
		{
			scenario,
			figure: `node, ${PACED_RPM} requests/min: ${seconds(paced)}`,
			baseline: `raw client: ${seconds(raw)}`,
			ratio: times(paced / raw),
		},
	];
	const figures = {
		items: ITEMS,
		sizes: SIZES,
		images,
		jobMs: JOB_MS,
		rounds,
		waitSeconds: WAIT_SECONDS,
		pacedRequestsPerMinute: PACED_RPM,
		medianMs: { loop: round(loop), raw: round(raw), node: round(node), paced: round(paced) },
		allMs: Object.fromEntries(WAYS.map((way) => [way, ms[way].map((value) => round(value))])),
		requestsLastRound: requests,
		loopInput: 'binary, uploaded by the loop (Extract from File + HTTP Request to upload-asset)',
	};
	return { rows, figures };
}
