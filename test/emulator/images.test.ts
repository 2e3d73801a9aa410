/** What the emulated models render: exact sizes and formats, and outputs that really differ. */
import sharp from 'sharp';

import { IDEOGRAM_RESOLUTIONS, startEmulator, TEST_KEYS, type Emulator } from '../../emulator';
import {
	call,
	meanAbsDiff,
	pollUntilDone,
	regionMeans,
	regionStdDev,
	sampleUrl,
	segmindHeaders,
} from './testHelpers';

const auth = segmindHeaders(TEST_KEYS.segmind.valid);
let emulator: Emulator;
let sample: Buffer;

beforeAll(async () => {
	emulator = await startEmulator({ config: { queueMs: 0, processingMs: 0, syncLatencyMs: 0 } });
	sample = (await call(sampleUrl(emulator))).body;
});
afterAll(() => emulator.close());

/** Runs a model through v2 and downloads every output file. */
async function runV2(
	slug: string,
	body: Record<string, unknown>,
): Promise<{ urls: string[]; files: Buffer[]; contentTypes: string[] }> {
	const submitted = await call(`${emulator.segmindUrl}/v2/${slug}`, { json: body, headers: auth });
	expect(submitted.status).toBe(200);
	const result = await pollUntilDone(submitted.json.response_url, auth);
	expect(result.json.status).toBe('COMPLETED');
	const urls: string[] =
		typeof result.json.output === 'string' ? [result.json.output] : result.json.output;
	const downloads = await Promise.all(urls.map((url) => call(url)));
	return {
		urls,
		files: downloads.map((d) => d.body),
		contentTypes: downloads.map((d) => d.headers['content-type']),
	};
}

/** Share of strongly red pixels (the sample's sneaker). */
async function redShare(image: Buffer): Promise<number> {
	const { data, info } = await sharp(image)
		.removeAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
	let red = 0;
	for (let i = 0; i < data.length; i += info.channels)
		if (data[i] > 180 && data[i + 1] < 120 && data[i + 2] < 120) red++;
	return red / (info.width * info.height);
}

/** Strongly red pixels in the outermost columns: a sneaker cut by the frame's left or right edge. */
async function redAtSides(image: Buffer): Promise<number> {
	const { data, info } = await sharp(image)
		.removeAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
	let red = 0;
	for (let y = 0; y < info.height; y++) {
		for (const x of [0, 1, info.width - 2, info.width - 1]) {
			const i = (y * info.width + x) * info.channels;
			if (data[i] > 180 && data[i + 1] < 120 && data[i + 2] < 120) red++;
		}
	}
	return red;
}

describe('smart-banner-resizer', () => {
	it.each(['png', 'jpeg', 'webp'] as const)(
		'renders every size exactly, in output_format %s, sizes in order and variants inside',
		async (format) => {
			const sizes = ['1080x1080', '1080x1920', '1200x628'];
			const { urls, files, contentTypes } = await runV2('smart-banner-resizer', {
				image_url: sampleUrl(emulator),
				target_sizes: sizes,
				num_images_per_size: 2,
				output_format: format,
			});
			expect(urls).toHaveLength(6);
			const expected = sizes.flatMap((size) => [0, 1].map((variant) => ({ size, variant })));
			for (const [index, { size, variant }] of expected.entries()) {
				expect(urls[index]).toMatch(new RegExp(`_${size}_${variant}\\.${format}$`));
				const [width, height] = size.split('x').map(Number);
				expect(await sharp(files[index]).metadata()).toMatchObject({ format, width, height });
				expect(contentTypes[index]).toBe(`image/${format}`);
			}
		},
	);

	it('makes the variants of one size visibly different compositions', async () => {
		const { files } = await runV2('smart-banner-resizer', {
			image_url: sampleUrl(emulator),
			target_sizes: ['600x600'],
			num_images_per_size: 4,
		});
		for (let a = 0; a < files.length; a++) {
			for (let b = a + 1; b < files.length; b++)
				expect(await meanAbsDiff(files[a], files[b])).toBeGreaterThan(4);
		}
	});

	it('keeps the subject in frame (subject-aware, not a centre crop)', async () => {
		const { files } = await runV2('smart-banner-resizer', {
			image_url: sampleUrl(emulator),
			target_sizes: ['400x800'],
			num_images_per_size: 2,
		});
		const centreCrop = await sharp(sample)
			.resize(400, 800, { fit: 'cover', position: 'centre' })
			.png()
			.toBuffer();
		// The close-up variant frames the sneaker far better than a centre crop would.
		expect(await redShare(files[1])).toBeGreaterThan((await redShare(centreCrop)) * 1.5);
		// The first variant keeps the whole sneaker: no red touches the left or right edge, while the
		// centre crop cuts through it.
		expect(await redAtSides(files[0])).toBe(0);
		expect(await redAtSides(centreCrop)).toBeGreaterThan(0);
	});

	it('renders the same bytes for the same request (deterministic, cached)', async () => {
		const body = {
			image_url: sampleUrl(emulator),
			target_sizes: ['320x240'],
			num_images_per_size: 2,
		};
		const [first, second] = [
			await runV2('smart-banner-resizer', body),
			await runV2('smart-banner-resizer', body),
		];
		expect(first.files[1].equals(second.files[1])).toBe(true);
	});
});

describe('ideogram-reframe', () => {
	it('knows the 78 resolutions', () => {
		expect(IDEOGRAM_RESOLUTIONS).toHaveLength(78);
	});

	it.each(['RESOLUTION_768_1344', 'RESOLUTION_1536_512', 'RESOLUTION_1024_1024'])(
		'renders a PNG of exactly %s',
		async (resolution) => {
			const { files } = await runV2('ideogram-reframe', {
				image_file: sampleUrl(emulator),
				resolution,
				style_type: 'REALISTIC',
				seed: 1234,
			});
			const [width, height] = resolution.split('_').slice(1).map(Number);
			expect(await sharp(files[0]).metadata()).toMatchObject({ format: 'png', width, height });
		},
	);

	it('defaults to 1024x1024 and fills the added canvas with image content, not a flat colour', async () => {
		const { files } = await runV2('ideogram-reframe', { image_file: sampleUrl(emulator) });
		expect(await sharp(files[0]).metadata()).toMatchObject({ width: 1024, height: 1024 });
		// A 3:2 source fitted into a square leaves bands above and below.
		const band = { left: 0, top: 0.02, width: 1, height: 0.12 };
		expect(await regionStdDev(files[0], band)).toBeGreaterThan(2);
		const { files: portrait } = await runV2('ideogram-reframe', {
			image_file: sampleUrl(emulator),
			resolution: 'RESOLUTION_576_1536',
		});
		expect(
			await regionStdDev(portrait[0], { left: 0, top: 0.05, width: 1, height: 0.25 }),
		).toBeGreaterThan(2);
	});
});

describe('ideogram-reframe never mirrors the picture into the added canvas', () => {
	it('a bright bar near the left edge does not reappear in the band added on the left', async () => {
		// Black square, with a white bar a tenth of the way in from its left edge. Mirrored outward
		// into a 16:9 canvas, the bar would show again in the left band, backwards like any text.
		const side = 512;
		const bar = await sharp({
			create: { width: 40, height: side, channels: 3, background: '#ffffff' },
		})
			.png()
			.toBuffer();
		const source = await sharp({
			create: { width: side, height: side, channels: 3, background: '#000000' },
		})
			.composite([{ input: bar, left: 50, top: 0 }])
			.png()
			.toBuffer();
		const { files } = await runV2('ideogram-reframe', {
			image_file: `data:image/png;base64,${source.toString('base64')}`,
			resolution: 'RESOLUTION_1344_768',
		});
		expect(await sharp(files[0]).metadata()).toMatchObject({ width: 1344, height: 768 });
		// The picture fills the middle 768 columns; the left band is the first 288.
		const leftBand = { left: 0, top: 0.1, width: 250 / 1344, height: 0.8 };
		expect((await regionMeans(files[0], leftBand)).luma).toBeLessThan(20);
		const barInPicture = { left: (288 + 85) / 1344, top: 0.1, width: 30 / 1344, height: 0.8 };
		expect((await regionMeans(files[0], barInPicture)).luma).toBeGreaterThan(200);
	});
});

describe('segmind-relighting', () => {
	const relit = async (options: Record<string, string>) => {
		const result = await call(`${emulator.segmindUrl}/v1/segmind-relighting`, {
			json: {
				image: sampleUrl(emulator),
				light_type: 'softbox',
				light_temperature: 'neutral',
				light_intensity: 'medium',
				light_direction: 'top',
				...options,
			},
			headers: auth,
		});
		expect(result.status).toBe(200);
		return result.body;
	};
	const LEFT = { left: 0, top: 0, width: 0.33, height: 1 };
	const RIGHT = { left: 0.67, top: 0, width: 0.33, height: 1 };
	const TOP = { left: 0, top: 0, width: 1, height: 0.33 };
	const BOTTOM = { left: 0, top: 0.67, width: 1, height: 0.33 };
	const CENTRE = { left: 0.35, top: 0.35, width: 0.3, height: 0.3 };
	const EDGE = { left: 0, top: 0, width: 1, height: 0.08 };
	/** How much brighter region a got than region b, relative to the input. */
	const gain = async (image: Buffer, a: typeof LEFT, b: typeof LEFT) =>
		(await regionMeans(image, a)).luma -
		(await regionMeans(sample, a)).luma -
		((await regionMeans(image, b)).luma - (await regionMeans(sample, b)).luma);

	it('keeps the input size', async () => {
		expect(await sharp(await relit({})).metadata()).toMatchObject({
			format: 'png',
			width: 1200,
			height: 800,
		});
	});

	it('keeps the transparency of a transparent input', async () => {
		const transparent = await sharp(sample).resize(300, 200).ensureAlpha(0.5).png().toBuffer();
		const output = await relit({
			image: `data:image/png;base64,${transparent.toString('base64')}`,
		});
		expect(await sharp(output).metadata()).toMatchObject({
			width: 300,
			height: 200,
			hasAlpha: true,
		});
		const [alphaIn, alphaOut] = await Promise.all(
			[transparent, output].map((image) => sharp(image).extractChannel(3).raw().toBuffer()),
		);
		expect(alphaOut.equals(alphaIn)).toBe(true);
	});

	it.each([
		['left', LEFT, RIGHT],
		['right', RIGHT, LEFT],
		['top', TOP, BOTTOM],
		['back', EDGE, CENTRE],
	] as const)('lights the %s side', async (direction, lit, unlit) => {
		expect(await gain(await relit({ light_direction: direction }), lit, unlit)).toBeGreaterThan(15);
	});

	it('tints by temperature', async () => {
		const warmth = async (temperature: string) => {
			const { r, b } = await regionMeans(await relit({ light_temperature: temperature }), {
				left: 0,
				top: 0,
				width: 1,
				height: 1,
			});
			return r - b;
		};
		const [warm, cool, sunset] = [
			await warmth('warm'),
			await warmth('cool'),
			await warmth('sunset'),
		];
		expect(warm).toBeGreaterThan(cool + 20);
		expect(sunset).toBeGreaterThan(cool + 20);
	});

	it('scales the effect with intensity', async () => {
		const change = async (intensity: string) =>
			meanAbsDiff(await relit({ light_intensity: intensity, light_direction: 'left' }), sample);
		expect(await change('strong')).toBeGreaterThan((await change('bright')) + 3);
		expect(await change('mood')).toBeGreaterThan(10);
	});
});

describe('image-converter', () => {
	/** Reads a BMP header by hand: sharp cannot read BMP, and the test should not trust the encoder it checks. */
	function bmpHeader(file: Buffer) {
		return {
			magic: file.toString('ascii', 0, 2),
			fileSize: file.readUInt32LE(2),
			pixelOffset: file.readUInt32LE(10),
			infoSize: file.readUInt32LE(14),
			width: file.readInt32LE(18),
			height: file.readInt32LE(22),
			planes: file.readUInt16LE(26),
			bitsPerPixel: file.readUInt16LE(28),
			compression: file.readUInt32LE(30),
		};
	}

	it.each([
		['png', 'png', 'image/png'],
		['jpg', 'jpeg', 'image/jpeg'],
		['jpeg', 'jpeg', 'image/jpeg'],
		['gif', 'gif', 'image/gif'],
		['tiff', 'tiff', 'image/tiff'],
		['webp', 'webp', 'image/webp'],
	])(
		'converts to %s: a real %s file of the same pixel size',
		async (target, format, contentType) => {
			const { urls, files, contentTypes } = await runV2('image-converter', {
				image_url: sampleUrl(emulator),
				target_format: target,
			});
			expect(urls[0].endsWith(`.${target}`)).toBe(true);
			expect(contentTypes[0]).toBe(contentType);
			expect(await sharp(files[0]).metadata()).toMatchObject({ format, width: 1200, height: 800 });
		},
	);

	it('converts to bmp: a correct 24-bit BI_RGB bitmap with the same pixels', async () => {
		const { files, contentTypes } = await runV2('image-converter', {
			image_url: sampleUrl(emulator),
			target_format: 'bmp',
		});
		const [file] = files;
		expect(contentTypes[0]).toBe('image/bmp');
		const rowSize = Math.ceil((1200 * 3) / 4) * 4;
		expect(bmpHeader(file)).toEqual({
			magic: 'BM',
			fileSize: file.length,
			pixelOffset: 54,
			infoSize: 40,
			width: 1200,
			height: 800,
			planes: 1,
			bitsPerPixel: 24,
			compression: 0,
		});
		expect(file.length).toBe(54 + rowSize * 800);
		// Bottom-up BGR: pixel (x, y) sits at row 799 - y.
		const { data } = await sharp(sample).removeAlpha().raw().toBuffer({ resolveWithObject: true });
		for (const [x, y] of [
			[10, 10],
			[900, 450],
			[1199, 799],
		]) {
			const at = 54 + (799 - y) * rowSize + x * 3;
			const source = (y * 1200 + x) * 3;
			expect([file[at + 2], file[at + 1], file[at]]).toEqual([
				data[source],
				data[source + 1],
				data[source + 2],
			]);
		}
	});

	it('accepts a data: URI, raw base64 and a BMP as input', async () => {
		const base64 = sample.toString('base64');
		for (const image_url of [`data:image/png;base64,${base64}`, base64]) {
			const { files } = await runV2('image-converter', { image_url, target_format: 'webp' });
			expect(await sharp(files[0]).metadata()).toMatchObject({
				format: 'webp',
				width: 1200,
				height: 800,
			});
		}
		const { files: bmp } = await runV2('image-converter', {
			image_url: sampleUrl(emulator),
			target_format: 'bmp',
		});
		const { files: back } = await runV2('image-converter', {
			image_url: `data:image/bmp;base64,${bmp[0].toString('base64')}`,
			target_format: 'png',
		});
		expect(await meanAbsDiff(back[0], sample)).toBe(0);
	});

	it('accepts greyscale and transparent inputs', async () => {
		const grey = await sharp(sample).greyscale().png().toBuffer();
		const transparent = await sharp(sample).ensureAlpha(0.5).png().toBuffer();
		const greyTransparent = await sharp(sample).greyscale().ensureAlpha(0.5).png().toBuffer();
		for (const input of [grey, transparent, greyTransparent]) {
			const { files } = await runV2('image-converter', {
				image_url: `data:image/png;base64,${input.toString('base64')}`,
				target_format: 'jpg',
			});
			expect(await sharp(files[0]).metadata()).toMatchObject({
				format: 'jpeg',
				width: 1200,
				height: 800,
			});
		}
	});

	it('fails a job whose input is not an image', async () => {
		const submitted = await call(`${emulator.segmindUrl}/v2/image-converter`, {
			json: {
				image_url: `data:image/png;base64,${Buffer.from('definitely not an image').toString('base64')}`,
				target_format: 'png',
			},
			headers: auth,
		});
		const result = await pollUntilDone(submitted.json.response_url, auth);
		expect(result.status).toBe(422);
		expect(result.json.error).toMatch(/not a decodable image/);
	});
});
