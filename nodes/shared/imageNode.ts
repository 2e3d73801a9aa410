import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { imageItem, loadInputImage } from './binary';
import type { InputImageParameters } from './binary';
import type { ImageGateway, JobResult } from './gateway';
import type { ImageInfo } from './imageInfo';
import { fetchResultImage } from './media';
import type { MediaRef } from './media';
import { checkJobOnce, waitForJob } from './polling';
import type { PollSchedule, SubmittedJob } from './polling';
import { GET_RESULT } from './properties';
import type { BillingInfo } from './transport';
import { assertHttpUrl } from './transport';
import { intInRange, oneOf, parseParameters } from './validation';

/** What the node expects the n-th result to be, so outputs can be labelled by size and variant. */
export interface ExpectedOutput {
	width?: number;
	height?: number;
	variant?: number;
}

export interface CommonSettings {
	output: 'binary' | 'urls';
	/** How many items run at once; each is its own provider job. */
	parallelJobs: number;
	outputBinaryField: string;
	maxBytes: number;
	/** The first delay depends on the provider, so it is added per gateway by `scheduleFor`. */
	schedule: Omit<PollSchedule, 'firstDelayMs'>;
	retryRateLimited: boolean;
}

/**
 * A model as a node sees it: how to read and check its own fields, what body to send, and how to
 * name what comes back. Everything else (input, upload, submit, polling, download, binary output,
 * error items) is shared.
 */
export interface ImageModel<P> {
	/** The provider's model id, also shown in the output JSON. */
	slug: string;
	/** The value of the node's own operation (besides Get Result). */
	operation: string;
	/** Whether a binary input goes inline as base64 rather than through the upload endpoint. */
	inlineBinary(params: P): boolean;
	/** Whether the node offers the v1 direct (sync) API. */
	syncModeOffered: boolean;
	readParameters(ctx: IExecuteFunctions, itemIndex: number): P;
	/** Picks the provider: Segmind for most models, a user's choice for Smart Resize. */
	gateway(
		ctx: IExecuteFunctions,
		itemIndex: number,
		params: P,
		settings: CommonSettings,
	): Promise<ImageGateway>;
	/** The gateway for Get Result, which has no model fields to read. */
	resultGateway(
		ctx: IExecuteFunctions,
		itemIndex: number,
		settings: CommonSettings,
	): Promise<ImageGateway>;
	buildBody(params: P, image: string): IDataObject;
	/** The provider-specific model id, when a gateway names the model differently. */
	modelFor?(gateway: ImageGateway): string;
	expectedOutputs(params: P): ExpectedOutput[];
	/** `params` is absent for Get Result, which knows only the request id. */
	fileName(
		baseName: string,
		info: ImageInfo,
		expected: ExpectedOutput | undefined,
		index: number,
		params?: P,
	): string;
	/** Extra JSON for each output item, such as the chosen resolution. */
	describe?(params: P): IDataObject;
}

interface RunPlan<P> {
	kind: 'run';
	params: P;
	input: InputImageParameters;
	apiMode: 'queue' | 'sync';
	waitForCompletion: boolean;
	settings: CommonSettings;
}

interface ResultPlan {
	kind: 'result';
	requestId: string;
	waitIfRunning: boolean;
	fileNamePrefix: string;
	settings: CommonSettings;
}

export const DEFAULT_PARALLEL_JOBS = 3;

const commonSchema = z.object({
	output: oneOf(['binary', 'urls']),
	outputBinaryField: z.string().trim().min(1, 'Allowed: a field name such as "data"'),
	downloadLimitMb: intInRange(1, 1024),
	maxWaitSeconds: intInRange(1, 3600),
	pollIntervalSeconds: z.coerce
		.number({ invalid_type_error: 'Allowed: a number of seconds from 0.1 to 60' })
		.min(0.1, 'Allowed: a number of seconds from 0.1 to 60')
		.max(60, 'Allowed: a number of seconds from 0.1 to 60'),
	retryRateLimited: z.boolean({ invalid_type_error: 'Allowed: true or false' }),
	parallelJobs: intInRange(1, 10),
});

const commonLabels = {
	output: 'Output',
	outputBinaryField: 'Output Binary Field',
	downloadLimitMb: 'Download Size Limit (MB)',
	maxWaitSeconds: 'Max Wait (Seconds)',
	pollIntervalSeconds: 'Poll Interval (Seconds)',
	retryRateLimited: 'Retry When Rate Limited',
	parallelJobs: 'Parallel Jobs',
	inputSource: 'Input Image',
	binaryPropertyName: 'Input Binary Field',
	imageUrl: 'Image URL',
	apiMode: 'API Mode',
	requestId: 'Request ID',
};

function readCommonSettings(ctx: IExecuteFunctions, itemIndex: number): CommonSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parsed = parseParameters(
		ctx,
		itemIndex,
		commonSchema,
		{
			output: ctx.getNodeParameter('output', itemIndex, 'binary'),
			outputBinaryField: options.outputBinaryField ?? 'data',
			downloadLimitMb: options.downloadLimitMb ?? 50,
			maxWaitSeconds: options.maxWaitSeconds ?? 600,
			pollIntervalSeconds: options.pollIntervalSeconds ?? 3,
			retryRateLimited: options.retryRateLimited ?? true,
			parallelJobs: options.parallelJobs ?? DEFAULT_PARALLEL_JOBS,
		},
		commonLabels,
	);
	const maxDelayMs = parsed.pollIntervalSeconds * 1000;
	return {
		output: parsed.output,
		parallelJobs: parsed.parallelJobs,
		outputBinaryField: parsed.outputBinaryField,
		maxBytes: parsed.downloadLimitMb * 1024 * 1024,
		retryRateLimited: parsed.retryRateLimited,
		schedule: {
			maxWaitMs: parsed.maxWaitSeconds * 1000,
			maxDelayMs,
			growth: 1.5,
		},
	};
}

function readInput(ctx: IExecuteFunctions, itemIndex: number): InputImageParameters {
	const source = ctx.getNodeParameter('inputSource', itemIndex) as string;
	if (source === 'url') {
		const imageUrl = String(ctx.getNodeParameter('imageUrl', itemIndex, '')).trim();
		if (!imageUrl) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Invalid "Image URL": empty. Allowed: a public http(s) URL of an image',
				{
					itemIndex,
				},
			);
		}
		return {
			source: 'url',
			binaryPropertyName: '',
			imageUrl: assertHttpUrl(ctx, imageUrl, '"Image URL"', itemIndex),
		};
	}
	if (source !== 'binary') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "Input Image": "${source}". Allowed: binary, url`,
			{ itemIndex },
		);
	}
	const binaryPropertyName = String(
		ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
	).trim();
	return { source: 'binary', binaryPropertyName, imageUrl: '' };
}

function readPlan<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<P>,
	operation: string,
	itemIndex: number,
): RunPlan<P> | ResultPlan {
	const settings = readCommonSettings(ctx, itemIndex);
	if (operation === GET_RESULT) {
		const requestId = String(ctx.getNodeParameter('requestId', itemIndex, '')).trim();
		if (!requestId) {
			throw new NodeOperationError(
				ctx.getNode(),
				'Invalid "Request ID": empty. Allowed: the requestId output by a submit with "Wait for Completion" off',
				{
					itemIndex,
				},
			);
		}
		return {
			kind: 'result',
			requestId,
			waitIfRunning: ctx.getNodeParameter('ifStillRunning', itemIndex, 'wait') === 'wait',
			fileNamePrefix: String(ctx.getNodeParameter('fileNamePrefix', itemIndex, '') ?? '').trim(),
			settings,
		};
	}
	const apiMode = model.syncModeOffered
		? (ctx.getNodeParameter('apiMode', itemIndex, 'queue') as string)
		: 'queue';
	if (apiMode !== 'queue' && apiMode !== 'sync') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "API Mode": "${apiMode}". Allowed: queue, sync`,
			{ itemIndex },
		);
	}
	return {
		kind: 'run',
		params: model.readParameters(ctx, itemIndex),
		input: readInput(ctx, itemIndex),
		apiMode,
		waitForCompletion:
			apiMode === 'sync' || (ctx.getNodeParameter('waitForCompletion', itemIndex, true) as boolean),
		settings,
	};
}

/** The whole `execute` of an image node. */
export async function executeImageNode<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<P>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (operation !== GET_RESULT && operation !== model.operation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "Operation": "${operation}". Allowed: ${model.operation}, ${GET_RESULT}`,
			{
				description:
					operation === '__CUSTOM_API_CALL__'
						? 'To call another provider endpoint, use an HTTP Request node with the predefined credential type of this provider.'
						: undefined,
			},
		);
	}
	// Every item is checked before the first request, so a bad value in the last item cannot
	// leave the earlier ones billed and the run failed half-way.
	const plans = items.map((_, itemIndex) => {
		try {
			return readPlan(ctx, model, operation, itemIndex);
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
			return asNodeError(ctx, error, itemIndex);
		}
	});

	// Jobs take seconds to minutes at the provider, so a few items run at once; outputs keep the
	// input order. Without Continue On Fail, the first error stops new items from starting.
	const produced: INodeExecutionData[][] = new Array(items.length);
	const firstPlan = plans.find((plan): plan is RunPlan<P> | ResultPlan => !(plan instanceof Error));
	const parallel = Math.min(firstPlan?.settings.parallelJobs ?? 1, items.length);
	let next = 0;
	let failure: NodeOperationError | NodeApiError | undefined;
	const worker = async () => {
		while (failure === undefined && next < items.length) {
			const itemIndex = next++;
			const plan = plans[itemIndex];
			try {
				if (plan instanceof Error) throw plan;
				produced[itemIndex] =
					plan.kind === 'run'
						? await runModel(ctx, model, plan, itemIndex)
						: await getResult(ctx, model, plan, itemIndex);
			} catch (error) {
				const nodeError = asNodeError(ctx, error, itemIndex);
				if (!ctx.continueOnFail()) {
					failure ??= nodeError;
					return;
				}
				produced[itemIndex] = [errorItem(nodeError, itemIndex)];
			}
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	if (failure) throw failure;
	return [produced.flat()];
}

function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error : new Error(String(error)),
		{ itemIndex },
	);
}

function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode && /^\d{3}$/.test(error.httpCode))
		json.httpCode = error.httpCode;
	if (typeof error.context.requestId === 'string') json.requestId = error.context.requestId;
	return { json, pairedItem: { item: itemIndex } };
}

async function runModel<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<P>,
	plan: RunPlan<P>,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const gateway = await model.gateway(ctx, itemIndex, plan.params, plan.settings);
	const input = await loadInputImage(ctx, itemIndex, plan.input);
	const image = await gateway.imageReference(input, { inline: model.inlineBinary(plan.params) });
	const slug = model.modelFor?.(gateway) ?? model.slug;
	const body = model.buildBody(plan.params, image);
	const context: OutputContext = {
		provider: gateway.provider.id,
		model: slug,
		sourceUrl: input.kind === 'url' ? input.url : /^https?:/.test(image) ? image : undefined,
		sourceName: input.baseName,
		extra: model.describe?.(plan.params) ?? {},
	};

	if (plan.apiMode === 'sync') {
		if (!gateway.runSync) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Invalid "API Mode": ${gateway.provider.label} offers no direct mode for this model. Allowed: queue`,
				{
					itemIndex,
				},
			);
		}
		const { result, billing } = await gateway.runSync(slug, body);
		return outputs(
			ctx,
			model,
			plan.settings,
			itemIndex,
			result,
			{ ...context, requestId: billing.providerRequestId, billing },
			plan.params,
		);
	}

	const receipt = await gateway.submit(slug, body);
	const submitted = { ...context, requestId: receipt.job.requestId, billing: receipt.billing };
	if (!plan.waitForCompletion) {
		return [
			{
				json: pendingJson(submitted, receipt.job, receipt.status),
				pairedItem: { item: itemIndex },
			},
		];
	}
	const { result } = await waitForJob(
		{ ctx, protocol: gateway.protocol, job: receipt.job, itemIndex },
		scheduleFor(gateway, plan.settings),
	);
	return outputs(ctx, model, plan.settings, itemIndex, result, submitted, plan.params);
}

async function getResult<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<P>,
	plan: ResultPlan,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const gateway = await model.resultGateway(ctx, itemIndex, plan.settings);
	const job = gateway.jobFor(plan.requestId);
	const run = { ctx, protocol: gateway.protocol, job, itemIndex };
	const context: OutputContext = {
		provider: gateway.provider.id,
		model: model.modelFor?.(gateway) ?? model.slug,
		sourceName: plan.fileNamePrefix || plan.requestId,
		requestId: plan.requestId,
		extra: {},
	};
	if (plan.waitIfRunning) {
		const { result } = await waitForJob(run, scheduleFor(gateway, plan.settings));
		return outputs(ctx, model, plan.settings, itemIndex, result, context, undefined);
	}
	const outcome = await checkJobOnce(run);
	if (!outcome.done) {
		return [
			{ json: pendingJson(context, job, outcome.snapshot.status), pairedItem: { item: itemIndex } },
		];
	}
	return outputs(ctx, model, plan.settings, itemIndex, outcome.result, context, undefined);
}

/** The first check follows the provider's advice, but never comes later than the user's interval. */
function scheduleFor(gateway: ImageGateway, settings: CommonSettings): PollSchedule {
	return {
		...settings.schedule,
		firstDelayMs: Math.min(gateway.firstPollDelayMs, settings.schedule.maxDelayMs),
	};
}

interface OutputContext {
	provider: string;
	model: string;
	requestId?: string;
	sourceUrl?: string;
	sourceName: string;
	billing?: BillingInfo;
	extra: IDataObject;
}

function baseJson(context: OutputContext): IDataObject {
	const json: IDataObject = {
		provider: context.provider,
		model: context.model,
		requestId: context.requestId,
		sourceUrl: context.sourceUrl,
		sourceName: context.sourceName,
		remainingCredits: context.billing?.remainingCredits,
		// The provider's x-cost is for the whole job, so it is named that way rather than repeated as a per-image cost.
		jobCost: context.billing?.cost,
		...context.extra,
	};
	return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== undefined));
}

function pendingJson(context: OutputContext, job: SubmittedJob, status: string): IDataObject {
	return { ...baseJson(context), requestId: job.requestId, status };
}

async function outputs<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<P>,
	settings: CommonSettings,
	itemIndex: number,
	result: JobResult,
	context: OutputContext,
	params: P | undefined,
): Promise<INodeExecutionData[]> {
	const expected = params ? model.expectedOutputs(params) : [];
	const base = { ...baseJson(context), status: 'COMPLETED' };
	// Outputs are matched to the request by position only when the counts agree; otherwise the
	// size is read from the result itself.
	const byPosition = expected.length === result.media.length;
	const items: INodeExecutionData[] = [];
	for (let index = 0; index < result.media.length; index++) {
		const ref = result.media[index];
		const wanted = byPosition ? expected[index] : sizeFromUrl(ref);
		if (settings.output === 'urls') {
			items.push({
				json: {
					...base,
					url: 'url' in ref ? ref.url : undefined,
					size: wanted?.width ? `${wanted.width}x${wanted.height}` : undefined,
					width: wanted?.width,
					height: wanted?.height,
					variant: wanted?.variant ?? index + 1,
					index,
				},
				pairedItem: { item: itemIndex },
			});
			continue;
		}
		const image = await fetchResultImage(ctx, ref, {
			itemIndex,
			maxBytes: settings.maxBytes,
			providerLabel: context.provider === 'pixazo' ? 'Pixazo' : 'Segmind',
		});
		const width = image.info.width ?? wanted?.width;
		const height = image.info.height ?? wanted?.height;
		const fileName = model.fileName(context.sourceName, image.info, wanted, index, params);
		items.push(
			await imageItem(ctx, itemIndex, image, fileName, settings.outputBinaryField, {
				...base,
				size: width && height ? `${width}x${height}` : undefined,
				requestedSize: wanted?.width ? `${wanted.width}x${wanted.height}` : undefined,
				width,
				height,
				variant: wanted?.variant ?? index + 1,
				format: image.info.format,
				url: image.url || undefined,
				index,
			}),
		);
	}
	return items.map((item) => ({ ...item, json: dropUndefined(item.json) }));
}

function dropUndefined(json: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== undefined));
}

function sizeFromUrl(ref: MediaRef): ExpectedOutput | undefined {
	if (!('url' in ref) || ref.url.startsWith('data:')) return undefined;
	const match = /(\d{2,5})x(\d{2,5})(?:[_-](\d+))?[^/]*$/.exec(ref.url);
	if (!match) return undefined;
	return {
		width: Number(match[1]),
		height: Number(match[2]),
		variant: match[3] !== undefined ? Number(match[3]) + 1 : undefined,
	};
}
