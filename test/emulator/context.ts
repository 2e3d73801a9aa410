import type { IncomingMessage } from 'node:http';

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

export type Route = (ctx: RequestContext) => Promise<import('./http').Outcome>;

export const header = (ctx: RequestContext, name: string): string | undefined => {
	const value = ctx.req.headers[name];
	return Array.isArray(value) ? value[0] : value;
};
