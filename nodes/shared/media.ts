import type { ImageInfo } from './imageInfo';

/** A result as a provider hands it over: a link to fetch, or bytes it already sent. */
export type MediaRef = { url: string } | { data: Buffer; mimeType?: string };

export interface DownloadedImage {
	data: Buffer;
	info: ImageInfo;
	/** Where the bytes came from; empty when the provider sent them inline. */
	url: string;
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
