import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { InputImageParameters } from './binary';
import {
	GET_RESULT,
	GET_RESULT_FIELDS,
	INPUT_FIELDS,
	OUTPUT_FIELDS,
	runFields,
} from './commonFields';
import { readFields } from './fields';
import type { FieldSet } from './fields';
import type { ImageModel } from './model';
import type { ProviderEntry } from './providers/provider';
import { invalidParameter } from './validation';

/** How the node paces, waits, downloads and retries, the same for every model. */
export interface CommonSettings {
	output: 'binary' | 'urls';
	/** The most jobs running at once; undefined sends every item at once. */
	maxJobsInFlight?: number;
	/** The run's pace for provider requests; undefined leaves it to the provider's 429s. */
	requestsPerMinute?: number;
	outputBinaryField: string;
	maxBytes: number;
	maxWaitMs: number;
	/** The longest pause between status checks. */
	maxPollDelayMs: number;
	returnPendingOnTimeout: boolean;
	retryRateLimited: boolean;
}

export interface RunPlan<P> {
	kind: 'run';
	provider: ProviderEntry;
	params: P;
	/** The provider-only fields' values, for the provider's body tweaks. */
	providerValues: IDataObject;
	input: InputImageParameters;
	apiMode: 'queue' | 'sync';
	waitForCompletion: boolean;
	/** Replaces the input's name at the start of the output file names; empty keeps it. */
	fileNamePrefix: string;
	settings: CommonSettings;
}

export interface ResultPlan {
	kind: 'result';
	provider: ProviderEntry;
	requestId: string;
	waitIfRunning: boolean;
	fileNamePrefix: string;
	settings: CommonSettings;
}

const MB = 1024 * 1024;

function readSettings(ctx: IExecuteFunctions, itemIndex: number): CommonSettings {
	const values = readFields(ctx, itemIndex, OUTPUT_FIELDS);
	return {
		output: values.output,
		maxJobsInFlight: values.parallelJobs,
		requestsPerMinute: values.requestsPerMinute,
		outputBinaryField: values.outputBinaryField,
		maxBytes: values.downloadLimitMb * MB,
		maxWaitMs: values.maxWaitSeconds * 1000,
		maxPollDelayMs: values.pollIntervalSeconds * 1000,
		returnPendingOnTimeout: values.onTimeout === 'returnPending',
		retryRateLimited: values.retryRateLimited,
	};
}

/** Reads and checks everything one item needs, before any request is made for any item. */
export function readPlan<P>(
	ctx: IExecuteFunctions,
	model: ImageModel<FieldSet, P>,
	operation: string,
	itemIndex: number,
): RunPlan<P> | ResultPlan {
	const settings = readSettings(ctx, itemIndex);
	const { provider } = model;
	if (operation === GET_RESULT) {
		const values = readFields(ctx, itemIndex, GET_RESULT_FIELDS);
		return {
			kind: 'result',
			provider,
			requestId: values.requestId,
			waitIfRunning: values.ifStillRunning === 'wait',
			fileNamePrefix: values.fileNamePrefix,
			settings,
		};
	}
	const input = readFields(ctx, itemIndex, INPUT_FIELDS);
	const run = readFields(ctx, itemIndex, runFields(model.syncModeOffered)) as {
		apiMode?: 'queue' | 'sync';
		waitForCompletion: boolean;
		fileNamePrefix: string;
	};
	const apiMode = run.apiMode ?? 'queue';
	const refuse = (field: string, value: unknown, allowed: string) =>
		invalidParameter(ctx.getNode(), itemIndex, field, value, allowed);
	if (apiMode === 'sync' && settings.output === 'urls') {
		// A direct answer is the image itself: there is no link to hand on, and it was paid for.
		throw refuse(
			'Output',
			'urls',
			'Direct mode returns the image itself, not a link. Allowed: Image Files, or How to Run: Queue (Recommended) for links',
		);
	}
	const served = provider.models[model.key];
	const providerValues = readFields(ctx, itemIndex, served.fields ?? {}) as IDataObject;
	const binaryRefused =
		input.inputSource === 'binary' ? served.refuseBinaryInput?.(providerValues) : undefined;
	if (binaryRefused) throw refuse('Input Image', 'binary', binaryRefused);
	return {
		kind: 'run',
		provider,
		params: model.toParams(readFields(ctx, itemIndex, model.fields), refuse),
		providerValues,
		input: {
			source: input.inputSource,
			binaryPropertyName: input.binaryPropertyName,
			imageUrl: input.imageUrl,
		},
		apiMode,
		waitForCompletion: apiMode === 'sync' || run.waitForCompletion,
		fileNamePrefix: run.fileNamePrefix,
		settings,
	};
}
