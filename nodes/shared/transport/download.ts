import { pause, throwIfCancelled } from '../cancellation';
import {
	downloadFailed,
	networkErrorCode,
	networkReason,
	providerErrorText,
	resultTooLarge,
	unusableResult,
} from '../errors';
import type { ResultErrorContext } from '../errors';
import { sniffImage } from '../imageInfo';
import { decodeDataUrl } from '../media';
import type { DownloadedImage, MediaRef } from '../media';
import { headerValue } from './headers';
import { backoffMs } from './providerRequest';
import { readCapped } from './response';
import type { BodyStream } from './response';

const DOWNLOAD_TIMEOUT_MS = 120_000;
/** As for provider requests: no download is sent with less time than this, even at the deadline. */
const MIN_TIMEOUT_MS = 1_000;
const MAX_DOWNLOAD_RETRIES = 3;

interface StreamResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: BodyStream;
}

/**
 * Fetches a result file. Result links point at CDNs, not at the provider's API, so they are fetched
 * with the plain helper that adds no credential: the API key never reaches a media host.
 */
export async function fetchResultImage(
	context: ResultErrorContext,
	ref: MediaRef,
): Promise<DownloadedImage> {
	const { ctx, itemIndex } = context;
	if ('data' in ref) return toImage(context, ref.data, ref.mimeType, '');
	const url = ref.url.trim();
	if (/^data:/i.test(url)) {
		const decoded = decodeDataUrl(url);
		if (!decoded) throw unusableResult(context, 'a malformed data: URI');
		return toImage(context, decoded.data, decoded.mimeType, '');
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw unusableResult(context, `an invalid result URL "${url.slice(0, 100)}"`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw unusableResult(
			context,
			`a result URL with the unsupported scheme "${parsed.protocol}" (only http, https and data: are fetched)`,
		);
	}

	// Downloads are safe to repeat, within the retries and the item's Max Wait.
	const mayRetry = (attempt: number) =>
		attempt < MAX_DOWNLOAD_RETRIES && Date.now() + backoffMs(attempt) <= context.deadline;

	/** Waits before the next attempt, or fails the download when no attempt or time is left. */
	const retryAfterBrokenTransfer = async (error: unknown, attempt: number) => {
		throwIfCancelled(ctx, itemIndex);
		if (!mayRetry(attempt)) {
			throw downloadFailed(context, url, networkReason(networkErrorCode(error)));
		}
		await pause(ctx, backoffMs(attempt), itemIndex);
	};

	for (let attempt = 0; ; attempt++) {
		throwIfCancelled(ctx, itemIndex);
		let response: StreamResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: Math.min(
					DOWNLOAD_TIMEOUT_MS,
					Math.max(context.deadline - Date.now(), MIN_TIMEOUT_MS),
				),
				abortSignal: ctx.getExecutionCancelSignal?.(),
			})) as StreamResponse;
		} catch (error) {
			await retryAfterBrokenTransfer(error, attempt);
			continue;
		}
		const status = response.statusCode;
		if (status >= 500 && mayRetry(attempt)) {
			response.body.destroy?.();
			await pause(ctx, backoffMs(attempt), itemIndex);
			continue;
		}
		if (status < 200 || status >= 300) {
			// An error page is read only as far as its first words, which are all that is shown.
			const page = await readCapped(response.body, 4096);
			const text = providerErrorText(page.data);
			throw downloadFailed(context, url, `HTTP ${status}${text ? `: ${text}` : ''}`);
		}
		const declared = Number(headerValue(response.headers, 'content-length'));
		if (Number.isFinite(declared) && declared > context.maxBytes) {
			response.body.destroy?.();
			throw resultTooLarge(context, url, declared);
		}
		let read: Awaited<ReturnType<typeof readCapped>>;
		try {
			read = await readCapped(response.body, context.maxBytes);
		} catch (error) {
			// The connection dropped half-way through the file: as retryable as one that never answered.
			await retryAfterBrokenTransfer(error, attempt);
			continue;
		}
		if (!read.complete) throw resultTooLarge(context, url, read.bytesSeen);
		return toImage(context, read.data, headerValue(response.headers, 'content-type'), url);
	}
}

function toImage(
	context: ResultErrorContext,
	data: Buffer,
	declaredMimeType: string | undefined,
	url: string,
): DownloadedImage {
	if (data.length > context.maxBytes)
		throw resultTooLarge(context, url || 'inline result', data.length);
	const sniffed = sniffImage(data);
	// The bytes must be an image: a declared image/* type on an error page or a truncated file is not enough.
	if (sniffed) return { data, info: sniffed, url };
	throw unusableResult(
		context,
		`a file that is not an image (${declaredMimeType ?? 'unknown type'}, ${data.length} bytes)`,
	);
}
