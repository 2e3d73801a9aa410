import type { IDataObject } from 'n8n-workflow';

import type { InputImage } from './binary';
import type { MediaRef } from './media';
import type { JobProtocol, SubmittedJob } from './polling';
import type { BillingInfo } from './transport/headers';

export interface JobResult {
	media: MediaRef[];
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
	/** Makes the input readable by the model: a URL as is, a binary uploaded or inlined as base64. */
	imageReference(input: InputImage, options: { inline: boolean }): Promise<string>;
	/** `modelId` is the provider's own id for the model. */
	submit(modelId: string, body: IDataObject): Promise<SubmitReceipt>;
	/** Rebuilds a job handle from a request id saved by an earlier run (Get Result). */
	jobFor(requestId: string): SubmittedJob;
	protocol: JobProtocol<JobResult>;
	runSync?(
		modelId: string,
		body: IDataObject,
	): Promise<{ result: JobResult; billing: BillingInfo }>;
}
