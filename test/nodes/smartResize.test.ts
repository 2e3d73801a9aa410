/** Smart Resize with Segmind: sizes, presets, variants, formats, file names, and its own fields. */
import sharp from 'sharp';

import {
	imageOf,
	requestsTo,
	runNode,
	sampleBinaryItem,
	sampleUrl as sampleUrlOf,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);
const modelRequests = (pathPrefix: string) => requestsTo(env.emulator, pathPrefix);
const sampleUrl = () => sampleUrlOf(env.emulator);

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
			expect(item.json.jobCostCredits).toEqual(expect.any(Number));
			expect(item.json.fileName).toBe(`product_${expected[index]}_${(index % 2) + 1}.png`);
			expect(item.binary?.data.mimeType).toBe('image/png');
			expect(item.pairedItem).toEqual({ item: 0 });
			// What a user looks for comes first, so it fits in the Table view.
			expect(Object.keys(item.json).slice(0, 3)).toEqual(['fileName', 'size', 'format']);
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
			'Input File Field',
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
	test.each([
		[
			'Custom Sizes',
			{ customSizes: '10000x500, square, 640x480, 0x0' },
			['"10000x500"', '"square"', '"0x0"'],
		],
		[
			'Preset Sizes',
			{ sizePresets: ['instagramPost', 'billboard', '={{ "poster" }}'], customSizes: '' },
			['"billboard"', '"poster"'],
		],
	])('names every bad value of %s in one message', async (field, parameters, bad) => {
		const { error } = await runNode(
			'smartResize',
			resize(parameters),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(`Invalid "${field}"`);
		for (const value of bad) expect(error?.message).toContain(value);
		expect(error?.message).not.toContain('"640x480"');
		expect(await env.emulator.control.requests()).toEqual([]);
	});
});

describe('workflows saved before Smart Resize became Segmind-only', () => {
	test('the editor shows no Provider field; the only credential is the Segmind one', async () => {
		const { SmartResize } = await import('../../nodes/SmartResize/SmartResize.node.ts');
		const { description } = new SmartResize();
		expect(description.properties.map((property) => property.name)).not.toContain('provider');
		expect(description.credentials).toEqual([{ name: 'segmindApi', required: true }]);
	});

	test('a node saved with Provider "segmind" runs unchanged', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({ provider: 'segmind', variantsPerSize: 1, sizePresets: [] }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.provider, item.json.size])).toEqual([
			['segmind', '300x250'],
		]);
	});
});
