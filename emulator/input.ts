/**
 * Turns an image reference from a request body into bytes. The emulator only ever reaches loopback
 * hosts (its own media origin is read directly); remote URLs fail the job unless `allowRemoteFetch`.
 */
import { request } from 'undici';

import { decodeSegment } from './http';
import type { MediaStore } from './mediaStore';
import { readSample } from './samples';

/** The input cannot be used: the job FAILS (v2, Pixazo) or the call is a 400 (v1). */
export class InputError extends Error {}

export interface InputContext {
	media: MediaStore;
	/** `host:port` of the emulator's own media origin. */
	mediaHost: string;
	allowRemoteFetch: boolean;
	maxBytes: number;
	signal: AbortSignal;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** Literal loopback names only: resolving a name through DNS could lead anywhere. */
export const isLoopbackHost = (hostname: string) =>
	LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);

export async function resolveImage(ref: string, context: InputContext): Promise<Buffer> {
	const value = ref.trim();
	if (/^data:/i.test(value)) return checkSize(decodeDataUrl(value).bytes, context);
	if (!/^https?:\/\//i.test(value)) return checkSize(decodeBase64(value), context);

	const url = new URL(value);
	if (url.host === context.mediaHost) return readOwnMedia(url, context);
	if (!isLoopbackHost(url.hostname) && !context.allowRemoteFetch) {
		throw new InputError(
			`cannot fetch ${url.protocol}//${url.host}/...: the emulator fetches only loopback hosts (start it with allowRemoteFetch to reach others)`,
		);
	}
	return fetchImage(url, context);
}

function readOwnMedia(url: URL, context: InputContext): Buffer {
	const name = decodeSegment(url.pathname.replace(/^\/(media|samples)\//, ''));
	const file = url.pathname.startsWith('/samples/')
		? readSample(name)
		: url.pathname.startsWith('/media/')
			? context.media.get(name)
			: undefined;
	if (!file) throw new InputError(`could not fetch input image ${url.pathname}: HTTP 404`);
	return checkSize(file.bytes, context);
}

async function fetchImage(url: URL, context: InputContext): Promise<Buffer> {
	let response;
	try {
		// No headers of ours: an input fetch must never carry a key.
		response = await request(url, {
			method: 'GET',
			signal: context.signal,
			headersTimeout: 10_000,
			bodyTimeout: 10_000,
		});
	} catch (error) {
		throw new InputError(`could not fetch input image ${url.href}: ${(error as Error).message}`);
	}
	if (response.statusCode < 200 || response.statusCode > 299) {
		await response.body.dump();
		throw new InputError(`could not fetch input image ${url.href}: HTTP ${response.statusCode}`);
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of response.body) {
		size += (chunk as Buffer).length;
		if (size > context.maxBytes) {
			response.body.destroy();
			throw new InputError(`input image is larger than ${context.maxBytes} bytes`);
		}
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks, size);
}

function checkSize(data: Buffer, context: InputContext): Buffer {
	if (data.length > context.maxBytes)
		throw new InputError(`input image is larger than ${context.maxBytes} bytes`);
	if (data.length === 0) throw new InputError('input image is empty');
	return data;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is;

export function decodeDataUrl(value: string): { mimeType: string; bytes: Buffer } {
	const match = DATA_URL.exec(value);
	if (!match) throw new InputError('malformed data: URL');
	const [, mimeType, parameters, payload] = match;
	const isBase64 = parameters.toLowerCase().split(';').includes('base64');
	const bytes = isBase64 ? decodeBase64(payload) : Buffer.from(decodeSegment(payload), 'utf8');
	return { mimeType: mimeType.toLowerCase() || 'application/octet-stream', bytes };
}

function decodeBase64(value: string): Buffer {
	const compact = value.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length === 0)
		throw new InputError('invalid base64 data');
	return Buffer.from(compact, 'base64');
}
