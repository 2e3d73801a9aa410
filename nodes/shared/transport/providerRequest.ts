import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import type { z } from 'zod';

import { pause, throwIfCancelled } from '../cancellation';
import {
	answerOverLimit,
	crossOriginRedirect,
	rateLimitOutlastsMaxWait,
	networkError,
	networkErrorCode,
	providerApiError,
	tooManyRedirects,
	unreadableAnswer,
} from '../errors';
import { headerValue, rateLimitResetAt } from './headers';
import { parseJson, readCapped } from './response';
import type { BodyStream, ProviderHttpResponse } from './response';
import type { CallContext } from './session';
import { redirectTarget, sameOrigin } from './urls';
import { parseAnswer } from '../validation';

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
	/**
	 * The largest answer read; past it the answer is refused unread. Answers that carry images
	 * inline (v1 sync calls, Pixazo's data URIs) get the user's download limit.
	 */
	maxAnswerBytes?: number;
}

export interface ProviderResponse extends ProviderHttpResponse {
	json<T = unknown>(): T;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Plain JSON answers (a job id, a status) are small; anything far larger is not one. */
const DEFAULT_MAX_ANSWER_BYTES = 4 * 2 ** 20;
/** No request is sent with less time than this to answer, even right before the deadline. */
const MIN_TIMEOUT_MS = 1_000;
const MAX_TRANSIENT_RETRIES = 3;
const TRANSIENT_STATUSES = [500, 502, 503, 504];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const MAX_SAME_ORIGIN_REDIRECTS = 5;
/** A little past a reset time, so the first request of the new window is not refused again. */
const RESET_MARGIN_MS = 250;

/** 1 s, 2 s, 4 s, then 8 s at most: the pause before retry number `attempt`. */
export function backoffMs(attempt: number): number {
	return Math.min(1000 * 2 ** attempt, 8000);
}

/**
 * The one place that sends an authenticated request to a provider. Every attempt takes its place
 * in the run's request budget, and nothing waits past the item's deadline.
 */
export async function callProvider(
	call: CallContext,
	request: ProviderRequest,
): Promise<ProviderResponse> {
	const { ctx, provider, itemIndex, budget, deadline } = call;
	let rateLimitRetries = 0;
	let transientRetries = 0;
	let redirects = 0;
	let lastRateLimited: ProviderHttpResponse | undefined;
	let { method, url, body } = request;
	const retryAfterBackoff = async () => {
		if (transientRetries >= MAX_TRANSIENT_RETRIES) return false;
		const wait = backoffMs(transientRetries++);
		if (Date.now() + wait > deadline) return false;
		await pause(ctx, wait, itemIndex);
		return true;
	};

	for (;;) {
		throwIfCancelled(ctx, itemIndex);
		const kind = method === 'GET' ? 'read' : 'submit';
		const place = await budget.acquire(kind, itemIndex, deadline);
		if ('startsAfterDeadline' in place) {
			throw rateLimitOutlastsMaxWait(call, lastRateLimited, place.startsAfterDeadline);
		}
		const { giveBack, ticket } = place;
		let response: ProviderHttpResponse;
		const maxAnswerBytes = request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
		let answerTooLarge: number | undefined;
		try {
			const timeLeft = Math.max(deadline - Date.now(), MIN_TIMEOUT_MS);
			const streamed = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				provider.credentialName,
				{
					method,
					url,
					body,
					json: body !== undefined,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: Math.min(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, timeLeft),
					// The key is a custom header, which n8n's redirect follower carries to any host (the
					// cross-origin option only strips Authorization), so redirects are followed below,
					// and only while they stay on the request's own origin.
					disableFollowRedirect: true,
					sendCredentialsOnCrossOriginRedirect: false,
				},
			)) as Omit<ProviderHttpResponse, 'body'> & { body: BodyStream };
			// Read inside the try: a connection that drops half-way through the body is a network error.
			const read = await readCapped(streamed.body, maxAnswerBytes);
			if (!read.complete) answerTooLarge = read.bytesSeen;
			response = { statusCode: streamed.statusCode, headers: streamed.headers, body: read.data };
		} catch (error) {
			giveBack();
			throwIfCancelled(ctx, itemIndex);
			const code = networkErrorCode(error);
			const nothingWasSent =
				code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
			if ((request.retrySafe || nothingWasSent) && (await retryAfterBackoff())) continue;
			throw networkError(call, request, code, error);
		}
		giveBack();
		if (answerTooLarge !== undefined)
			throw answerOverLimit(call, request, answerTooLarge, maxAnswerBytes);

		const status = response.statusCode;
		if (REDIRECT_STATUSES.includes(status)) {
			const target = redirectTarget(url, headerValue(response.headers, 'location'));
			if (!target || !sameOrigin(target, url)) throw crossOriginRedirect(call, request, target);
			if (++redirects > MAX_SAME_ORIGIN_REDIRECTS) {
				throw tooManyRedirects(call, request, MAX_SAME_ORIGIN_REDIRECTS);
			}
			// As browsers do: 303, and 301/302 after a POST, repeat the request as a GET without a body.
			if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
				method = 'GET';
				body = undefined;
			}
			url = target;
			continue;
		}
		if ((status >= 200 && status < 300) || request.expectedStatuses?.includes(status)) {
			if (request.expectJson === false) return withLazyJson(call, request, response);
			const parsed = parseJson(response.body);
			if (parsed.ok) return Object.assign(response, { json: <T>() => parsed.value as T });
			// A garbled read can simply be asked again; a garbled submit answer cannot.
			if (request.retrySafe && (await retryAfterBackoff())) continue;
			throw unreadableAnswer(call, request, response);
		}
		if (status === 429 && call.retryRateLimited) {
			// A 429 started nothing, so even a submit is sent again; the whole run waits with it.
			lastRateLimited = response;
			budget.rateLimited(kind, rateLimitLiftsAt(response, rateLimitRetries++), ticket);
			continue;
		}
		if (TRANSIENT_STATUSES.includes(status) && request.retrySafe && (await retryAfterBackoff())) {
			continue;
		}
		throw providerApiError(call, response, request);
	}
}

/** When to try again after a 429: the provider's reset time, or a backoff when it gives none. */
function rateLimitLiftsAt(response: ProviderHttpResponse, attempt: number): number {
	const now = Date.now();
	const resetAt = rateLimitResetAt(response.headers)?.getTime();
	// A reset time in the past or a moment away says little (clock skew): back off instead.
	if (resetAt !== undefined && resetAt - now >= 1000) return resetAt + RESET_MARGIN_MS;
	return now + backoffMs(attempt);
}

function withLazyJson(
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

/**
 * Sends a request and reads its JSON answer in the shape the provider documents; any other shape
 * is reported as an unreadable answer rather than guessed at.
 */
export async function callForAnswer<T extends z.ZodTypeAny>(
	call: CallContext,
	request: ProviderRequest,
	shape: T,
): Promise<{ answer: z.infer<T>; response: ProviderResponse }> {
	const response = await callProvider(call, request);
	const answer = parseAnswer(shape, response.json());
	if (answer === undefined) throw unreadableAnswer(call, request, response);
	return { answer: answer as z.infer<T>, response };
}
