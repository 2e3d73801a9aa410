import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ProviderInfo } from './providers';

export interface ProviderHttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

const MAX_PROVIDER_TEXT = 500;

export function headerValue(
	headers: ProviderHttpResponse['headers'],
	name: string,
): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
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

export function rateLimitResetAt(headers: ProviderHttpResponse['headers']): Date | undefined {
	const resetAt = headerValue(headers, 'x-rate-limit-reset-at-utc');
	if (resetAt) {
		const parsed = new Date(/^\d+(\.\d+)?$/.test(resetAt) ? Number(resetAt) * 1000 : resetAt);
		if (!Number.isNaN(parsed.getTime())) return parsed;
	}
	const retryAfter = headerValue(headers, 'retry-after');
	if (retryAfter) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return new Date(Date.now() + seconds * 1000);
		const date = new Date(retryAfter);
		if (!Number.isNaN(date.getTime())) return date;
	}
	return undefined;
}

/**
 * Turns a provider's non-success answer into an error that tells the user what to do next.
 * The error carries only the status and the provider's text, never the request, so the API key
 * cannot travel with it into logs or error items.
 */
export function providerApiError(
	node: INode,
	provider: ProviderInfo,
	response: ProviderHttpResponse,
	itemIndex: number,
	scrub: (text: string) => string,
): NodeApiError {
	const status = response.statusCode;
	const said = scrub(providerErrorText(response.body));
	const saidSuffix = said ? `: ${said}` : '';
	const { label, credentialLabel } = provider;
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
		description = `${provider.billingHint} Nothing was generated for this item.`;
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

	return new NodeApiError(
		node,
		{ httpCode: String(status), error: said } as JsonObject,
		{
			message,
			description,
			httpCode: String(status),
			itemIndex,
			...(failure ? { failure } : {}),
		} as never,
	);
}

export function invalidParameter(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string,
): NodeOperationError {
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return new NodeOperationError(node, `Invalid "${field}": ${shown ?? 'nothing'}. ${allowed}`, {
		itemIndex,
		description: `Change "${field}" and run again. No request was sent, so no credits were spent.`,
	});
}
