import type { IncomingMessage } from 'node:http';

/** A complete answer, built by a route and written by the server (which lets faults replace it). */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: Buffer | string;
	/** Send the headers and this many bytes of the body, then drop the connection. */
	cutAfterBytes?: number;
}

/** Destroy the socket instead of answering. */
export interface Drop {
	drop: true;
}

export type Outcome = Reply | Drop;

export const isDrop = (outcome: Outcome): outcome is Drop => 'drop' in outcome;

/** Thrown from deep inside a route to answer at once (validation, auth, limits). */
export class ReplyError extends Error {
	constructor(readonly reply: Outcome) {
		super(isDrop(reply) ? 'drop' : `HTTP ${reply.status}`);
	}
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
	return {
		status,
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(value),
	};
}

export function text(
	status: number,
	body: string,
	contentType = 'text/plain; charset=utf-8',
	headers: Record<string, string> = {},
): Reply {
	return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export function bytes(
	status: number,
	body: Buffer,
	contentType: string,
	headers: Record<string, string> = {},
): Reply {
	return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`request body exceeds ${limit} bytes`);
	}
}

/** Reads a request body fully, refusing (without buffering further) past `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			req.resume();
			reject(new BodyTooLargeError(limit));
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.removeAllListeners('data');
				req.resume();
				reject(new BodyTooLargeError(limit));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks, size)));
		req.on('error', reject);
	});
}

export class AbortedError extends Error {
	constructor() {
		super('emulator closed');
	}
}

/** Timer-based wait that ends early (rejecting) when the emulator closes, so no timer outlives it. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	if (signal.aborted) return Promise.reject(new AbortedError());
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new AbortedError());
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Waits until the emulator closes: a request that must never be answered ("stuck" v1 call). */
export function untilClosed(signal: AbortSignal): Promise<never> {
	return new Promise((_resolve, reject) => {
		if (signal.aborted) reject(new AbortedError());
		else signal.addEventListener('abort', () => reject(new AbortedError()), { once: true });
	});
}

const HTTP_REASONS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	402: 'Payment Required',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	406: 'Not Acceptable',
	408: 'Request Timeout',
	410: 'Gone',
	413: 'Payload Too Large',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

export const reasonPhrase = (status: number) => HTTP_REASONS[status] ?? `HTTP ${status}`;

/** The HTML page a gateway answers for a wrong method (CONTRACTS: "a 405 can come back as an HTML page"). */
export function htmlErrorPage(status: number): Reply {
	const title = `${status} ${reasonPhrase(status)}`;
	return text(
		status,
		`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
		'text/html',
	);
}

/** Parses a JSON request body; a route answers 400 when this throws. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
	const value: unknown = JSON.parse(body.toString('utf8'));
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		throw new Error('body must be a JSON object');
	return value as Record<string, unknown>;
}

/** Decodes one path segment; a malformed escape is kept as is (it then matches nothing) instead of throwing. */
export function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
