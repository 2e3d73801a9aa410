/**
 * Stray 429s: 50 items x 1 size, 3 s jobs, against a key with no real limit, once clean and once
 * with ten 429s on status reads, each naming a reset 1 s away. The run must pause for them, but
 * what it learns from a stray 429 must not slow the rest of the batch: the pace it resumes at is
 * what the provider accepted, and it grows again once a window passes without a 429.
 */
import type { Bench } from '../common';
import { expectImages, expectNoError, isStatusRead, round, runSmartResize } from '../common';
import type { Row } from '../report';
import { seconds, times } from '../report';

const ITEMS = 50;
const STRAY_429S = 10;
const RESET_MS = 1000;
const JOB_MS = 3000;

export async function strayRateLimitsScenario(bench: Bench) {
	const { control, mediaUrl } = bench.emulator;
	const runBatch = async (stray: number) => {
		await bench.reset();
		await control.configure({ queueMs: 0, processingMs: JOB_MS, rateLimitWindowMs: RESET_MS });
		if (stray > 0) {
			await control.injectFault({
				origin: 'segmind',
				method: 'GET',
				pathPrefix: '/v2/requests/',
				fault: { type: 'status', status: 429 },
				times: stray,
			});
		}
		const run = await runSmartResize(
			bench,
			{
				inputSource: 'url',
				imageUrl: `${mediaUrl}/samples/product.png`,
				sizePresets: ['instagramPost'],
				variantsPerSize: 1,
				options: {},
			},
			Array.from({ length: ITEMS }, (_, index) => ({ json: { index } })),
		);
		expectNoError(`stray 429s (${stray})`, run);
		expectImages(`stray 429s (${stray})`, run.items, ITEMS);
		const log = (await control.requests()).filter((entry) => entry.origin === 'segmind');
		return {
			ms: run.ms,
			refused: log.filter((entry) => entry.status === 429).length,
			statusReads: log.filter(isStatusRead).length,
		};
	};
	const clean = await runBatch(0);
	const stray = await runBatch(STRAY_429S);
	const scenario = `stray 429s, ${ITEMS}x1, 3 s jobs`;
	const rows: Row[] = [
		{
			scenario,
			figure: `${stray.refused} x 429 (reset ${RESET_MS / 1000} s): ${seconds(stray.ms)}`,
			baseline: `no 429: ${seconds(clean.ms)}`,
			ratio: times(stray.ms / clean.ms),
		},
	];
	return {
		rows,
		figures: {
			items: ITEMS,
			resetMs: RESET_MS,
			clean: { wallMs: round(clean.ms), statusReads: clean.statusReads },
			stray: { wallMs: round(stray.ms), refused: stray.refused, statusReads: stray.statusReads },
		},
	};
}
