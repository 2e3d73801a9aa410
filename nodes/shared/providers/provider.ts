import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FieldSet } from '../fields';
import type { ImageGateway } from '../gateway';

export interface GatewayOptions {
	/** Whether a 429 is waited out and retried (the default), or reported at once. */
	retryRateLimited: boolean;
}

/** How one provider serves one of the package's models. */
export interface ProviderModel {
	/** The provider's own model id, sent in the request and shown in the output. */
	id: string;
	/** Shown beside the provider where a node lets the user pick one. */
	description?: string;
	/** Fields only this provider has for the model; shown only when it is picked. */
	fields?: FieldSet;
	/** The provider's spelling of the shared body, given the model's and these fields' values. */
	adaptBody?(body: IDataObject, values: IDataObject): IDataObject;
}

/**
 * Everything the package knows about one provider. Adding a provider is a gateway file, a
 * credential type and one of these entries in the registry.
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
	/** How long result files stay downloadable, for failed downloads. */
	resultFilesHint: string;
	/** When to look at a new job first, as the provider advises; later checks follow the user's interval. */
	firstPollDelayMs: number;
	openGateway(
		ctx: IExecuteFunctions,
		provider: ProviderEntry,
		itemIndex: number,
		options: GatewayOptions,
	): Promise<ImageGateway>;
	/** The package's models this provider serves, by model key. */
	models: Record<string, ProviderModel>;
}
