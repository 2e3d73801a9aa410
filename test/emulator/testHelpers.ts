/** Shared helpers of the emulator's own tests: raw HTTP calls with undici, polling, pixel statistics. */
import sharp from 'sharp';
import { request } from 'undici';

import type { Emulator } from '../../emulator';

export interface CallResult {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
	/** The body parsed as JSON, or undefined when it is not JSON. */
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(
	url: string,
	options: {
		method?: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE';
		headers?: Record<string, string>;
		json?: unknown;
		body?: string;
	} = {},
): Promise<CallResult> {
	const hasJson = options.json !== undefined;
	const response = await request(url, {
		method: options.method ?? (hasJson || options.body !== undefined ? 'POST' : 'GET'),
		headers: { ...(hasJson ? { 'content-type': 'application/json' } : {}), ...options.headers },
		body: hasJson ? JSON.stringify(options.json) : options.body,
	});
	const body = Buffer.from(await response.body.arrayBuffer());
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(response.headers))
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		parsed = undefined;
	}
	return { status: response.statusCode, headers, body, json: parsed };
}

export const segmindHeaders = (key: string) => ({ 'x-api-key': key });
export const pixazoHeaders = (key: string) => ({ 'ocp-apim-subscription-key': key });

export const sampleUrl = (emulator: Emulator) => `${emulator.mediaUrl}/samples/product.png`;

/** Polls a URL until its JSON status leaves QUEUED/PROCESSING; returns the last answer. */
export async function pollUntilDone(
	url: string,
	headers: Record<string, string>,
	timeoutMs = 20_000,
): Promise<CallResult> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await call(url, { headers });
		const status = result.json?.status;
		if (status !== 'QUEUED' && status !== 'PROCESSING') return result;
		if (Date.now() > deadline) throw new Error(`still ${status} after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 15));
	}
}

type Region = { left: number; top: number; width: number; height: number };

/** A region given in fractions of the image, in pixels. */
async function pixelRegion(image: Buffer, region: Region) {
	const { width = 0, height = 0 } = await sharp(image).metadata();
	return {
		left: Math.floor(region.left * width),
		top: Math.floor(region.top * height),
		width: Math.max(1, Math.floor(region.width * width)),
		height: Math.max(1, Math.floor(region.height * height)),
	};
}

/** Mean of each RGB channel over a region (fractions of the image), and its luminance. */
export async function regionMeans(image: Buffer, region: Region) {
	// stats() describes a pipeline's input, not its output: materialise the crop first.
	const crop = await sharp(image)
		.removeAlpha()
		.extract(await pixelRegion(image, region))
		.png()
		.toBuffer();
	const stats = await sharp(crop).stats();
	const [r, g, b] = stats.channels.map((channel) => channel.mean);
	return { r, g, b, luma: 0.299 * r + 0.587 * g + 0.114 * b };
}

/** Mean absolute difference of two same-size images, per channel value (0-255). */
export async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
	const [left, right] = await Promise.all(
		[a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
	);
	if (left.info.width !== right.info.width || left.info.height !== right.info.height)
		throw new Error('images differ in size');
	const raw = { width: left.info.width, height: left.info.height, channels: 3 as const };
	const difference = await sharp(left.data, { raw })
		.composite([{ input: right.data, raw, blend: 'difference' }])
		.removeAlpha()
		.raw()
		.toBuffer();
	const stats = await sharp(difference, { raw }).stats();
	return stats.channels.reduce((sum, channel) => sum + channel.mean, 0) / 3;
}

/** Standard deviation of luminance in a region: near 0 for a flat colour. */
export async function regionStdDev(image: Buffer, region: Region): Promise<number> {
	const crop = await sharp(image)
		.extract(await pixelRegion(image, region))
		.greyscale()
		.png()
		.toBuffer();
	const stats = await sharp(crop).stats();
	return stats.channels[0].stdev;
}
