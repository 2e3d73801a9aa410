/** Output file names: the parts this package writes are rewritten, the user's own name is kept. */
import { outputFileName, parseName } from '../../nodes/shared/fileNames';

describe('parseName', () => {
	test.each([
		['product', { stem: 'product', marks: [] }],
		[
			'product_1080x1080_1',
			{ stem: 'product', size: { width: 1080, height: 1080 }, variant: 1, marks: [] },
		],
		[
			'product_1080x1080_1_reframed_1280x720_relit',
			{
				stem: 'product_1080x1080_1',
				size: { width: 1280, height: 720 },
				marks: ['reframed', 'relit'],
			},
		],
		[
			'product_1280x720_2_reframed_relit',
			{
				stem: 'product',
				size: { width: 1280, height: 720 },
				variant: 2,
				marks: ['reframed', 'relit'],
			},
		],
		// A name that is only a size, or a size inside a word, is the user's own.
		['1080x1080', { stem: '1080x1080', marks: [] }],
		['banner-728x90-final', { stem: 'banner-728x90-final', marks: [] }],
	])('%s', (name, parts) => {
		expect(parseName(name)).toEqual(expect.objectContaining(parts));
	});
});

describe('outputFileName', () => {
	const png = { extension: 'png' };
	test('Resize writes the size and variant', () => {
		expect(
			outputFileName('product', {
				...png,
				size: { width: 300, height: 250 },
				sizeChanged: true,
				variant: 2,
			}),
		).toBe('product_300x250_2.png');
	});

	test('Reframe replaces the size an earlier Resize wrote, and keeps its variant', () => {
		expect(
			outputFileName('product_1080x1080_2', {
				...png,
				size: { width: 1280, height: 720 },
				sizeChanged: true,
				mark: 'reframed',
			}),
		).toBe('product_1280x720_2_reframed.png');
	});

	test('Relight keeps the size part, corrected to the real size, and adds its mark once', () => {
		expect(
			outputFileName('product_1280x720_2_reframed_relit', {
				...png,
				size: { width: 1280, height: 720 },
				sizeChanged: false,
				mark: 'relit',
			}),
		).toBe('product_1280x720_2_reframed_relit.png');
		expect(
			outputFileName('product', {
				...png,
				size: { width: 640, height: 480 },
				sizeChanged: false,
				mark: 'relit',
			}),
		).toBe('product_relit.png');
	});

	test('Convert changes only the extension', () => {
		expect(
			outputFileName('product_300x250_1', {
				extension: 'webp',
				size: { width: 300, height: 250 },
				sizeChanged: false,
			}),
		).toBe('product_300x250_1.webp');
	});

	test('a File Name Prefix replaces the input name, made safe for storage nodes', () => {
		expect(
			outputFileName('IMG_0042_1080x1080_1', {
				...png,
				size: { width: 728, height: 90 },
				sizeChanged: true,
				variant: 1,
				prefix: ' Summer sale / EU ',
			}),
		).toBe('Summer-sale-EU_728x90_1.png');
	});
});

test('the steps are named in the order they were done', () => {
	const relit = outputFileName('product', {
		extension: 'png',
		size: { width: 1200, height: 800 },
		sizeChanged: false,
		mark: 'relit',
	});
	expect(relit).toBe('product_relit.png');
	expect(
		outputFileName(relit.replace(/\.png$/, ''), {
			extension: 'png',
			size: { width: 1536, height: 512 },
			sizeChanged: true,
			mark: 'reframed',
		}),
	).toBe('product_1536x512_relit_reframed.png');
});
