/**
 * Engine overhead: what the node adds around the provider, with the provider instant. A Smart
 * Resize run (3 sizes x 2 variants, binary in and out) against a zero-latency emulator.
 */
import type { Bench } from '../common';
import { binaryItem, expectImages, expectNoError, median, round, runSmartResize } from '../common';
import type { Row } from '../report';

const RUNS = 10;

export async function engineOverheadScenario(bench: Bench) {
	const { control } = bench.emulator;
	await bench.reset();
	await control.configure({ queueMs: 0, processingMs: 0 });
	const parameters = {
		sizePresets: ['instagramPost', 'instagramStory', 'facebookLink'],
		variantsPerSize: 2,
		options: { pollIntervalSeconds: 0.1 },
	};
	// Warm-up: module loading, and the emulator's render cache from here on.
	await runSmartResize(bench, parameters, [binaryItem()]);
	const times: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const result = await runSmartResize(bench, parameters, [binaryItem()]);
		expectNoError('engine overhead', result);
		expectImages('engine overhead', result.items, 6);
		times.push(result.ms);
	}
	const rows: Row[] = [
		{
			scenario: 'engine overhead, 1 item x 6 images',
			figure: `median run: ${round(median(times), 0)} ms (Poll Interval 0.1 s, instant jobs)`,
		},
	];
	return {
		rows,
		figures: {
			runs: RUNS,
			imagesPerRun: 6,
			medianMs: round(median(times)),
			minMs: round(Math.min(...times)),
			maxMs: round(Math.max(...times)),
		},
	};
}
