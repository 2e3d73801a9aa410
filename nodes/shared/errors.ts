import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';

import type { ProviderEntry } from './providers/provider';
import { rateLimitResetAt } from './transport/headers';
import type { ProviderRequest } from './transport/providerRequest';
import type { ProviderHttpResponse } from './transport/response';
import type { CallContext } from './transport/session';
import { hostOf } from './transport/urls';

/**
 * Every error the package raises is built here, so each one says what happened and what to do
 * next in the same voice. Errors carry only statuses and the provider's text, never a request,
 * so the API key cannot travel with them into logs or error items.
 */

const MAX_PROVIDER_TEXT = 500;

type NodeError = NodeApiError | NodeOperationError;

/**
 * The stable codes a workflow can route on (a Switch on `{{ $json.errorCode }}`), each with whether
 * running the item again, unchanged, may succeed.
 */
export const ERROR_CODES = {
	INVALID_INPUT: false,
	AUTH: false,
	CONFIG: false,
	OUT_OF_CREDITS: false,
	RATE_LIMITED: true,
	CONTENT_REJECTED: false,
	PROVIDER_ERROR: true,
	NETWORK: true,
	EXPIRED: true,
	TIMEOUT: true,
	DOWNLOAD_FAILED: true,
	TOO_LARGE: false,
	CANCELLED: true,
	UNKNOWN: false,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Marks an error with its code and whether it may be retried. `billed` says whether a job was
 * created (and charged, as far as the provider tells); left unset, errors after a submit are billed
 * (see withRequestId) and the others are not.
 */
export function coded<T extends NodeError>(error: T, errorCode: ErrorCode, billed?: boolean): T {
	error.context.errorCode = errorCode;
	error.context.retryable = ERROR_CODES[errorCode];
	if (billed !== undefined) error.context.billed = billed;
	return error;
}

/** What an error item carries for a workflow to route on. */
export function routingFields(error: NodeError): IDataObject {
	const errorCode = (error.context.errorCode as ErrorCode | undefined) ?? 'UNKNOWN';
	const fields: IDataObject = {
		errorCode,
		retryable: (error.context.retryable as boolean | undefined) ?? ERROR_CODES[errorCode],
		billed: error.context.billed === true,
	};
	if (typeof error.context.requestId === 'string') fields.requestId = error.context.requestId;
	if (error instanceof NodeApiError && error.httpCode && /^\d{3}$/.test(error.httpCode)) {
		fields.httpCode = error.httpCode;
	}
	return fields;
}

/**
 * Pulls the provider's own explanation out of an error body. Segmind sends `{error}`, Pixazo
 * `{error, details}`, the Azure gateway in front of Pixazo `{message}`, and some Segmind errors are
 * plain text or an HTML page, so every shape is read.
 */
export function providerErrorText(body: Buffer | string | undefined): string {
	if (body === undefined) return '';
	const text = (typeof body === 'string' ? body : body.toString('utf8')).trim();
	if (!text) return '';
	try {
		const parsed = JSON.parse(text) as unknown;
		if (parsed && typeof parsed === 'object') {
			const record = parsed as Record<string, unknown>;
			const parts = [record.error, record.message, record.details, record.detail]
				.map((part) => (typeof part === 'string' ? part : part ? JSON.stringify(part) : ''))
				.filter((part) => part.length > 0);
			if (parts.length > 0) return truncate([...new Set(parts)].join(': '));
		}
		if (typeof parsed === 'string') return truncate(parsed);
	} catch {
		// Not JSON: fall through to the plain-text and HTML forms.
	}
	const withoutTags = text
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return truncate(withoutTags);
}

function truncate(text: string): string {
	return text.length > MAX_PROVIDER_TEXT ? `${text.slice(0, MAX_PROVIDER_TEXT)}…` : text;
}

/** The code a workflow routes a provider's HTTP answer on. */
function codeForStatus(status: number): ErrorCode {
	if (status === 401 || status === 403) return 'AUTH';
	if (status === 402 || status === 406) return 'OUT_OF_CREDITS';
	if (status === 429) return 'RATE_LIMITED';
	if (status === 404 || status === 410) return 'CONFIG';
	if (status === 400 || status === 413 || status === 422) return 'INVALID_INPUT';
	if (status >= 500) return 'PROVIDER_ERROR';
	return 'UNKNOWN';
}

/**
 * Turns a provider's non-success answer into an error that tells the user what to do next. A 5xx
 * answer to a submit may come after the provider created the job, so it counts as billed.
 */
export function providerApiError(
	call: CallContext,
	response: ProviderHttpResponse,
	request?: ProviderRequest,
): NodeApiError {
	const status = response.statusCode;
	// The key is hidden before the text is cut, so no part of it can survive at the cut.
	const said = providerErrorText(call.scrub(response.body.toString('utf8')));
	const saidSuffix = said ? `: ${said}` : '';
	const { label, credentialLabel, billingHint } = call.provider;
	let message: string;
	let description: string;
	let failure: JsonObject | undefined;

	if (status === 401) {
		message = `${label} rejected the API key${saidSuffix}`;
		description = `Check the API key in the "${credentialLabel}" credential: copy it again from your ${label} account and test the credential.`;
		failure = { cause: 'credential-invalid' };
	} else if (status === 403) {
		message = `${label} refused access${saidSuffix}`;
		description = `The key is valid but not allowed to do this. Check the key's permissions and your plan in your ${label} account.`;
		failure = { cause: 'credential-invalid' };
	} else if (status === 406 || status === 402) {
		message = `Out of ${label} credits${saidSuffix}`;
		description = `${billingHint} Nothing was generated for this item.`;
	} else if (status === 429) {
		const resetAt = rateLimitResetAt(response.headers);
		message = `Rate limited by ${label}${saidSuffix}`;
		description =
			`Too many requests for your ${label} plan. Slow down: process fewer items per run, add a Wait node between batches, or upgrade your plan.` +
			(resetAt ? ` The limit resets at ${resetAt.toISOString()}.` : '');
		failure = resetAt
			? { cause: 'rate-limited', resetsAtEpochMs: resetAt.getTime() }
			: { cause: 'rate-limited' };
	} else if (status === 410) {
		message = `${label} has retired this model${saidSuffix}`;
		description =
			'The model is no longer served. Update the node package, or choose another model.';
		failure = { cause: 'configuration-invalid' };
	} else if (status === 404) {
		message = `${label} did not find the endpoint${saidSuffix}`;
		description = `Check the Base URL in the "${credentialLabel}" credential; the model may also have been renamed or retired.`;
		failure = { cause: 'configuration-invalid' };
	} else if (status === 400 || status === 413 || status === 422) {
		message = `${label} rejected the request${saidSuffix}`;
		description =
			'A parameter or the input image was not accepted. Check the fields named in the message; very large images may need to be made smaller first.';
	} else if (status >= 500) {
		message = `${label} had a server problem (HTTP ${status})${saidSuffix}`;
		description = `This is on ${label}'s side. Try again in a few minutes. If a job was already submitted, fetch it with the Get Result operation instead of re-running, so it is not billed twice.`;
		failure = { cause: 'temporarily-unavailable' };
	} else {
		message = `${label} answered HTTP ${status}${saidSuffix}`;
		description = `Unexpected answer from ${label}. Check the credential's Base URL, and try again.`;
	}

	const error = new NodeApiError(
		call.ctx.getNode(),
		{ httpCode: String(status), error: said } as JsonObject,
		{
			message,
			description,
			httpCode: String(status),
			itemIndex: call.itemIndex,
			...(failure ? { failure } : {}),
		} as never,
	);
	const maybeCreated = status >= 500 && request !== undefined && !request.retrySafe;
	return coded(error, codeForStatus(status), maybeCreated || undefined);
}

/**
 * The run's pace (a provider's rate limit, or Requests per Minute) would start a request only
 * after the item's Max Wait: the item stops here rather than wait past what the user allowed.
 */
export function rateLimitOutlastsMaxWait(
	call: CallContext,
	rateLimited: ProviderHttpResponse | undefined,
	wouldStartAt: number,
): NodeApiError {
	const { label } = call.provider;
	const at = new Date(wouldStartAt).toISOString();
	if (rateLimited) {
		const error = providerApiError(call, rateLimited);
		error.description = `${label}'s rate limit lifts at ${at}, after this item's Max Wait. Raise "Max Wait", lower "Requests per Minute", process fewer items per run, or upgrade your ${label} plan.`;
		return error;
	}
	return coded(
		new NodeApiError(call.ctx.getNode(), { error: 'request pace' } as JsonObject, {
			message: `The request pace would send this item's next ${label} request only at ${at}, after its Max Wait`,
			description:
				'Raise "Max Wait" or "Requests per Minute" in Advanced Options, or process fewer items per run.',
			itemIndex: call.itemIndex,
		}),
		'RATE_LIMITED',
	);
}

/** For a submit, whose answer was lost or garbled: the job may exist, so say how not to pay twice. */
function maybeBilledHint(provider: ProviderEntry): string {
	return `The job may or may not have been created. Check your ${provider.label} request history before running again, so it is not billed twice.`;
}

export function unreadableAnswer(
	call: CallContext,
	request: ProviderRequest,
	response: ProviderHttpResponse,
): NodeApiError {
	const { label } = call.provider;
	const preview = call.scrub(response.body.toString('utf8')).slice(0, 120);
	return coded(
		new NodeApiError(
			call.ctx.getNode(),
			{ httpCode: String(response.statusCode), error: preview } as JsonObject,
			{
				message: `${label} sent an answer that could not be read (HTTP ${response.statusCode})`,
				description: request.retrySafe
					? `The answer was not the JSON ${label} documents. Try again in a moment.`
					: `The answer to a submit was not the JSON ${label} documents. ${maybeBilledHint(call.provider)}`,
				httpCode: String(response.statusCode),
				itemIndex: call.itemIndex,
			},
		),
		'PROVIDER_ERROR',
		// A read leaves billed to the job it belongs to (see withRequestId); a submit may have created one.
		!request.retrySafe || undefined,
	);
}

/** An answer larger than anything the provider should send here: refused without reading it whole. */
export function answerOverLimit(
	call: CallContext,
	request: ProviderRequest,
	bytes: number,
	limit: number,
): NodeApiError {
	const { label } = call.provider;
	const mb = (value: number) => Math.round((value / 2 ** 20) * 10) / 10;
	return coded(
		new NodeApiError(call.ctx.getNode(), { error: 'answer too large' } as JsonObject, {
			message: `${label}'s answer is larger than the ${mb(limit)} MB limit (${bytes} bytes or more)`,
			description:
				'Answers that carry images inline count against "Download Size Limit (MB)": raise it, ask for fewer or smaller images per item, or turn off inline results (Return Data URIs, Direct mode).',
			itemIndex: call.itemIndex,
		}),
		'TOO_LARGE',
		!request.retrySafe || undefined,
	);
}

/** The Node.js error code behind a failed request, wherever in the cause chain it sits. */
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

/**
 * A network failure in words. Never the raw code in a message: NodeApiError replaces any message
 * that contains a known code with its generic text, which may name the wrong cause.
 */
export function networkReason(code: string | undefined): string {
	return (code && NETWORK_REASONS[code]) || 'network error';
}

export function networkError(
	call: CallContext,
	request: ProviderRequest,
	code: string | undefined,
	error: unknown,
): NodeApiError {
	const { label, credentialLabel } = call.provider;
	// A refused connection or an unknown host never reached the provider: nothing was created.
	const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	const mayHaveCreated = !request.retrySafe && !neverSent;
	const what =
		code === 'ETIMEDOUT' || code === 'ECONNABORTED'
			? 'did not answer in time'
			: 'could not be reached';
	// Words, not the raw code: NodeApiError replaces any message that contains a known code.
	const reason = code
		? (NETWORK_REASONS[code] ?? 'network error')
		: call.scrub(error instanceof Error ? error.message : String(error)).slice(0, 200);
	return coded(
		new NodeApiError(
			call.ctx.getNode(),
			// No `code` key here: NodeApiError would swap the message for its generic text for that code.
			{ networkError: code ?? 'unknown', error: reason } as JsonObject,
			{
				message: `${label} ${what} (${hostOf(request.url)}, ${reason})`,
				description: mayHaveCreated
					? `The connection broke while submitting. ${maybeBilledHint(call.provider)}`
					: `Check the Base URL in the "${credentialLabel}" credential and the network, then try again.`,
				itemIndex: call.itemIndex,
			},
		),
		'NETWORK',
		mayHaveCreated || undefined,
	);
}

export function crossOriginRedirect(
	call: CallContext,
	request: ProviderRequest,
	target: string | undefined,
): NodeApiError {
	const { label, credentialLabel } = call.provider;
	const where = target ? hostOf(target) : 'an unreadable address';
	return coded(
		new NodeApiError(call.ctx.getNode(), { redirectedTo: where } as JsonObject, {
			message: `${label} redirected the request to another host (${where}), which was not followed`,
			description:
				`The API key is sent only to the host in the "${credentialLabel}" credential, so a redirect elsewhere is refused. ` +
				`Check that credential's Base URL (and Upload URL) point straight at ${label}, not at an address that forwards.` +
				(request.retrySafe
					? ''
					: ` If this was a submit, check your ${label} request history before running again.`),
			itemIndex: call.itemIndex,
		}),
		'CONFIG',
	);
}

export function tooManyRedirects(
	call: CallContext,
	request: ProviderRequest,
	limit: number,
): NodeApiError {
	const { label, credentialLabel } = call.provider;
	return coded(
		new NodeApiError(call.ctx.getNode(), { redirectedTo: hostOf(request.url) } as JsonObject, {
			message: `${label} redirected the request more than ${limit} times`,
			description: `Check the Base URL in the "${credentialLabel}" credential.`,
			itemIndex: call.itemIndex,
		}),
		'CONFIG',
	);
}

/** Context for errors about a result file, raised after the job ran. */
export interface ResultErrorContext {
	ctx: IExecuteFunctions;
	itemIndex: number;
	provider: ProviderEntry;
	maxBytes: number;
	/** When the item must be done (epoch ms): a download neither waits nor retries past it. */
	deadline: number;
}

export function unusableResult(context: ResultErrorContext, what: string): NodeApiError {
	return coded(
		new NodeApiError(context.ctx.getNode(), { error: what } as JsonObject, {
			message: `${context.provider.label} returned ${what}`,
			description:
				'The job finished but its result could not be used. Run the node again; if it keeps happening, report it.',
			itemIndex: context.itemIndex,
		}),
		'PROVIDER_ERROR',
	);
}

export function downloadFailed(
	context: ResultErrorContext,
	url: string,
	reason: string,
): NodeApiError {
	return coded(
		new NodeApiError(context.ctx.getNode(), { error: reason } as JsonObject, {
			message: `Could not download the result from ${hostOf(url)} (${reason})`,
			description: `${context.provider.resultFilesHint} If the link expired, run the job again; otherwise try again in a moment. Choose "Output: Links Only" to skip downloading.`,
			itemIndex: context.itemIndex,
		}),
		'DOWNLOAD_FAILED',
	);
}

export function resultTooLarge(
	context: ResultErrorContext,
	url: string,
	bytes: number,
): NodeOperationError {
	const limitMb = Math.round((context.maxBytes / 1024 / 1024) * 10) / 10;
	const where = url.startsWith('http') ? `at ${hostOf(url)} ` : '';
	return coded(
		new NodeOperationError(
			context.ctx.getNode(),
			`The result ${where}is larger than the ${limitMb} MB download limit (${bytes} bytes or more)`,
			{
				itemIndex: context.itemIndex,
				description:
					'Raise "Download Size Limit (MB)" in Advanced Options, pick a lower Resolution, or choose "Output: Links Only".',
			},
		),
		'TOO_LARGE',
	);
}

/** Who an error after a submit is about: the job, so it can still be fetched with Get Result. */
export interface JobErrorContext {
	ctx: IExecuteFunctions;
	provider: ProviderEntry;
	requestId: string;
	itemIndex: number;
	/** What to change when the job fails on its merits, in the provider's terms. */
	rejectionHint?: string;
	/** The input the job was made from (as in the outputs' `sourceName`), for the message. */
	sourceName?: string;
}

/** ` for "product"`: which input a job error is about, when the node knows. */
function forSource(job: JobErrorContext): string {
	return job.sourceName ? ` for "${job.sourceName}"` : '';
}

/** A provider's reason as the start of a message: capitalised, without a trailing full stop. */
function asLead(reason: string): string {
	const trimmed = reason.trim().replace(/\.+$/, '');
	return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/**
 * Every error raised once the provider has a job names that job, in the error item and in the
 * message details, so the paid job can still be fetched with Get Result.
 */
export function withRequestId<T extends NodeApiError | NodeOperationError>(
	error: T,
	requestId: string,
): T {
	if (typeof error.context.requestId !== 'string') error.context.requestId = requestId;
	// The provider has this job: it was created, unless the provider said it was not charged.
	if (error.context.billed === undefined) error.context.billed = true;
	const id = String(error.context.requestId);
	if (!`${error.message} ${error.description ?? ''}`.includes(id)) {
		// A job that ended (failed, or expired) has nothing more to fetch: only one still running
		// or already done is worth Get Result rather than a new, billed run.
		const ended = error.context.jobOutcome !== undefined;
		const hint = ended
			? `Request ID: ${id}.`
			: `Request ID: ${id}. Fetch the job with Get Result rather than running it again, so it is not billed twice.`;
		error.description = error.description ? `${error.description} ${hint}` : hint;
	}
	return error;
}

/** What an error says about the job itself, for the job ledger. */
export type JobOutcome = 'failed' | 'systemError' | 'expired';

export function jobOutcomeOf(error: NodeApiError | NodeOperationError): JobOutcome | undefined {
	return error.context.jobOutcome as JobOutcome | undefined;
}

export function jobFailed(
	job: JobErrorContext,
	snapshot: { status: string; error?: string },
	systemError: boolean,
): NodeApiError {
	const { label } = job.provider;
	const { requestId } = job;
	const reason = snapshot.error ?? 'no reason given';
	const error = new NodeApiError(
		job.ctx.getNode(),
		{ jobStatus: snapshot.status, error: reason, requestId } as JsonObject,
		systemError
			? {
					message: `${asLead(reason)}: ${label} had a system error on the job${forSource(job)}`,
					description: `The provider failed, not your input, and this job was not charged. Run the node again.`,
					itemIndex: job.itemIndex,
				}
			: {
					message: `${asLead(reason)}: ${label} could not process the job${forSource(job)}`,
					description: `The job ran and failed at the provider; content and safety blocks show up this way. ${job.rejectionHint ?? 'Try another image or prompt.'}`,
					itemIndex: job.itemIndex,
				},
	);
	error.context.jobOutcome = systemError ? 'systemError' : 'failed';
	error.context.jobReason = reason;
	// A provider's system error (Pixazo ERROR) is not charged; a job that failed on its merits is.
	return withRequestId(
		coded(error, systemError ? 'PROVIDER_ERROR' : 'CONTENT_REJECTED', !systemError),
		requestId,
	);
}

export function jobNotFound(job: JobErrorContext): NodeApiError {
	const { label, retentionHint } = job.provider;
	const { requestId } = job;
	const error = new NodeApiError(job.ctx.getNode(), { httpCode: '404', requestId } as JsonObject, {
		message: `Job expired or unknown: ${label} no longer knows the job${forSource(job)}`,
		description: `${retentionHint} Check the request id, or run the node again to make a new job.`,
		httpCode: '404',
		itemIndex: job.itemIndex,
	});
	error.context.jobOutcome = 'expired';
	return withRequestId(coded(error, 'EXPIRED'), requestId);
}

export function timedOut(
	job: JobErrorContext,
	maxWaitMs: number,
	lastStatus: string,
): NodeOperationError {
	const { requestId } = job;
	const error = new NodeOperationError(
		job.ctx.getNode(),
		`Still ${lastStatus} after ${Math.round(maxWaitMs / 1000)} s: gave up waiting for the ${job.provider.label} job${forSource(job)}`,
		{
			itemIndex: job.itemIndex,
			description: `The job may still finish. Raise "Max Wait", or set "On Timeout" to "Return Pending" and fetch it later with the Get Result operation.`,
		},
	);
	return withRequestId(coded(error, 'TIMEOUT'), requestId);
}

/** A status word the provider does not document: reported at once rather than polled until Max Wait. */
export function unknownJobStatus(job: JobErrorContext, status: string): NodeApiError {
	const { label } = job.provider;
	const shown = status.slice(0, 60);
	const error = new NodeApiError(
		job.ctx.getNode(),
		{ jobStatus: shown, requestId: job.requestId } as JsonObject,
		{
			message: `Unknown job status "${shown}": ${label} reported it for the job${forSource(job)}, and does not document it`,
			description: `The job may still finish: fetch it later with Get Result. If this keeps happening, report it, naming the status.`,
			itemIndex: job.itemIndex,
		},
	);
	return withRequestId(coded(error, 'PROVIDER_ERROR'), job.requestId);
}
