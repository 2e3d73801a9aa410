import type { ProviderHttpResponse } from './response';

type Headers = ProviderHttpResponse['headers'];

export function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** When a rate limit lifts: Segmind's `x-rate-limit-reset-at-utc`, else a standard `Retry-After`. */
export function rateLimitResetAt(headers: Headers): Date | undefined {
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
		providerRequestId: headerValue(headers, 'x-request-id'),
		seed: number('x-seed-value'),
	});
}

/** Leaves out the keys whose value is undefined, so output JSON shows only what is known. */
export function withoutUndefined<T extends object>(record: T): T {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
