import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { toDataUrl } from '../binary';
import type { InputImage } from '../binary';
import { unreadableAnswer } from '../errors';
import type { ImageGateway, JobResult } from '../gateway';
import { extractMediaRefs } from '../media';
import { failureReason, JOB_STATUS_ANSWER, JobNotFound, RUNNING_STATUSES } from '../polling';
import type { JobProtocol, SubmittedJob } from '../polling';
import { billingFromHeaders } from '../transport/headers';
import { callForAnswer, callProvider } from '../transport/providerRequest';
import { openProviderSession } from '../transport/session';
import { joinUrl, sameOriginOr } from '../transport/urls';
import { parseAnswer } from '../validation';
import type { GatewayOptions, ProviderEntry } from './provider';

/** Pixazo routes each model under its own path; only smart-resize is used here. */
const SUBMIT_PATHS: Record<string, string> = {
	'smart-resize': '/smart-resize/v1/smart-resize-request',
};

const submitAnswer = z
	.object({
		request_id: z.string().min(1),
		status: z.string().optional(),
		polling_url: z.string().optional(),
	})
	.passthrough();

/** The Pixazo gateway: submit, then poll a status that carries the output itself. */
export async function openPixazoGateway(
	ctx: IExecuteFunctions,
	provider: ProviderEntry,
	itemIndex: number,
	options: GatewayOptions,
): Promise<ImageGateway> {
	const { call, credentialFields } = await openProviderSession(ctx, provider, itemIndex, options);
	const baseUrl = credentialFields.baseUrl || 'https://gateway.pixazo.ai';

	const jobFor = (requestId: string): SubmittedJob => ({
		requestId,
		statusUrl: joinUrl(baseUrl, `/v2/requests/status/${encodeURIComponent(requestId)}`),
	});

	const protocol: JobProtocol<JobResult> = {
		provider,
		completedStatuses: ['COMPLETED'],
		failedStatuses: ['FAILED'],
		systemErrorStatuses: ['ERROR'],
		runningStatuses: RUNNING_STATUSES,
		async readStatus(job) {
			const request = {
				method: 'GET' as const,
				url: job.statusUrl,
				retrySafe: true,
				expectedStatuses: [404],
				// With sync_mode the status carries every image inline as a data: URI.
				maxAnswerBytes: call.maxResultBytes,
			};
			const response = await callProvider(call, request);
			if (response.statusCode === 404) throw new JobNotFound(job.requestId);
			const answer = parseAnswer(JOB_STATUS_ANSWER, response.json());
			if (!answer) throw unreadableAnswer(call, request, response);
			return {
				status: answer.status.toUpperCase(),
				error: failureReason(answer.error, call.scrub),
				payload: answer,
			};
		},
		async fetchResult(job, finalSnapshot) {
			const media = extractMediaRefs((finalSnapshot.payload as IDataObject).output);
			if (media.length === 0) {
				throw unreadableAnswer(
					call,
					{ method: 'GET', url: job.statusUrl, retrySafe: true },
					{
						statusCode: 200,
						headers: {},
						body: Buffer.from(JSON.stringify(finalSnapshot.payload)),
					},
				);
			}
			return { media };
		},
	};

	return {
		jobFor,
		protocol,

		async imageReference(input: InputImage) {
			// Pixazo has no upload endpoint; a binary input travels as a data: URI in image_url.
			return input.kind === 'url' ? input.url : toDataUrl(input);
		},

		async submit(model, body) {
			const path = SUBMIT_PATHS[model] ?? `/${model}/v1/${model}-request`;
			const request = {
				method: 'POST' as const,
				url: joinUrl(baseUrl, path),
				body,
				retrySafe: false,
			};
			const { answer, response } = await callForAnswer(call, request, submitAnswer);
			const job = jobFor(answer.request_id);
			return {
				job: { ...job, statusUrl: sameOriginOr(answer.polling_url, baseUrl, job.statusUrl) },
				status: (answer.status ?? 'QUEUED').toUpperCase(),
				billing: billingFromHeaders(response.headers),
			};
		},
	};
}
