/**
 * Unit tests for the image sniffer. Headers are built by hand (byte by byte, following each
 * format's specification) or written by sharp, then read back. The hostile half feeds truncated,
 * corrupt and random bytes: the sniffer runs on whatever a provider or a user hands over, so it
 * must never throw or loop, and must not invent dimensions.
 */
import sharp from 'sharp';
import { crc32 } from 'node:zlib';

import { describeImage, formatFromMimeType, sniffImage } from '../../nodes/shared/imageInfo';
import type { ImageFormat, ImageInfo } from '../../nodes/shared/imageInfo';

const FORMATS: ImageFormat[] = ['png', 'jpeg', 'webp', 'gif', 'bmp', 'tiff'];
const EXPECTED_TYPE: Record<ImageFormat, { mimeType: string; extension: string }> = {
	png: { mimeType: 'image/png', extension: 'png' },
	jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
	webp: { mimeType: 'image/webp', extension: 'webp' },
	gif: { mimeType: 'image/gif', extension: 'gif' },
	bmp: { mimeType: 'image/bmp', extension: 'bmp' },
	tiff: { mimeType: 'image/tiff', extension: 'tiff' },
};

// ---------------------------------------------------------------------------------------------
// Hand-built headers
// ---------------------------------------------------------------------------------------------

const u16be = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const u16le = (value: number) => Buffer.from([value & 0xff, (value >> 8) & 0xff]);
const u32be = (value: number) => {
	const out = Buffer.alloc(4);
	out.writeUInt32BE(value >>> 0);
	return out;
};
const u32le = (value: number) => {
	const out = Buffer.alloc(4);
	out.writeUInt32LE(value >>> 0);
	return out;
};
const ascii = (text: string) => Buffer.from(text, 'ascii');

function pngChunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([ascii(type), data]);
	return Buffer.concat([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(width: number, height: number): Buffer {
	// Bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace.
	const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 2, 0, 0, 0])]);
	return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A marker segment: FF, the marker, a length that counts itself, the payload. */
function jpegSegment(marker: number, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from([0xff, marker]), u16be(payload.length + 2), payload]);
}

const JFIF_APP0 = jpegSegment(
	0xe0,
	Buffer.concat([ascii('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0])]),
);
const EXIF_APP1 = jpegSegment(
	0xe1,
	// "Exif\0\0" then a little-endian TIFF header with an empty IFD0.
	Buffer.concat([ascii('Exif\0\0'), ascii('II'), u16le(42), u32le(8), u16le(0), u32le(0)]),
);
const DQT = jpegSegment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
const DHT = jpegSegment(0xc4, Buffer.concat([Buffer.from([0]), Buffer.alloc(16), Buffer.alloc(0)]));
const SOS = jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);

function sof(marker: number, width: number, height: number): Buffer {
	// Precision 8, height, width, one component (id 1, sampling 1x1, table 0).
	return jpegSegment(
		marker,
		Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])]),
	);
}

function jpeg(
	width: number,
	height: number,
	options: { marker?: number; before?: Buffer[] } = {},
): Buffer {
	return Buffer.concat([
		SOI,
		...(options.before ?? [JFIF_APP0]),
		DQT,
		sof(options.marker ?? 0xc0, width, height),
		DHT,
		SOS,
		Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56]), // entropy-coded data with a stuffed FF
		EOI,
	]);
}

function riff(chunkType: string, chunk: Buffer): Buffer {
	const padded = chunk.length % 2 === 1 ? Buffer.concat([chunk, Buffer.alloc(1)]) : chunk;
	const body = Buffer.concat([ascii('WEBP'), ascii(chunkType), u32le(chunk.length), padded]);
	return Buffer.concat([ascii('RIFF'), u32le(body.length), body]);
}

/** Lossy WebP: a VP8 key frame header (frame tag, start code, 14-bit sizes with scale bits). */
function webpVp8(width: number, height: number): Buffer {
	const frame = Buffer.concat([
		Buffer.from([0x50, 0x01, 0x00]), // key frame, version 0, shown, first partition size
		Buffer.from([0x9d, 0x01, 0x2a]), // start code
		u16le(width & 0x3fff),
		u16le(height & 0x3fff),
		Buffer.alloc(8),
	]);
	return riff('VP8 ', frame);
}

/** Lossless WebP: signature 0x2f, then width-1 and height-1 in 14 bits each. */
function webpVp8l(width: number, height: number): Buffer {
	const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
	return riff('VP8L', Buffer.concat([Buffer.from([0x2f]), u32le(bits), Buffer.alloc(5)]));
}

/** Extended WebP: flags, three reserved bytes, then canvas width-1 and height-1 in 24 bits each. */
function webpVp8x(width: number, height: number): Buffer {
	const canvas = Buffer.alloc(10);
	canvas[0] = 0x10; // alpha flag
	canvas.writeUIntLE(width - 1, 4, 3);
	canvas.writeUIntLE(height - 1, 7, 3);
	return riff('VP8X', canvas);
}

function gif(version: '87a' | '89a', width: number, height: number): Buffer {
	return Buffer.concat([
		ascii(`GIF${version}`),
		u16le(width),
		u16le(height),
		Buffer.from([0x80, 0, 0]), // global colour table of 2 entries, background 0, aspect 0
		Buffer.from([0, 0, 0, 0xff, 0xff, 0xff]),
		Buffer.from([0x2c]),
		u16le(0),
		u16le(0),
		u16le(width),
		u16le(height),
		Buffer.from([0, 2, 2, 0x44, 0x01, 0, 0x3b]),
	]);
}

/** Windows BMP with a 40-byte BITMAPINFOHEADER; a negative height means top-down rows. */
function bmp(width: number, height: number): Buffer {
	const rowSize = Math.ceil((width * 3) / 4) * 4;
	const pixels = rowSize * Math.abs(height);
	const out = Buffer.alloc(14 + 40 + pixels);
	out.write('BM', 0, 'ascii');
	out.writeUInt32LE(out.length, 2);
	out.writeUInt32LE(54, 10);
	out.writeUInt32LE(40, 14);
	out.writeInt32LE(width, 18);
	out.writeInt32LE(height, 22);
	out.writeUInt16LE(1, 26);
	out.writeUInt16LE(24, 28);
	out.writeUInt32LE(pixels, 34);
	return out;
}

/** OS/2 1.x BMP: a 12-byte BITMAPCOREHEADER whose width and height are 16-bit. */
function bmpCore(width: number, height: number): Buffer {
	const rowSize = Math.ceil((width * 3) / 4) * 4;
	const out = Buffer.alloc(14 + 12 + rowSize * height);
	out.write('BM', 0, 'ascii');
	out.writeUInt32LE(out.length, 2);
	out.writeUInt32LE(26, 10);
	out.writeUInt32LE(12, 14);
	out.writeUInt16LE(width, 18);
	out.writeUInt16LE(height, 20);
	out.writeUInt16LE(1, 22);
	out.writeUInt16LE(24, 24);
	return out;
}

interface TiffEntry {
	tag: number;
	type: 3 | 4; // SHORT or LONG
	value: number;
}

function tiff(
	littleEndian: boolean,
	width: number,
	height: number,
	type: 3 | 4 = 3,
	extra: TiffEntry[] = [],
): Buffer {
	const w16 = littleEndian ? u16le : u16be;
	const w32 = littleEndian ? u32le : u32be;
	const entries: TiffEntry[] = [
		{ tag: 256, type, value: width },
		{ tag: 257, type, value: height },
		{ tag: 258, type: 3, value: 8 },
		...extra,
	];
	const ifd = Buffer.concat([
		w16(entries.length),
		...entries.map((entry) =>
			Buffer.concat([
				w16(entry.tag),
				w16(entry.type),
				w32(1),
				// A SHORT sits in the first two bytes of the 4-byte value field.
				entry.type === 3 ? Buffer.concat([w16(entry.value), Buffer.alloc(2)]) : w32(entry.value),
			]),
		),
		w32(0),
	]);
	return Buffer.concat([ascii(littleEndian ? 'II' : 'MM'), w16(42), w32(8), ifd]);
}

function expectImage(
	info: ImageInfo | undefined,
	format: ImageFormat,
	width: number | undefined,
	height: number | undefined,
): void {
	expect(info).toEqual({ format, ...EXPECTED_TYPE[format], width, height });
}

/** What any answer must look like: nothing, or a known format with plausible numbers. */
function expectSane(info: ImageInfo | undefined): void {
	if (info === undefined) return;
	expect(FORMATS).toContain(info.format);
	expect(info.mimeType).toBe(EXPECTED_TYPE[info.format].mimeType);
	expect(info.extension).toBe(EXPECTED_TYPE[info.format].extension);
	for (const size of [info.width, info.height]) {
		if (size !== undefined) {
			expect(Number.isInteger(size)).toBe(true);
			expect(size).toBeGreaterThanOrEqual(0);
		}
	}
}

/** Deterministic pseudo-random bytes (mulberry32), so a failing case can be replayed. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---------------------------------------------------------------------------------------------
// Recognised formats
// ---------------------------------------------------------------------------------------------

describe('sniffImage: hand-built headers', () => {
	test('PNG: reads width and height from IHDR', () => {
		expectImage(sniffImage(png(640, 480)), 'png', 640, 480);
	});

	test('JPEG baseline (SOF0) with a JFIF APP0 segment before the frame', () => {
		expectImage(sniffImage(jpeg(1024, 768)), 'jpeg', 1024, 768);
	});

	test('JPEG progressive (SOF2)', () => {
		expectImage(sniffImage(jpeg(300, 200, { marker: 0xc2 })), 'jpeg', 300, 200);
	});

	test('JPEG extended sequential (SOF1) and lossless (SOF3) frames are read too', () => {
		expectImage(sniffImage(jpeg(12, 34, { marker: 0xc1 })), 'jpeg', 12, 34);
		expectImage(sniffImage(jpeg(56, 78, { marker: 0xc3 })), 'jpeg', 56, 78);
	});

	test('JPEG with EXIF (APP1), ICC-like APP2 and a comment before SOF', () => {
		const app2 = jpegSegment(0xe2, Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.alloc(300, 7)]));
		const comment = jpegSegment(0xfe, ascii('made by hand'));
		const data = jpeg(4000, 3000, { before: [EXIF_APP1, app2, comment] });
		expectImage(sniffImage(data), 'jpeg', 4000, 3000);
	});

	test('JPEG: a DHT (C4) segment before the frame is not mistaken for a frame header', () => {
		const data = Buffer.concat([SOI, DHT, sof(0xc0, 21, 9), SOS, EOI]);
		expectImage(sniffImage(data), 'jpeg', 21, 9);
	});

	test('JPEG: fill bytes (FF FF) between segments are skipped', () => {
		const data = Buffer.concat([SOI, Buffer.from([0xff, 0xff, 0xff]), sof(0xc0, 33, 44), EOI]);
		expectImage(sniffImage(data), 'jpeg', 33, 44);
	});

	test('WebP lossy (VP8)', () => {
		expectImage(sniffImage(webpVp8(550, 368)), 'webp', 550, 368);
	});

	test('WebP lossy: the two scale bits above the 14-bit size are ignored', () => {
		const data = webpVp8(550, 368);
		data[27] |= 0xc0; // upscale bits on the width
		data[29] |= 0x40; // and on the height
		expectImage(sniffImage(data), 'webp', 550, 368);
	});

	test('WebP lossless (VP8L), including the 14-bit maximum of 16384', () => {
		expectImage(sniffImage(webpVp8l(386, 395)), 'webp', 386, 395);
		expectImage(sniffImage(webpVp8l(16384, 1)), 'webp', 16384, 1);
	});

	test('WebP extended (VP8X) with 24-bit canvas sizes', () => {
		expectImage(sniffImage(webpVp8x(20000, 3)), 'webp', 20000, 3);
	});

	test('WebP with an unknown first chunk: format without dimensions', () => {
		const data = riff('ALPH', Buffer.alloc(20));
		expectImage(sniffImage(data), 'webp', undefined, undefined);
	});

	test('GIF87a and GIF89a', () => {
		expectImage(sniffImage(gif('87a', 17, 300)), 'gif', 17, 300);
		expectImage(sniffImage(gif('89a', 65535, 2)), 'gif', 65535, 2);
	});

	test('BMP, bottom-up (positive height)', () => {
		expectImage(sniffImage(bmp(31, 17)), 'bmp', 31, 17);
	});

	test('BMP, top-down (negative height) reports the absolute height', () => {
		expectImage(sniffImage(bmp(31, -17)), 'bmp', 31, 17);
	});

	test('BMP with an OS/2 core header (16-bit width and height)', () => {
		expectImage(sniffImage(bmpCore(7, 5)), 'bmp', 7, 5);
	});

	test('TIFF little-endian (II) with SHORT sizes', () => {
		expectImage(sniffImage(tiff(true, 800, 600)), 'tiff', 800, 600);
	});

	test('TIFF big-endian (MM) with SHORT sizes', () => {
		expectImage(sniffImage(tiff(false, 800, 600)), 'tiff', 800, 600);
	});

	test('TIFF little- and big-endian with LONG sizes above 65535', () => {
		expectImage(sniffImage(tiff(true, 70000, 3, 4)), 'tiff', 70000, 3);
		expectImage(sniffImage(tiff(false, 70000, 3, 4)), 'tiff', 70000, 3);
	});

	test('TIFF whose IFD lacks the size tags: format without dimensions', () => {
		const data = Buffer.concat([ascii('II'), u16le(42), u32le(8), u16le(0), u32le(0)]);
		expectImage(sniffImage(data), 'tiff', undefined, undefined);
	});

	test('reads a Buffer that is a slice of a larger allocation', () => {
		const backing = Buffer.concat([Buffer.alloc(13, 0xaa), png(9, 8), Buffer.alloc(5)]);
		const slice = backing.subarray(13, 13 + png(9, 8).length);
		expectImage(sniffImage(slice), 'png', 9, 8);
	});
});

describe('sniffImage: files written by sharp', () => {
	const WIDTH = 7;
	const HEIGHT = 5;
	const source = () =>
		sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#f00' } });
	const written: Array<[string, ImageFormat, () => Promise<Buffer>]> = [
		['png', 'png', () => source().png().toBuffer()],
		['jpeg (baseline)', 'jpeg', () => source().jpeg().toBuffer()],
		['jpeg (progressive)', 'jpeg', () => source().jpeg({ progressive: true }).toBuffer()],
		[
			'jpeg (with EXIF)',
			'jpeg',
			() =>
				source()
					.withMetadata({ exif: { IFD0: { Copyright: 'unit test' } } })
					.jpeg()
					.toBuffer(),
		],
		['webp (lossy, VP8)', 'webp', () => source().webp().toBuffer()],
		['webp (lossless, VP8L)', 'webp', () => source().webp({ lossless: true }).toBuffer()],
		[
			'webp (with alpha, VP8X)',
			'webp',
			() =>
				sharp({ create: { width: WIDTH, height: HEIGHT, channels: 4, background: '#f008' } })
					.webp()
					.toBuffer(),
		],
		['gif', 'gif', () => source().gif().toBuffer()],
		['tiff', 'tiff', () => source().tiff().toBuffer()],
		['tiff (uncompressed)', 'tiff', () => source().tiff({ compression: 'none' }).toBuffer()],
	];

	test.each(written)('%s', async (_name, format, write) => {
		expectImage(sniffImage(await write()), format, WIDTH, HEIGHT);
	});

	test('the sharp files really are what the names say (guards the fixtures)', async () => {
		const progressive = await source().jpeg({ progressive: true }).toBuffer();
		expect(progressive.includes(Buffer.from([0xff, 0xc2]))).toBe(true);
		const lossless = await source().webp({ lossless: true }).toBuffer();
		expect(lossless.toString('ascii', 12, 16)).toBe('VP8L');
		const alpha = await sharp({
			create: { width: WIDTH, height: HEIGHT, channels: 4, background: '#f008' },
		})
			.webp()
			.toBuffer();
		expect(alpha.toString('ascii', 12, 16)).toBe('VP8X');
	});
});

// ---------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------

describe('sniffImage: hostile input', () => {
	const samples: Array<[string, ImageFormat, number, number, Buffer]> = [
		['png', 'png', 640, 480, png(640, 480)],
		['jpeg', 'jpeg', 1024, 768, jpeg(1024, 768)],
		['jpeg with EXIF', 'jpeg', 4000, 3000, jpeg(4000, 3000, { before: [EXIF_APP1] })],
		['webp VP8', 'webp', 550, 368, webpVp8(550, 368)],
		['webp VP8L', 'webp', 386, 395, webpVp8l(386, 395)],
		['webp VP8X', 'webp', 20000, 3, webpVp8x(20000, 3)],
		['gif87a', 'gif', 17, 300, gif('87a', 17, 300)],
		['gif89a', 'gif', 17, 300, gif('89a', 17, 300)],
		['bmp', 'bmp', 31, 17, bmp(31, -17)],
		['bmp core', 'bmp', 7, 5, bmpCore(7, 5)],
		['tiff II', 'tiff', 800, 600, tiff(true, 800, 600)],
		['tiff MM', 'tiff', 70000, 3, tiff(false, 70000, 3, 4)],
	];

	test('an empty buffer and a single byte are not images', () => {
		expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
		expect(sniffImage(Buffer.from([0x89]))).toBeUndefined();
		expect(sniffImage(Buffer.from([0xff]))).toBeUndefined();
	});

	test.each(samples)(
		'%s truncated at every length: never throws, never invents sizes',
		(_name, format, width, height, data) => {
			for (let length = 0; length <= data.length; length++) {
				const info = sniffImage(data.subarray(0, length));
				expectSane(info);
				if (info) {
					expect(info.format).toBe(format);
					// A prefix of the file can lack the sizes, but must not report other ones.
					if (info.width !== undefined) expect(info.width).toBe(width);
					if (info.height !== undefined) expect(info.height).toBe(height);
				}
			}
			// And the whole file is read completely.
			expectImage(sniffImage(data), format, width, height);
		},
	);

	test('sharp-written files truncated at every length up to 300 bytes stay sane', async () => {
		const source = sharp({ create: { width: 7, height: 5, channels: 3, background: '#f00' } });
		for (const format of ['png', 'jpeg', 'webp', 'gif', 'tiff'] as const) {
			const data = await source.clone().toFormat(format).toBuffer();
			for (let length = 0; length <= Math.min(data.length, 300); length++) {
				const info = sniffImage(data.subarray(0, length));
				expectSane(info);
				if (info?.width !== undefined) expect(info.width).toBe(7);
				if (info?.height !== undefined) expect(info.height).toBe(5);
			}
		}
	});

	test('JPEG whose first segment length points past the end of the data', () => {
		const data = Buffer.concat([SOI, Buffer.from([0xff, 0xe0, 0xff, 0xff]), Buffer.alloc(20)]);
		expectImage(sniffImage(data), 'jpeg', undefined, undefined);
	});

	test.each([0, 1])('JPEG with a segment length of %i terminates', (length) => {
		const bogus = Buffer.concat([Buffer.from([0xff, 0xe1]), u16be(length)]);
		const data = Buffer.concat([SOI, bogus, bogus, bogus, Buffer.alloc(16), EOI]);
		const info = sniffImage(data);
		expectSane(info);
		expect(info?.format).toBe('jpeg');
	});

	test('JPEG with a zero-length segment right before a real frame still finds the frame', () => {
		const data = Buffer.concat([
			SOI,
			Buffer.from([0xff, 0xe1, 0x00, 0x00]),
			sof(0xc0, 64, 32),
			EOI,
		]);
		expectImage(sniffImage(data), 'jpeg', 64, 32);
	});

	test('JPEG made only of markers (fill bytes, RSTn, TEM) and no frame header', () => {
		const markers = [0xff, 0xff, 0xff, 0xd0, 0xff, 0xd7, 0xff, 0x01, 0xff, 0xd8, 0xff, 0xff];
		const data = Buffer.concat([SOI, Buffer.from(markers), Buffer.from(markers), EOI]);
		expectImage(sniffImage(data), 'jpeg', undefined, undefined);
	});

	test('JPEG of SOI followed by a long run of FF bytes', () => {
		const data = Buffer.concat([SOI, Buffer.alloc(100_000, 0xff)]);
		expectImage(sniffImage(data), 'jpeg', undefined, undefined);
	});

	test('JPEG of SOI followed by zeros', () => {
		expectImage(sniffImage(Buffer.concat([SOI, Buffer.alloc(64)])), 'jpeg', undefined, undefined);
	});

	test('zero dimensions are reported as written, not dropped or turned into errors', () => {
		expectImage(sniffImage(png(0, 0)), 'png', 0, 0);
		expectImage(sniffImage(jpeg(0, 0)), 'jpeg', 0, 0);
		expectImage(sniffImage(gif('89a', 0, 0)), 'gif', 0, 0);
		expectImage(sniffImage(bmp(0, 0)), 'bmp', 0, 0);
		expectImage(sniffImage(tiff(true, 0, 0)), 'tiff', 0, 0);
	});

	test('the largest dimensions each header can hold are read without overflow', () => {
		expectImage(sniffImage(png(0x7fffffff, 0x7fffffff)), 'png', 0x7fffffff, 0x7fffffff);
		expectImage(sniffImage(jpeg(65535, 65535)), 'jpeg', 65535, 65535);
		expectImage(sniffImage(webpVp8x(0x1000000, 0x1000000)), 'webp', 0x1000000, 0x1000000);
		expectImage(sniffImage(gif('89a', 65535, 65535)), 'gif', 65535, 65535);
		expectImage(sniffImage(tiff(false, 0xffffffff, 1, 4)), 'tiff', 0xffffffff, 1);
	});

	test('BMP with the most negative 32-bit height reports a positive height', () => {
		const data = bmp(1, 1);
		data.writeInt32LE(-0x80000000, 22);
		expectImage(sniffImage(data), 'bmp', 1, 0x80000000);
	});

	test('TIFF whose IFD offset points past the end: format without dimensions', () => {
		const data = Buffer.concat([ascii('MM'), u16be(42), u32be(0xfffffff0), Buffer.alloc(8)]);
		expectImage(sniffImage(data), 'tiff', undefined, undefined);
	});

	test('TIFF whose IFD claims 65535 entries but holds two', () => {
		const data = tiff(true, 10, 20);
		data.writeUInt16LE(0xffff, 8);
		expectImage(sniffImage(data), 'tiff', 10, 20);
	});

	test('TIFF whose IFD offset is 0 (points at the header itself) stays sane', () => {
		const data = Buffer.concat([ascii('II'), u16le(42), u32le(0), Buffer.alloc(40, 0x01)]);
		const info = sniffImage(data);
		expectSane(info);
		expect(info?.format).toBe('tiff');
	});

	test('a PNG signature followed by garbage reports PNG without made-up dimensions', () => {
		const data = Buffer.concat([PNG_SIGNATURE, ascii('this is not an IHDR chunk at all....')]);
		expectImage(sniffImage(data), 'png', undefined, undefined);
	});

	test('a PNG whose first chunk is not IHDR reports no dimensions', () => {
		const data = Buffer.concat([PNG_SIGNATURE, pngChunk('tEXt', ascii('Comment\0hello world'))]);
		expectImage(sniffImage(data), 'png', undefined, undefined);
	});

	test('RIFF files that are not WebP (WAV, AVI) are not images', () => {
		const wav = Buffer.concat([ascii('RIFF'), u32le(36), ascii('WAVEfmt '), Buffer.alloc(28)]);
		const avi = Buffer.concat([ascii('RIFF'), u32le(36), ascii('AVI LIST'), Buffer.alloc(28)]);
		expect(sniffImage(wav)).toBeUndefined();
		expect(sniffImage(avi)).toBeUndefined();
	});

	test.each([
		['an HTML error page', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'],
		['a JSON error', '{"error":"Invalid API key","details":"The key was revoked"}'],
		['plain text starting with GIF', 'GIF output is not supported by this model, use PNG'],
		['plain text starting with BM', 'BMP output is not supported by this model, use PNG'],
		['plain text starting with II', 'II* is not a TIFF header because the next byte is not 0'],
		['a short string', 'hello'],
	])('%s is not an image', (_name, text) => {
		expect(sniffImage(Buffer.from(text, 'utf8'))).toBeUndefined();
	});

	test('random bytes (seeded) never throw and give only sane answers', () => {
		const random = seededRandom(0x5eed);
		const prefixes = [
			Buffer.alloc(0),
			PNG_SIGNATURE,
			SOI,
			Buffer.concat([ascii('RIFF'), u32le(100), ascii('WEBP')]),
			Buffer.concat([ascii('RIFF'), u32le(100), ascii('WEBPVP8 ')]),
			Buffer.concat([ascii('RIFF'), u32le(100), ascii('WEBPVP8L')]),
			Buffer.concat([ascii('RIFF'), u32le(100), ascii('WEBPVP8X')]),
			ascii('GIF89a'),
			ascii('BM'),
			Buffer.concat([ascii('II'), u16le(42)]),
			Buffer.concat([ascii('MM'), u16be(42)]),
		];
		for (let round = 0; round < 5000; round++) {
			const prefix = prefixes[Math.floor(random() * prefixes.length)];
			const noise = Buffer.alloc(Math.floor(random() * 96));
			for (let index = 0; index < noise.length; index++) noise[index] = Math.floor(random() * 256);
			// Bias the noise toward FF so JPEG marker parsing gets exercised.
			if (prefix === SOI) for (let index = 0; index < noise.length; index += 3) noise[index] = 0xff;
			expectSane(sniffImage(Buffer.concat([prefix, noise])));
		}
	});
});

// ---------------------------------------------------------------------------------------------
// describeImage and formatFromMimeType
// ---------------------------------------------------------------------------------------------

describe('describeImage', () => {
	test.each(FORMATS)('%s has its MIME type and file extension', (format) => {
		expect(describeImage(format, 3, 4)).toEqual({
			format,
			...EXPECTED_TYPE[format],
			width: 3,
			height: 4,
		});
	});

	test('sizes are optional', () => {
		expect(describeImage('jpeg')).toEqual({
			format: 'jpeg',
			mimeType: 'image/jpeg',
			extension: 'jpg',
			width: undefined,
			height: undefined,
		});
	});
});

describe('formatFromMimeType', () => {
	test.each([
		['image/png', 'png'],
		['image/jpeg', 'jpeg'],
		['image/jpg', 'jpeg'],
		['image/pjpeg', 'jpeg'],
		['image/webp', 'webp'],
		['image/gif', 'gif'],
		['image/bmp', 'bmp'],
		['image/x-ms-bmp', 'bmp'],
		['image/tiff', 'tiff'],
		['image/tif', 'tiff'],
		['IMAGE/PNG', 'png'],
		['image/jpeg; charset=binary', 'jpeg'],
		['  image/webp ; q=1', 'webp'],
		['png', 'png'],
		['jpg', 'jpeg'],
	])('%s -> %s', (mimeType, format) => {
		expect(formatFromMimeType(mimeType)).toBe(format);
	});

	test.each([
		[undefined],
		[''],
		['   '],
		['image/'],
		['image/svg+xml'],
		['image/avif'],
		['application/octet-stream'],
		['application/png'],
		['text/html; charset=utf-8'],
		['application/json'],
	])('%p is not a format the nodes handle', (mimeType) => {
		expect(formatFromMimeType(mimeType)).toBeUndefined();
	});
});
