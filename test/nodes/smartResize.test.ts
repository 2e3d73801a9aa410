import sharp from 'sharp';

import { TEST_KEYS } from '../../emulator';
import {
	FAST_POLLING,
	imageOf,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	startNode,
	useEmulator,
} from '../helpers';

const env = useEmulator();

function sampleUrl(): string {
	return `${env.emulator.mediaUrl}/samples/product.png`;
}

function resize(parameters: Record<string, unknown> = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(),
		sizePresets: ['instagramPost', 'instagramStory'],
		customSizes: '300x250',
		variantsPerSize: 2,
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

async function modelRequests(path: string) {
	return (await env.emulator.control.requests()).filter((request) => request.path.startsWith(path));
}

describe('Smart Resize (Segmind) through the n8n engine', () => {
	test('makes every size and variant as real images of the right pixel size and format', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(6);

		const expected = ['1080x1080', '1080x1080', '1080x1920', '1080x1920', '300x250', '300x250'];
		for (const [index, item] of items.entries()) {
			const image = await imageOf(item);
			const [width, height] = expected[index].split('x').map(Number);
			expect({ width: image.width, height: image.height, format: image.format }).toEqual({
				width,
				height,
				format: 'png',
			});
			expect(item.json).toMatchObject({
				provider: 'segmind',
				model: 'smart-banner-resizer',
				size: expected[index],
				width,
				height,
				variant: (index % 2) + 1,
				format: 'png',
				sourceUrl: sampleUrl(),
				status: 'COMPLETED',
			});
			expect(item.json.requestId).toEqual(expect.any(String));
			expect(item.json.remainingCredits).toEqual(expect.any(Number));
			expect(item.json.jobCost).toEqual(expect.any(Number));
			expect(item.json.fileName).toBe(`product_${expected[index]}_${(index % 2) + 1}.png`);
			expect(item.binary?.data.mimeType).toBe('image/png');
			expect(item.pairedItem).toEqual({ item: 0 });
		}

		// The two variants of one size are different recompositions, not copies.
		const [first, second] = await Promise.all([imageOf(items[0]), imageOf(items[1])]);
		const [a, b] = await Promise.all(
			[first.data, second.data].map((data) => sharp(data).raw().toBuffer()),
		);
		let differing = 0;
		for (let index = 0; index < a.length; index++)
			if (Math.abs(a[index] - b[index]) > 24) differing++;
		expect(differing / a.length).toBeGreaterThan(0.05);
	});

	test('uploads a binary input stored on disk (filesystem mode) and names outputs after it', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({
				inputSource: 'binary',
				binaryPropertyName: 'data',
				sizePresets: ['iabLeaderboard'],
				customSizes: '',
				variantsPerSize: 1,
			}),
			[sampleBinaryItem('Spring Sale.png')],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const image = await imageOf(items[0]);
		expect([image.width, image.height]).toEqual([728, 90]);
		expect(image.binary.id).toMatch(/^filesystem/);
		expect(items[0].json.fileName).toBe('Spring-Sale_728x90_1.png');
		expect(await modelRequests('/upload-asset')).toHaveLength(1);
		const [submit] = await modelRequests('/v2/smart-banner-resizer');
		expect(submit).toBeDefined();
	});

	test.each([
		['jpeg', 'jpeg', 'image/jpeg', 'jpg'],
		['webp', 'webp', 'image/webp', 'webp'],
	])(
		'writes %s output with the right format, mime type and extension',
		async (outputFormat, format, mimeType, extension) => {
			const { items } = await runNode(
				'smartResize',
				resize({
					sizePresets: [],
					customSizes: '640x480',
					variantsPerSize: 1,
					options: { outputFormat },
				}),
				[{ json: {} }],
				segmindCredentials(env.emulator),
			);
			const image = await imageOf(items[0]);
			expect(image.format).toBe(format);
			expect(image.binary.mimeType).toBe(mimeType);
			expect(items[0].json.fileName).toBe(`product_640x480_1.${extension}`);
		},
	);

	test('runs several items at once and keeps their outputs in input order', async () => {
		await env.emulator.control.configure({ processingMs: 400 });
		const sizes = ['640x480', '480x640', '500x500', '800x200'];
		const { items, error } = await runNode(
			'smartResize',
			resize({
				sizePresets: [],
				customSizes: '={{ $json.size }}',
				variantsPerSize: 1,
				options: { parallelJobs: 3 },
			}),
			sizes.map((size) => ({ json: { size } })),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.size)).toEqual(sizes);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const jobs = (await env.emulator.control.jobs()).sort((a, b) =>
			a.createdAt.localeCompare(b.createdAt),
		);
		expect(jobs).toHaveLength(4);
		// The second and third jobs were submitted while the first was still running.
		expect(jobs[2].createdAt < jobs[0].completedAt!).toBe(true);
	});

	test('with Parallel Jobs at 1, items run one after another', async () => {
		const { items } = await runNode(
			'smartResize',
			resize({
				sizePresets: [],
				customSizes: '640x480',
				variantsPerSize: 1,
				options: { parallelJobs: 1 },
			}),
			[{ json: {} }, { json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(items).toHaveLength(2);
		const [first, second] = (await env.emulator.control.jobs()).sort((a, b) =>
			a.createdAt.localeCompare(b.createdAt),
		);
		expect(second.createdAt >= first.completedAt!).toBe(true);
	});

	test('makes the smallest IAB banner, 320x50', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({ sizePresets: ['iabMobileBanner'], customSizes: '', variantsPerSize: 1 }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		const image = await imageOf(items[0]);
		expect([image.width, image.height]).toEqual([320, 50]);
	});

	test('returns only URLs when asked, without downloading anything', async () => {
		const { items } = await runNode(
			'smartResize',
			resize({ output: 'urls' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(items).toHaveLength(6);
		expect(items[0].binary).toBeUndefined();
		expect(String(items[0].json.url)).toContain(env.emulator.mediaUrl);
		const mediaDownloads = (await env.emulator.control.requests()).filter(
			(request) => request.origin === 'media' && request.path.startsWith('/media/'),
		);
		expect(mediaDownloads).toHaveLength(0);
	});

	test('never sends the API key to the media origin', async () => {
		await runNode(
			'smartResize',
			resize({ inputSource: 'binary' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		const log = await env.emulator.control.requests();
		const media = log.filter((request) => request.origin === 'media');
		expect(media.length).toBeGreaterThanOrEqual(6);
		expect(media.filter((request) => request.receivedApiKey)).toEqual([]);
		expect(
			log
				.filter((request) => request.origin === 'segmind')
				.every((request) => request.receivedApiKey),
		).toBe(true);
	});

	test('status and result links on another host are not followed with the key', async () => {
		const first = await runNode(
			'smartResize',
			resize({ waitForCompletion: false, variantsPerSize: 1 }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		const requestId = first.items[0].json.requestId as string;
		const elsewhere = `${env.emulator.mediaUrl}/collect`;
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: {
				type: 'status',
				status: 200,
				body: {
					request_id: requestId,
					status: 'QUEUED',
					status_url: elsewhere,
					response_url: elsewhere,
				},
			},
		});
		const { items, error } = await runNode(
			'smartResize',
			resize({ variantsPerSize: 1 }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const log = await env.emulator.control.requests();
		expect(log.filter((entry) => entry.path.startsWith('/collect'))).toEqual([]);
		expect(log.filter((entry) => entry.origin === 'media' && entry.receivedApiKey)).toEqual([]);
	});

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
});

describe('Smart Resize validation', () => {
	test.each([
		['no sizes at all', { sizePresets: [], customSizes: '' }, '"Preset Sizes" and "Custom Sizes"'],
		['a malformed custom size', { customSizes: '1080 by 1080' }, 'Custom Sizes'],
		['a side below the minimum', { customSizes: '8x600' }, 'Custom Sizes'],
		[
			'more than 10 sizes',
			{ customSizes: '100x100,200x200,300x300,400x400,500x500,600x600,700x700,800x800,900x900' },
			'"Preset Sizes" and "Custom Sizes"',
		],
		['too many variants', { variantsPerSize: 5 }, 'Variants per Size'],
		['a prompt over 5000 characters', { options: { prompt: 'x'.repeat(5001) } }, 'Prompt'],
		['an unknown output format', { options: { outputFormat: 'gif' } }, 'Output Format'],
		['an unknown resolution', { options: { resolution: '8K' } }, 'Resolution'],
		['a safety tolerance out of range', { options: { safetyTolerance: 7 } }, 'Safety Tolerance'],
		['a fractional seed', { options: { seed: 1.5 } }, 'Seed'],
		['a non-http image URL', { imageUrl: 'ftp://example.com/a.png' }, 'Image URL'],
		[
			'a missing binary field',
			{ inputSource: 'binary', binaryPropertyName: 'photo' },
			'Input Binary Field',
		],
	])('refuses %s before any request', async (_, parameters, field) => {
		const { error } = await runNode(
			'smartResize',
			resize(parameters),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(field);
		expect(error?.message).toMatch(/Allowed|binary field|http/);
		expect(await env.emulator.control.requests()).toEqual([]);
	});

	test('a bad value in the last item stops the run before the first item is billed', async () => {
		const { error } = await runNode(
			'smartResize',
			resize({ customSizes: '={{ $json.size }}', sizePresets: [] }),
			[{ json: { size: '640x480' } }, { json: { size: 'huge' } }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain('Custom Sizes');
		expect(await env.emulator.control.requests()).toEqual([]);
	});

	test('with Continue On Fail, bad items become error items and good ones still run', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({ customSizes: '={{ $json.size }}', sizePresets: [], variantsPerSize: 1 }),
			[{ json: { size: 'huge' } }, { json: { size: '640x480' } }],
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toContain('Custom Sizes');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.size).toBe('640x480');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('Smart Resize provider failures', () => {
	test.each([
		[
			'an invalid key',
			TEST_KEYS.segmind.valid + '-wrong',
			/rejected the API key/,
			/Check the API key/,
		],
		['a forbidden key', TEST_KEYS.segmind.forbidden, /refused access/, /permissions/],
		['a key without credits', TEST_KEYS.segmind.noCredits, /Out of Segmind credits/, /Top up/],
	])('maps %s to an actionable error', async (_, apiKey, message, description) => {
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator, apiKey),
		);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
		expect(JSON.stringify(error)).not.toContain(apiKey);
	});

	test('a 429 is reported as a rate limit when retries are off', async () => {
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: { type: 'status', status: 429 },
			times: 5,
		});
		const { error } = await runNode(
			'smartResize',
			resize({ options: { retryRateLimited: false } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/Rate limited by Segmind/);
		expect(error?.description).toMatch(/Slow down/);
	});

	test('a 429 is waited out and the submit retried', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 1000 });
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: { type: 'status', status: 429 },
			times: 1,
		});
		const { items, error } = await runNode(
			'smartResize',
			resize({ variantsPerSize: 1 }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect((await env.emulator.control.jobs()).length).toBe(1);
	});

	test('the per-key rate limit of a free plan is respected with its reset header', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 1500 });
		const freePlanKey = 'free-plan-with-credits';
		await env.emulator.control.addKey({
			key: freePlanKey,
			provider: 'segmind',
			credits: 100,
			rateLimitPerMinute: 5,
		});
		const { items, error } = await runNode(
			'smartResize',
			resize({ sizePresets: [], customSizes: '320x100', variantsPerSize: 1 }),
			Array.from({ length: 7 }, () => ({ json: {} })),
			segmindCredentials(env.emulator, freePlanKey),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(7);
		const refused = (await env.emulator.control.requests()).filter(
			(request) => request.status === 429,
		);
		expect(refused.length).toBeGreaterThan(0);
	});

	test.each([
		[
			'a plain-text 406',
			{
				type: 'status',
				status: 406,
				body: 'Not Acceptable: insufficient balance',
				contentType: 'text/plain',
			},
			/Out of Segmind credits: Not Acceptable: insufficient balance/,
		],
		[
			'an HTML 405 page',
			{
				type: 'status',
				status: 405,
				body: '<html><head><title>405</title><style>p{}</style></head><body><h1>405 Not Allowed</h1></body></html>',
				contentType: 'text/html',
			},
			/Segmind answered HTTP 405: 405 405 Not Allowed/,
		],
		[
			'a 404 for the model',
			{ type: 'status', status: 404, body: { error: 'Model not found' } },
			/did not find the endpoint: Model not found/,
		],
		[
			'a 410 for a retired model',
			{ type: 'status', status: 410, body: { error: 'Model retired' } },
			/retired this model/,
		],
	])('reads the provider text out of %s', async (_, fault, message) => {
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: fault as never,
		});
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(message);
	});

	test('a 500 on submit is not retried, since the job may exist and would be billed twice', async () => {
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: { type: 'status', status: 500 },
			times: 3,
		});
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/Segmind had a server problem \(HTTP 500\)/);
		expect(error?.description).toMatch(/Get Result/);
		expect(await modelRequests('/v2/smart-banner-resizer')).toHaveLength(1);
	});

	test('a dropped connection on submit is reported, not retried', async () => {
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'POST',
			pathPrefix: '/v2/',
			fault: { type: 'drop' },
		});
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/could not be reached|did not answer/);
		expect(error?.description).toMatch(/billed twice/);
		expect(await modelRequests('/v2/smart-banner-resizer')).toHaveLength(1);
	});

	test.each([
		['a 502', { type: 'status', status: 502 }],
		['a dropped connection', { type: 'drop' }],
		['malformed JSON', { type: 'malformed' }],
	])('%s while polling is retried and the job still completes', async (_, fault) => {
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'GET',
			pathPrefix: '/v2/requests/',
			fault: fault as never,
			times: 2,
		});
		const { items, error } = await runNode(
			'smartResize',
			resize({ variantsPerSize: 1 }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
	});

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
		expect(error?.message).toMatch(/could not process job .+: Content flagged by safety filter/);
		expect(error?.description).toMatch(/safety/);
	});

	test('n8n\'s "Custom API Call" operation gets a clear error', async () => {
		const { error } = await runNode(
			'smartResize',
			resize({ operation: '__CUSTOM_API_CALL__' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toBe(
			'Invalid "Operation": "__CUSTOM_API_CALL__". Allowed: resize, getResult',
		);
		expect(error?.description).toMatch(/HTTP Request node/);
		expect(await env.emulator.control.requests()).toEqual([]);
	});

	test('a FAILED job under Continue On Fail becomes an error item paired to its input', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'fail', reason: 'bad input' });
		const { items, error } = await runNode(
			'smartResize',
			resize({ variantsPerSize: 1 }),
			[{ json: { n: 1 } }, { json: { n: 2 } }],
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/bad input/);
		expect(items[0].json.requestId).toEqual(
			(await env.emulator.control.jobs()).find((job) => job.status === 'FAILED')?.id,
		);
		expect(items[0].json.httpCode).toBeUndefined();
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items.slice(1)).toHaveLength(3);
		expect(items.slice(1).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(
			true,
		);
	});

	test('a magic prompt value reaches the FAILED fault from a plain workflow', async () => {
		const { error } = await runNode(
			'smartResize',
			resize({ options: { prompt: 'emulate:fail' } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/could not process job/);
	});

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
		expect(error?.message).toMatch(/no longer knows job .+ expired/);
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
		expect(error?.message).toContain(`Gave up waiting for Segmind job ${job.id}`);
		expect(error?.description).toMatch(/Get Result/);
	});

	test('cancelling the execution stops polling within about a second', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'stuck' });
		const running = startNode(
			'smartResize',
			resize({ options: { pollIntervalSeconds: 0.2 } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await modelRequests('/v2/requests/')).length).toBeGreaterThan(2);
		running.cancel();
		await running.done.catch(() => undefined);
		// A second of grace, then the node must have stopped polling for good.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const pollsAfterGrace = (await modelRequests('/v2/requests/')).length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await modelRequests('/v2/requests/')).length).toBe(pollsAfterGrace);
	});
});
