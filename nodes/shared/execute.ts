import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { loadInputImage } from './binary';
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
import { invalidParameter } from './validation';

type NodeError = NodeOperationError | NodeApiError;

/** The whole `execute` of an image node. */
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

	// Jobs take seconds to minutes at the provider, so a few items run at once; outputs keep the
	// input order. Without Continue On Fail, the first error stops new items from starting.
	const produced: INodeExecutionData[][] = new Array(items.length);
	const firstPlan = plans.find((plan): plan is RunPlan<P> | ResultPlan => !(plan instanceof Error));
	const parallel = Math.min(firstPlan?.settings.parallelJobs ?? 1, items.length);
	let next = 0;
	let failure: NodeError | undefined;
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

function openGateway(
	ctx: IExecuteFunctions,
	provider: ProviderEntry,
	itemIndex: number,
	settings: CommonSettings,
): Promise<ImageGateway> {
	return provider.openGateway(ctx, provider, itemIndex, {
		retryRateLimited: settings.retryRateLimited,
	});
}

/** The first check follows the provider's advice, but never comes later than the user's interval. */
function scheduleFor(provider: ProviderEntry, settings: CommonSettings): PollSchedule {
	return {
		...settings.schedule,
		firstDelayMs: Math.min(provider.firstPollDelayMs, settings.schedule.maxDelayMs),
	};
}

async function runModel<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<FieldSet, P>,
	plan: RunPlan<P>,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { provider, params, settings } = plan;
	const served = provider.models[model.key];
	const gateway = await openGateway(ctx, provider, itemIndex, settings);
	const input = await loadInputImage(ctx, itemIndex, plan.input);
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
	const completed = { ctx, model, settings, itemIndex, params };

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
		return completedItems({
			...completed,
			result,
			context: { ...context, requestId: billing.providerRequestId, billing },
		});
	}

	const receipt = await gateway.submit(served.id, body);
	const submitted = { ...context, requestId: receipt.job.requestId, billing: receipt.billing };
	if (!plan.waitForCompletion)
		return [pendingItem(submitted, receipt.job, receipt.status, itemIndex)];
	const { result } = await waitForJob(
		{ ctx, protocol: gateway.protocol, job: receipt.job, itemIndex },
		scheduleFor(provider, settings),
	);
	return completedItems({ ...completed, result, context: submitted });
}

async function getResult<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<FieldSet, P>,
	plan: ResultPlan,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { provider, settings } = plan;
	const gateway = await openGateway(ctx, provider, itemIndex, settings);
	const job = gateway.jobFor(plan.requestId);
	const run = { ctx, protocol: gateway.protocol, job, itemIndex };
	const context: OutputContext = {
		provider,
		modelId: provider.models[model.key].id,
		sourceName: plan.fileNamePrefix || plan.requestId,
		requestId: plan.requestId,
		extra: {},
	};
	const completed = { ctx, model, settings, itemIndex, context };
	if (plan.waitIfRunning) {
		const { result } = await waitForJob(run, scheduleFor(provider, settings));
		return completedItems({ ...completed, result });
	}
	const outcome = await checkJobOnce(run);
	if (!outcome.done) return [pendingItem(context, job, outcome.snapshot.status, itemIndex)];
	return completedItems({ ...completed, result: outcome.result });
}
