import type { IDataObject } from 'n8n-workflow';

import type { InputImage } from './binary';
import type { MediaRef } from './media';
import type { JobProtocol, SubmittedJob } from './polling';
import type { ProviderInfo } from './providers';
import type { BillingInfo } from './transport';

export interface JobResult {
	media: MediaRef[];
	metrics?: IDataObject;
}

export interface SubmitReceipt {
	job: SubmittedJob;
	status: string;
	billing: BillingInfo;
}

/**
 * One provider's way of running an image model. The node code above it is the same for every
 * provider; everything below it is HTTP through the shared transport.
 */
export interface ImageGateway {
	provider: ProviderInfo;
	/** Makes the input readable by the model: a URL as is, a binary uploaded or inlined as base64. */
	imageReference(input: InputImage, options: { inline: boolean }): Promise<string>;
	submit(model: string, body: IDataObject): Promise<SubmitReceipt>;
	/** Rebuilds a job handle from a request id saved by an earlier run (Get Result). */
	jobFor(requestId: string): SubmittedJob;
	protocol: JobProtocol<JobResult>;
	runSync?(model: string, body: IDataObject): Promise<{ result: JobResult; billing: BillingInfo }>;
	/** When to look at a new job first, as the provider advises; later checks follow the user's interval. */
	firstPollDelayMs: number;
}
