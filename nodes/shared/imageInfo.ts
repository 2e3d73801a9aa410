/**
 * Reads an image's real format and pixel size from its first bytes. Providers do not always say
 * what they return (Content-Type can be generic, and Segmind's resolution tiers may scale sizes),
 * so the output JSON reports what is in the file, not what was asked for.
 */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';

export interface ImageInfo {
	format: ImageFormat;
	mimeType: string;
	extension: string;
	width?: number;
	height?: number;
}

const MIME_BY_FORMAT: Record<ImageFormat, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	tiff: 'image/tiff',
};

const EXTENSION_BY_FORMAT: Record<ImageFormat, string> = {
	png: 'png',
	jpeg: 'jpg',
	webp: 'webp',
	gif: 'gif',
	bmp: 'bmp',
	tiff: 'tiff',
};

export function describeImage(format: ImageFormat, width?: number, height?: number): ImageInfo {
	return {
		format,
		mimeType: MIME_BY_FORMAT[format],
		extension: EXTENSION_BY_FORMAT[format],
		width,
		height,
	};
}

export function sniffImage(data: Buffer): ImageInfo | undefined {
	if (data.length < 12) return undefined;
	if (data.readUInt32BE(0) === 0x89504e47) {
		// The sizes are in IHDR, which must come first; anything else there is not a size.
		const ihdr = data.length >= 24 && data.toString('ascii', 12, 16) === 'IHDR';
		return describeImage(
			'png',
			ihdr ? data.readUInt32BE(16) : undefined,
			ihdr ? data.readUInt32BE(20) : undefined,
		);
	}
	if (data[0] === 0xff && data[1] === 0xd8) return jpegInfo(data);
	if (data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP')
		return webpInfo(data);
	if (/^GIF8[79]a$/.test(data.toString('ascii', 0, 6))) {
		return describeImage('gif', data.readUInt16LE(6), data.readUInt16LE(8));
	}
	if (data.toString('ascii', 0, 2) === 'BM' && data.length >= 26) {
		// The DIB header's size tells its layout: 12 is the OS/2 1.x core header with 16-bit
		// sizes, 16 to 124 the OS/2 2.x and Windows headers with 32-bit ones (a negative height
		// means top-down rows). Any other value, as in text that starts with "BM", is no bitmap.
		const dibHeaderSize = data.readUInt32LE(14);
		if (dibHeaderSize === 12) {
			return describeImage('bmp', data.readUInt16LE(18), data.readUInt16LE(20));
		}
		if (dibHeaderSize >= 16 && dibHeaderSize <= 124) {
			return describeImage('bmp', Math.abs(data.readInt32LE(18)), Math.abs(data.readInt32LE(22)));
		}
	}
	const byteOrder = data.toString('ascii', 0, 2);
	if (
		(byteOrder === 'II' && data.readUInt16LE(2) === 42) ||
		(byteOrder === 'MM' && data.readUInt16BE(2) === 42)
	) {
		return tiffInfo(data, byteOrder === 'II');
	}
	return undefined;
}

function jpegInfo(data: Buffer): ImageInfo {
	let offset = 2;
	while (offset + 9 < data.length) {
		if (data[offset] !== 0xff) {
			offset++;
			continue;
		}
		const marker = data[offset + 1];
		// SOF0-SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
		if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
			return describeImage('jpeg', data.readUInt16BE(offset + 7), data.readUInt16BE(offset + 5));
		}
		if (
			marker === 0xd8 ||
			marker === 0x01 ||
			(marker >= 0xd0 && marker <= 0xd7) ||
			marker === 0xff
		) {
			offset += marker === 0xff ? 1 : 2;
			continue;
		}
		offset += 2 + data.readUInt16BE(offset + 2);
	}
	return describeImage('jpeg');
}

function webpInfo(data: Buffer): ImageInfo {
	if (data.length < 30) return describeImage('webp');
	const chunk = data.toString('ascii', 12, 16);
	if (chunk === 'VP8 ') {
		return describeImage('webp', data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff);
	}
	if (chunk === 'VP8L') {
		const bits = data.readUInt32LE(21);
		return describeImage('webp', (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
	}
	if (chunk === 'VP8X') {
		return describeImage('webp', data.readUIntLE(24, 3) + 1, data.readUIntLE(27, 3) + 1);
	}
	return describeImage('webp');
}

function tiffInfo(data: Buffer, littleEndian: boolean): ImageInfo {
	const u16 = (at: number) => (littleEndian ? data.readUInt16LE(at) : data.readUInt16BE(at));
	const u32 = (at: number) => (littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at));
	const ifd = u32(4);
	if (ifd + 2 > data.length) return describeImage('tiff');
	let width: number | undefined;
	let height: number | undefined;
	const entries = u16(ifd);
	for (let index = 0; index < entries; index++) {
		const entry = ifd + 2 + index * 12;
		if (entry + 12 > data.length) break;
		const tag = u16(entry);
		const type = u16(entry + 2);
		const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
		if (tag === 256) width = value;
		if (tag === 257) height = value;
	}
	return describeImage('tiff', width, height);
}

export function formatFromMimeType(mimeType: string | undefined): ImageFormat | undefined {
	const subtype = mimeType
		?.split(';')[0]
		.trim()
		.toLowerCase()
		.replace(/^image\//, '');
	if (!subtype) return undefined;
	if (subtype === 'jpg' || subtype === 'jpeg' || subtype === 'pjpeg') return 'jpeg';
	if (subtype === 'tif' || subtype === 'tiff') return 'tiff';
	if (subtype === 'x-ms-bmp' || subtype === 'bmp') return 'bmp';
	return (['png', 'webp', 'gif'] as const).find((format) => format === subtype);
}
