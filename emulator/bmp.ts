/**
 * Minimal BMP support. sharp (libvips) has no BMP writer, and the converter must return a real file.
 * Writes 24-bit BI_RGB bitmaps (bottom-up rows, BGR, each row padded to 4 bytes); reads uncompressed
 * 24- and 32-bit ones so a converted BMP can be fed back in.
 */

const FILE_HEADER = 14;
const INFO_HEADER = 40;

/** Encodes 8-bit RGB or RGBA pixels (alpha is dropped: composite onto a background first). */
export function encodeBmp(pixels: Buffer, width: number, height: number, channels: 3 | 4): Buffer {
	const rowSize = Math.ceil((width * 3) / 4) * 4;
	const imageSize = rowSize * height;
	const out = Buffer.alloc(FILE_HEADER + INFO_HEADER + imageSize);
	out.write('BM', 0, 'ascii');
	out.writeUInt32LE(out.length, 2);
	out.writeUInt32LE(FILE_HEADER + INFO_HEADER, 10); // offset of the pixel array
	out.writeUInt32LE(INFO_HEADER, 14);
	out.writeInt32LE(width, 18);
	out.writeInt32LE(height, 22); // positive: bottom-up
	out.writeUInt16LE(1, 26); // planes
	out.writeUInt16LE(24, 28); // bits per pixel
	out.writeUInt32LE(0, 30); // BI_RGB
	out.writeUInt32LE(imageSize, 34);
	out.writeInt32LE(2835, 38); // 72 dpi in pixels per metre
	out.writeInt32LE(2835, 42);
	for (let y = 0; y < height; y++) {
		let target = FILE_HEADER + INFO_HEADER + (height - 1 - y) * rowSize;
		let source = y * width * channels;
		for (let x = 0; x < width; x++, source += channels, target += 3) {
			out[target] = pixels[source + 2];
			out[target + 1] = pixels[source + 1];
			out[target + 2] = pixels[source];
		}
	}
	return out;
}

export const isBmp = (data: Buffer) =>
	data.length > FILE_HEADER + INFO_HEADER && data[0] === 0x42 && data[1] === 0x4d;

/** Decodes an uncompressed 24/32-bit BMP to RGB pixels; throws on anything else. */
export function decodeBmp(data: Buffer): { pixels: Buffer; width: number; height: number } {
	if (!isBmp(data)) throw new Error('not a BMP file');
	const offset = data.readUInt32LE(10);
	const width = data.readInt32LE(18);
	const rawHeight = data.readInt32LE(22);
	const bitsPerPixel = data.readUInt16LE(28);
	const compression = data.readUInt32LE(30);
	if (
		width <= 0 ||
		rawHeight === 0 ||
		(bitsPerPixel !== 24 && bitsPerPixel !== 32) ||
		(compression !== 0 && compression !== 3)
	) {
		throw new Error(`unsupported BMP (${bitsPerPixel} bpp, compression ${compression})`);
	}
	const height = Math.abs(rawHeight);
	const bytesPerPixel = bitsPerPixel / 8;
	const rowSize = Math.ceil((width * bytesPerPixel) / 4) * 4;
	if (offset + rowSize * height > data.length) throw new Error('truncated BMP');
	const pixels = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++) {
		const sourceRow = rawHeight > 0 ? height - 1 - y : y;
		let source = offset + sourceRow * rowSize;
		let target = y * width * 3;
		for (let x = 0; x < width; x++, source += bytesPerPixel, target += 3) {
			pixels[target] = data[source + 2];
			pixels[target + 1] = data[source + 1];
			pixels[target + 2] = data[source];
		}
	}
	return { pixels, width, height };
}
