import { sniffImage } from '../../nodes/shared/imageInfo';
import { TARGET_FORMATS } from '../../nodes/shared/models/convert';
import { binaryBuffer } from '../../harness/n8n';
import {
	FAST_POLLING,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	useEmulator,
} from '../helpers';

const env = useEmulator();

function convert(parameters: Record<string, unknown> = {}) {
	return {
		operation: 'convert',
		inputSource: 'binary',
		binaryPropertyName: 'data',
		targetFormat: 'webp',
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

const EXPECTED: Record<string, { format: string; mimeType: string }> = {
	png: { format: 'png', mimeType: 'image/png' },
	jpg: { format: 'jpeg', mimeType: 'image/jpeg' },
	jpeg: { format: 'jpeg', mimeType: 'image/jpeg' },
	gif: { format: 'gif', mimeType: 'image/gif' },
	bmp: { format: 'bmp', mimeType: 'image/bmp' },
	tiff: { format: 'tiff', mimeType: 'image/tiff' },
	webp: { format: 'webp', mimeType: 'image/webp' },
};

describe('Smart Convert', () => {
	test.each(TARGET_FORMATS)(
		'writes a real %s file with its extension and mime type',
		async (targetFormat) => {
			const { items, error } = await runNode(
				'smartConvert',
				convert({ targetFormat }),
				[sampleBinaryItem()],
				segmindCredentials(env.emulator),
			);
			expect(error).toBeUndefined();
			const binary = items[0].binary!.data;
			const data = await binaryBuffer(binary);
			const info = sniffImage(data);
			expect(info?.format).toBe(EXPECTED[targetFormat].format);
			expect([info?.width, info?.height]).toEqual([1200, 800]);
			expect(binary.mimeType).toBe(EXPECTED[targetFormat].mimeType);
			expect(binary.fileName).toBe(`product.${targetFormat}`);
			expect(items[0].json).toMatchObject({
				model: 'image-converter',
				targetFormat,
				format: EXPECTED[targetFormat].format,
			});
		},
	);

	test('sends a binary inline as base64 by default, with no upload', async () => {
		await runNode(
			'smartConvert',
			convert(),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		const paths = (await env.emulator.control.requests()).map((request) => request.path);
		expect(paths).not.toContain('/upload-asset');
		expect(paths).toContain('/v2/image-converter');
	});

	test('can upload the binary first instead', async () => {
		const { error } = await runNode(
			'smartConvert',
			convert({ options: { binaryUpload: 'upload' } }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect((await env.emulator.control.requests()).map((request) => request.path)).toContain(
			'/upload-asset',
		);
	});

	test('the direct (v1) API answers with JSON that is read either way', async () => {
		for (const converterV1Shape of ['url', 'base64'] as const) {
			await env.emulator.control.configure({ converterV1Shape });
			const { items, error } = await runNode(
				'smartConvert',
				convert({ apiMode: 'sync', targetFormat: 'jpg' }),
				[sampleBinaryItem()],
				segmindCredentials(env.emulator),
			);
			expect(error).toBeUndefined();
			expect(sniffImage(await binaryBuffer(items[0].binary!.data))?.format).toBe('jpeg');
		}
	});

	test('refuses an unsupported target format before any request', async () => {
		const { error } = await runNode(
			'smartConvert',
			convert({ targetFormat: 'heic' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toBe(
			'Invalid "Target Format": "heic". Allowed: png, jpg, jpeg, gif, bmp, tiff, webp',
		);
		expect(await env.emulator.control.requests()).toEqual([]);
	});
});
