/**
 * The API key is a custom header (x-api-key, Ocp-Apim-Subscription-Key). n8n's redirect follower
 * strips only Authorization and cookies when the host changes, so an authenticated request that
 * followed a redirect would hand the key to whatever host the redirect names. These tests point
 * every authenticated call, for both providers, at a redirect to the media origin (which logs any
 * key it receives) and check that nothing arrives there; same-origin redirects are still followed.
 */
import { TEST_KEYS } from '../../emulator';
import type { Emulator, FaultRule } from '../../emulator';
import { testCredential } from '../../harness/credentialTest';
import {
	FAST_POLLING,
	imageOf,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	useEmulator,
} from '../helpers';

const env = useEmulator();

function pixazoCredentials(emulator: Emulator) {
	return { pixazoApi: { apiKey: TEST_KEYS.pixazo.valid, baseUrl: emulator.pixazoUrl } };
}

function resize(parameters: Record<string, unknown> = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		sizePresets: [],
		customSizes: '300x250',
		variantsPerSize: 1,
		output: 'binary',
		...parameters,
		options: FAST_POLLING,
	};
}

const elsewhere = () => `${env.emulator.mediaUrl}/collect`;
const mediaHost = () => new URL(env.emulator.mediaUrl).host;

function redirect(rule: Omit<FaultRule, 'fault'>, location: string, status = 302): Promise<void> {
	return env.emulator.control.injectFault({
		...rule,
		fault: { type: 'status', status, body: '', headers: { location } },
	});
}

async function expectNoKeyLeft() {
	const log = await env.emulator.control.requests();
	expect(log.filter((entry) => entry.path.startsWith('/collect'))).toEqual([]);
	expect(log.filter((entry) => entry.origin === 'media' && entry.receivedApiKey)).toEqual([]);
}

/** Submits one Segmind job without waiting, so a test can aim a fault at its status or result. */
async function submittedSegmindJob(): Promise<string> {
	const { items } = await runNode(
		'smartResize',
		resize({ waitForCompletion: false }),
		[{ json: {} }],
		segmindCredentials(env.emulator),
	);
	return items[0].json.requestId as string;
}

function getResult(requestId: string) {
	return runNode(
		'smartResize',
		{ operation: 'getResult', requestId, output: 'binary', options: FAST_POLLING },
		[{ json: {} }],
		segmindCredentials(env.emulator),
	);
}

describe('a redirect to another origin is refused, and the key never reaches it', () => {
	test.each([301, 302, 303, 307, 308])('Segmind submit answered with %i', async (status) => {
		await redirect({ origin: 'segmind', method: 'POST', pathPrefix: '/v2/' }, elsewhere(), status);
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
		expect(await env.emulator.control.jobs()).toEqual([]);
	});

	test('Segmind upload of a binary input', async () => {
		await redirect(
			{ origin: 'upload', method: 'POST', pathPrefix: '/upload-asset' },
			elsewhere(),
			307,
		);
		const { error } = await runNode(
			'smartResize',
			resize({ inputSource: 'binary' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
	});

	test('Segmind status read', async () => {
		const requestId = await submittedSegmindJob();
		await redirect(
			{ origin: 'segmind', method: 'GET', pathPrefix: `/v2/requests/${requestId}/status` },
			elsewhere(),
		);
		const { error } = await getResult(requestId);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
	});

	test('Segmind result read', async () => {
		const requestId = await submittedSegmindJob();
		// Status reads pass untouched (a zero delay); only the result read is redirected.
		await env.emulator.control.injectFault({
			origin: 'segmind',
			pathPrefix: `/v2/requests/${requestId}/status`,
			times: 100,
			fault: { type: 'slow', delayMs: 0 },
		});
		await redirect(
			{ origin: 'segmind', method: 'GET', pathPrefix: `/v2/requests/${requestId}` },
			elsewhere(),
		);
		const { error } = await getResult(requestId);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
		const resultReads = (await env.emulator.control.requests({ origin: 'segmind' })).filter(
			(entry) => entry.path === `/v2/requests/${requestId}`,
		);
		expect(resultReads).toHaveLength(1);
	});

	test('a redirect to the other provider does not carry the key there either', async () => {
		await redirect(
			{ origin: 'segmind', method: 'POST', pathPrefix: '/v2/' },
			`${env.emulator.pixazoUrl}/smart-resize/v1/smart-resize-request`,
			307,
		);
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(
			`redirected the request to another host (${new URL(env.emulator.pixazoUrl).host})`,
		);
		expect(await env.emulator.control.requests({ origin: 'pixazo' })).toEqual([]);
	});

	test('Pixazo submit', async () => {
		await redirect(
			{ origin: 'pixazo', method: 'POST', pathPrefix: '/smart-resize/' },
			elsewhere(),
			307,
		);
		const { error } = await runNode(
			'pixazoSmartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
	});

	test('Pixazo status read', async () => {
		await redirect(
			{ origin: 'pixazo', method: 'GET', pathPrefix: '/v2/requests/status/' },
			elsewhere(),
		);
		const { error } = await runNode(
			'pixazoSmartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error?.message).toContain(`redirected the request to another host (${mediaHost()})`);
		await expectNoKeyLeft();
	});

	test('Segmind credential test', async () => {
		await redirect({ origin: 'segmind', pathPrefix: '/v1/get-user-credits' }, elsewhere());
		const result = await testCredential('segmindApi', {
			apiKey: TEST_KEYS.segmind.valid,
			baseUrl: env.emulator.segmindUrl,
			uploadUrl: env.emulator.uploadUrl,
		});
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/redirects elsewhere/),
		});
		await expectNoKeyLeft();
	});

	test('Pixazo credential test', async () => {
		await redirect({ origin: 'pixazo', pathPrefix: '/v2/requests/status/' }, elsewhere(), 307);
		const result = await testCredential('pixazoApi', {
			apiKey: TEST_KEYS.pixazo.valid,
			baseUrl: env.emulator.pixazoUrl,
		});
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/redirects elsewhere, and the key is never sent/),
		});
		await expectNoKeyLeft();
	});
});

describe('a redirect on the same origin is followed', () => {
	test('a 307 on submit repeats the POST once and bills one job', async () => {
		await redirect(
			{ origin: 'segmind', method: 'POST', pathPrefix: '/v2/' },
			'/v2/smart-banner-resizer',
			307,
		);
		const { items, error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const image = await imageOf(items[0]);
		expect([image.width, image.height]).toEqual([300, 250]);
		expect(await env.emulator.control.jobs()).toHaveLength(1);
	});

	test('a 302 on a status read is followed to the same host', async () => {
		const requestId = await submittedSegmindJob();
		await redirect(
			{ origin: 'segmind', method: 'GET', pathPrefix: `/v2/requests/${requestId}/status` },
			`${env.emulator.segmindUrl}/v2/requests/${requestId}/status?moved=1`,
		);
		const { items, error } = await getResult(requestId);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const moved = (await env.emulator.control.requests({ origin: 'segmind' })).filter((entry) =>
			entry.path.endsWith('?moved=1'),
		);
		expect(moved).toHaveLength(1);
		await expectNoKeyLeft();
	});

	test('a redirect loop on the same host stops with a clear error', async () => {
		const requestId = await submittedSegmindJob();
		await env.emulator.control.injectFault({
			origin: 'segmind',
			method: 'GET',
			pathPrefix: `/v2/requests/${requestId}/status`,
			times: 50,
			fault: {
				type: 'status',
				status: 302,
				body: '',
				headers: { location: `/v2/requests/${requestId}/status` },
			},
		});
		const { error } = await getResult(requestId);
		expect(error?.message).toMatch(/redirected the request more than 5 times/);
	});
});
