import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeSource, loadInputImage } from './binary';
import type { InputImage } from './binary';
import { Slots, stopRun, throwIfCancelled } from './cancellation';
import { GET_RESULT, API_MODE_FIELD } from './commonFields';
import { coded, jobFailed, jobOutcomeOf, routingFields, withRequestId } from './errors';
import type { FieldSet } from './fields';
import type { ImageGateway, SubmitReceipt } from './gateway';
import { inputIdentity, JobLedger, ledgerKey } from './ledger';
import type { ImageModel } from './model';
import { completedItems, pendingItem, withLowestBalance } from './outputItems';
import type { OutputContext } from './outputItems';
import { readPlan } from './plan';
import type { CommonSettings, ResultPlan, RunPlan } from './plan';
import { checkJobOnce, waitForJob } from './polling';
import type { PollSchedule, SubmittedJob } from './polling';
import type { ProviderEntry } from './providers/provider';
import type { BillingInfo } from './transport/headers';
import { RequestBudget } from './transport/requestBudget';
import { invalidParameter } from './validation';

type NodeError = NodeOperationError | NodeApiError;

/** Provider requests open at once per node run; jobs themselves are not limited. */
const MAX_OPEN_REQUESTS = 8;
/** Result files downloaded at once, so a large batch does not hold every file in memory. */
const MAX_OPEN_DOWNLOADS = 4;

/** What every item of one node run shares: the request pace, and the optional cap on jobs. */
/** A run plan whose input image was read and checked before the first request. */
interface ReadyRun<P> extends RunPlan<P> {
	image: InputImage;
}

interface NodeRun<P> {
	ctx: IExecuteFunctions;
	model: ImageModel<FieldSet, P>;
	budget: RequestBudget;
	jobSlots?: Slots;
	downloadSlots: Slots;
	startedAt: number;
	ledger: JobLedger;
	/** Ledger keys of the items whose results this run hands on; forgotten once it succeeds. */
	delivered: string[];
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
		const error = new NodeOperationError(
			ctx.getNode(),
			`Invalid "Operation": "${operation}". Allowed: ${model.operation.value}, ${GET_RESULT}`,
			{
				description:
					operation === '__CUSTOM_API_CALL__'
						? 'To call another provider endpoint, use an HTTP Request node with the predefined credential type of this provider.'
						: undefined,
			},
		);
		coded(error, 'INVALID_INPUT', false);
		// Thrown, n8n's Continue On Fail would pass the input items on unmarked, as if they were done.
		if (ctx.continueOnFail())
			return [items.map((_, itemIndex) => errorItem(ctx, error, itemIndex))];
		throw error;
	}
	// Every item is checked, its input image included, before the first request, so a bad value
	// in the last item cannot leave the earlier ones billed and the run failed half-way.
	// The image read for the check is the one the run sends: each item's file is read once.
	const plans: Array<ReadyRun<P> | ResultPlan | NodeError> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const plan = readPlan(ctx, model, operation, itemIndex);
			plans.push(
				plan.kind === 'run'
					? {
							...plan,
							image: await loadInputImage(ctx, itemIndex, plan.input, model.maxInputBytes),
						}
					: plan,
			);
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
			plans.push(asNodeError(ctx, error, itemIndex));
		}
	}

	const firstPlan = plans.find(
		(plan): plan is ReadyRun<P> | ResultPlan => !(plan instanceof Error),
	);
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
		ledger: new JobLedger(ctx),
		delivered: [],
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
				if (ctx.continueOnFail()) return [errorItem(ctx, nodeError, itemIndex)];
				if (!failure) {
					failure = nodeError;
					stopRun(ctx);
				}
				return [];
			}
		}),
	);
	if (failure) throw failure;
	for (const key of run.delivered) run.ledger.forget(key);
	return [withLowestBalance(produced.flat())];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(
		ctx.getNode(),
		error instanceof Error ? error : new Error(String(error)),
		{ itemIndex },
	);
}

/** A Continue On Fail item: what went wrong, which input it was, and fields to route on. */
function errorItem(
	ctx: IExecuteFunctions,
	error: NodeError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	return {
		json: { ...json, ...describeSource(ctx, itemIndex), ...routingFields(error) },
		pairedItem: { item: itemIndex },
	};
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
		maxResultBytes: settings.maxBytes,
	});
}

function scheduleFor<P>(
	run: NodeRun<P>,
	provider: ProviderEntry,
	settings: CommonSettings,
	job: { startedAt: number; checkAtOnce: boolean },
): PollSchedule {
	return {
		startedAt: job.startedAt,
		checkAtOnce: job.checkAtOnce,
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
	plan: ReadyRun<P>,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { ctx, model } = run;
	const { provider, params, settings, image: input } = plan;
	const served = provider.models[model.key];
	const gateway = await openGateway(run, provider, itemIndex, settings);
	const bodyFor = (image: string) => {
		const body = model.buildBody(params, image);
		return served.adaptBody ? served.adaptBody(body, plan.providerValues) : body;
	};
	const contextFor = (image?: string): OutputContext => ({
		provider,
		modelId: served.id,
		sourceUrl:
			input.kind === 'url' ? input.url : image && /^https?:/.test(image) ? image : undefined,
		sourceName: input.baseName,
		fileNamePrefix: plan.fileNamePrefix || undefined,
		extra: model.outputJson?.(params) ?? {},
	});
	const completed = {
		ctx,
		model,
		settings,
		itemIndex,
		params,
		downloadSlots: run.downloadSlots,
		deadline: run.startedAt + settings.maxWaitMs,
	};
	const reference = () =>
		gateway.imageReference(input, { inline: model.inlineBinary?.(params) ?? false });

	const giveBackJobSlot = await run.jobSlots?.take();
	try {
		throwIfCancelled(ctx, itemIndex);
		if (plan.apiMode === 'sync') {
			if (!gateway.runSync) {
				throw invalidParameter(
					ctx.getNode(),
					itemIndex,
					API_MODE_FIELD.apiMode.property.displayName,
					'sync',
					`${provider.label} offers no direct mode for this model. Allowed: queue`,
				);
			}
			const image = await reference();
			const { result, billing } = await gateway.runSync(served.id, bodyFor(image));
			giveBackJobSlot?.();
			return await forJob(ctx, billing.providerRequestId, itemIndex, () =>
				completedItems({
					...completed,
					result,
					context: { ...contextFor(image), requestId: billing.providerRequestId, billing },
				}),
			);
		}

		// The ledger knows the request by what it asks for, not by an upload link that changes.
		const key = ledgerKey(itemIndex, provider.id, served.id, bodyFor(inputIdentity(input)));
		const job = await submitOnce(run, gateway, key, plan, itemIndex, async () => {
			const image = await reference();
			return { receipt: await gateway.submit(served.id, bodyFor(image)), image };
		});
		const submitted: OutputContext = {
			...contextFor(job.image),
			requestId: job.handle.requestId,
			billing: job.billing,
			...(job.reused ? { extra: { ...contextFor().extra, reusedJob: true } } : {}),
		};
		if (!plan.waitForCompletion) {
			run.delivered.push(key);
			return [pendingItem(submitted, job.handle, job.status, itemIndex)];
		}
		return await forJob(ctx, job.handle.requestId, itemIndex, async () => {
			const outcome = await waitForJob(
				{
					ctx,
					protocol: gateway.protocol,
					job: job.handle,
					itemIndex,
					rejectionHint: served.rejectionHint,
					sourceName: input.baseName,
				},
				scheduleFor(run, provider, settings, job),
			).catch((error: unknown) => {
				settleInLedger(run, key, error);
				throw error;
			});
			giveBackJobSlot?.();
			if (!outcome.done) {
				return [pendingItem(submitted, job.handle, outcome.snapshot.status, itemIndex, true)];
			}
			const output = await completedItems({
				...completed,
				result: outcome.result,
				context: submitted,
			});
			run.delivered.push(key);
			return output;
		});
	} finally {
		giveBackJobSlot?.();
	}
}

interface JobInHand {
	handle: SubmittedJob;
	status: string;
	billing?: BillingInfo;
	image?: string;
	/** Found in the ledger: submitted by an earlier try, not paid for again. */
	reused: boolean;
	startedAt: number;
	checkAtOnce: boolean;
}

/**
 * The job for this request: the one an earlier try recorded, if the provider still keeps it, or a
 * new one, recorded the moment the provider accepts it.
 */
async function submitOnce<P>(
	run: NodeRun<P>,
	gateway: ImageGateway,
	key: string,
	plan: RunPlan<P>,
	itemIndex: number,
	submit: () => Promise<{ receipt: SubmitReceipt; image: string }>,
): Promise<JobInHand> {
	const { provider } = plan;
	const recorded = run.ledger.find(key, provider.id, provider.jobRetentionMs);
	if (recorded?.failedReason !== undefined) {
		// Retry On Fail in the same execution: the same request would only fail again.
		const job = {
			ctx: run.ctx,
			provider,
			requestId: recorded.job.requestId,
			itemIndex,
			rejectionHint: provider.models[run.model.key].rejectionHint,
		};
		throw jobFailed(job, { status: 'FAILED', error: recorded.failedReason }, false);
	}
	if (recorded) {
		const handle = { ...gateway.jobFor(recorded.job.requestId), ...recorded.job };
		return {
			handle,
			status: 'SUBMITTED',
			reused: true,
			startedAt: recorded.submittedAt,
			checkAtOnce: true,
		};
	}
	const startedAt = Date.now();
	const { receipt, image } = await submit();
	run.ledger.record(key, provider.id, receipt.job);
	return {
		handle: receipt.job,
		status: receipt.status,
		billing: receipt.billing,
		image,
		reused: false,
		startedAt,
		checkAtOnce: false,
	};
}

/** A job the provider failed is not tried again in this execution; an expired or broken one may be. */
function settleInLedger<P>(run: NodeRun<P>, key: string, error: unknown): void {
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) return;
	const outcome = jobOutcomeOf(error);
	if (outcome === 'failed') run.ledger.markFailed(key, String(error.context.jobReason ?? ''));
	if (outcome === 'systemError' || outcome === 'expired') run.ledger.forget(key);
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
		const jobRun = {
			ctx,
			protocol: gateway.protocol,
			job,
			itemIndex,
			rejectionHint: provider.models[model.key].rejectionHint,
		};
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
			deadline: run.startedAt + settings.maxWaitMs,
		});
	});
}
