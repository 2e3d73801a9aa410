/**
 * Memory: 10 items x 4 sizes of real 4K outputs, binary in and out. The emulator is a child process,
 * so the RSS sampled here is the n8n side's: n8n-core running the node and storing its binaries.
 */
import type { Bench } from '../common';
import {
	binaryItem,
	expectImages,
	expectNoError,
	measured,
	round,
	runSmartResize,
} from '../common';
import type { Row } from '../report';
import { seconds } from '../report';

const ITEMS = 10;
const SIZES = '3840x2160, 2160x3840, 4096x4096, 3840x3840';
const LIMIT_MB = 300;

export async function memoryScenario(bench: Bench) {
	const { control } = bench.emulator;
	await bench.reset();
	// 40 files of several MB each: room for all of them in the emulator's media store.
	await control.configure({ queueMs: 0, processingMs: 100, mediaStoreMaxBytes: 4 * 2 ** 30 });
	// Warm-up, not measured: the modules a first run loads lazily are not the 4K files' memory.
	const warmUp = await runSmartResize(
		bench,
		{ sizePresets: [], customSizes: '320x100', variantsPerSize: 1, options: {} },
		[binaryItem()],
	);
	expectNoError('memory warm-up', warmUp);
	const result = await measured(() =>
		runSmartResize(
			bench,
			{ sizePresets: [], customSizes: SIZES, variantsPerSize: 1, options: {} },
			Array.from({ length: ITEMS }, () => binaryItem()),
		),
	);
	expectNoError('memory', result.result);
	expectImages('memory', result.result.items, ITEMS * 4);
	const outputBytes = result.result.items.reduce(
		(sum, item) => sum + Number(item.json.fileSize ?? 0),
		0,
	);
	const rows: Row[] = [
		{
			scenario: `memory, ${ITEMS}x4 4K outputs`,
			figure: `peak RSS growth: ${round(result.rssGrowthMb)} MB (from ${round(result.rssBeforeMb, 0)} MB; ${round(outputBytes / 2 ** 20)} MB of files in ${seconds(result.ms)})`,
			baseline: `limit: ${LIMIT_MB} MB`,
			ratio: `${(result.rssGrowthMb / LIMIT_MB).toFixed(2)}x`,
			target: `< ${LIMIT_MB} MB`,
			met: result.rssGrowthMb < LIMIT_MB,
		},
	];
	return {
		rows,
		figures: {
			items: ITEMS,
			sizes: SIZES,
			images: result.result.items.length,
			pixelSizes: [
				...new Set(result.result.items.map((item) => `${item.json.width}x${item.json.height}`)),
			],
			outputMb: round(outputBytes / 2 ** 20),
			wallMs: round(result.ms),
			rssBeforeMb: round(result.rssBeforeMb),
			peakRssMb: round(result.peakRssMb),
			rssGrowthMb: round(result.rssGrowthMb),
			peakHeapMb: round(result.peakHeapMb),
		},
	};
}
