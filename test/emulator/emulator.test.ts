/** The emulator's Segmind contract (CONTRACTS.md): auth, credits, rate limits, v1, v2, upload. */
import sharp from 'sharp';

import { COSTS, startEmulator, TEST_KEYS, type Emulator } from '../../emulator';
import { call, pollUntilDone, sampleUrl, segmindHeaders } from './testHelpers';

const KEY = TEST_KEYS.segmind.valid;
const auth = segmindHeaders(KEY);
let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ config: { queueMs: 20, processingMs: 30, syncLatencyMs: 20 } });
});
afterAll(() => emulator.close());
beforeEach(async () => {
	await emulator.control.reset();
	await emulator.control.configure({ queueMs: 20, processingMs: 30, syncLatencyMs: 20 });
});

const converterBody = () => ({ image_url: sampleUrl(emulator), target_format: 'png' });
const bannerBody = (extra: Record<string, unknown> = {}) => ({
	image_url: sampleUrl(emulator),
	target_sizes: ['256x256'],
	...extra,
});
const submit = (slug: string, json: unknown, headers: Record<string, string> = auth) =>
	call(`${emulator.segmindUrl}/v2/${slug}`, { json, headers });

describe('authentication', () => {
	it('answers 401 {"error"} without a key', async () => {
		const result = await submit('image-converter', converterBody(), {});
		expect(result.status).toBe(401);
		expect(typeof result.json.error).toBe('string');
	});

	it('rejects a Bearer token on its own', async () => {
		const result = await submit('image-converter', converterBody(), {
			authorization: `Bearer ${KEY}`,
		});
		expect(result.status).toBe(401);
		expect(result.json.error).toMatch(/x-api-key/);
	});

	it('answers 401 for an unknown key and for a Pixazo key', async () => {
		expect(
			(await submit('image-converter', converterBody(), segmindHeaders('not-a-registered-key')))
				.status,
		).toBe(401);
		expect(
			(await submit('image-converter', converterBody(), segmindHeaders(TEST_KEYS.pixazo.valid)))
				.status,
		).toBe(401);
	});

	it('answers 403 for a forbidden key', async () => {
		const result = await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: segmindHeaders(TEST_KEYS.segmind.forbidden),
		});
		expect(result.status).toBe(403);
		expect(result.json).toEqual({ error: expect.any(String) });
	});

	it('answers 404 {"error":"Model not found"} for an unknown slug', async () => {
		const result = await submit('no-such-model', {});
		expect(result.status).toBe(404);
		expect(result.json).toEqual({ error: 'Model not found' });
	});

	it('answers a non-JSON Content-Type with a plain-text 406, and a wrong method with an HTML 405', async () => {
		const wrongType = await call(`${emulator.segmindUrl}/v2/image-converter`, {
			headers: { ...auth, 'content-type': 'text/plain' },
			body: 'x',
		});
		expect(wrongType.status).toBe(406);
		expect(wrongType.headers['content-type']).toMatch(/^text\/plain/);
		expect(wrongType.json).toBeUndefined();
		const wrongMethod = await call(`${emulator.segmindUrl}/v1/image-converter`, { headers: auth });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers['content-type']).toMatch(/^text\/html/);
	});
});

describe('credits', () => {
	it('reports credits and free credits for free, without counting against the rate limit', async () => {
		const first = await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: segmindHeaders(TEST_KEYS.segmind.freeTier),
		});
		const second = await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: segmindHeaders(TEST_KEYS.segmind.freeTier),
		});
		expect(first.status).toBe(200);
		expect(first.json).toEqual({ credits: 0, 'free-credits': 1 });
		expect(second.headers['x-ratelimit-remaining']).toBe('5');
		expect(second.headers['x-remaining-credits']).toBe('1');
		expect(await emulator.control.credits(TEST_KEYS.segmind.freeTier)).toBe(1);
	});

	it('answers 406 {"error":"Insufficient credits ..."} and creates no job', async () => {
		const result = await submit(
			'image-converter',
			converterBody(),
			segmindHeaders(TEST_KEYS.segmind.noCredits),
		);
		expect(result.status).toBe(406);
		expect(result.json.error).toMatch(/^Insufficient credits/);
		expect(await emulator.control.jobs()).toEqual([]);
	});

	it('charges at submit, per output, and reports it in headers', async () => {
		const result = await submit(
			'smart-banner-resizer',
			bannerBody({ target_sizes: ['256x256', '300x200'], num_images_per_size: 2 }),
		);
		expect(result.status).toBe(200);
		const cost = 4 * COSTS.smartResizePerOutput['1K'];
		expect(Number(result.headers['x-cost'])).toBeCloseTo(cost);
		expect(Number(result.headers['x-remaining-credits'])).toBeCloseTo(1000 - cost);
		expect(await emulator.control.credits(KEY)).toBeCloseTo(1000 - cost);
		const [job] = await emulator.control.jobs();
		expect(job).toMatchObject({
			model: 'smart-banner-resizer',
			api: 'v2',
			charged: cost,
			keyId: 'segmind:valid',
		});
	});

	it('spends free credits first', async () => {
		await submit('image-converter', converterBody(), segmindHeaders(TEST_KEYS.segmind.freeTier));
		expect(await emulator.control.balance(TEST_KEYS.segmind.freeTier)).toMatchObject({
			credits: 0,
			freeCredits: 0.999,
		});
	});
});

describe('rate limit', () => {
	it('answers 429 with x-rate-limit-reset-at-utc and no Retry-After, and lets requests through after the reset', async () => {
		await emulator.control.configure({ rateLimitWindowMs: 1000 });
		const freeTier = segmindHeaders(TEST_KEYS.segmind.freeTier);
		for (let i = 0; i < 5; i++)
			expect((await submit('image-converter', converterBody(), freeTier)).status).toBe(200);
		const limited = await submit('image-converter', converterBody(), freeTier);
		expect(limited.status).toBe(429);
		expect(typeof limited.json.error).toBe('string');
		expect(limited.headers['retry-after']).toBeUndefined();
		expect(limited.headers['x-ratelimit-limit']).toBe('5');
		expect(limited.headers['x-ratelimit-remaining']).toBe('0');
		const resetAt = Date.parse(limited.headers['x-rate-limit-reset-at-utc']);
		expect(resetAt).toBeGreaterThan(Date.now() - 50);
		expect(resetAt).toBeLessThanOrEqual(Date.now() + 1000);
		expect(await emulator.control.jobs()).toHaveLength(5);
		await new Promise((resolve) => setTimeout(resolve, resetAt - Date.now() + 20));
		expect((await submit('image-converter', converterBody(), freeTier)).status).toBe(200);
	});

	it('sends Retry-After when configured to', async () => {
		await emulator.control.configure({ sendRetryAfter: true });
		await emulator.control.addKey({
			key: 'custom-key-limit-1',
			provider: 'segmind',
			credits: 10,
			rateLimitPerMinute: 1,
		});
		await submit('image-converter', converterBody(), segmindHeaders('custom-key-limit-1'));
		const limited = await submit(
			'image-converter',
			converterBody(),
			segmindHeaders('custom-key-limit-1'),
		);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
	});

	it('does not count polls unless configured to', async () => {
		await emulator.control.addKey({
			key: 'custom-key-limit-2',
			provider: 'segmind',
			credits: 10,
			rateLimitPerMinute: 2,
		});
		const headers = segmindHeaders('custom-key-limit-2');
		const { json } = await submit('image-converter', converterBody(), headers);
		for (let i = 0; i < 3; i++) expect((await call(json.status_url, { headers })).status).toBe(200);
		await emulator.control.configure({ rateLimitCountsPolls: true });
		expect((await call(json.status_url, { headers })).status).toBe(200);
		expect((await call(json.status_url, { headers })).status).toBe(429);
	});
});

describe('v2 queue', () => {
	it('answers a submit with request_id, QUEUED and absolute poll/status/response URLs', async () => {
		const result = await submit('smart-banner-resizer', bannerBody({ seed: 42 }));
		expect(result.status).toBe(200);
		const id = result.json.request_id;
		expect(result.json).toEqual({
			request_id: id,
			status: 'QUEUED',
			poll_url: `${emulator.segmindUrl}/v2/requests/${id}/status`,
			status_url: `${emulator.segmindUrl}/v2/requests/${id}/status`,
			response_url: `${emulator.segmindUrl}/v2/requests/${id}`,
		});
		expect(result.headers['x-request-id']).toBe(id);
		expect(result.headers['x-seed-value']).toBe('42');
		for (const name of [
			'x-ratelimit-limit',
			'x-ratelimit-remaining',
			'x-rate-limit-reset-at-utc',
			'x-remaining-credits',
			'x-cost',
		]) {
			expect(result.headers[name]).toBeDefined();
		}
	});

	it('goes QUEUED -> PROCESSING -> COMPLETED, by time', async () => {
		await emulator.control.configure({ queueMs: 250, processingMs: 250 });
		const { json } = await submit('image-converter', converterBody());
		const seen: string[] = [];
		for (;;) {
			const poll = await call(json.status_url, { headers: auth });
			expect(poll.status).toBe(200);
			expect(poll.json.request_id).toBe(json.request_id);
			expect(poll.json.metrics).toEqual(expect.any(Object));
			if (seen.at(-1) !== poll.json.status) seen.push(poll.json.status);
			if (poll.json.status === 'COMPLETED') break;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		expect(seen).toEqual(['QUEUED', 'PROCESSING', 'COMPLETED']);
	});

	it('answers 202 {status, request_id} on the result endpoint while running', async () => {
		await emulator.control.configure({ queueMs: 300 });
		const { json } = await submit('image-converter', converterBody());
		const result = await call(json.response_url, { headers: auth });
		expect(result.status).toBe(202);
		expect(result.json).toEqual({ status: 'QUEUED', request_id: json.request_id });
	});

	it('returns output as one URL string for one image, and metrics.inference_time', async () => {
		const { json } = await submit('image-converter', converterBody());
		const result = await pollUntilDone(json.response_url, auth);
		expect(result.status).toBe(200);
		expect(result.json.status).toBe('COMPLETED');
		expect(typeof result.json.output).toBe('string');
		expect(result.json.output.startsWith(`${emulator.mediaUrl}/media/`)).toBe(true);
		expect(result.json.metrics.inference_time).toEqual(expect.any(Number));
		expect(result.headers['x-generation-time']).toBeDefined();
	});

	it.each([
		['strings', (urls: unknown) => Array.isArray(urls) && typeof urls[0] === 'string'],
		['array', (urls: unknown) => Array.isArray(urls) && typeof urls[0] === 'string'],
		['objects', (urls: unknown) => Array.isArray(urls) && typeof urls[0].url === 'string'],
		['media_url', (urls: unknown) => Array.isArray(urls) && typeof urls[0].media_url === 'string'],
	] as const)('shapes a multi-image output as %s', async (shape, check) => {
		await emulator.control.configure({ segmindOutputShape: shape });
		const { json } = await submit(
			'smart-banner-resizer',
			bannerBody({ target_sizes: ['128x128', '200x100'] }),
		);
		const result = await pollUntilDone(json.response_url, auth);
		expect(check(result.json.output)).toBe(true);
		expect(result.json.output).toHaveLength(2);
	});

	it("shapes a single output as an array under 'array'", async () => {
		await emulator.control.configure({ segmindOutputShape: 'array' });
		const { json } = await submit('image-converter', converterBody());
		expect((await pollUntilDone(json.response_url, auth)).json.output).toEqual([
			expect.stringContaining('/media/'),
		]);
	});

	it('serves a FAILED job as HTTP 422 on both the status and the result endpoint', async () => {
		await emulator.control.failNextJobs({
			times: 1,
			kind: 'fail',
			reason: 'NSFW content detected',
		});
		const { json } = await submit('image-converter', converterBody());
		const status = await pollUntilDone(json.status_url, auth);
		expect(status.status).toBe(422);
		expect(status.json).toMatchObject({
			status: 'FAILED',
			error: 'NSFW content detected',
			metrics: {},
		});
		const result = await call(json.response_url, { headers: auth });
		expect(result.status).toBe(422);
		expect(result.json).toMatchObject({
			status: 'FAILED',
			error: 'NSFW content detected',
			metrics: {},
		});
		const [job] = await emulator.control.jobs();
		expect(job).toMatchObject({ status: 'FAILED', charged: COSTS.imageConverter });
	});

	it('fails a job whose input is on a non-loopback host, without fetching it', async () => {
		const { json } = await submit('image-converter', {
			image_url: 'https://example.com/photo.png',
			target_format: 'png',
		});
		const result = await pollUntilDone(json.response_url, auth);
		expect(result.status).toBe(422);
		expect(result.json.error).toMatch(/only loopback hosts/);
	});

	it('fails a job whose input URL answers 404', async () => {
		const { json } = await submit('image-converter', {
			image_url: `${emulator.mediaUrl}/media/missing.png`,
			target_format: 'png',
		});
		const result = await pollUntilDone(json.response_url, auth);
		expect(result.status).toBe(422);
		expect(result.json.error).toMatch(/404/);
	});

	it('answers 404 {"error":"Request <id> not found"} for an unknown id, another key, and after resultTtlMs', async () => {
		const unknown = await call(
			`${emulator.segmindUrl}/v2/requests/00000000-0000-0000-0000-000000000000`,
			{ headers: auth },
		);
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({
			error: 'Request 00000000-0000-0000-0000-000000000000 not found',
		});
		expect(
			(await call(`${emulator.segmindUrl}/v2/requests/%ZZ/status`, { headers: auth })).status,
		).toBe(404);

		await emulator.control.configure({ resultTtlMs: 800 });
		const { json } = await submit('image-converter', converterBody());
		expect((await pollUntilDone(json.response_url, auth)).status).toBe(200);
		expect(
			(await call(json.status_url, { headers: segmindHeaders(TEST_KEYS.segmind.freeTier) })).status,
		).toBe(404);
		await new Promise((resolve) => setTimeout(resolve, 820));
		for (const url of [json.status_url, json.response_url]) {
			const expired = await call(url, { headers: auth });
			expect(expired.status).toBe(404);
			expect(expired.json.error).toBe(`Request ${json.request_id} not found`);
		}
	});

	it('keeps a stuck job PROCESSING', async () => {
		await emulator.control.failNextJobs({ times: 1, kind: 'stuck' });
		const { json } = await submit('image-converter', converterBody());
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await call(json.status_url, { headers: auth })).json.status).toBe('PROCESSING');
	});

	it('expires a job (and its files) right after completion', async () => {
		await emulator.control.failNextJobs({ times: 1, kind: 'expire' });
		const { json } = await submit('image-converter', converterBody());
		// Polls see QUEUED, PROCESSING, then 404 at once: there is never a COMPLETED to see.
		expect((await pollUntilDone(json.status_url, auth)).status).toBe(404);
		expect((await call(json.response_url, { headers: auth })).status).toBe(404);
		expect(await emulator.control.jobs()).toEqual([expect.objectContaining({ status: 'EXPIRED' })]);
	});
});

describe('validation (400 before queueing, nothing charged)', () => {
	const sample = () => sampleUrl(emulator);
	it.each([
		['smart-banner-resizer', 'no image_url', () => ({ target_sizes: ['256x256'] }), /^image_url: /],
		[
			'smart-banner-resizer',
			'an ftp image_url',
			() => ({ image_url: 'ftp://host/x.png', target_sizes: ['256x256'] }),
			/^image_url: /,
		],
		['smart-banner-resizer', 'no target_sizes', () => ({ image_url: sample() }), /^target_sizes: /],
		[
			'smart-banner-resizer',
			'empty target_sizes',
			() => ({ image_url: sample(), target_sizes: [] }),
			/^target_sizes: /,
		],
		[
			'smart-banner-resizer',
			'11 target_sizes',
			() => ({ image_url: sample(), target_sizes: Array(11).fill('256x256') }),
			/^target_sizes: /,
		],
		[
			'smart-banner-resizer',
			'a size not WxH',
			() => ({ image_url: sample(), target_sizes: ['256*256'] }),
			/^target_sizes\[0\]: /,
		],
		[
			'smart-banner-resizer',
			'a side under 16',
			() => ({ image_url: sample(), target_sizes: ['8x256'] }),
			/^target_sizes\[0\]: /,
		],
		[
			'smart-banner-resizer',
			'num_images_per_size 5',
			() => ({ image_url: sample(), target_sizes: ['256x256'], num_images_per_size: 5 }),
			/^num_images_per_size: /,
		],
		[
			'smart-banner-resizer',
			'resolution 8K',
			() => ({ image_url: sample(), target_sizes: ['256x256'], resolution: '8K' }),
			/^resolution: /,
		],
		[
			'smart-banner-resizer',
			'output_format jpg',
			() => ({ image_url: sample(), target_sizes: ['256x256'], output_format: 'jpg' }),
			/^output_format: /,
		],
		[
			'smart-banner-resizer',
			'a prompt over 5000 chars',
			() => ({ image_url: sample(), target_sizes: ['256x256'], prompt: 'x'.repeat(5001) }),
			/^prompt: /,
		],
		[
			'smart-banner-resizer',
			"safety_tolerance '7'",
			() => ({ image_url: sample(), target_sizes: ['256x256'], safety_tolerance: '7' }),
			/^safety_tolerance: /,
		],
		[
			'smart-banner-resizer',
			'a fractional seed',
			() => ({ image_url: sample(), target_sizes: ['256x256'], seed: 1.5 }),
			/^seed: /,
		],
		['ideogram-reframe', 'no image_file', () => ({}), /^image_file: /],
		[
			'ideogram-reframe',
			'an unknown resolution',
			() => ({ image_file: sample(), resolution: 'RESOLUTION_1000_1000' }),
			/^resolution: /,
		],
		// The seed's own sample sends seed 9854122, outside its documented range 100-999999.
		[
			'ideogram-reframe',
			'seed 9854122 (the seed doc sample)',
			() => ({ image_file: sample(), seed: 9854122 }),
			/^seed: /,
		],
		[
			'ideogram-reframe',
			'an unknown style_type',
			() => ({ image_file: sample(), style_type: 'PHOTO' }),
			/^style_type: /,
		],
		[
			'segmind-relighting',
			'a missing light_type',
			() => ({
				image: sample(),
				light_direction: 'top',
				light_temperature: 'neutral',
				light_intensity: 'medium',
			}),
			/^light_type: /,
		],
		[
			'segmind-relighting',
			'an unknown light_direction',
			() => ({
				image: sample(),
				light_direction: 'below',
				light_type: 'ambient',
				light_temperature: 'neutral',
				light_intensity: 'medium',
			}),
			/^light_direction: /,
		],
		[
			'image-converter',
			'target_format heic',
			() => ({ image_url: sample(), target_format: 'heic' }),
			/^target_format: /,
		],
		['image-converter', 'no target_format', () => ({ image_url: sample() }), /^target_format: /],
	])('%s rejects %s', async (slug, _label, body, message) => {
		const result = await submit(slug, body());
		expect(result.status).toBe(400);
		expect(result.json.error).toMatch(message);
		expect(await emulator.control.jobs()).toEqual([]);
		expect(await emulator.control.credits(KEY)).toBe(1000);
	});

	it('answers 400 for a body that is not JSON', async () => {
		const result = await call(`${emulator.segmindUrl}/v2/image-converter`, {
			headers: { ...auth, 'content-type': 'application/json' },
			body: '{"image_url":',
		});
		expect(result.status).toBe(400);
		expect(result.json.error).toMatch(/JSON/);
	});

	it('accepts safety_tolerance as a number or a numeric string', async () => {
		expect((await submit('smart-banner-resizer', bannerBody({ safety_tolerance: 4 }))).status).toBe(
			200,
		);
		expect(
			(await submit('smart-banner-resizer', bannerBody({ safety_tolerance: '6' }))).status,
		).toBe(200);
	});
});

describe('v1 sync', () => {
	const relightBody = () => ({
		image: sampleUrl(emulator),
		light_direction: 'left',
		light_type: 'softbox',
		light_temperature: 'warm',
		light_intensity: 'bright',
	});

	it('answers raw image bytes with Content-Type image/png and the model headers', async () => {
		await emulator.control.configure({ syncLatencyMs: 150 });
		const started = Date.now();
		const result = await call(`${emulator.segmindUrl}/v1/segmind-relighting`, {
			json: relightBody(),
			headers: auth,
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(result.status).toBe(200);
		expect(result.headers['content-type']).toBe('image/png');
		expect(result.json).toBeUndefined();
		expect(await sharp(result.body).metadata()).toMatchObject({
			format: 'png',
			width: 1200,
			height: 800,
		});
		expect(Number(result.headers['x-cost'])).toBe(COSTS.segmindRelighting);
		expect(Number(result.headers['x-generation-time'])).toBeGreaterThan(0);
		expect(result.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(result.headers['x-remaining-credits']).toBe(String(1000 - COSTS.segmindRelighting));
	});

	it('returns the first image of a multi-output smart-banner-resizer call, with x-output-count', async () => {
		const result = await call(`${emulator.segmindUrl}/v1/smart-banner-resizer`, {
			json: bannerBody({
				target_sizes: ['320x200', '128x128'],
				num_images_per_size: 2,
				output_format: 'webp',
			}),
			headers: auth,
		});
		expect(result.status).toBe(200);
		expect(result.headers['content-type']).toBe('image/webp');
		expect(result.headers['x-output-count']).toBe('4');
		expect(result.headers['x-seed-value']).toMatch(/^\d+$/);
		expect(await sharp(result.body).metadata()).toMatchObject({
			format: 'webp',
			width: 320,
			height: 200,
		});
	});

	it('answers image-converter with JSON {"output": "<url>"} or {"output": "<base64>"}', async () => {
		const asUrl = await call(`${emulator.segmindUrl}/v1/image-converter`, {
			json: { ...converterBody(), target_format: 'webp' },
			headers: auth,
		});
		expect(asUrl.headers['content-type']).toBe('application/json');
		expect(asUrl.json.output).toMatch(new RegExp(`^${emulator.mediaUrl}/media/.+\\.webp$`));
		expect((await sharp((await call(asUrl.json.output)).body).metadata()).format).toBe('webp');

		await emulator.control.configure({ converterV1Shape: 'base64' });
		const asBase64 = await call(`${emulator.segmindUrl}/v1/image-converter`, {
			json: { ...converterBody(), target_format: 'jpg' },
			headers: auth,
		});
		expect((await sharp(Buffer.from(asBase64.json.output, 'base64')).metadata()).format).toBe(
			'jpeg',
		);
	});

	it('answers 400 for an unusable input, 400 for a failed run and 500 for a system error', async () => {
		const remote = await call(`${emulator.segmindUrl}/v1/image-converter`, {
			json: { image_url: 'http://example.com/a.png', target_format: 'png' },
			headers: auth,
		});
		expect(remote.status).toBe(400);
		expect(remote.json.error).toMatch(/only loopback hosts/);
		await emulator.control.failNextJobs({ times: 1, kind: 'fail', reason: 'blocked' });
		await emulator.control.failNextJobs({ times: 1, kind: 'error' });
		const failed = await call(`${emulator.segmindUrl}/v1/segmind-relighting`, {
			json: relightBody(),
			headers: auth,
		});
		expect(failed.status).toBe(400);
		expect(failed.json).toEqual({ error: 'blocked' });
		expect(
			(
				await call(`${emulator.segmindUrl}/v1/segmind-relighting`, {
					json: relightBody(),
					headers: auth,
				})
			).status,
		).toBe(500);
	});

	it('has no pollable request for a v1 call', async () => {
		const result = await call(`${emulator.segmindUrl}/v1/image-converter`, {
			json: converterBody(),
			headers: auth,
		});
		const id = result.headers['x-request-id'];
		expect((await call(`${emulator.segmindUrl}/v2/requests/${id}`, { headers: auth })).status).toBe(
			404,
		);
	});
});

describe('upload-asset', () => {
	const dataUrl = async () =>
		`data:image/png;base64,${(await call(sampleUrl(emulator))).body.toString('base64')}`;

	it('stores data URLs on the media origin and answers {"urls": [...]}', async () => {
		const url = await dataUrl();
		const result = await call(emulator.uploadUrl, {
			json: { data_urls: [url, url] },
			headers: auth,
		});
		expect(result.status).toBe(200);
		expect(result.json.urls).toHaveLength(2);
		const file = await call(result.json.urls[0]);
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('image/png');
		expect(file.body.equals(Buffer.from(url.split(',')[1], 'base64'))).toBe(true);
		expect(await emulator.control.credits(KEY)).toBe(1000);
	});

	it('answers {"file_urls": [...]} under uploadResponseKey \'file_urls\'', async () => {
		await emulator.control.configure({ uploadResponseKey: 'file_urls' });
		const result = await call(emulator.uploadUrl, {
			json: { data_urls: [await dataUrl()] },
			headers: auth,
		});
		expect(result.json).toEqual({
			file_urls: [expect.stringContaining(`${emulator.mediaUrl}/media/`)],
		});
	});

	it('lets an uploaded asset be a model input', async () => {
		const { json: uploaded } = await call(emulator.uploadUrl, {
			json: { data_urls: [await dataUrl()] },
			headers: auth,
		});
		const { json } = await submit(
			'smart-banner-resizer',
			bannerBody({ image_url: uploaded.urls[0] }),
		);
		expect((await pollUntilDone(json.response_url, auth)).json.status).toBe('COMPLETED');
	});

	it('answers 400 for a bad data URL, 413 past maxInputBytes, 401 without a key', async () => {
		expect(
			(await call(emulator.uploadUrl, { json: { data_urls: ['not a data url'] }, headers: auth }))
				.status,
		).toBe(400);
		expect(
			(
				await call(emulator.uploadUrl, {
					json: { data_urls: ['data:image/png;base64,@@@'] },
					headers: auth,
				})
			).status,
		).toBe(400);
		expect(
			(await call(emulator.uploadUrl, { json: { data_urls: [] }, headers: auth })).status,
		).toBe(400);
		await emulator.control.configure({ maxInputBytes: 1000 });
		const tooLarge = await call(emulator.uploadUrl, {
			json: { data_urls: [`data:image/png;base64,${Buffer.alloc(1100).toString('base64')}`] },
			headers: auth,
		});
		expect(tooLarge.status).toBe(413);
		expect(
			(await call(emulator.uploadUrl, { json: { data_urls: [await dataUrl()] }, headers: auth }))
				.status,
		).toBe(413);
		expect((await call(emulator.uploadUrl, { json: { data_urls: [] } })).status).toBe(401);
	});
});
