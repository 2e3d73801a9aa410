import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';

import { headerValue, providerApiError, rateLimitResetAt } from './errors';
import type { ProviderHttpResponse } from './errors';
import { pause, throwIfCancelled } from './cancellation';
import type { ProviderInfo } from './providers';

/** Everything a request needs to know about who is calling and on whose behalf. */
export interface CallContext {
	ctx: IExecuteFunctions;
	provider: ProviderInfo;
	itemIndex: number;
	/** Hides the API key in any text a provider echoes back. */
	scrub: (text: string) => string;
	/** Whether a 429 is waited out and retried (the default), or reported at once. */
	retryRateLimited: boolean;
}

export interface ProviderRequest {
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject;
	/**
	 * A submit is billed and the provider may have accepted it even when the answer is lost,
	 * so only requests that cannot create anything (reads) are retried after a 5xx, a dropped
	 * connection or an unreadable answer. A 429 or a refused connection is retried either way:
	 * neither can have started a job.
	 */
	retrySafe: boolean;
	/** Statuses the caller reads itself, such as 422 for a failed job or 404 for an expired one. */
	expectedStatuses?: number[];
	/** False for answers that may be raw image bytes (v1 sync calls). */
	expectJson?: boolean;
	timeoutMs?: number;
}

export interface ProviderResponse extends ProviderHttpResponse {
	json<T = unknown>(): T;
}

export interface ProviderSession {
	call: CallContext;
	/** The credential's fields, with the key left out. */
	settings: Record<string, string>;
}

/**
 * Reads a provider's credential once per item: the URLs a gateway needs, and the key only to build
 * the scrubber that keeps it out of error text (the key itself travels only via n8n's authenticate).
 */
export async function openProviderSession(
	ctx: IExecuteFunctions,
	provider: ProviderInfo,
	itemIndex: number,
	options: { retryRateLimited: boolean },
): Promise<ProviderSession> {
	const { apiKey, ...rest } = await ctx.getCredentials<Record<string, unknown>>(
		provider.credentialName,
		itemIndex,
	);
	const key = String(apiKey ?? '');
	const settings = Object.fromEntries(
		Object.entries(rest).map(([name, value]) => [name, String(value ?? '').trim()]),
	);
	return {
		settings,
		call: {
			ctx,
			provider,
			itemIndex,
			scrub: (text) => (key.length >= 4 ? text.split(key).join('***') : text),
			retryRateLimited: options.retryRateLimited,
		},
	};
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_RATE_LIMIT_RETRIES = 4;
const MAX_TRANSIENT_RETRIES = 3;
const MAX_RATE_LIMIT_WAIT_MS = 65_000;
const TRANSIENT_STATUSES = [500, 502, 503, 504];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const MAX_SAME_ORIGIN_REDIRECTS = 5;

function backoffMs(attempt: number): number {
	return Math.min(1000 * 2 ** attempt, 8000);
}

/** The one place that sends an authenticated request to a provider. */
export async function callProvider(
	call: CallContext,
	request: ProviderRequest,
): Promise<ProviderResponse> {
	const { ctx, provider, itemIndex } = call;
	let rateLimitRetries = 0;
	let transientRetries = 0;
	let redirects = 0;
	let { method, url, body } = request;

	for (;;) {
		throwIfCancelled(ctx, itemIndex);
		let response: ProviderHttpResponse;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				provider.credentialName,
				{
					method,
					url,
					body,
					json: body !== undefined,
					encoding: 'arraybuffer',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
					// The key is a custom header, which n8n's redirect follower carries to any host (the
					// cross-origin option only strips Authorization), so redirects are followed below,
					// and only while they stay on the request's own origin.
					disableFollowRedirect: true,
					sendCredentialsOnCrossOriginRedirect: false,
				},
			)) as ProviderHttpResponse;
		} catch (error) {
			throwIfCancelled(ctx, itemIndex);
			const code = networkErrorCode(error);
			const nothingWasSent =
				code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
			if ((request.retrySafe || nothingWasSent) && transientRetries < MAX_TRANSIENT_RETRIES) {
				await pause(ctx, backoffMs(transientRetries++), itemIndex);
				continue;
			}
			throw networkError(call, request, code, error);
		}

		response.body = toBuffer(response.body);
		const status = response.statusCode;
		if (REDIRECT_STATUSES.includes(status)) {
			const target = redirectTarget(url, headerValue(response.headers, 'location'));
			if (!target || !sameOrigin(target, url)) throw crossOriginRedirect(call, request, target);
			if (++redirects > MAX_SAME_ORIGIN_REDIRECTS) throw tooManyRedirects(call, request);
			// As browsers do: 303, and 301/302 after a POST, repeat the request as a GET without a body.
			if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
				method = 'GET';
				body = undefined;
			}
			url = target;
			continue;
		}
		if ((status >= 200 && status < 300) || request.expectedStatuses?.includes(status)) {
			if (request.expectJson === false) return withJson(call, request, response);
			const parsed = parseJson(response.body);
			if (parsed.ok) return Object.assign(response, { json: <T>() => parsed.value as T });
			// A garbled read can simply be asked again; a garbled submit answer cannot.
			if (request.retrySafe && transientRetries < MAX_TRANSIENT_RETRIES) {
				await pause(ctx, backoffMs(transientRetries++), itemIndex);
				continue;
			}
			throw unreadableAnswer(call, request, response);
		}
		if (status === 429 && call.retryRateLimited && rateLimitRetries < MAX_RATE_LIMIT_RETRIES) {
			await pause(ctx, rateLimitWaitMs(response, rateLimitRetries++), itemIndex);
			continue;
		}
		if (
			TRANSIENT_STATUSES.includes(status) &&
			request.retrySafe &&
			transientRetries < MAX_TRANSIENT_RETRIES
		) {
			await pause(ctx, backoffMs(transientRetries++), itemIndex);
			continue;
		}
		throw providerApiError(ctx.getNode(), provider, response, itemIndex, call.scrub);
	}
}

function rateLimitWaitMs(response: ProviderHttpResponse, attempt: number): number {
	const resetAt = rateLimitResetAt(response.headers);
	if (resetAt) {
		// A little past the reset, so the first request of the new window is not refused again.
		return Math.min(Math.max(resetAt.getTime() - Date.now() + 250, 250), MAX_RATE_LIMIT_WAIT_MS);
	}
	return backoffMs(attempt);
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(JSON.stringify(body), 'utf8');
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(body.toString('utf8')) };
	} catch {
		return { ok: false };
	}
}

function withJson(
	call: CallContext,
	request: ProviderRequest,
	response: ProviderHttpResponse,
): ProviderResponse {
	return Object.assign(response, {
		json<T>(): T {
			const parsed = parseJson(response.body);
			if (!parsed.ok) throw unreadableAnswer(call, request, response);
			return parsed.value as T;
		},
	});
}

export function unreadableAnswer(
	call: CallContext,
	request: ProviderRequest,
	response: ProviderHttpResponse,
): NodeApiError {
	const { label } = call.provider;
	const preview = call.scrub(response.body.toString('utf8').slice(0, 120));
	return new NodeApiError(
		call.ctx.getNode(),
		{ httpCode: String(response.statusCode), error: preview } as JsonObject,
		{
			message: `${label} sent an answer that could not be read (HTTP ${response.statusCode})`,
			description: request.retrySafe
				? `The answer was not the JSON ${label} documents. Try again in a moment.`
				: `The answer to a submit was not the JSON ${label} documents, so the job may or may not have been created. Check your ${label} request history before running again, so it is not billed twice.`,
			httpCode: String(response.statusCode),
			itemIndex: call.itemIndex,
		},
	);
}

export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const record = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof record.code === 'string' && /^E[A-Z_]+$/.test(record.code)) return record.code;
		const message = typeof record.message === 'string' ? record.message : '';
		const match =
			/\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ECONNABORTED|ENOTFOUND|EAI_AGAIN|EPIPE)\b/.exec(
				message,
			);
		if (match) return match[1];
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
		if (/timeout of \d+ms exceeded|timed out/i.test(message)) return 'ETIMEDOUT';
		current = record.cause;
	}
	return undefined;
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed unexpectedly',
	EPIPE: 'connection closed unexpectedly',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host lookup failed',
};

function networkError(
	call: CallContext,
	request: ProviderRequest,
	code: string | undefined,
	error: unknown,
): NodeApiError {
	const { label, credentialLabel } = call.provider;
	const host = safeHost(request.url);
	const what =
		code === 'ETIMEDOUT' || code === 'ECONNABORTED'
			? 'did not answer in time'
			: 'could not be reached';
	// Words, not the raw code: NodeApiError replaces any message that contains a known code.
	const reason = code
		? (NETWORK_REASONS[code] ?? 'network error')
		: call.scrub(error instanceof Error ? error.message : String(error)).slice(0, 200);
	return new NodeApiError(
		call.ctx.getNode(),
		// No `code` key here: NodeApiError would swap the message for its generic text for that code.
		{ networkError: code ?? 'unknown', error: reason } as JsonObject,
		{
			message: `${label} ${what} (${host}, ${reason})`,
			description: request.retrySafe
				? `Check the Base URL in the "${credentialLabel}" credential and the network, then try again.`
				: `The connection broke while submitting, so the job may or may not have been created. Check your ${label} request history before running again, so it is not billed twice.`,
			itemIndex: call.itemIndex,
		},
	);
}

/** Where a redirect points, resolved against the URL that answered it; undefined when unreadable. */
export function redirectTarget(from: string, location: string | undefined): string | undefined {
	if (!location) return undefined;
	try {
		const target = new URL(location, from);
		return target.protocol === 'http:' || target.protocol === 'https:'
			? target.toString()
			: undefined;
	} catch {
		return undefined;
	}
}

function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

function crossOriginRedirect(
	call: CallContext,
	request: ProviderRequest,
	target: string | undefined,
): NodeApiError {
	const { label, credentialLabel } = call.provider;
	const where = target ? safeHost(target) : 'an unreadable address';
	return new NodeApiError(call.ctx.getNode(), { redirectedTo: where } as JsonObject, {
		message: `${label} redirected the request to another host (${where}), which was not followed`,
		description:
			`The API key is sent only to the host in the "${credentialLabel}" credential, so a redirect elsewhere is refused. ` +
			`Check that credential's Base URL (and Upload URL) point straight at ${label}, not at an address that forwards.` +
			(request.retrySafe
				? ''
				: ` If this was a submit, check your ${label} request history before running again.`),
		itemIndex: call.itemIndex,
	});
}

function tooManyRedirects(call: CallContext, request: ProviderRequest): NodeApiError {
	const { label, credentialLabel } = call.provider;
	return new NodeApiError(
		call.ctx.getNode(),
		{ redirectedTo: safeHost(request.url) } as JsonObject,
		{
			message: `${label} redirected the request more than ${MAX_SAME_ORIGIN_REDIRECTS} times`,
			description: `Check the Base URL in the "${credentialLabel}" credential.`,
			itemIndex: call.itemIndex,
		},
	);
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'invalid URL';
	}
}

export interface BillingInfo {
	remainingCredits?: number;
	cost?: number;
	providerRequestId?: string;
	generationSeconds?: number;
	seed?: number;
}

/** Reads the credit and cost headers so users can see what a run spent. */
export function billingFromHeaders(headers: ProviderHttpResponse['headers']): BillingInfo {
	const number = (name: string) => {
		const raw = headerValue(headers, name);
		if (raw === undefined || raw.trim() === '') return undefined;
		const parsed = Number(raw);
		return Number.isFinite(parsed) ? parsed : undefined;
	};
	const billing: BillingInfo = {
		remainingCredits: number('x-remaining-credits'),
		cost: number('x-cost'),
		providerRequestId: headerValue(headers, 'x-request-id'),
		generationSeconds: number('x-generation-time'),
		seed: number('x-seed-value'),
	};
	return Object.fromEntries(
		Object.entries(billing).filter(([, value]) => value !== undefined),
	) as BillingInfo;
}

/**
 * A provider may answer with its own status and result links. They are used only when they point
 * at the same origin as the configured Base URL, since the API key is sent with them.
 */
export function sameOriginOr(
	candidate: string | undefined,
	baseUrl: string,
	fallback: string,
): string {
	if (!candidate) return fallback;
	try {
		return new URL(candidate).origin === new URL(baseUrl).origin ? candidate : fallback;
	} catch {
		return fallback;
	}
}

export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function assertHttpUrl(
	ctx: IExecuteFunctions,
	url: string,
	field: string,
	itemIndex: number,
): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `${field} is not a valid URL: "${url}"`, {
			itemIndex,
		});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field} must be an http(s) URL, got "${parsed.protocol}"`,
			{
				itemIndex,
			},
		);
	}
	return parsed.toString();
}
