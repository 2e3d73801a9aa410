import { TEST_KEYS } from '../../emulator';
import {
	binaryBuffer,
	nodeError,
	nodeOutput,
	PACKAGE,
	sourceInto,
	startWorkflow,
} from '../../harness/n8n';
import { FAST_POLLING, imageOf, runNode, sampleBinaryItem, useEmulator } from '../helpers';
import type { Emulator } from '../../emulator';
import { sniffImage } from '../../nodes/shared/imageInfo';

const env = useEmulator();

function pixazoCredentials(emulator: Emulator, apiKey: string = TEST_KEYS.pixazo.valid) {
	return { pixazoApi: { apiKey, baseUrl: emulator.pixazoUrl } };
}

function resize(parameters: Record<string, unknown> = {}) {
	return {
		provider: 'pixazo',
		operation: 'resize',
		inputSource: 'url',
		imageUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		sizePresets: ['pinterestPin', 'xPost'],
		customSizes: '512x512',
		variantsPerSize: 2,
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

describe('Smart Resize with Pixazo', () => {
	test('makes every size and variant as real images, and names the provider', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(6);
		const sizes = ['1000x1500', '1000x1500', '1600x900', '1600x900', '512x512', '512x512'];
		for (const [index, item] of items.entries()) {
			const image = await imageOf(item);
			expect(`${image.width}x${image.height}`).toBe(sizes[index]);
			expect(item.json).toMatchObject({
				provider: 'pixazo',
				model: 'smart-resize',
				size: sizes[index],
				variant: (index % 2) + 1,
			});
			expect(String(item.json.requestId)).toMatch(/^smart-resize_/);
		}
		const submits = (await env.emulator.control.requests({ origin: 'pixazo' })).filter(
			(request) => request.method === 'POST',
		);
		expect(submits).toHaveLength(1);
		expect(submits[0].path).toBe('/smart-resize/v1/smart-resize-request');
	});

	test('with Return Data URIs (sync_mode) the images arrive inline and nothing is downloaded', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({
				inputSource: 'binary',
				variantsPerSize: 1,
				options: { dataUris: true, outputFormat: 'webp' },
			}),
			[sampleBinaryItem()],
			pixazoCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const info = sniffImage(await binaryBuffer(items[2].binary!.data));
		expect(info).toMatchObject({ format: 'webp', width: 512, height: 512 });
		expect(await env.emulator.control.requests({ origin: 'media' })).toEqual([]);
	});

	test.each([
		['FAILED', 'fail', /could not process job .*: prompt rejected/, /failed at the provider/],
		['ERROR', 'error', /system error on job/, /not charged/],
	] as const)('a %s job is reported with what to do', async (_, kind, message, description) => {
		await env.emulator.control.failNextJobs({ times: 1, kind, reason: 'prompt rejected' });
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
	});

	test('402 means out of Pixazo credits', async () => {
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator, TEST_KEYS.pixazo.noCredits),
		);
		expect(error?.message).toMatch(/Out of Pixazo credits/);
		expect(error?.description).toMatch(/Add funds/);
	});

	test('a bad subscription key is reported as such', async () => {
		const { error } = await runNode(
			'smartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator, 'nope-nope'),
		);
		expect(error?.message).toMatch(/Pixazo rejected the API key/);
	});

	test('submit, then Get Result with the Pixazo credential', async () => {
		const submitted = await runNode(
			'smartResize',
			resize({ waitForCompletion: false }),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		const fetched = await runNode(
			'smartResize',
			{
				provider: 'pixazo',
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

	test('neither key leaves its own API: Segmind and Pixazo nodes in one workflow', async () => {
		const both = sourceInto(
			{
				name: 'Segmind resize',
				type: `${PACKAGE}.smartResize`,
				parameters: {
					...resize({ provider: 'segmind', variantsPerSize: 1 }),
					inputSource: 'binary',
				},
				credentials: { segmindApi: { id: '1', name: 'Segmind' } },
			},
			[sampleBinaryItem()],
		);
		both.nodes.push({
			id: 'pixazo',
			name: 'Pixazo resize',
			type: `${PACKAGE}.smartResize`,
			typeVersion: 1,
			position: [600, 0],
			parameters: { ...resize({ variantsPerSize: 1 }), inputSource: 'binary' },
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
