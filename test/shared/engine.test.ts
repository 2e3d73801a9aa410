/**
 * The job engine (nodes/shared/execute.ts with the run's request budget): every item's job in
 * flight at once, outputs in input order, one pace for all requests, the first failure stopping
 * the run, a request id on every error after a submit, and Return Pending. Counts and order only:
 * timings are the benchmark's business (npm run bench).
 */
import {
	FAST_POLLING,
	requestsTo,
	runNode,
	segmindCredentials,
	segmindResize,
	startNode,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);
const oneImage = { sizePresets: [], customSizes: '320x100', variantsPerSize: 1 };
const nodeRequests = async () => (await env.emulator.control.requests()).length;
const items = (count: number, json: (index: number) => Record<string, unknown> = () => ({})) =>
	Array.from({ length: count }, (_, index) => ({ json: { index, ...json(index) } }));

/** A small seeded generator, so "random" completion orders are the same on every run. */
function seeded(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

describe('every item in flight at once', () => {
	test('20 items are all submitted before the first job finishes', async () => {
		await env.emulator.control.configure({ processingMs: 1500 });
		const { items: output, error } = await runNode(
			'smartResize',
			resize(oneImage),
			items(20),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(20);
		const jobs = await env.emulator.control.jobs();
		expect(jobs).toHaveLength(20);
		const lastSubmit = Math.max(...jobs.map((job) => Date.parse(job.createdAt)));
		const firstDone = Math.min(...jobs.map((job) => Date.parse(job.completedAt!)));
		expect(lastSubmit).toBeLessThan(firstDone);
	});

	test('50 items finishing in random order come out in input order, each paired with its input', async () => {
		const random = seeded(7);
		const latencies = Array.from({ length: 50 }, () => 50 + Math.floor(random() * 900));
		const { items: output, error } = await runNode(
			'smartResize',
			resize({ ...oneImage, options: { ...FAST_POLLING, prompt: '={{ $json.prompt }}' } }),
			items(50, (index) => ({ prompt: `emulate:latency=${latencies[index]}` })),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(50);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 50 }, (_, index) => ({ item: index })),
		);
		// Each output's job is the one its own input submitted, and the jobs did finish out of order.
		const jobs = await env.emulator.control.jobs();
		const byId = new Map(jobs.map((job) => [job.id, job]));
		const finishOrder = [...jobs]
			.sort((a, b) => Date.parse(a.completedAt!) - Date.parse(b.completedAt!))
			.map((job) => output.findIndex((item) => item.json.requestId === job.id));
		expect(finishOrder).not.toEqual([...finishOrder].sort((a, b) => a - b));
		expect(new Set(output.map((item) => item.json.requestId)).size).toBe(50);
		for (const item of output) expect(byId.has(item.json.requestId as string)).toBe(true);
	});

	test('Max Jobs Running at Once (stored as Parallel Jobs by earlier versions) caps the jobs running at once', async () => {
		await env.emulator.control.configure({ processingMs: 300 });
		const { items: output, error } = await runNode(
			'smartResize',
			resize({ ...oneImage, options: { ...FAST_POLLING, parallelJobs: 2 } }),
			items(6),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(6);
		const jobs = await env.emulator.control.jobs();
		for (const job of jobs) {
			const start = Date.parse(job.createdAt);
			const running = jobs.filter(
				(other) => Date.parse(other.createdAt) <= start && Date.parse(other.completedAt!) > start,
			);
			expect(running.length).toBeLessThanOrEqual(2);
		}
	});
});

describe('one pace for the whole run', () => {
	test('429s on submit pause the run and are retried, with no job submitted twice', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 1000 });
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: { type: 'status', status: 429 },
			times: 3,
		});
		const { items: output, error } = await runNode(
			'smartResize',
			resize(oneImage),
			items(8),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(8);
		expect(await env.emulator.control.jobs()).toHaveLength(8);
		const refused = (await requestsTo(env.emulator, '/v2/smart-banner-resizer')).filter(
			(request) => request.status === 429,
		);
		expect(refused).toHaveLength(3);
	});

	test('a plan limit of 5 requests per window: 12 items all delivered, none failed', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 1000, rateLimitCountsPolls: true });
		await env.emulator.control.addKey({
			key: 'tight-plan',
			provider: 'segmind',
			credits: 100,
			rateLimitPerMinute: 5,
		});
		const { items: output, error } = await runNode(
			'smartResize',
			resize(oneImage),
			items(12),
			segmindCredentials(env.emulator, 'tight-plan'),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(12);
		expect(output.every((item) => item.binary?.data)).toBe(true);
		expect(await env.emulator.control.jobs()).toHaveLength(12);
	});

	test('a rate limit that outlasts Max Wait fails the item as rate limited, naming the job', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 60_000 });
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'GET',
			pathPrefix: '/v2/requests/',
			fault: { type: 'status', status: 429 },
			times: 1,
		});
		const { items: output } = await runNode(
			'smartResize',
			resize({ ...oneImage, options: { ...FAST_POLLING, maxWaitSeconds: 3 } }),
			items(1),
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		const [job] = await env.emulator.control.jobs();
		expect(output[0].json.error).toMatch(/^Rate limited by Segmind/);
		expect(output[0].json.description).toMatch(/after this item's Max Wait/);
		expect(output[0].json.requestId).toBe(job.id);
	});
});

describe('the first failure stops the run (without Continue On Fail)', () => {
	test('no new submit after it, and no request once the run has stopped', async () => {
		// Item 0 fails fast; the others would take two seconds, so the failure comes first.
		const prompts = (index: number) => ({
			prompt: index === 0 ? 'emulate:fail' : 'emulate:latency=2000',
		});
		const { error } = await runNode(
			'smartResize',
			resize({
				...oneImage,
				options: { ...FAST_POLLING, parallelJobs: 2, prompt: '={{ $json.prompt }}' },
			}),
			items(6, prompts),
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/could not process the job/);
		expect(await env.emulator.control.jobs()).toHaveLength(2);
		const settled = await nodeRequests();
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(await nodeRequests()).toBe(settled);
	});
});

describe('every error after a submit names its request id', () => {
	const cases: Array<[string, () => Promise<void>, Record<string, unknown>, RegExp]> = [
		[
			'status reads that keep failing',
			() =>
				env.emulator.control.injectFault({
					origin: 'segmind',
					method: 'GET',
					pathPrefix: '/v2/requests/',
					fault: { type: 'status', status: 503 },
					times: 50,
				}),
			{},
			/server problem/,
		],
		[
			'a download that fails',
			() =>
				env.emulator.control.injectFault({
					origin: 'media',
					pathPrefix: '/media/',
					fault: { type: 'status', status: 404 },
					times: 50,
				}),
			{},
			/Could not download/,
		],
		[
			'a result over the download limit',
			async () => undefined,
			{ customSizes: '4000x4000', options: { ...FAST_POLLING, downloadLimitMb: 1 } },
			/larger than the 1 MB download limit/,
		],
		[
			'a job that expires while it is polled',
			() => env.emulator.control.failNextJobs({ times: 1, kind: 'expire' }),
			{},
			/no longer knows the job/,
		],
		[
			'a job that outlasts Max Wait',
			() => env.emulator.control.failNextJobs({ times: 1, kind: 'stuck' }),
			{ options: { ...FAST_POLLING, maxWaitSeconds: 1 } },
			/gave up waiting/,
		],
	];

	test.each(cases)('%s', async (_, fault, parameters, message) => {
		await fault();
		const { items: output } = await runNode(
			'smartResize',
			resize({ ...oneImage, ...parameters }),
			items(1),
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		const [job] = await env.emulator.control.jobs();
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toMatch(message);
		expect(output[0].json.requestId).toBe(job.id);
		expect(`${output[0].json.error} ${output[0].json.description}`).toContain(job.id);
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('On Timeout: Return Pending', () => {
	test('a job still running at Max Wait comes out as pending, ready for Get Result', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'stuck' });
		const { items: output, error } = await runNode(
			'smartResize',
			resize({
				...oneImage,
				options: { ...FAST_POLLING, maxWaitSeconds: 1, onTimeout: 'returnPending' },
			}),
			items(2),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		const [stuck] = await env.emulator.control.jobs();
		const pending = output.find((item) => item.json.timedOut === true);
		expect(pending?.json).toMatchObject({
			requestId: stuck.id,
			status: expect.stringMatching(/QUEUED|PROCESSING/),
			timedOut: true,
		});
		expect(pending?.binary).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('cancelling a batch', () => {
	test('no request starts after the cancel', async () => {
		await env.emulator.control.configure({ processingMs: 5000 });
		const running = startNode(
			'smartResize',
			resize(oneImage),
			items(10),
			segmindCredentials(env.emulator),
		);
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(await env.emulator.control.jobs()).toHaveLength(10);
		running.cancel();
		await running.done.catch(() => undefined);
		// A request already on the wire at the cancel may still land; give it a moment.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const afterCancel = await nodeRequests();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await nodeRequests()).toBe(afterCancel);
	});
});
