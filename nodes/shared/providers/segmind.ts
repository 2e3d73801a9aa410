import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { z } from 'zod';

import { toDataUrl } from '../binary';
import type { InputImage } from '../binary';
import { coded, unreadableAnswer } from '../errors';
import type { ImageGateway, JobResult } from '../gateway';
import { extractMediaRefs } from '../media';
import { failureReason, JOB_STATUS_ANSWER, JobNotFound, RUNNING_STATUSES } from '../polling';
import type { JobProtocol, JobSnapshot, SubmittedJob } from '../polling';
import { billingFromHeaders, headerValue } from '../transport/headers';
import { callForAnswer, callProvider } from '../transport/providerRequest';
import { openProviderSession } from '../transport/session';
import type { CallContext } from '../transport/session';
import { joinUrl, sameOriginOr } from '../transport/urls';
import { parseAnswer } from '../validation';
import { safetyToleranceField } from '../models/smartResize';
import type { GatewayOptions, ProviderEntry } from './provider';

/** Segmind's registry entry: its gateway, credential, wording, and the models it serves. */
export const segmindProvider: ProviderEntry = {
	id: 'segmind',
	label: 'Segmind',
	credentialName: 'segmindApi',
	credentialLabel: 'Segmind API',
	billingHint: 'Top up your credits in the Segmind console (Billing), then run the node again.',
	retentionHint: 'Segmind keeps a request’s status and result for 1 hour after it is submitted.',
	jobRetentionMs: 60 * 60_000,
	resultFilesHint: 'Result files are kept for a limited time (Segmind: about 7 days).',
	minPollIntervalMs: 500,
	openGateway: openSegmindGateway,
	models: {
		smartResize: {
			id: 'smart-banner-resizer',
			fields: {
				safetyTolerance: safetyToleranceField(
					"Segmind's scale: 1 is the strictest, 6 the most permissive",
				),
			},
			adaptBody: (body: IDataObject, values: IDataObject) => ({
				...body,
				safety_tolerance: values.safetyTolerance,
			}),
			rejectionHint:
				'If it was a safety block, raise "Safety Tolerance" toward 6 (on Segmind\'s scale 6 is the most permissive), or try another image or prompt.',
		},
		reframe: {
			id: 'ideogram-reframe',
			rejectionHint: 'Try another image, or another "Style Type".',
		},
		relight: {
			id: 'segmind-relighting',
			rejectionHint: 'Try another image, or other light settings.',
		},
		convert: {
			id: 'image-converter',
			rejectionHint: 'Check that the input opens as an image, or try another "Target Format".',
		},
	},
};

/** A v1 call renders while the connection waits, so it gets far longer than a queue call. */
const SYNC_TIMEOUT_MS = 300_000;

const submitAnswer = z.object({
	request_id: z.string().min(1),
	status: z.string().optional(),
	status_url: z.string().optional(),
	poll_url: z.string().optional(),
	response_url: z.string().optional(),
});

const uploadAnswer = z
	.object({ urls: z.array(z.string()).optional(), file_urls: z.array(z.string()).optional() })
	.passthrough();

/** The Segmind gateway: v1 sync calls, the v2 queue, and the upload endpoint for binary input. */
export async function openSegmindGateway(
	ctx: IExecuteFunctions,
	provider: ProviderEntry,
	itemIndex: number,
	options: GatewayOptions,
): Promise<ImageGateway> {
	const { call, credentialFields } = await openProviderSession(ctx, provider, itemIndex, options);
	const baseUrl = credentialFields.baseUrl || 'https://api.segmind.com';
	const uploadUrl = credentialFields.uploadUrl || 'https://workflows-api.segmind.com/upload-asset';

	const jobFor = (requestId: string): SubmittedJob => ({
		requestId,
		statusUrl: joinUrl(baseUrl, `/v2/requests/${encodeURIComponent(requestId)}/status`),
		resultUrl: joinUrl(baseUrl, `/v2/requests/${encodeURIComponent(requestId)}`),
	});

	const snapshotFrom = (statusCode: number, json: unknown): JobSnapshot | undefined => {
		const answer = parseAnswer(JOB_STATUS_ANSWER, json);
		if (!answer) return undefined;
		// A 422 always means FAILED, whatever word the body carries.
		const status = statusCode === 422 ? 'FAILED' : answer.status.toUpperCase();
		return { status, error: failureReason(answer.error, call.scrub), payload: answer };
	};

	const protocol: JobProtocol<JobResult> = {
		provider,
		completedStatuses: ['COMPLETED', 'SUCCEEDED', 'SUCCESS'],
		failedStatuses: ['FAILED'],
		systemErrorStatuses: [],
		runningStatuses: RUNNING_STATUSES,
		async readStatus(job) {
			const request = {
				method: 'GET' as const,
				url: job.statusUrl,
				retrySafe: true,
				expectedStatuses: [404, 422],
			};
			const response = await callProvider(call, request);
			if (response.statusCode === 404) throw new JobNotFound(job.requestId);
			const snapshot = snapshotFrom(response.statusCode, response.json());
			if (!snapshot) throw unreadableAnswer(call, request, response);
			return snapshot;
		},
		async fetchResult(job, finalSnapshot) {
			const inline = extractMediaRefs((finalSnapshot.payload as IDataObject).output);
			if (inline.length > 0) return { media: inline };
			const request = {
				method: 'GET' as const,
				url: job.resultUrl ?? jobFor(job.requestId).resultUrl!,
				retrySafe: true,
				expectedStatuses: [404, 422],
			};
			const response = await callProvider(call, request);
			if (response.statusCode === 404) throw new JobNotFound(job.requestId);
			const json = response.json<IDataObject>();
			const media = extractMediaRefs(json.output);
			if (response.statusCode === 422 || media.length === 0) {
				const snapshot = snapshotFrom(response.statusCode, json);
				throw noOutput(call, job.requestId, snapshot?.error);
			}
			return { media };
		},
	};

	return {
		jobFor,
		protocol,

		async imageReference(input: InputImage, { inline }) {
			if (input.kind === 'url') return input.url;
			// image-converter documents raw base64 in image_url, which saves the upload round trip.
			if (inline) return input.data.toString('base64');
			const request = {
				method: 'POST' as const,
				url: uploadUrl,
				body: { data_urls: [toDataUrl(input)] },
				// An upload bills nothing, so it may be sent again after a 5xx or a dropped answer.
				retrySafe: true,
			};
			const { answer, response } = await callForAnswer(call, request, uploadAnswer);
			const url = answer.urls?.[0] ?? answer.file_urls?.[0];
			if (!url) throw unreadableAnswer(call, request, response);
			return url;
		},

		async submit(model, body) {
			const request = {
				method: 'POST' as const,
				url: joinUrl(baseUrl, `/v2/${model}`),
				body,
				retrySafe: false,
			};
			const { answer, response } = await callForAnswer(call, request, submitAnswer);
			const fallback = jobFor(answer.request_id);
			return {
				job: {
					requestId: answer.request_id,
					statusUrl: sameOriginOr(
						answer.status_url ?? answer.poll_url,
						baseUrl,
						fallback.statusUrl,
					),
					resultUrl: sameOriginOr(answer.response_url, baseUrl, fallback.resultUrl!),
				},
				status: (answer.status ?? 'QUEUED').toUpperCase(),
				billing: billingFromHeaders(response.headers),
			};
		},

		async runSync(model, body) {
			const request = {
				method: 'POST' as const,
				url: joinUrl(baseUrl, `/v1/${model}`),
				body,
				retrySafe: false,
				expectJson: false,
				timeoutMs: SYNC_TIMEOUT_MS,
				// The answer is the image itself (or JSON carrying it).
				maxAnswerBytes: call.maxResultBytes,
			};
			const response = await callProvider(call, request);
			const billing = billingFromHeaders(response.headers);
			const contentType = headerValue(response.headers, 'content-type') ?? '';
			// Image models answer v1 with the image bytes themselves; a few (image-converter) with JSON.
			if (!/json|text\//i.test(contentType)) {
				return {
					result: { media: [{ data: response.body, mimeType: contentType || undefined }] },
					billing,
				};
			}
			const media = extractMediaRefs(response.json());
			if (media.length === 0)
				throw noOutput(call, billing.providerRequestId ?? 'sync request', undefined);
			return { result: { media }, billing };
		},
	};
}

function noOutput(call: CallContext, requestId: string, reason: string | undefined): NodeApiError {
	const error = new NodeApiError(
		call.ctx.getNode(),
		{ requestId, error: reason ?? 'no output' } as JsonObject,
		{
			message: `${call.provider.label} finished job ${requestId} without any image${reason ? `: ${reason}` : ''}`,
			description:
				'The job reported success but returned no output. Run the node again; if it keeps happening, report it.',
			itemIndex: call.itemIndex,
		},
	);
	// The job ran and said it succeeded: it was billed, even with a sync call that names no job.
	return coded(error, 'PROVIDER_ERROR', true);
}
