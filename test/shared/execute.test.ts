/**
 * The one execute every image node runs (nodes/shared/execute.ts), driven through Smart Resize:
 * every item is validated before any request, items run in parallel and keep their order, n8n's
 * Custom API Call is refused, and Continue On Fail turns failures into error items paired to inputs.
 */
import {
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);

describe('items', () => {
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
});

describe('credits', () => {
	test("every item carries the run's lowest balance, which never goes up from item to item", async () => {
		const { items } = await runNode(
			'smartResize',
			resize({ variantsPerSize: 1, sizePresets: [], customSizes: '300x250' }),
			Array.from({ length: 6 }, (_, index) => ({ json: { index } })),
			segmindCredentials(env.emulator),
		);
		const balances = items.map((item) => item.json.remainingCredits as number);
		expect(balances.every((balance) => typeof balance === 'number')).toBe(true);
		for (const item of items) {
			expect(item.json.lowestRemainingCredits).toBe(Math.min(...balances));
			expect(item.json.jobCostCredits).toEqual(expect.any(Number));
		}
	});
});

describe('Continue On Fail', () => {
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

	test('an error item names its source: the binary file, or the image URL', async () => {
		const { items } = await runNode(
			'smartResize',
			resize({ inputSource: 'binary', customSizes: '={{ $json.size }}', sizePresets: [] }),
			[
				{ ...sampleBinaryItem('summer sale.png'), json: { size: 'huge' } },
				{ ...sampleBinaryItem('autumn.png'), json: { size: 'square' } },
			],
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		expect(items.map((item) => item.json.sourceName)).toEqual(['summer-sale', 'autumn']);
		expect(items.map((item) => item.json.errorCode)).toEqual(['INVALID_INPUT', 'INVALID_INPUT']);

		const byUrl = await runNode(
			'smartResize',
			resize({ imageUrl: `${env.emulator.mediaUrl}/samples/product.png`, customSizes: 'huge' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		expect(byUrl.items[0].json).toMatchObject({
			sourceName: 'product',
			sourceUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		});
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
		expect(items[0].json.error).toMatch(/^Bad input: /);
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
});
