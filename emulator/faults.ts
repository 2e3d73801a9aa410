/**
 * Transport-level faults (injected through the control API or requested with `emulate:` magic values
 * in a request body), and each origin's style of error body.
 */
import { createHash } from 'node:crypto';

import type { RequestContext } from './context';
import { htmlErrorPage, json, reasonPhrase, sleep, text, type Outcome, type Reply } from './http';
import type { JobFault } from './jobs';
import type { RateInfo } from './state';
import type { EmulatorConfig, Fault, OriginName } from './types';

/** An error answer in the style of the origin it comes from. */
export function errorReply(
	origin: OriginName,
	status: number,
	message: string,
	headers: Record<string, string> = {},
): Reply {
	if (origin === 'media') {
		return text(
			status,
			`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${reasonPhrase(status).replace(/ /g, '')}</Code><Message>${message}</Message></Error>`,
			'application/xml',
			headers,
		);
	}
	if (origin === 'pixazo') {
		// Azure API Management answers auth and throttling itself, in its own shape; the API behind it uses {error, details}.
		if (status === 401 || status === 403 || status === 429)
			return json(status, { statusCode: status, message }, headers);
		return json(status, { error: reasonPhrase(status), details: message }, headers);
	}
	return json(status, { error: message }, headers);
}

/** Headers of a 429: Segmind's reset time; `Retry-After` only when configured (CONTRACTS: Segmind sends none). */
export function rateLimitHeaders(
	origin: OriginName,
	resetAt: number,
	config: EmulatorConfig,
	now = Date.now(),
): Record<string, string> {
	const headers: Record<string, string> = {};
	if (origin !== 'pixazo') headers['x-rate-limit-reset-at-utc'] = new Date(resetAt).toISOString();
	if (config.sendRetryAfter)
		headers['retry-after'] = String(Math.max(1, Math.ceil((resetAt - now) / 1000)));
	return headers;
}

export function rateLimitedReply(
	origin: OriginName,
	rate: Pick<RateInfo, 'resetAt'>,
	config: EmulatorConfig,
	extraHeaders: Record<string, string> = {},
): Reply {
	const seconds = Math.max(1, Math.ceil((rate.resetAt - Date.now()) / 1000));
	const message =
		origin === 'pixazo'
			? `Rate limit is exceeded. Try again in ${seconds} seconds.`
			: 'Rate limit exceeded. Please slow down or upgrade your plan.';
	return errorReply(origin, 429, message, {
		...extraHeaders,
		...rateLimitHeaders(origin, rate.resetAt, config),
	});
}

/** The answer to a `status`, `drop` or `malformed` fault (`slow` is a delay, handled by the server). */
export function faultReply(
	fault: Exclude<Fault, { type: 'slow' } | { type: 'cut' }>,
	origin: OriginName,
	config: EmulatorConfig,
): Outcome {
	if (fault.type === 'drop') return { drop: true };
	if (fault.type === 'malformed') return malformedReply(origin);
	const headers = {
		...(fault.status === 429
			? rateLimitHeaders(origin, Date.now() + config.rateLimitWindowMs, config)
			: {}),
		...(fault.headers ?? {}),
	};
	if (fault.body === undefined) {
		const reply =
			fault.status === 405
				? htmlErrorPage(405)
				: errorReply(origin, fault.status, `${reasonPhrase(fault.status)} (emulated fault)`);
		return { ...reply, headers: { ...reply.headers, ...headers } };
	}
	if (typeof fault.body === 'string')
		return text(
			fault.status,
			fault.body,
			fault.contentType ?? 'text/plain; charset=utf-8',
			headers,
		);
	return json(fault.status, fault.body, {
		...headers,
		...(fault.contentType ? { 'content-type': fault.contentType } : {}),
	});
}

/** 200 with a body cut off mid-way: JSON that does not parse, or an image that does not decode. */
function malformedReply(origin: OriginName): Reply {
	if (origin === 'media') {
		return {
			status: 200,
			headers: { 'content-type': 'image/png' },
			body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
		};
	}
	return {
		status: 200,
		headers: { 'content-type': 'application/json' },
		body: '{"status":"COMPLETED","request_id":"7c1f0e2a-trunc',
	};
}

/** HTTP-level magic directives (answered instead of processing the request). */
const HTTP_DIRECTIVES = ['429', '500', '502', '504', '406', 'drop', 'malformed'] as const;
type HttpDirective = (typeof HTTP_DIRECTIVES)[number];

export interface Magic {
	/** Transport faults requested, in the order written, each with an optional count (`emulate:429x2`). */
	http: { directive: HttpDirective; times?: number }[];
	slowMs?: number;
	latencyMs?: number;
	jobFault?: JobFault;
}

const MAGIC =
	/emulate:(?:(slow|latency)=(\d+)|(fail|error|stuck|expire|429|500|502|504|406|drop|malformed)(?:x(\d+))?)/gi;

/**
 * Finds `emulate:<directive>` in any string value of a request body (prompt, image URL, ...), so a
 * fault can be requested from a plain n8n workflow without access to the control API.
 */
export function parseMagic(body: unknown): Magic | undefined {
	const found: Magic = { http: [] };
	let any = false;
	const visit = (value: unknown, depth: number) => {
		if (depth > 8) return;
		if (typeof value === 'string') {
			if (!value.includes('emulate:')) return;
			for (const match of value.matchAll(MAGIC)) {
				any = true;
				const [, timed, ms, directive, times] = match;
				if (timed) found[timed.toLowerCase() === 'slow' ? 'slowMs' : 'latencyMs'] = Number(ms);
				else if ((HTTP_DIRECTIVES as readonly string[]).includes(directive.toLowerCase())) {
					found.http.push({
						directive: directive.toLowerCase() as HttpDirective,
						times: times ? Number(times) : undefined,
					});
				} else
					found.jobFault = {
						kind: directive.toLowerCase() as JobFault['kind'],
						reason: `emulated failure (emulate:${directive.toLowerCase()})`,
					};
			}
		} else if (Array.isArray(value)) value.forEach((item) => visit(item, depth + 1));
		else if (value && typeof value === 'object')
			Object.values(value).forEach((item) => visit(item, depth + 1));
	};
	visit(body, 0);
	return any ? found : undefined;
}

/**
 * The transport fault a magic value asks for on this request, if any. A counted directive
 * (`emulate:500x2`) fires for the first N requests with the same body, so a client's retry of the same
 * submit eventually gets through.
 */
function takeMagicFault(
	magic: Magic,
	rawBody: Buffer,
	counters: Map<string, number>,
): HttpDirective | undefined {
	for (const { directive, times } of magic.http) {
		if (times === undefined) return directive;
		const counterKey = `${directive}:${createHash('sha1').update(rawBody).digest('hex')}`;
		const used = counters.get(counterKey) ?? 0;
		if (used < times) {
			counters.set(counterKey, used + 1);
			return directive;
		}
	}
	return undefined;
}

/**
 * Applies the transport part of a model request's magic values: waits for `slow=<ms>`, then returns
 * the answer a transport directive stands for (logged as `magic:<directive>`), or undefined to go on.
 */
export async function magicTransportOutcome(
	ctx: RequestContext,
	magic: Magic | undefined,
	rawBody: Buffer,
): Promise<Outcome | undefined> {
	if (!magic) return undefined;
	if (magic.slowMs) await sleep(magic.slowMs, ctx.signal);
	const directive = takeMagicFault(magic, rawBody, ctx.state.magicCounters);
	if (!directive) return undefined;
	if (ctx.log) ctx.log.fault = `magic:${directive}`;
	return magicReply(directive, ctx.origin, ctx.state.config);
}

/** The answer a magic transport directive stands for, in the origin's style. */
function magicReply(directive: HttpDirective, origin: OriginName, config: EmulatorConfig): Outcome {
	switch (directive) {
		case 'drop':
			return { drop: true };
		case 'malformed':
			return malformedReply(origin);
		case '429':
			return rateLimitedReply(origin, { resetAt: Date.now() + config.rateLimitWindowMs }, config);
		case '406':
			return origin === 'pixazo'
				? json(402, {
						error: 'Insufficient credits',
						details: 'Your account balance is too low for this request (emulate:406).',
					})
				: errorReply(
						origin,
						406,
						'Insufficient credits. Please top up your account (emulate:406).',
					);
		default:
			return errorReply(
				origin,
				Number(directive),
				`${reasonPhrase(Number(directive))} (emulate:${directive})`,
			);
	}
}
