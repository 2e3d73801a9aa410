import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';

import { pause, throwIfCancelled } from './cancellation';
import { providerErrorText } from './errors';
import { describeImage, formatFromMimeType, sniffImage } from './imageInfo';
import type { ImageInfo } from './imageInfo';
import { networkErrorCode } from './transport';

/** A result as a provider hands it over: a link to fetch, or bytes it already sent. */
export type MediaRef = { url: string } | { data: Buffer; mimeType?: string };

export interface DownloadedImage {
	data: Buffer;
	info: ImageInfo;
	/** Where the bytes came from; empty when the provider sent them inline. */
	url: string;
}

export interface DownloadOptions {
	itemIndex: number;
	maxBytes: number;
	providerLabel: string;
}

const DOWNLOAD_TIMEOUT_MS = 120_000;
const MAX_DOWNLOAD_RETRIES = 3;

interface StreamResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: AsyncIterable<Buffer> & { destroy?: () => void };
}

/**
 * Fetches a result file. Result links point at CDNs, not at the provider's API, so they are fetched
 * with the plain helper that adds no credential: the API key never reaches a media host.
 */
export async function fetchResultImage(
	ctx: IExecuteFunctions,
	ref: MediaRef,
	options: DownloadOptions,
): Promise<DownloadedImage> {
	if ('data' in ref) return toImage(ctx, ref.data, ref.mimeType, '', options);
	const url = ref.url.trim();
	if (url.startsWith('data:')) {
		const decoded = decodeDataUrl(url);
		if (!decoded) throw badResult(ctx, options, 'a malformed data: URI');
		return toImage(ctx, decoded.data, decoded.mimeType, '', options);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw badResult(ctx, options, `an invalid result URL "${url.slice(0, 100)}"`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw badResult(
			ctx,
			options,
			`a result URL with the unsupported scheme "${parsed.protocol}" (only http, https and data: are fetched)`,
		);
	}

	for (let attempt = 0; ; attempt++) {
		throwIfCancelled(ctx, options.itemIndex);
		let response: StreamResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: DOWNLOAD_TIMEOUT_MS,
				abortSignal: ctx.getExecutionCancelSignal?.(),
			})) as StreamResponse;
		} catch (error) {
			throwIfCancelled(ctx, options.itemIndex);
			if (attempt < MAX_DOWNLOAD_RETRIES) {
				await pause(ctx, 1000 * 2 ** attempt, options.itemIndex);
				continue;
			}
			throw downloadFailed(ctx, options, url, networkErrorCode(error) ?? 'network error');
		}
		const status = response.statusCode;
		if (status >= 500 && attempt < MAX_DOWNLOAD_RETRIES) {
			response.body.destroy?.();
			await pause(ctx, 1000 * 2 ** attempt, options.itemIndex);
			continue;
		}
		if (status < 200 || status >= 300) {
			const text = providerErrorText(await readCapped(ctx, response, 4096, options, url, true));
			throw downloadFailed(ctx, options, url, `HTTP ${status}${text ? `: ${text}` : ''}`);
		}
		const declared = Number(headerOf(response.headers, 'content-length'));
		if (Number.isFinite(declared) && declared > options.maxBytes) {
			response.body.destroy?.();
			throw tooLarge(ctx, options, url, declared);
		}
		const data = await readCapped(ctx, response, options.maxBytes, options, url, false);
		return toImage(ctx, data, headerOf(response.headers, 'content-type'), url, options);
	}
}

async function readCapped(
	ctx: IExecuteFunctions,
	response: StreamResponse,
	maxBytes: number,
	options: DownloadOptions,
	url: string,
	truncate: boolean,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of response.body) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		total += buffer.length;
		if (total > maxBytes) {
			response.body.destroy?.();
			if (truncate) break;
			throw tooLarge(ctx, options, url, total);
		}
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

function headerOf(headers: StreamResponse['headers'], name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function toImage(
	ctx: IExecuteFunctions,
	data: Buffer,
	declaredMimeType: string | undefined,
	url: string,
	options: DownloadOptions,
): DownloadedImage {
	if (data.length > options.maxBytes)
		throw tooLarge(ctx, options, url || 'inline result', data.length);
	const sniffed = sniffImage(data);
	if (sniffed) return { data, info: sniffed, url };
	const declared = formatFromMimeType(declaredMimeType);
	if (declared && data.length > 0) return { data, info: describeImage(declared), url };
	throw badResult(
		ctx,
		options,
		`a file that is not an image (${declaredMimeType ?? 'unknown type'}, ${data.length} bytes)`,
	);
}

export function decodeDataUrl(value: string): { data: Buffer; mimeType?: string } | undefined {
	const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(value);
	if (!match) return undefined;
	const [, mimeType, , base64, payload] = match;
	const data = base64
		? Buffer.from(payload, 'base64')
		: Buffer.from(decodeURIComponent(payload), 'utf8');
	return { data, mimeType: mimeType || undefined };
}

function badResult(ctx: IExecuteFunctions, options: DownloadOptions, what: string): NodeApiError {
	return new NodeApiError(ctx.getNode(), { error: what } as JsonObject, {
		message: `${options.providerLabel} returned ${what}`,
		description:
			'The job finished but its result could not be used. Run the node again; if it keeps happening, report it.',
		itemIndex: options.itemIndex,
	});
}

function downloadFailed(
	ctx: IExecuteFunctions,
	options: DownloadOptions,
	url: string,
	reason: string,
): NodeApiError {
	return new NodeApiError(ctx.getNode(), { error: reason } as JsonObject, {
		message: `Could not download the result from ${new URL(url).host} (${reason})`,
		description: `Result files are kept for a limited time (Segmind: about 7 days). If the link expired, run the job again; otherwise try again in a moment. Choose "Output: URLs Only" to skip downloading.`,
		itemIndex: options.itemIndex,
	});
}

function tooLarge(
	ctx: IExecuteFunctions,
	options: DownloadOptions,
	url: string,
	bytes: number,
): NodeOperationError {
	const limitMb = Math.round((options.maxBytes / 1024 / 1024) * 10) / 10;
	return new NodeOperationError(
		ctx.getNode(),
		`The result ${url.startsWith('http') ? `at ${new URL(url).host} ` : ''}is larger than the ${limitMb} MB download limit (${bytes} bytes or more)`,
		{
			itemIndex: options.itemIndex,
			description:
				'Raise "Download Size Limit (MB)" in the node options, pick a lower resolution tier, or choose "Output: URLs Only".',
		},
	);
}

/**
 * Collects result links from an `output` whose shape is undocumented for multi-image models:
 * a string, an array of strings, objects with `url` or `media_url`, or base64 without a prefix.
 */
export function extractMediaRefs(output: unknown): MediaRef[] {
	if (output === null || output === undefined) return [];
	if (typeof output === 'string') {
		const value = output.trim();
		if (/^(https?:|data:)/i.test(value)) return [{ url: value }];
		if (/^[A-Za-z0-9+/=\s]{64,}$/.test(value)) return [{ data: Buffer.from(value, 'base64') }];
		return [];
	}
	if (Array.isArray(output)) return output.flatMap((entry) => extractMediaRefs(entry));
	if (typeof output === 'object') {
		const record = output as Record<string, unknown>;
		for (const key of [
			'url',
			'media_url',
			'image_url',
			'image',
			'images',
			'urls',
			'file_urls',
			'output',
			'data',
		]) {
			if (key in record) {
				const found = extractMediaRefs(record[key]);
				if (found.length > 0) return found;
			}
		}
	}
	return [];
}
