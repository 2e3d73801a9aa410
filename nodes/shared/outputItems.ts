import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { imageItem } from './binary';
import type { Slots } from './cancellation';
import type { FieldSet } from './fields';
import type { JobResult } from './gateway';
import type { MediaRef } from './media';
import type { ExpectedOutput, ImageModel } from './model';
import type { CommonSettings } from './plan';
import type { SubmittedJob } from './polling';
import type { ProviderEntry } from './providers/provider';
import { fetchResultImage } from './transport/download';
import type { BillingInfo } from './transport/headers';
import { withoutUndefined } from './transport/headers';

/** What every output item of one job says about where it came from. */
export interface OutputContext {
	provider: ProviderEntry;
	/** The provider's own model id. */
	modelId: string;
	requestId?: string;
	sourceUrl?: string;
	sourceName: string;
	/** The user's File Name Prefix, when set: it replaces the source's name in file names. */
	fileNamePrefix?: string;
	billing?: BillingInfo;
	/** The model's own output JSON, such as the resolution chosen. */
	extra: IDataObject;
}

/**
 * Where an item came from and what its job cost. It follows what a user looks for first (the file,
 * its size and format), so that those fit in the Table view before the job's bookkeeping.
 */
function contextJson(context: OutputContext): IDataObject {
	return withoutUndefined({
		sourceName: context.sourceName,
		sourceUrl: context.sourceUrl,
		...context.extra,
		seed: context.billing?.seed,
		// The provider's x-cost is for the whole job, in the provider's credits, like the balance.
		jobCostCredits: context.billing?.cost,
		// The balance the provider reported with this job's answer; jobs finish out of order, so the
		// run's lowest is given beside it (see withLowestBalance).
		remainingCredits: context.billing?.remainingCredits,
		provider: context.provider.id,
		model: context.modelId,
		requestId: context.requestId,
	});
}

/**
 * Every item of a node run gets `lowestRemainingCredits`, the lowest balance any of its jobs
 * reported: unlike each item's own `remainingCredits`, it never goes up from one item to the next.
 */
export function withLowestBalance(items: INodeExecutionData[]): INodeExecutionData[] {
	const balances = items
		.map((item) => item.json.remainingCredits)
		.filter((value): value is number => typeof value === 'number');
	if (balances.length === 0) return items;
	const lowestRemainingCredits = Math.min(...balances);
	return items.map((item) =>
		typeof item.json.remainingCredits === 'number'
			? { ...item, json: { ...item.json, lowestRemainingCredits } }
			: item,
	);
}

/** The item for a job that is not finished: enough to fetch it later with Get Result. */
export function pendingItem(
	context: OutputContext,
	job: SubmittedJob,
	status: string,
	itemIndex: number,
	timedOut = false,
): INodeExecutionData {
	return {
		json: {
			requestId: job.requestId,
			status,
			...(timedOut ? { timedOut: true } : {}),
			...contextJson(context),
		},
		pairedItem: { item: itemIndex },
	};
}

export interface CompletedJob<P> {
	ctx: IExecuteFunctions;
	model: ImageModel<FieldSet, P>;
	settings: CommonSettings;
	itemIndex: number;
	result: JobResult;
	context: OutputContext;
	/** Absent for Get Result, which knows only the request id. */
	params?: P;
	/** Bounds the downloads open at once across the node run. */
	downloadSlots: Slots;
	/** The item's deadline (epoch ms), from Max Wait. */
	deadline: number;
}

/** One item per result image: downloaded into binary data, or as links only. */
export async function completedItems<P>(job: CompletedJob<P>): Promise<INodeExecutionData[]> {
	const { ctx, model, settings, itemIndex, result, context, params, downloadSlots, deadline } = job;
	const expected = params !== undefined ? model.expectedOutputs(params) : [];
	const base = { status: 'COMPLETED', ...contextJson(context) };
	// Outputs are matched to the request by position only when the counts agree; otherwise the
	// size is read from the result itself.
	const byPosition = expected.length === result.media.length;
	const items: INodeExecutionData[] = [];
	for (let index = 0; index < result.media.length; index++) {
		const ref = result.media[index];
		const wanted = byPosition ? expected[index] : sizeFromUrl(ref);
		if (settings.output === 'urls') {
			items.push({
				json: withoutUndefined({
					size: wanted?.width ? `${wanted.width}x${wanted.height}` : undefined,
					url: 'url' in ref ? ref.url : undefined,
					width: wanted?.width,
					height: wanted?.height,
					variant: wanted?.variant ?? index + 1,
					index,
					...base,
				}),
				pairedItem: { item: itemIndex },
			});
			continue;
		}
		const giveBack = await downloadSlots.take();
		const image = await fetchResultImage(
			{ ctx, itemIndex, provider: context.provider, maxBytes: settings.maxBytes, deadline },
			ref,
		).finally(giveBack);
		const width = image.info.width ?? wanted?.width;
		const height = image.info.height ?? wanted?.height;
		const fileName = model.fileName({
			baseName: context.sourceName,
			prefix: context.fileNamePrefix,
			info: image.info,
			expected: wanted,
			index,
			params,
		});
		const item = await imageItem(ctx, itemIndex, image, fileName, settings.outputBinaryField, {
			size: width && height ? `${width}x${height}` : undefined,
			format: image.info.format,
			requestedSize: wanted?.width ? `${wanted.width}x${wanted.height}` : undefined,
			width,
			height,
			variant: wanted?.variant ?? index + 1,
			url: image.url || undefined,
			index,
			...base,
		});
		items.push({ ...item, json: withoutUndefined(item.json) });
	}
	return items;
}

/** A result's size and variant from its file name, e.g. `output_768x1344_0.png` (0-based variant). */
export function sizeFromUrl(ref: MediaRef): ExpectedOutput | undefined {
	if (!('url' in ref) || ref.url.startsWith('data:')) return undefined;
	const match = /(\d{2,5})x(\d{2,5})(?:[_-](\d+))?[^/]*$/.exec(ref.url);
	if (!match) return undefined;
	return {
		width: Number(match[1]),
		height: Number(match[2]),
		variant: match[3] !== undefined ? Number(match[3]) + 1 : undefined,
	};
}
