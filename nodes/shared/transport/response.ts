/** An answer as the transport hands it on: status, headers, and the body as bytes. */
export interface ProviderHttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(body.toString('utf8')) };
	} catch {
		return { ok: false };
	}
}

/** A body as n8n's helper hands it over with `encoding: 'stream'`. */
export type BodyStream = AsyncIterable<Buffer | Uint8Array> & { destroy?: () => void };

/**
 * Reads a streamed body up to `limit` bytes. Past it, the stream is closed and `complete` is false:
 * an oversized answer never sits whole in memory.
 */
export async function readCapped(
	stream: BodyStream,
	limit: number,
): Promise<{ data: Buffer; complete: boolean; bytesSeen: number }> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		total += buffer.length;
		if (total > limit) {
			stream.destroy?.();
			const kept = buffer.subarray(0, Math.max(0, buffer.length - (total - limit)));
			return { data: Buffer.concat([...chunks, kept]), complete: false, bytesSeen: total };
		}
		chunks.push(buffer);
	}
	return { data: Buffer.concat(chunks), complete: true, bytesSeen: total };
}
