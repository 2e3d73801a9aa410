/** The emulator's Pixazo smart-resize contract (seed 001, CONTRACTS.md). */
import sharp from 'sharp';

import { COSTS, startEmulator, TEST_KEYS, type Emulator } from '../../emulator';
import { call, pixazoHeaders, pollUntilDone, sampleUrl } from './testHelpers';

const KEY = TEST_KEYS.pixazo.valid;
const auth = pixazoHeaders(KEY);
let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ config: { queueMs: 20, processingMs: 30 } });
});
afterAll(() => emulator.close());
beforeEach(async () => {
	await emulator.control.reset();
	await emulator.control.configure({ queueMs: 20, processingMs: 30 });
});

const submitUrl = () => `${emulator.pixazoUrl}/smart-resize/v1/smart-resize-request`;
const body = (extra: Record<string, unknown> = {}) => ({
	image_url: sampleUrl(emulator),
	target_sizes: ['256x256', '320x180'],
	...extra,
});
const submit = (json: unknown, headers: Record<string, string> = auth) =>
	call(submitUrl(), { json, headers });

describe('authentication (API Management style)', () => {
	it('answers 401 {statusCode, message} without a key, with a bad key, and with a Segmind key', async () => {
		const missing = await submit(body(), {});
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({
			statusCode: 401,
			message: expect.stringMatching(/missing subscription key/),
		});
		for (const key of ['wrong-key-123456', TEST_KEYS.segmind.valid]) {
			const invalid = await submit(body(), pixazoHeaders(key));
			expect(invalid.status).toBe(401);
			expect(invalid.json).toEqual({
				statusCode: 401,
				message: expect.stringMatching(/invalid subscription key/),
			});
		}
		expect((await submit(body(), { 'x-api-key': KEY })).status).toBe(401);
	});
});

describe('submit and poll', () => {
	it('answers 202 {request_id: "smart-resize_<uuid>", status: QUEUED, polling_url}', async () => {
		const result = await submit(body());
		expect(result.status).toBe(202);
		expect(result.json).toEqual({
			request_id: expect.stringMatching(/^smart-resize_[0-9a-f-]{36}$/),
			status: 'QUEUED',
			polling_url: `${emulator.pixazoUrl}/v2/requests/status/${result.json.request_id}`,
		});
	});

	it('answers 200 when pixazoSubmitStatus is 200', async () => {
		await emulator.control.configure({ pixazoSubmitStatus: 200 });
		expect((await submit(body())).status).toBe(200);
	});

	it('completes with media_url files on the media origin, one per size and variant', async () => {
		await emulator.control.configure({ queueMs: 300 });
		const { json } = await submit(
			body({ num_images_per_size: 2, output_format: 'webp', safety_tolerance: '5', seed: 42 }),
		);
		const first = await call(json.polling_url, { headers: auth });
		expect(first.json).toMatchObject({
			request_id: json.request_id,
			status: 'QUEUED',
			model_id: 'smart-resize',
			error: null,
			output: null,
			completed_at: null,
		});
		const done = await pollUntilDone(json.polling_url, auth);
		expect(done.status).toBe(200);
		expect(done.json).toMatchObject({
			status: 'COMPLETED',
			model_id: 'smart-resize',
			error: null,
			output: { media_type: 'image/webp' },
		});
		for (const field of ['created_at', 'updated_at', 'completed_at'])
			expect(new Date(done.json[field]).toISOString()).toBe(done.json[field]);
		const urls: string[] = done.json.output.media_url;
		expect(urls).toHaveLength(4);
		expect(urls[0]).toMatch(
			new RegExp(`^${emulator.mediaUrl}/media/smart-resize_.+_output_256x256_0\\.webp$`),
		);
		const sizes = await Promise.all(
			urls.map(async (url) => sharp((await call(url)).body).metadata()),
		);
		expect(sizes.map(({ width, height, format }) => `${width}x${height}.${format}`)).toEqual([
			'256x256.webp',
			'256x256.webp',
			'320x180.webp',
			'320x180.webp',
		]);
		expect(await emulator.control.credits(KEY)).toBeCloseTo(
			1000 - 4 * COSTS.smartResizePerOutput['1K'],
		);
	});

	it('returns data: URIs with sync_mode', async () => {
		const { json } = await submit(body({ sync_mode: true, output_format: 'jpeg' }));
		const done = await pollUntilDone(json.polling_url, auth);
		const [first] = done.json.output.media_url as string[];
		expect(first).toMatch(/^data:image\/jpeg;base64,/);
		expect(await sharp(Buffer.from(first.split(',')[1], 'base64')).metadata()).toMatchObject({
			format: 'jpeg',
			width: 256,
			height: 256,
		});
	});

	it('also answers the POST smart-resize-request-result form of the poll', async () => {
		const { json } = await submit(body());
		const result = await call(`${emulator.pixazoUrl}/smart-resize/v1/smart-resize-request-result`, {
			json: { request_id: json.request_id },
			headers: auth,
		});
		expect(result.status).toBe(200);
		expect(result.json.request_id).toBe(json.request_id);
	});

	it('accepts safety_tolerance as a string or a number', async () => {
		expect((await submit(body({ safety_tolerance: '1' }))).status).toBe(202);
		expect((await submit(body({ safety_tolerance: 6 }))).status).toBe(202);
	});
});

describe('errors', () => {
	it('answers 400 {error, details} for invalid fields', async () => {
		const badSize = await submit(body({ target_sizes: ['1024 by 1024'] }));
		expect(badSize.status).toBe(400);
		expect(badSize.json).toEqual({
			error: 'Invalid target_sizes format',
			details: expect.stringMatching(/widthxheight/),
		});
		const badTolerance = await submit(body({ safety_tolerance: '9' }));
		expect(badTolerance.status).toBe(400);
		expect(badTolerance.json).toEqual({
			error: 'Invalid safety_tolerance',
			details: expect.any(String),
		});
		expect((await submit(body({ sync_mode: 'yes' }))).status).toBe(400);
		expect(await emulator.control.jobs()).toEqual([]);
	});

	it('answers 402 when out of credits', async () => {
		const result = await submit(body(), pixazoHeaders(TEST_KEYS.pixazo.noCredits));
		expect(result.status).toBe(402);
		expect(result.json.error).toBe('Insufficient credits');
	});

	it('reports FAILED with HTTP 200 and an error, and keeps the charge', async () => {
		await emulator.control.failNextJobs({
			times: 1,
			kind: 'fail',
			reason: 'Image rejected by safety filter',
		});
		const { json } = await submit(body());
		const done = await pollUntilDone(json.polling_url, auth);
		expect(done.status).toBe(200);
		expect(done.json).toMatchObject({
			status: 'FAILED',
			error: 'Image rejected by safety filter',
			output: null,
		});
		expect(await emulator.control.credits(KEY)).toBeCloseTo(
			1000 - 2 * COSTS.smartResizePerOutput['1K'],
		);
	});

	it('reports ERROR (system error) and refunds it', async () => {
		await emulator.control.failNextJobs({ times: 1, kind: 'error' });
		const { json } = await submit(body());
		const done = await pollUntilDone(json.polling_url, auth);
		expect(done.json).toMatchObject({ status: 'ERROR', error: expect.any(String), output: null });
		expect(await emulator.control.credits(KEY)).toBe(1000);
		expect(await emulator.control.jobs()).toEqual([
			expect.objectContaining({ status: 'ERROR', charged: 0 }),
		]);
	});

	it('answers 404 {error, details} for an unknown id, a Segmind id, and after expiry', async () => {
		const unknown = await call(`${emulator.pixazoUrl}/v2/requests/status/smart-resize_nope`, {
			headers: auth,
		});
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ error: expect.any(String), details: expect.any(String) });
		const segmindJob = await call(`${emulator.segmindUrl}/v2/image-converter`, {
			json: { image_url: sampleUrl(emulator), target_format: 'png' },
			headers: { 'x-api-key': TEST_KEYS.segmind.valid },
		});
		expect(
			(
				await call(`${emulator.pixazoUrl}/v2/requests/status/${segmindJob.json.request_id}`, {
					headers: auth,
				})
			).status,
		).toBe(404);
		await emulator.control.configure({ resultTtlMs: 800 });
		const { json } = await submit(body());
		expect((await pollUntilDone(json.polling_url, auth)).json.status).toBe('COMPLETED');
		await new Promise((resolve) => setTimeout(resolve, 820));
		expect((await call(json.polling_url, { headers: auth })).status).toBe(404);
	});

	it('answers 404 {error, details} for an unknown endpoint', async () => {
		const result = await call(`${emulator.pixazoUrl}/nope`, { headers: auth });
		expect(result.status).toBe(404);
		expect(result.json).toEqual({
			error: 'Resource not found',
			details: 'The requested endpoint does not exist',
		});
	});

	it('answers 429 past the key rate limit', async () => {
		await emulator.control.addKey({
			key: 'pixazo-limited-key',
			provider: 'pixazo',
			credits: 100,
			rateLimitPerMinute: 1,
		});
		expect((await submit(body(), pixazoHeaders('pixazo-limited-key'))).status).toBe(202);
		const limited = await submit(body(), pixazoHeaders('pixazo-limited-key'));
		expect(limited.status).toBe(429);
		expect(limited.json).toEqual({
			statusCode: 429,
			message: expect.stringMatching(/Rate limit is exceeded/),
		});
	});
});
