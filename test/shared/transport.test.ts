/**
 * The one authenticated HTTP transport (nodes/shared/transport.ts), driven through Smart Resize:
 * provider errors that say what to do, rate limits, which requests are retried and which never are,
 * and the API key never leaving its provider. Redirects have their own file (redirects.test.ts).
 */
import { TEST_KEYS } from '../../emulator';
import {
	nodeError,
	nodeOutput,
	PACKAGE,
	PIXAZO_PACKAGE,
	sourceInto,
	startWorkflow,
} from '../../harness/n8n';
import {
	FAST_POLLING,
	pixazoCredentials,
	pixazoResize,
	requestsTo,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);
const resizeWithPixazo = (parameters?: Record<string, unknown>) =>
	pixazoResize(env.emulator, parameters);
const modelRequests = (pathPrefix: string) => requestsTo(env.emulator, pathPrefix);

describe('provider errors say what to do', () => {
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

	test('402 means out of Pixazo credits', async () => {
		const { error } = await runNode(
			'pixazoSmartResize',
			resizeWithPixazo(),
			[{ json: {} }],
			pixazoCredentials(env.emulator, TEST_KEYS.pixazo.noCredits),
		);
		expect(error?.message).toMatch(/Out of Pixazo credits/);
		expect(error?.description).toMatch(/Add funds/);
	});

	test('a bad subscription key is reported as such', async () => {
		const { error } = await runNode(
			'pixazoSmartResize',
			resizeWithPixazo(),
			[{ json: {} }],
			pixazoCredentials(env.emulator, 'nope-nope'),
		);
		expect(error?.message).toMatch(/Pixazo rejected the API key/);
	});
});

describe('rate limits', () => {
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
});

describe('a submit is never retried once the provider may have accepted it', () => {
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
});

describe('status reads are retried', () => {
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
});

describe('the API key never leaves its provider', () => {
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

	test('neither key leaves its own API: the Segmind and Pixazo packages in one workflow', async () => {
		const both = sourceInto(
			{
				name: 'Segmind resize',
				type: `${PACKAGE}.smartResize`,
				// The Pixazo sizes, sent to Segmind: both nodes make the same three sizes.
				parameters: {
					...resizeWithPixazo({ variantsPerSize: 1 }),
					inputSource: 'binary',
				},
				credentials: { segmindApi: { id: '1', name: 'Segmind' } },
			},
			[sampleBinaryItem()],
		);
		both.nodes.push({
			id: 'pixazo',
			name: 'Pixazo resize',
			type: `${PIXAZO_PACKAGE}.pixazoSmartResize`,
			typeVersion: 1,
			position: [600, 0],
			parameters: {
				...resizeWithPixazo({ variantsPerSize: 1 }),
				inputSource: 'binary',
				options: { ...FAST_POLLING, sendBinaryAsDataUri: true },
			},
			credentials: { pixazoApi: { id: '2', name: 'Pixazo' } },
		});
		both.connections['Segmind resize'] = {
			main: [[{ node: 'Pixazo resize', type: 'main', index: 0 }]],
		};
		const run = await startWorkflow(both, {
			segmindApi: {
				apiKey: TEST_KEYS.segmind.valid,
				baseUrl: env.emulator.segmindUrl,
				uploadUrl: env.emulator.uploadUrl,
			},
			pixazoApi: { apiKey: TEST_KEYS.pixazo.valid, baseUrl: env.emulator.pixazoUrl },
		}).done;
		expect(nodeError(run, 'Pixazo resize')).toBeUndefined();
		expect(nodeOutput(run, 'Pixazo resize')).toHaveLength(9);

		const log = await env.emulator.control.requests();
		const keysSeenBy = (origin: string) =>
			new Set(
				log
					.filter((request) => request.origin === origin)
					.flatMap((request) => request.presentedKeyIds),
			);
		expect([...keysSeenBy('pixazo')]).toEqual(['pixazo:valid']);
		expect([...keysSeenBy('segmind')]).toEqual(['segmind:valid']);
		expect([...keysSeenBy('media')]).toEqual([]);
		expect(log.filter((request) => request.origin === 'media').length).toBeGreaterThan(0);
	});
});
