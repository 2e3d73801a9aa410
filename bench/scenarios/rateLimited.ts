/**
 * Rate-limited batch: 100 items x 1 size against a key allowed 50 requests per window, the window
 * time-scaled to 6 s ("50 a minute" at 10x speed). Run with polls not counting against the limit,
 * then counting. The node runs at its defaults (no Requests per Minute), with Continue On Fail so a
 * failed item is counted rather than failing the run. The input is a URL, so that only submits (and
 * polls, when they count) meet the limit: uploads would count too.
 */
import type { RequestLogEntry } from '../../emulator';
import type { Bench } from '../common';
import {
	expectNoError,
	isResultRead,
	isStatusRead,
	isSubmit,
	median,
	round,
	runSmartResize,
} from '../common';
import type { Row } from '../report';
import { seconds, times } from '../report';

const ITEMS = 100;
const LIMIT = 50;
const WINDOW_MS = 6000;
const JOB_MS = 3000;
const KEY = 'emu-segmind-bench-limited-0050';

export async function rateLimitedScenario(bench: Bench) {
	const rows: Row[] = [];
	const figures: Record<string, unknown> = {
		items: ITEMS,
		limitPerWindow: LIMIT,
		windowMs: WINDOW_MS,
		timeScale: '10x: 50 per 6 s window stands for 50 per minute',
		configuredJobMs: JOB_MS,
	};
	for (const countsPolls of [false, true]) {
		const { control, mediaUrl } = bench.emulator;
		await bench.reset();
		await control.configure({
			queueMs: 0,
			processingMs: JOB_MS,
			rateLimitWindowMs: WINDOW_MS,
			rateLimitCountsPolls: countsPolls,
		});
		await control.addKey({
			key: KEY,
			provider: 'segmind',
			credits: 1_000_000,
			rateLimitPerMinute: LIMIT,
			id: 'segmind:limited',
		});
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
			{ apiKey: KEY, continueOnFail: true },
		);
		expectNoError('rate-limited batch', run);
		const failed = run.items.filter((item) => item.json.error !== undefined).length;
		const delivered = run.items.filter((item) => item.binary?.data).length;

		const log = (await control.requests()).filter((entry) => entry.origin === 'segmind');
		const jobs = await control.jobs();
		const jobMs = median(
			jobs
				.filter((job) => job.completedAt)
				.map((job) => Date.parse(job.completedAt!) - Date.parse(job.createdAt)),
		);
		const minimalRequests = countsPolls ? ITEMS * 3 : ITEMS;
		// The limit's bound: the requests a job needs, at the limit's rate (50 a window), plus one job.
		const bound = (minimalRequests / LIMIT) * WINDOW_MS + jobMs;
		// Tighter still, a client that bursts at each window's edge (a fixed-window limiter allows it).
		const edgeBound = (Math.ceil(minimalRequests / LIMIT) - 1) * WINDOW_MS + jobMs;
		const rateLimited = log.filter((entry) => entry.status === 429).length;
		const counts = {
			requests: log.length,
			submits: log.filter(isSubmit).length,
			statusReads: log.filter(isStatusRead).length,
			resultReads: log.filter(isResultRead).length,
			rateLimited,
		};
		const scenario = `rate-limited ${ITEMS}x1, ${LIMIT}/window, polls ${countsPolls ? 'count' : 'do not count'}`;
		rows.push(
			{
				scenario,
				figure: `failed items: ${failed} (${delivered} delivered)`,
				target: '0',
				met: failed === 0,
			},
			{
				scenario,
				figure: `wall time: ${seconds(run.ms)}`,
				baseline: `rate bound: ${seconds(bound)}`,
				ratio: times(run.ms / bound),
				target: '<= 1.1x',
				met: run.ms / bound <= 1.1,
			},
			{
				scenario,
				figure: `wall time: ${seconds(run.ms)}`,
				baseline: `window-edge bound: ${seconds(edgeBound)}`,
				ratio: times(run.ms / edgeBound),
			},
			{
				scenario,
				figure: `requests sent: ${counts.requests}, of which 429: ${rateLimited}`,
				baseline: `minimal: ${minimalRequests}`,
				ratio: times(counts.requests / minimalRequests),
			},
		);
		figures[countsPolls ? 'pollsCount' : 'pollsDoNotCount'] = {
			wallMs: round(run.ms),
			rateBoundMs: round(bound),
			windowEdgeBoundMs: round(edgeBound),
			jobMs: round(jobMs),
			minimalRequests,
			failed,
			delivered,
			...counts,
			perWindow: perWindow(log),
		};
	}
	return { rows, figures };
}

/**
 * What the run sent in each window-length slice from its first request, by kind: how it used its
 * limit. (The emulator's window starts at the first counted request, so the slices line up.)
 */
function perWindow(log: RequestLogEntry[]) {
	if (log.length === 0) return [];
	const start = Math.min(...log.map((entry) => Date.parse(entry.time)));
	const slices: Array<Record<'submits' | 'statusReads' | 'resultReads' | 'rateLimited', number>> =
		[];
	for (const entry of log) {
		const index = Math.floor((Date.parse(entry.time) - start) / WINDOW_MS);
		for (let fill = slices.length; fill <= index; fill++)
			slices.push({ submits: 0, statusReads: 0, resultReads: 0, rateLimited: 0 });
		const slice = slices[index];
		if (entry.status === 429) slice.rateLimited++;
		if (isSubmit(entry)) slice.submits++;
		if (isStatusRead(entry)) slice.statusReads++;
		if (isResultRead(entry)) slice.resultReads++;
	}
	return slices;
}
