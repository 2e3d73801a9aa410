import { RESOLUTIONS, nearestResolution } from '../../nodes/shared/models/reframe';
import {
	FAST_POLLING,
	imageOf,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	useEmulator,
} from '../helpers';

const env = useEmulator();

function reframe(parameters: Record<string, unknown> = {}) {
	return {
		operation: 'reframe',
		inputSource: 'url',
		imageUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		resolutionMode: 'resolution',
		resolution: 'RESOLUTION_1024_1024',
		styleType: 'GENERAL',
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

describe('Smart Reframe', () => {
	test('extends the canvas to the exact resolution, filled, and says which one', async () => {
		const { items, error } = await runNode(
			'smartReframe',
			reframe({
				inputSource: 'binary',
				resolution: 'RESOLUTION_1536_640',
				styleType: 'REALISTIC',
				options: { seed: 4242 },
			}),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const image = await imageOf(items[0]);
		expect([image.width, image.height, image.format]).toEqual([1536, 640, 'png']);
		expect(items[0].json).toMatchObject({
			model: 'ideogram-reframe',
			resolution: 'RESOLUTION_1536_640',
			styleType: 'REALISTIC',
			size: '1536x640',
			fileName: 'product_1536x640_reframed.png',
		});
		const [submit] = (await env.emulator.control.requests()).filter(
			(request) => request.path === '/v2/ideogram-reframe',
		);
		expect(submit).toBeDefined();
	});

	test.each([
		['16:9', 'RESOLUTION_1280_720'],
		['9:16', 'RESOLUTION_720_1280'],
		['1:1', 'RESOLUTION_1024_1024'],
		['4:5', 'RESOLUTION_1024_1280'],
	])(
		'maps the aspect ratio %s to the nearest supported resolution',
		async (aspectRatio, expected) => {
			const closest = nearestResolution(eval(aspectRatio.replace(':', '/')) as number);
			const { items, error } = await runNode(
				'smartReframe',
				reframe({ resolutionMode: 'aspectRatio', aspectRatio }),
				[{ json: {} }],
				segmindCredentials(env.emulator),
			);
			expect(error).toBeUndefined();
			expect(items[0].json.resolution).toBe(closest.value);
			if (RESOLUTIONS.some((resolution) => resolution.value === expected))
				expect(closest.value).toBe(expected);
			const image = await imageOf(items[0]);
			expect(`${image.width}x${image.height}`).toBe(`${closest.width}x${closest.height}`);
			expect(items[0].json.requestedAspectRatio).toBe(aspectRatio);
		},
	);

	test('a custom aspect ratio is mapped too', async () => {
		const { items } = await runNode(
			'smartReframe',
			reframe({
				resolutionMode: 'aspectRatio',
				aspectRatio: 'custom',
				customAspectRatio: '2.35:1',
				output: 'urls',
			}),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(items[0].json.resolution).toBe(nearestResolution(2.35).value);
	});

	test('every one of the 78 resolutions is accepted and produced at its exact size', async () => {
		const { items, error } = await runNode(
			'smartReframe',
			reframe({ resolution: '={{ $json.resolution }}', options: { parallelJobs: 6 } }),
			RESOLUTIONS.map((resolution) => ({ json: { resolution: resolution.value } })),
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(78);
		for (const [index, item] of items.entries()) {
			const { width, height, value } = RESOLUTIONS[index];
			expect(item.json.resolution).toBe(value);
			const image = await imageOf(item);
			expect(`${image.width}x${image.height}`).toBe(`${width}x${height}`);
		}
	});

	test.each(['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME'])(
		'accepts the style type %s',
		async (styleType) => {
			const { items, error } = await runNode(
				'smartReframe',
				reframe({ styleType, output: 'urls' }),
				[{ json: {} }],
				segmindCredentials(env.emulator),
			);
			expect(error).toBeUndefined();
			expect(items[0].json.styleType).toBe(styleType);
		},
	);

	test('the direct (v1) API returns the image bytes in one call', async () => {
		const { items, error } = await runNode(
			'smartReframe',
			reframe({ apiMode: 'sync', resolution: 'RESOLUTION_768_1344' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		const image = await imageOf(items[0]);
		expect([image.width, image.height]).toEqual([768, 1344]);
		const paths = (await env.emulator.control.requests()).map((request) => request.path);
		expect(paths).toContain('/v1/ideogram-reframe');
		expect(paths.some((path) => path.startsWith('/v2/'))).toBe(false);
	});

	test.each([
		['a seed below 100', { options: { seed: 99 } }, 'Seed'],
		['a seed above 999999', { options: { seed: 1000000 } }, 'Seed'],
		['an unknown resolution', { resolution: 'RESOLUTION_1000_1000' }, 'Resolution'],
		['an unknown style', { styleType: 'CARTOON' }, 'Style Type'],
		[
			'a malformed custom aspect ratio',
			{ resolutionMode: 'aspectRatio', aspectRatio: 'custom', customAspectRatio: 'wide' },
			'Custom Aspect Ratio',
		],
		[
			'an extreme aspect ratio',
			{ resolutionMode: 'aspectRatio', aspectRatio: 'custom', customAspectRatio: '10:1' },
			'Custom Aspect Ratio',
		],
	])('refuses %s before any request', async (_, parameters, field) => {
		const { error } = await runNode(
			'smartReframe',
			reframe(parameters),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(`Invalid "${field}"`);
		expect(error?.message).toContain('Allowed');
		expect(await env.emulator.control.requests()).toEqual([]);
	});
});

describe('Smart Reframe seed', () => {
	test('reports the seed the provider used, and the same seed can be asked for again', async () => {
		const first = await runNode(
			'smartReframe',
			reframe(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(first.error).toBeUndefined();
		const seed = first.items[0].json.seed;
		expect(Number.isInteger(seed)).toBe(true);
		const again = await runNode(
			'smartReframe',
			reframe({ options: { seed } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(again.items[0].json.seed).toBe(seed);
	});
});
