import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FieldSet } from '../fields';
import type { ImageGateway } from '../gateway';
import type { RequestBudget } from '../transport/requestBudget';

export interface GatewayOptions {
	/** Whether a 429 is waited out and retried (the default), or reported at once. */
	retryRateLimited: boolean;
	/** The node run's shared pace for provider requests. */
	budget: RequestBudget;
	/** When the item must be done (epoch ms): Max Wait bounds every wait and timeout. */
	deadline: number;
	/** The user's download limit, which also bounds answers that carry images inline. */
	maxResultBytes: number;
}

/** How one provider serves one of the package's models. */
export interface ProviderModel {
	/** The provider's own model id, sent in the request and shown in the output. */
	id: string;
	/** Fields only this provider has for the model, after the model's own. */
	fields?: FieldSet;
	/** The provider's spelling of the shared body, given the model's and these fields' values. */
	adaptBody?(body: IDataObject, values: IDataObject): IDataObject;
	/** Why a binary input is refused with these field values, if it is (what is allowed instead). */
	refuseBinaryInput?(values: IDataObject): string | undefined;
	/** What to change when a job fails on its merits (a safety block), in the provider's terms. */
	rejectionHint?: string;
}

/**
 * Everything the package knows about one provider: its registry entry, defined beside its gateway.
 * Adding a provider is a gateway with this entry, a credential type, and a node that offers it
 * (`servedBy` in model.ts). Each provider ships in a package of its own.
 */
export interface ProviderEntry {
	id: string;
	label: string;
	credentialName: string;
	credentialLabel: string;
	/** Where a user tops up, for out-of-credit errors. */
	billingHint: string;
	/** How long a request's status and result stay readable, for expired-job errors. */
	retentionHint: string;
	/** The same, in milliseconds: how long a recorded job may be fetched instead of paid again. */
	jobRetentionMs: number;
	/** How long result files stay downloadable, for failed downloads. */
	resultFilesHint: string;
	/** The shortest pause between status checks of one job, as the provider advises. */
	minPollIntervalMs: number;
	openGateway(
		ctx: IExecuteFunctions,
		provider: ProviderEntry,
		itemIndex: number,
		options: GatewayOptions,
	): Promise<ImageGateway>;
	/** The package's models this provider serves, by model key. */
	models: Record<string, ProviderModel>;
}
