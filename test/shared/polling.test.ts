/**
 * Waiting for a job (nodes/shared/polling.ts), driven through Smart Resize: the terminal statuses
 * (Segmind's FAILED, Pixazo's FAILED and ERROR), expiry (404), the maximum wait, and Get Result.
 */
import {
	FAST_POLLING,
	imageOf,
	pixazoCredentials,
	pixazoResize,
	requestsTo,
	runNode,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);
const resizeWithPixazo = (parameters?: Record<string, unknown>) =>
	pixazoResize(env.emulator, parameters);
const modelRequests = (pathPrefix: string) => requestsTo(env.emulator, pathPrefix);

describe('a job that ends badly', () => {
	test('a FAILED job (HTTP 422) is a job failure with the provider reason', async () => {
		await env.emulator.control.failNextJobs({
			times: 1,
			kind: 'fail',
			reason: 'Content flagged by safety filter',
		});
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(
			/^Content flagged by safety filter: Segmind could not process the job/,
		);
		expect(error?.description).toMatch(/safety/);
	});

	test('a magic prompt value reaches the FAILED fault from a plain workflow', async () => {
		const { error } = await runNode(
			'smartResize',
			resize({ options: { prompt: 'emulate:fail' } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/could not process the job/);
	});

	test.each([
		[
			'FAILED',
			'fail',
			/^Prompt rejected: Pixazo could not process the job for "product"/,
			/failed at the provider/,
		],
		['ERROR', 'error', /system error on the job/, /not charged/],
	] as const)('a %s job is reported with what to do', async (_, kind, message, description) => {
		await env.emulator.control.failNextJobs({ times: 1, kind, reason: 'prompt rejected' });
		const { error } = await runNode(
			'pixazoSmartResize',
			resizeWithPixazo(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
	});
});

describe('expiry and the maximum wait', () => {
	test('an expired request id gives a clear 404 error from Get Result', async () => {
		await env.emulator.control.configure({ resultTtlMs: 200 });
		const submitted = await runNode(
			'smartResize',
			resize({ waitForCompletion: false }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		const { error } = await runNode(
			'smartResize',
			{
				operation: 'getResult',
				requestId: submitted.items[0].json.requestId,
				options: FAST_POLLING,
			},
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/^Job expired or unknown: Segmind no longer knows the job/);
		expect(error?.description).toMatch(/1 hour/);
	});

	test('a job that never finishes ends in a timeout naming the request id', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'stuck' });
		const { error } = await runNode(
			'smartResize',
			resize({ options: { maxWaitSeconds: 1, pollIntervalSeconds: 0.2 } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		const [job] = await env.emulator.control.jobs();
		expect(error?.message).toContain(`gave up waiting for the Segmind job`);
		expect(error?.description).toMatch(/Get Result/);
		expect(error?.description).toMatch(new RegExp(`Request ID: ${job.id}\\.[^]*$`));
	});
});

describe('Get Result', () => {
	test('submit only, then Get Result fetches the finished job', async () => {
		const submitted = await runNode(
			'smartResize',
			resize({ waitForCompletion: false }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(submitted.items).toHaveLength(1);
		const { requestId, status } = submitted.items[0].json;
		expect(status).toBe('QUEUED');
		expect(submitted.items[0].binary).toBeUndefined();

		const fetched = await runNode(
			'smartResize',
			{
				operation: 'getResult',
				requestId: '={{ $json.requestId }}',
				fileNamePrefix: 'campaign',
				output: 'binary',
				options: FAST_POLLING,
			},
			[{ json: { requestId } }],
			segmindCredentials(env.emulator),
		);
		expect(fetched.error).toBeUndefined();
		expect(fetched.items).toHaveLength(6);
		expect(fetched.items[0].json.requestId).toBe(requestId);
		expect(fetched.items[0].json.fileName).toBe('campaign_1080x1080_1.png');
		const image = await imageOf(fetched.items[4]);
		expect([image.width, image.height]).toEqual([300, 250]);
		// One submit in all: Get Result never re-submits.
		expect(await modelRequests('/v2/smart-banner-resizer')).toHaveLength(1);
	});

	test('Get Result can report a running job instead of waiting', async () => {
		await env.emulator.control.configure({ processingMs: 5000 });
		const submitted = await runNode(
			'smartResize',
			resize({ waitForCompletion: false }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		const fetched = await runNode(
			'smartResize',
			{
				operation: 'getResult',
				requestId: submitted.items[0].json.requestId,
				ifStillRunning: 'returnStatus',
				options: FAST_POLLING,
			},
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(fetched.items).toHaveLength(1);
		expect(fetched.items[0].json.status).toMatch(/QUEUED|PROCESSING/);
		expect(fetched.items[0].binary).toBeUndefined();
	});

	test('submit, then Get Result with the Pixazo credential', async () => {
		const submitted = await runNode(
			'pixazoSmartResize',
			resizeWithPixazo({ waitForCompletion: false }),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		const fetched = await runNode(
			'pixazoSmartResize',
			{
				operation: 'getResult',
				requestId: submitted.items[0].json.requestId,
				options: FAST_POLLING,
			},
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(fetched.error).toBeUndefined();
		expect(fetched.items).toHaveLength(6);
	});
});
