import type { IExecuteFunctions } from 'n8n-workflow';

import type { GatewayOptions, ProviderEntry } from '../providers/provider';
import type { RequestBudget } from './requestBudget';

/** Everything a request needs to know about who is calling and on whose behalf. */
export interface CallContext {
	ctx: IExecuteFunctions;
	provider: ProviderEntry;
	itemIndex: number;
	/** Hides the API key in any text a provider echoes back. */
	scrub: (text: string) => string;
	/** Whether a 429 is waited out and retried (the default), or reported at once. */
	retryRateLimited: boolean;
	/** The node run's shared pace: every request takes a place in it while it is open. */
	budget: RequestBudget;
	/** When the item must be done (epoch ms); no wait or timeout goes past it. */
	deadline: number;
	/** The user's download limit, which also bounds answers that carry images inline. */
	maxResultBytes: number;
}

export interface ProviderSession {
	call: CallContext;
	/** The credential's other fields (URLs), trimmed; the key is left out. */
	credentialFields: Record<string, string>;
}

/**
 * Reads a provider's credential once per item: the URLs a gateway needs, and the key only to build
 * the scrubber that keeps it out of error text (the key itself travels only via n8n's authenticate).
 */
export async function openProviderSession(
	ctx: IExecuteFunctions,
	provider: ProviderEntry,
	itemIndex: number,
	options: GatewayOptions,
): Promise<ProviderSession> {
	const { apiKey, ...rest } = await ctx.getCredentials<Record<string, unknown>>(
		provider.credentialName,
		itemIndex,
	);
	const key = String(apiKey ?? '');
	const credentialFields = Object.fromEntries(
		Object.entries(rest).map(([name, value]) => [name, String(value ?? '').trim()]),
	);
	return {
		credentialFields,
		call: {
			ctx,
			provider,
			itemIndex,
			scrub: (text) => (key.length >= 4 ? text.split(key).join('***') : text),
			retryRateLimited: options.retryRateLimited,
			budget: options.budget,
			deadline: options.deadline,
			maxResultBytes: options.maxResultBytes,
		},
	};
}
