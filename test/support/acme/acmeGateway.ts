/**
 * The gateway of the test-only provider, written the way a real one is: on the shared transport,
 * so retries, redirects, key scrubbing and errors come for free.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { toDataUrl } from '../../../nodes/shared/binary';
import type { ImageGateway, JobResult } from '../../../nodes/shared/gateway';
import { extractMediaRefs } from '../../../nodes/shared/media';
import { JobNotFound } from '../../../nodes/shared/polling';
import type { JobProtocol, SubmittedJob } from '../../../nodes/shared/polling';
import type { GatewayOptions, ProviderEntry } from '../../../nodes/shared/providers/provider';
import { callForAnswer, callProvider } from '../../../nodes/shared/transport/providerRequest';
import { openProviderSession } from '../../../nodes/shared/transport/session';
import { joinUrl } from '../../../nodes/shared/transport/urls';

const submitAnswer = z.object({ job: z.string().min(1), state: z.string() });
const statusAnswer = z.object({ state: z.string(), images: z.array(z.string()).optional() });

export async function openAcmeGateway(
	ctx: IExecuteFunctions,
	provider: ProviderEntry,
	itemIndex: number,
	options: GatewayOptions,
): Promise<ImageGateway> {
	const { call, credentialFields } = await openProviderSession(ctx, provider, itemIndex, options);
	const jobFor = (requestId: string): SubmittedJob => ({
		requestId,
		statusUrl: joinUrl(credentialFields.baseUrl, `/v1/jobs/${encodeURIComponent(requestId)}`),
	});
	const protocol: JobProtocol<JobResult> = {
		provider,
		completedStatuses: ['FINISHED'],
		failedStatuses: ['REFUSED'],
		systemErrorStatuses: [],
		runningStatuses: ['WAITING', 'WORKING'],
		async readStatus(job) {
			const request = {
				method: 'GET' as const,
				url: job.statusUrl,
				retrySafe: true,
				expectedStatuses: [404],
			};
			const response = await callProvider(call, request);
			if (response.statusCode === 404) throw new JobNotFound(job.requestId);
			const answer = statusAnswer.parse(response.json());
			return { status: answer.state.toUpperCase(), payload: answer };
		},
		async fetchResult(_job, finalSnapshot) {
			return { media: extractMediaRefs((finalSnapshot.payload as { images: string[] }).images) };
		},
	};
	return {
		jobFor,
		protocol,
		async imageReference(input) {
			return input.kind === 'url' ? input.url : toDataUrl(input);
		},
		async submit(modelId, body) {
			const request = {
				method: 'POST' as const,
				url: joinUrl(credentialFields.baseUrl, '/v1/jobs'),
				body: { ...body, model: modelId },
				retrySafe: false,
			};
			const { answer } = await callForAnswer(call, request, submitAnswer);
			return { job: jobFor(answer.job), status: answer.state.toUpperCase(), billing: {} };
		},
	};
}
