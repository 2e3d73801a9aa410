/**
 * Polling: one job each of 2, 10, 30 and 120 s (emulate:latency through the Prompt option, an
 * expression), four items in one node run at the default options. For each job: the status requests
 * it cost (status and result reads of its request id), what a fixed 1 s poll would cost, and how
 * long after the job completed its first status read saw it COMPLETED.
 */
import type { Bench } from '../common';
import {
	expectImages,
	expectNoError,
	isResultRead,
	isStatusRead,
	round,
	runSmartResize,
} from '../common';
import type { Row } from '../report';
import { seconds, times } from '../report';

const JOB_SECONDS = [2, 10, 30, 120];

export async function pollingScenario(bench: Bench) {
	const { control, mediaUrl } = bench.emulator;
	await bench.reset();
	await control.configure({ queueMs: 0, processingMs: 0 });
	const run = await runSmartResize(
		bench,
		{
			inputSource: 'url',
			imageUrl: `${mediaUrl}/samples/product.png`,
			sizePresets: ['instagramPost'],
			variantsPerSize: 1,
			options: { prompt: '={{ $json.prompt }}' },
		},
		JOB_SECONDS.map((seconds) => ({ json: { prompt: `emulate:latency=${seconds * 1000}` } })),
	);
	expectNoError('polling', run);
	expectImages('polling', run.items, JOB_SECONDS.length);

	const log = await control.requests({ origin: 'segmind' });
	// The jobs, shortest first, are the items in order: each took its emulate:latency.
	const jobs = (await control.jobs())
		.map((job) => ({
			id: job.id,
			createdAt: Date.parse(job.createdAt),
			completedAt: job.completedAt ? Date.parse(job.completedAt) : NaN,
		}))
		.sort((a, b) => a.completedAt - a.createdAt - (b.completedAt - b.createdAt));
	if (jobs.length !== JOB_SECONDS.length) throw new Error(`polling: ${jobs.length} jobs`);

	const rows: Row[] = [];
	const perJob: Record<string, unknown>[] = [];
	JOB_SECONDS.forEach((jobSeconds, index) => {
		const job = jobs[index];
		const ofJob = log.filter((entry) => entry.path.startsWith(`/v2/requests/${job.id}`));
		const statusReads = ofJob.filter(isStatusRead);
		const resultReads = ofJob.filter(isResultRead);
		const made = statusReads.length + resultReads.length;
		const fixed = Math.ceil(jobSeconds);
		const sawCompleted = statusReads
			.map((entry) => Date.parse(entry.time))
			.filter((time) => time >= job.completedAt)
			.sort((a, b) => a - b)[0];
		const delay = sawCompleted - job.completedAt;
		const allowed = Math.max(500, jobSeconds * 100);
		const scenario = `polling, ${jobSeconds} s job`;
		rows.push(
			{
				scenario,
				figure: `status requests: ${made}`,
				baseline: `fixed 1 s poll: ${fixed}`,
				ratio: times(made / fixed),
				...(jobSeconds >= 10 ? { target: '<= 0.5x', met: made / fixed <= 0.5 } : {}),
			},
			{
				scenario,
				figure: `detection delay: ${seconds(delay)}`,
				baseline: `max(0.5 s, 10%): ${seconds(allowed)}`,
				ratio: times(delay / allowed),
				target: '<= 1x',
				met: delay <= allowed,
			},
		);
		perJob.push({
			jobSeconds,
			requestId: job.id,
			measuredJobMs: job.completedAt - job.createdAt,
			statusReads: statusReads.length,
			resultReads: resultReads.length,
			fixedOneSecondPoll: fixed,
			detectionDelayMs: delay,
			allowedDelayMs: allowed,
			statusReadAgesMs: statusReads.map((entry) => Date.parse(entry.time) - job.createdAt),
		});
	});
	return { rows, figures: { wallMs: round(run.ms), jobs: perJob } };
}
