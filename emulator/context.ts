import type { IncomingMessage } from 'node:http';

import { BodyTooLargeError, parseJsonObject, ReplyError, type Outcome, type Reply } from './http';

import type { JobRunner } from './runner';
import type { EmulatorState } from './state';
import type { OriginName, RequestLogEntry } from './types';

export interface EmulatorUrls {
	segmindUrl: string;
	pixazoUrl: string;
	mediaUrl: string;
}

/** What a route sees of one request. */
export interface RequestContext {
	state: EmulatorState;
	runner: JobRunner;
	urls: EmulatorUrls;
	origin: OriginName;
	req: IncomingMessage;
	method: string;
	/** Path without the query string. */
	path: string;
	url: URL;
	/** This request's log entry (undefined for control requests, which are not logged). */
	log: RequestLogEntry | undefined;
	/** Aborted when the emulator closes. */
	signal: AbortSignal;
	/** The request body, read once, refused past `limit` bytes. */
	body(limit: number): Promise<Buffer>;
}

export type Route = (ctx: RequestContext) => Promise<Outcome>;

export const header = (ctx: RequestContext, name: string): string | undefined => {
	const value = ctx.req.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

/**
 * Reads a model request's JSON body. The limit leaves room for inputs inlined as base64 data: URLs.
 * Past it, or when the body is not a JSON object, answers with the origin's own error reply.
 */
export async function readJsonBody(
	ctx: RequestContext,
	errors: { tooLarge: (limit: number) => Reply; invalid: (message: string) => Reply },
): Promise<{ raw: Buffer; body: Record<string, unknown> }> {
	const limit = Math.ceil(ctx.state.config.maxInputBytes * 1.4) + 64 * 1024;
	let raw: Buffer;
	try {
		raw = await ctx.body(limit);
	} catch (error) {
		if (error instanceof BodyTooLargeError) throw new ReplyError(errors.tooLarge(limit));
		throw error;
	}
	try {
		return { raw, body: parseJsonObject(raw) };
	} catch (error) {
		throw new ReplyError(errors.invalid((error as Error).message));
	}
}
