import { sniffImage } from './imageInfo';
import type { ImageInfo } from './imageInfo';

/** A result as a provider hands it over: a link to fetch, or bytes it already sent. */
export type MediaRef = { url: string } | { data: Buffer; mimeType?: string };

export interface DownloadedImage {
	data: Buffer;
	info: ImageInfo;
	/** Where the bytes came from; empty when the provider sent them inline. */
	url: string;
}

/** A data: URI's bytes and type; undefined for anything else. Scheme and `;base64` in any case. */
export function decodeDataUrl(value: string): { data: Buffer; mimeType?: string } | undefined {
	const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/is.exec(value);
	if (!match) return undefined;
	const [, mimeType, , base64, payload] = match;
	try {
		const data = base64
			? Buffer.from(payload, 'base64')
			: Buffer.from(decodeURIComponent(payload), 'utf8');
		return { data, mimeType: mimeType || undefined };
	} catch {
		// A broken percent-escape: not a usable data URI.
		return undefined;
	}
}

/** Base64 with no prefix counts as a result only when its bytes are an image. */
function bareBase64Image(value: string): Buffer | undefined {
	const compact = value.replace(/\s+/g, '');
	if (compact.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
	const data = Buffer.from(compact, 'base64');
	return sniffImage(data) ? data : undefined;
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
		const data = bareBase64Image(value);
		return data ? [{ data }] : [];
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
