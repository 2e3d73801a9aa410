import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { toDataUrl } from '../../../nodes/shared/binary';
import type { InputImage } from '../../../nodes/shared/binary';
import { unreadableAnswer } from '../../../nodes/shared/errors';
import type { ImageGateway, JobResult } from '../../../nodes/shared/gateway';
import { flagField } from '../../../nodes/shared/fields';
import { extractMediaRefs } from '../../../nodes/shared/media';
import { safetyToleranceField } from '../../../nodes/shared/models/smartResize';
import {
	failureReason,
	JOB_STATUS_ANSWER,
	JobNotFound,
	RUNNING_STATUSES,
} from '../../../nodes/shared/polling';
import type { JobProtocol, SubmittedJob } from '../../../nodes/shared/polling';
import { billingFromHeaders } from '../../../nodes/shared/transport/headers';
import { callForAnswer, callProvider } from '../../../nodes/shared/transport/providerRequest';
import { openProviderSession } from '../../../nodes/shared/transport/session';
import { joinUrl, sameOriginOr } from '../../../nodes/shared/transport/urls';
import { parseAnswer } from '../../../nodes/shared/validation';
import type { GatewayOptions, ProviderEntry } from '../../../nodes/shared/providers/provider';

/** Pixazo's registry entry: its gateway, credential, wording, and the models it serves. */
export const pixazoProvider: ProviderEntry = {
	id: 'pixazo',
	label: 'Pixazo',
	credentialName: 'pixazoApi',
	credentialLabel: 'Pixazo API',
	billingHint: 'Add funds to your Pixazo account, then run the node again.',
	retentionHint: 'Pixazo may keep a request only for a limited time.',
	// Undocumented; assumed to be an hour at most, so a stale job is never counted on.
	jobRetentionMs: 60 * 60_000,
	resultFilesHint: 'Result files are kept for a limited time.',
	// Pixazo asks clients to poll every 2-3 seconds.
	minPollIntervalMs: 2000,
	openGateway: openPixazoGateway,
	models: {
		smartResize: {
			id: 'smart-resize',
			fields: {
				safetyTolerance: safetyToleranceField(
					"Pixazo's scale, where higher values are more restrictive: 1 is the most permissive, 6 the strictest",
				),
				sendBinaryAsDataUri: flagField({
					displayName: 'Send Binary as Data URI (Undocumented)',
					placement: 'option',
					default: false,
					description:
						'Whether to send a binary input inline as a data: URI. Pixazo documents only public image URLs, so it may refuse this; leave it off and choose Image URL where you can.',
				}),
				dataUris: flagField({
					displayName: 'Return Data URIs',
					placement: 'option',
					default: false,
					description:
						'Whether Pixazo should return the images inline as data: URIs (its sync_mode) instead of CDN links; they are decoded locally. Best for small batches.',
				}),
			},
			// Pixazo types safety_tolerance as a string enum, and names its inline mode sync_mode.
			adaptBody: (body: IDataObject, values: IDataObject) => ({
				...body,
				safety_tolerance: String(values.safetyTolerance),
				sync_mode: values.dataUris === true,
			}),
			refuseBinaryInput: (values: IDataObject) =>
				values.sendBinaryAsDataUri === true
					? undefined
					: 'Pixazo documents only public image URLs. Allowed: Image URL, or turn on "Send Binary as Data URI (Undocumented)" in the options',
			rejectionHint:
				'If it was a safety block, lower "Safety Tolerance" toward 1 (on Pixazo\'s scale higher is stricter), or try another image or prompt.',
		},
	},
};

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
