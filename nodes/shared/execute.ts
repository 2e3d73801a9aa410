import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { loadInputImage } from './binary';
import { Slots, stopRun, throwIfCancelled } from './cancellation';
import { GET_RESULT } from './commonFields';
import type { FieldSet } from './fields';
import type { ImageGateway } from './gateway';
import type { ImageModel } from './model';
import { completedItems, pendingItem } from './outputItems';
import type { OutputContext } from './outputItems';
import { readPlan } from './plan';
import type { CommonSettings, ResultPlan, RunPlan } from './plan';
import { checkJobOnce, waitForJob } from './polling';
import type { PollSchedule } from './polling';
import type { ProviderEntry } from './providers/provider';
import { RequestBudget } from './transport/requestBudget';
import { invalidParameter } from './validation';
import { withRequestId } from './errors';

type NodeError = NodeOperationError | NodeApiError;

/** Provider requests open at once per node run; jobs themselves are not limited. */
const MAX_OPEN_REQUESTS = 8;
/** Result files downloaded at once, so a large batch does not hold every file in memory. */
const MAX_OPEN_DOWNLOADS = 4;

/** What every item of one node run shares: the request pace, and the optional cap on jobs. */
interface NodeRun<P> {
	ctx: IExecuteFunctions;
	model: ImageModel<FieldSet, P>;
	budget: RequestBudget;
	jobSlots?: Slots;
	downloadSlots: Slots;
	startedAt: number;
}

/**
 * The whole `execute` of an image node. Every item is planned first; then every item's job is in
 * flight at once, each request taking its place in the run's shared pace, and each job's results
 * are downloaded as soon as it is done. Outputs keep the input order.
 */
export async function executeImageNode<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<FieldSet, P>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (operation !== GET_RESULT && operation !== model.operation.value) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "Operation": "${operation}". Allowed: ${model.operation.value}, ${GET_RESULT}`,
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

	const firstPlan = plans.find((plan): plan is RunPlan<P> | ResultPlan => !(plan instanceof Error));
	const pace = firstPlan?.settings;
	const run: NodeRun<P> = {
		ctx,
		model,
		budget: new RequestBudget(ctx, {
			requestsPerMinute: pace?.requestsPerMinute,
			maxOpenRequests: MAX_OPEN_REQUESTS,
		}),
		jobSlots: pace?.maxJobsInFlight ? new Slots(pace.maxJobsInFlight) : undefined,
		downloadSlots: new Slots(MAX_OPEN_DOWNLOADS),
		startedAt: Date.now(),
	};

	// Without Continue On Fail, the first error stops the run: no request starts after it.
	let failure: NodeError | undefined;
	const produced = await Promise.all(
		plans.map(async (plan, itemIndex): Promise<INodeExecutionData[]> => {
			try {
				if (plan instanceof Error) throw plan;
				return plan.kind === 'run'
					? await runModel(run, plan, itemIndex)
					: await getResult(run, plan, itemIndex);
			} catch (error) {
				const nodeError = asNodeError(ctx, error, itemIndex);
				if (ctx.continueOnFail()) return [errorItem(nodeError, itemIndex)];
				if (!failure) {
					failure = nodeError;
					stopRun(ctx);
				}
				return [];
			}
		}),
	);
	if (failure) throw failure;
	return [produced.flat()];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error : new Error(String(error)),
		{ itemIndex },
	);
}

function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode && /^\d{3}$/.test(error.httpCode)) {
		json.httpCode = error.httpCode;
	}
	if (typeof error.context.requestId === 'string') json.requestId = error.context.requestId;
	return { json, pairedItem: { item: itemIndex } };
}

function openGateway<P>(
	run: NodeRun<P>,
	provider: ProviderEntry,
	itemIndex: number,
	settings: CommonSettings,
): Promise<ImageGateway> {
	return provider.openGateway(run.ctx, provider, itemIndex, {
		retryRateLimited: settings.retryRateLimited,
		budget: run.budget,
		deadline: run.startedAt + settings.maxWaitMs,
	});
}

function scheduleFor<P>(
	run: NodeRun<P>,
	provider: ProviderEntry,
	settings: CommonSettings,
	job: { startedAt: number; checkAtOnce: boolean },
): PollSchedule {
	return {
		...job,
		deadline: run.startedAt + settings.maxWaitMs,
		maxWaitMs: settings.maxWaitMs,
		minDelayMs: provider.minPollIntervalMs,
		maxDelayMs: settings.maxPollDelayMs,
		returnPendingOnTimeout: settings.returnPendingOnTimeout,
	};
}

/** Runs `work` for a job the provider has: any error it throws names the job's request id. */
async function forJob<T>(
	ctx: IExecuteFunctions,
	requestId: string | undefined,
	itemIndex: number,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		const nodeError = asNodeError(ctx, error, itemIndex);
		throw requestId ? withRequestId(nodeError, requestId) : nodeError;
	}
}

async function runModel<P>(
	run: NodeRun<P>,
	plan: RunPlan<P>,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { ctx, model } = run;
	const { provider, params, settings } = plan;
	const served = provider.models[model.key];
	const gateway = await openGateway(run, provider, itemIndex, settings);
	const input = await loadInputImage(ctx, itemIndex, plan.input);
	const giveBackJobSlot = await run.jobSlots?.take();
	try {
		throwIfCancelled(ctx, itemIndex);
		const image = await gateway.imageReference(input, {
			inline: model.inlineBinary?.(params) ?? false,
		});
		const modelBody = model.buildBody(params, image);
		const body = served.adaptBody ? served.adaptBody(modelBody, plan.providerValues) : modelBody;
		const context: OutputContext = {
			provider,
			modelId: served.id,
			sourceUrl: input.kind === 'url' ? input.url : /^https?:/.test(image) ? image : undefined,
			sourceName: input.baseName,
			extra: model.outputJson?.(params) ?? {},
		};
		const completed = { ctx, model, settings, itemIndex, params, downloadSlots: run.downloadSlots };

		if (plan.apiMode === 'sync') {
			if (!gateway.runSync) {
				throw invalidParameter(
					ctx.getNode(),
					itemIndex,
					'API Mode',
					'sync',
					`${provider.label} offers no direct mode for this model. Allowed: queue`,
				);
			}
			const { result, billing } = await gateway.runSync(served.id, body);
			giveBackJobSlot?.();
			return await forJob(ctx, billing.providerRequestId, itemIndex, () =>
				completedItems({
					...completed,
					result,
					context: { ...context, requestId: billing.providerRequestId, billing },
				}),
			);
		}

		const startedAt = Date.now();
		const receipt = await gateway.submit(served.id, body);
		const { requestId } = receipt.job;
		const submitted = { ...context, requestId, billing: receipt.billing };
		if (!plan.waitForCompletion) {
			return [pendingItem(submitted, receipt.job, receipt.status, itemIndex)];
		}
		return await forJob(ctx, requestId, itemIndex, async () => {
			const outcome = await waitForJob(
				{ ctx, protocol: gateway.protocol, job: receipt.job, itemIndex },
				scheduleFor(run, provider, settings, { startedAt, checkAtOnce: false }),
			);
			giveBackJobSlot?.();
			if (!outcome.done) {
				return [pendingItem(submitted, receipt.job, outcome.snapshot.status, itemIndex, true)];
			}
			return completedItems({ ...completed, result: outcome.result, context: submitted });
		});
	} finally {
		giveBackJobSlot?.();
	}
}

async function getResult<P>(
	run: NodeRun<P>,
	plan: ResultPlan,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { ctx, model } = run;
	const { provider, settings, requestId } = plan;
	return forJob(ctx, requestId, itemIndex, async () => {
		const gateway = await openGateway(run, provider, itemIndex, settings);
		const job = gateway.jobFor(requestId);
		const context: OutputContext = {
			provider,
			modelId: provider.models[model.key].id,
			sourceName: plan.fileNamePrefix || requestId,
			requestId,
			extra: {},
		};
		const jobRun = { ctx, protocol: gateway.protocol, job, itemIndex };
		const outcome = plan.waitIfRunning
			? await waitForJob(
					jobRun,
					scheduleFor(run, provider, settings, { startedAt: Date.now(), checkAtOnce: true }),
				)
			: await checkJobOnce(jobRun);
		if (!outcome.done) {
			const timedOut = plan.waitIfRunning;
			return [pendingItem(context, job, outcome.snapshot.status, itemIndex, timedOut)];
		}
		return completedItems({
			ctx,
			model,
			settings,
			itemIndex,
			context,
			result: outcome.result,
			downloadSlots: run.downloadSlots,
		});
	});
}
