import type { ProviderHttpResponse } from './response';

type Headers = ProviderHttpResponse['headers'];

export function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** A date as providers write one: ISO 8601 (with or without an offset) or an HTTP date. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads a reset time. A time without an offset is UTC, as the header's name says
 * (`x-rate-limit-reset-at-utc`), never the machine's local time; anything that is not a date is
 * ignored rather than guessed at.
 */
function parseResetTime(value: string): Date | undefined {
	const text = value.trim();
	let parsed: Date | undefined;
	if (/^\d+(\.\d+)?$/.test(text)) parsed = new Date(Number(text) * 1000);
	else if (ISO_DATE.test(text)) {
		const iso = text.replace(' ', 'T');
		parsed = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
	} else if (HTTP_DATE.test(text)) parsed = new Date(text);
	return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

/** When a rate limit lifts: Segmind's `x-rate-limit-reset-at-utc`, else a standard `Retry-After`. */
export function rateLimitResetAt(headers: Headers): Date | undefined {
	const resetAt = headerValue(headers, 'x-rate-limit-reset-at-utc');
	const parsedReset = resetAt ? parseResetTime(resetAt) : undefined;
	if (parsedReset) return parsedReset;
	const retryAfter = headerValue(headers, 'retry-after')?.trim();
	if (retryAfter) {
		if (/^\d+(\.\d+)?$/.test(retryAfter)) return new Date(Date.now() + Number(retryAfter) * 1000);
		if (HTTP_DATE.test(retryAfter)) return new Date(retryAfter);
	}
	return undefined;
}

export interface BillingInfo {
	remainingCredits?: number;
	cost?: number;
	providerRequestId?: string;
	/** The seed the provider used, so a variant someone liked can be made again. */
	seed?: number;
}

/** Reads the credit, cost and seed headers, so users can see what a run spent and repeat it. */
export function billingFromHeaders(headers: Headers): BillingInfo {
	const number = (name: string) => {
		const raw = headerValue(headers, name);
		if (raw === undefined || raw.trim() === '') return undefined;
		const parsed = Number(raw);
		return Number.isFinite(parsed) ? parsed : undefined;
	};
	return withoutUndefined({
		remainingCredits: number('x-remaining-credits'),
		cost: number('x-cost'),
		providerRequestId: headerValue(headers, 'x-request-id')?.trim() || undefined,
		seed: number('x-seed-value'),
	});
}

/** Leaves out the keys whose value is undefined, so output JSON shows only what is known. */
export function withoutUndefined<T extends object>(record: T): T {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
