/** Injected faults, magic values, the request log and the control interface. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';

import { startEmulator, TEST_KEYS, type Emulator } from '../../emulator';
import { call, pixazoHeaders, pollUntilDone, sampleUrl, segmindHeaders } from './testHelpers';

const KEY = TEST_KEYS.segmind.valid;
const auth = segmindHeaders(KEY);
let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ config: { queueMs: 20, processingMs: 30, syncLatencyMs: 10 } });
});
afterAll(() => emulator.close());
beforeEach(async () => {
	await emulator.control.reset();
	await emulator.control.configure({ queueMs: 20, processingMs: 30, syncLatencyMs: 10 });
});

const credits = () => call(`${emulator.segmindUrl}/v1/get-user-credits`, { headers: auth });
const converter = (extra: Record<string, unknown> = {}) => ({
	image_url: sampleUrl(emulator),
	target_format: 'png',
	...extra,
});
const submitV2 = (json: unknown) =>
	call(`${emulator.segmindUrl}/v2/image-converter`, { json, headers: auth });
const banner = (prompt: string) => ({
	image_url: sampleUrl(emulator),
	target_sizes: ['128x128'],
	prompt,
});
const submitBanner = (prompt: string, api: 'v1' | 'v2' = 'v2') =>
	call(`${emulator.segmindUrl}/${api}/smart-banner-resizer`, {
		json: banner(prompt),
		headers: auth,
	});
const submitPixazo = (prompt: string) =>
	call(`${emulator.pixazoUrl}/smart-resize/v1/smart-resize-request`, {
		json: banner(prompt),
		headers: pixazoHeaders(TEST_KEYS.pixazo.valid),
	});

describe('injected faults', () => {
	it('serves a status fault to the next N matching requests only', async () => {
		await emulator.control.injectFault({
			origin: 'segmind',
			pathPrefix: '/v1/get-user-credits',
			times: 2,
			fault: { type: 'status', status: 502 },
		});
		expect(
			(await call(`${emulator.segmindUrl}/v2/requests/unknown-id`, { headers: auth })).status,
		).toBe(404);
		const first = await credits();
		expect(first.status).toBe(502);
		expect(first.json).toEqual({ error: expect.stringMatching(/Bad Gateway/) });
		expect((await credits()).status).toBe(502);
		expect((await credits()).status).toBe(200);
		expect(await emulator.control.pendingFaults()).toEqual([]);
	});

	it.each([429, 500, 504])('serves a %i in the origin style', async (status) => {
		await emulator.control.injectFault({ fault: { type: 'status', status } });
		const result = await credits();
		expect(result.status).toBe(status);
		if (status === 429) {
			expect(result.headers['x-rate-limit-reset-at-utc']).toBeDefined();
			expect(result.headers['retry-after']).toBeUndefined();
		}
	});

	it('serves a plain-text 406 and a default HTML 405', async () => {
		await emulator.control.injectFault({
			fault: { type: 'status', status: 406, body: 'Not Acceptable', contentType: 'text/plain' },
		});
		await emulator.control.injectFault({ fault: { type: 'status', status: 405 } });
		const plain = await credits();
		expect([plain.status, plain.headers['content-type'], plain.body.toString()]).toEqual([
			406,
			'text/plain',
			'Not Acceptable',
		]);
		const html = await credits();
		expect(html.status).toBe(405);
		expect(html.body.toString()).toMatch(/<html>/);
	});

	it('matches on origin and method', async () => {
		await emulator.control.injectFault({
			origin: 'media',
			method: 'GET',
			fault: { type: 'status', status: 503 },
		});
		expect((await credits()).status).toBe(200);
		expect((await call(sampleUrl(emulator))).status).toBe(503);
		expect((await call(sampleUrl(emulator))).status).toBe(200);
	});

	it('applies to the upload origin', async () => {
		await emulator.control.injectFault({
			origin: 'upload',
			fault: { type: 'status', status: 500 },
		});
		expect((await credits()).status).toBe(200);
		expect(
			(await call(emulator.uploadUrl, { json: { data_urls: [] }, headers: auth })).status,
		).toBe(500);
	});

	it('drops the connection without a response', async () => {
		await emulator.control.injectFault({ fault: { type: 'drop' } });
		await expect(credits()).rejects.toThrow();
		const [entry] = await emulator.control.requests();
		expect(entry).toMatchObject({ status: 0, fault: 'drop' });
		expect((await credits()).status).toBe(200);
	});

	it('answers late with a slow fault', async () => {
		await emulator.control.injectFault({ fault: { type: 'slow', delayMs: 250 } });
		const started = Date.now();
		expect((await credits()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
	});

	it('serves truncated JSON with a malformed fault', async () => {
		await emulator.control.injectFault({ origin: 'pixazo', fault: { type: 'malformed' } });
		const result = await call(`${emulator.pixazoUrl}/v2/requests/status/x`, {
			headers: pixazoHeaders(TEST_KEYS.pixazo.valid),
		});
		expect(result.status).toBe(200);
		expect(result.headers['content-type']).toBe('application/json');
		expect(() => JSON.parse(result.body.toString())).toThrow();
	});

	it('with afterProcessing, accepts and charges the submit but loses the answer', async () => {
		await emulator.control.injectFault({
			pathPrefix: '/v2/image-converter',
			afterProcessing: true,
			fault: { type: 'status', status: 504 },
		});
		expect((await submitV2(converter())).status).toBe(504);
		const [job] = await emulator.control.jobs();
		expect(job).toMatchObject({ model: 'image-converter', charged: 0.001 });
		expect(await emulator.control.credits(KEY)).toBe(999.999);
	});
});

describe('magic values', () => {
	it('emulate:fail fails the job (422 on Segmind v2)', async () => {
		const { json } = await submitBanner('emulate:fail');
		const result = await pollUntilDone(json.status_url, auth);
		expect(result.status).toBe(422);
		expect(result.json.error).toMatch(/emulate:fail/);
	});

	it('emulate:fail on v1 is a 400', async () => {
		expect((await submitBanner('emulate:fail', 'v1')).status).toBe(400);
	});

	it('emulate:error is a Pixazo ERROR, not charged', async () => {
		const { json } = await submitPixazo('make it pop emulate:error');
		const result = await pollUntilDone(json.polling_url, pixazoHeaders(TEST_KEYS.pixazo.valid));
		expect(result.json.status).toBe('ERROR');
		expect(await emulator.control.credits(TEST_KEYS.pixazo.valid)).toBe(1000);
	});

	it('emulate:stuck never finishes; emulate:expire is gone once done', async () => {
		const stuck = await submitBanner('emulate:stuck');
		const expire = await submitBanner('emulate:expire');
		expect((await pollUntilDone(expire.json.status_url, auth)).status).toBe(404);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await call(stuck.json.status_url, { headers: auth })).json.status).toBe('PROCESSING');
	});

	it('emulate:429, 500, 502, 504 answer with that status, every time', async () => {
		for (const status of [429, 500, 502, 504]) {
			expect((await submitBanner(`emulate:${status}`)).status).toBe(status);
			expect((await submitBanner(`emulate:${status}`)).status).toBe(status);
		}
		expect(await emulator.control.jobs()).toEqual([]);
	});

	it('emulate:500x2 fails twice for the same body, then lets it through', async () => {
		expect((await submitBanner('emulate:500x2')).status).toBe(500);
		expect((await submitBanner('emulate:500x2')).status).toBe(500);
		expect((await submitBanner('emulate:500x2')).status).toBe(200);
	});

	it('emulate:406 is out of credits: 406 on Segmind, 402 on Pixazo', async () => {
		const segmind = await submitBanner('emulate:406');
		expect(segmind.status).toBe(406);
		expect(segmind.json.error).toMatch(/^Insufficient credits/);
		expect((await submitPixazo('emulate:406')).status).toBe(402);
	});

	it('emulate:drop, emulate:malformed, emulate:slow=<ms>', async () => {
		await expect(submitBanner('emulate:drop')).rejects.toThrow();
		const malformed = await submitBanner('emulate:malformed');
		expect(malformed.status).toBe(200);
		expect(malformed.json).toBeUndefined();
		const started = Date.now();
		expect((await submitBanner('emulate:slow=300')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	it('emulate:latency=<ms> sets the processing time of the job', async () => {
		const { json } = await submitBanner('emulate:latency=1000');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await call(json.status_url, { headers: auth })).json.status).toBe('PROCESSING');
		expect((await pollUntilDone(json.status_url, auth)).json.status).toBe('COMPLETED');
	});

	it('combines directives, and finds them in any string field, e.g. the image URL', async () => {
		const started = Date.now();
		const { json } = await submitV2(
			converter({ image_url: `${sampleUrl(emulator)}?emulate:fail&emulate:slow=200` }),
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect((await pollUntilDone(json.status_url, auth)).status).toBe(422);
	});

	it('records the magic fault in the request log', async () => {
		await submitBanner('emulate:502');
		const [entry] = await emulator.control.requests();
		expect(entry).toMatchObject({ status: 502, fault: 'magic:502' });
	});
});

describe('request log', () => {
	it('records every origin, redacts key values and says which key was presented', async () => {
		const { json } = await submitV2(converter());
		const done = await pollUntilDone(json.response_url, auth);
		await call(done.json.output);
		await call(done.json.output, { headers: auth });
		await call(`${emulator.pixazoUrl}/v2/requests/status/x`, {
			headers: pixazoHeaders(TEST_KEYS.segmind.valid),
		});
		await call(`${emulator.pixazoUrl}/v2/requests/status/x?key=${KEY}`, {
			headers: pixazoHeaders(TEST_KEYS.pixazo.valid),
		});

		const log = await emulator.control.requests();
		expect(JSON.stringify(log)).not.toContain(KEY);
		expect(JSON.stringify(log)).not.toContain(TEST_KEYS.pixazo.valid);

		const [submitEntry] = log;
		expect(submitEntry).toMatchObject({
			origin: 'segmind',
			method: 'POST',
			path: '/v2/image-converter',
			status: 200,
			receivedApiKey: true,
			presentedKeyId: 'segmind:valid',
		});
		expect(submitEntry.headers['x-api-key']).toBe(`<redacted:${KEY.length}>`);
		expect(submitEntry.keyHeaders).toEqual({
			'x-api-key': true,
			'ocp-apim-subscription-key': false,
			authorization: false,
		});

		const media = await emulator.control.requests({ origin: 'media' });
		expect(media.map((entry) => [entry.receivedApiKey, entry.presentedKeyId])).toEqual([
			[false, null],
			[true, 'segmind:valid'],
		]);

		const pixazo = await emulator.control.requests({ origin: 'pixazo' });
		expect(pixazo[0]).toMatchObject({
			presentedKeyId: 'segmind:valid',
			presentedKeyIds: ['segmind:valid'],
			status: 401,
		});
		expect(pixazo[1].presentedKeyIds.sort()).toEqual(['pixazo:valid', 'segmind:valid']);
		expect(pixazo[1].path).toBe(`/v2/requests/status/x?key=<redacted:${KEY.length}>`);
	});

	it("marks an unregistered key 'unknown' and a Bearer header as a key header", async () => {
		await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: { authorization: `Bearer ${KEY}` },
		});
		await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: segmindHeaders('not-registered-at-all'),
		});
		const [bearer, unknown] = await emulator.control.requests();
		expect(bearer).toMatchObject({
			receivedApiKey: true,
			presentedKeyId: 'segmind:valid',
			keyHeaders: { authorization: true },
		});
		expect(unknown).toMatchObject({
			receivedApiKey: true,
			presentedKeyId: 'unknown',
			presentedKeyIds: [],
		});
	});

	it('does not log control requests', async () => {
		await emulator.control.jobs();
		expect(await emulator.control.requests()).toEqual([]);
	});
});

describe('media origin', () => {
	it('serves files with their Content-Type and 404s them after mediaTtlMs', async () => {
		await emulator.control.configure({ mediaTtlMs: 1500 });
		const { json } = await submitV2(converter({ target_format: 'gif' }));
		const done = await pollUntilDone(json.response_url, auth);
		const file = await call(done.json.output);
		expect([file.status, file.headers['content-type']]).toEqual([200, 'image/gif']);
		await new Promise((resolve) => setTimeout(resolve, 1520));
		expect((await call(done.json.output)).status).toBe(404);
	});

	it('serves the bundled sample', async () => {
		const sample = await call(sampleUrl(emulator));
		expect([sample.status, sample.headers['content-type']]).toEqual([200, 'image/png']);
		expect((await call(`${emulator.mediaUrl}/samples/..%2Fpackage.json`)).status).toBe(404);
	});
});

describe('input fetching', () => {
	it('fetches inputs from other loopback servers, without sending any key', async () => {
		const png = (await call(sampleUrl(emulator))).body;
		const received: IncomingHttpHeaders[] = [];
		const server = createServer((req, res) => {
			received.push(req.headers);
			res.writeHead(200, { 'content-type': 'image/png' }).end(png);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as AddressInfo;
			const { json } = await submitV2(
				converter({ image_url: `http://127.0.0.1:${port}/photo.png`, target_format: 'webp' }),
			);
			expect((await pollUntilDone(json.response_url, auth)).json.status).toBe('COMPLETED');
			expect(received).toHaveLength(1);
			expect(Object.keys(received[0])).not.toEqual(expect.arrayContaining(['x-api-key']));
			expect(JSON.stringify(received[0])).not.toContain(KEY);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('control interface', () => {
	it('reset restores keys, config and credits, and clears jobs, faults and the log', async () => {
		await emulator.control.configure({ segmindOutputShape: 'objects', queueMs: 999 });
		await emulator.control.addKey({
			key: 'temporary-key-1',
			provider: 'segmind',
			credits: 5,
			rateLimitPerMinute: 5,
			id: 'mine',
		});
		await emulator.control.injectFault({ fault: { type: 'drop' } });
		await emulator.control.reset();
		expect(await emulator.control.pendingFaults()).toEqual([]);
		await submitV2(converter());
		expect((await emulator.control.config()).segmindOutputShape).toBe('strings');
		expect(await emulator.control.jobs()).toHaveLength(1);
		await emulator.control.reset();
		expect(await emulator.control.jobs()).toEqual([]);
		expect(await emulator.control.requests()).toEqual([]);
		await expect(emulator.control.credits('temporary-key-1')).rejects.toThrow(/404/);
		expect(await emulator.control.credits(KEY)).toBe(1000);
	});

	it('rejects unknown or invalid options', async () => {
		await expect(emulator.control.configure({ queueMs: -1 })).rejects.toThrow(/queueMs/);
		await expect(emulator.control.configure({ noSuchOption: 1 } as never)).rejects.toThrow(
			/unknown option noSuchOption/,
		);
		const notJson = await call(`${emulator.segmindUrl}/__emulator/config`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{',
		});
		expect(notJson.status).toBe(400);
	});

	it('reports a custom key under its id', async () => {
		expect(
			await emulator.control.addKey({
				key: 'custom-id-key-1',
				provider: 'segmind',
				credits: 2,
				rateLimitPerMinute: 5,
				id: 'tenant-a',
			}),
		).toBe('tenant-a');
		await credits();
		await call(`${emulator.segmindUrl}/v1/get-user-credits`, {
			headers: segmindHeaders('custom-id-key-1'),
		});
		expect((await emulator.control.requests()).map((entry) => entry.presentedKeyId)).toEqual([
			'segmind:valid',
			'tenant-a',
		]);
	});
});

describe('close()', () => {
	it('ends pending requests and stops listening', async () => {
		const local = await startEmulator({ config: { syncLatencyMs: 10 } });
		const stuck = request(`${local.segmindUrl}/v1/image-converter`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': KEY },
			body: JSON.stringify({
				image_url: `${local.mediaUrl}/samples/product.png`,
				target_format: 'png',
				note: 'emulate:stuck',
			}),
		});
		const slow = request(`${local.segmindUrl}/v1/get-user-credits`, {
			headers: { 'x-api-key': KEY },
		});
		await local.control.injectFault({ fault: { type: 'slow', delayMs: 60_000 } });
		const slowAfterFault = request(`${local.segmindUrl}/v1/get-user-credits`, {
			headers: { 'x-api-key': KEY },
		});
		await (await slow).body.dump();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		await local.close();
		expect(Date.now() - started).toBeLessThan(2000);
		await expect(stuck).rejects.toThrow();
		await expect(slowAfterFault).rejects.toThrow();
		await expect(request(`${local.segmindUrl}/v1/get-user-credits`)).rejects.toThrow();
	});
});
