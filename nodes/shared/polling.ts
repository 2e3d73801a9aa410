import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';

import { pause, throwIfCancelled } from './cancellation';
import type { ProviderEntry } from './providers/provider';

/** A job the provider has accepted: from here on, nothing may submit it again. */
export interface SubmittedJob {
	requestId: string;
	statusUrl: string;
	resultUrl?: string;
}

export interface JobSnapshot {
	/** The provider's own status word, upper-cased. */
	status: string;
	/** The provider's reason, for failed jobs. */
	error?: string;
	/** The whole status answer, for protocols whose status already carries the output. */
	payload: unknown;
}

/** A provider's reason for a failed job, as text with the key hidden, whatever its shape. */
export function failureReason(value: unknown, scrub: (text: string) => string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return scrub(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Thrown by a protocol when the provider no longer knows the job. */
export class JobNotFound extends Error {}

/**
 * How one provider's queue works. The helper knows nothing about HTTP: a protocol reads a status
 * and fetches a result, and says which status words end the wait.
 */
export interface JobProtocol<TResult> {
	provider: ProviderEntry;
	completedStatuses: string[];
	/** The job failed on its merits (bad input, a safety block): the provider's reason is shown. */
	failedStatuses: string[];
	/** The provider itself broke (Pixazo's ERROR); such jobs are not billed. */
	systemErrorStatuses: string[];
	readStatus(job: SubmittedJob): Promise<JobSnapshot>;
	fetchResult(job: SubmittedJob, finalSnapshot: JobSnapshot): Promise<TResult>;
}

export interface PollSchedule {
	maxWaitMs: number;
	/** The first check comes quickly, since small jobs finish in seconds. */
	firstDelayMs: number;
	/** Checks then slow down by `growth` up to this interval, to spare the rate limit. */
	maxDelayMs: number;
	growth: number;
}

export type PollOutcome<TResult> =
	| { done: true; result: TResult; snapshot: JobSnapshot }
	| { done: false; snapshot: JobSnapshot };

export interface PollRun<TResult> {
	ctx: IExecuteFunctions;
	protocol: JobProtocol<TResult>;
	job: SubmittedJob;
	itemIndex: number;
}

/** Reads the status once: what Get Result does when the user does not want to wait. */
export async function checkJobOnce<TResult>(run: PollRun<TResult>): Promise<PollOutcome<TResult>> {
	const snapshot = await readStatus(run);
	if (isTerminal(run.protocol, snapshot.status)) {
		return { done: true, result: await finish(run, snapshot), snapshot };
	}
	return { done: false, snapshot };
}

/** Polls until the job ends, the maximum wait runs out, or the execution is cancelled. */
export async function waitForJob<TResult>(
	run: PollRun<TResult>,
	schedule: PollSchedule,
): Promise<{ result: TResult; snapshot: JobSnapshot }> {
	const { ctx, itemIndex } = run;
	const deadline = Date.now() + schedule.maxWaitMs;
	let delay = schedule.firstDelayMs;
	let snapshot: JobSnapshot | undefined;

	for (;;) {
		throwIfCancelled(ctx, itemIndex);
		snapshot = await readStatus(run);
		if (isTerminal(run.protocol, snapshot.status)) {
			return { result: await finish(run, snapshot), snapshot };
		}
		const left = deadline - Date.now();
		if (left <= 0) throw timedOut(run, schedule, snapshot);
		await pause(ctx, Math.min(delay, left), itemIndex);
		delay = Math.min(delay * schedule.growth, schedule.maxDelayMs);
	}
}

function isTerminal<TResult>(protocol: JobProtocol<TResult>, status: string): boolean {
	return [
		...protocol.completedStatuses,
		...protocol.failedStatuses,
		...protocol.systemErrorStatuses,
	].includes(status);
}

async function readStatus<TResult>(run: PollRun<TResult>): Promise<JobSnapshot> {
	try {
		return await run.protocol.readStatus(run.job);
	} catch (error) {
		throw asJobError(run, error);
	}
}

async function finish<TResult>(run: PollRun<TResult>, snapshot: JobSnapshot): Promise<TResult> {
	const { protocol } = run;
	if (protocol.failedStatuses.includes(snapshot.status)) throw jobFailed(run, snapshot, false);
	if (protocol.systemErrorStatuses.includes(snapshot.status)) throw jobFailed(run, snapshot, true);
	try {
		return await protocol.fetchResult(run.job, snapshot);
	} catch (error) {
		throw asJobError(run, error);
	}
}

function asJobError<TResult>(
	run: PollRun<TResult>,
	error: unknown,
): NodeApiError | NodeOperationError {
	if (error instanceof JobNotFound) return jobNotFound(run);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(run.ctx.getNode(), error as Error, { itemIndex: run.itemIndex });
}

/** Error items under Continue On Fail carry the request id, so a job can be looked up later. */
function withRequestId<T extends NodeApiError | NodeOperationError>(
	error: T,
	requestId: string,
): T {
	error.context.requestId = requestId;
	return error;
}

function jobFailed<TResult>(
	run: PollRun<TResult>,
	snapshot: JobSnapshot,
	systemError: boolean,
): NodeApiError {
	const providerLabel = run.protocol.provider.label;
	const { requestId } = run.job;
	const reason = snapshot.error ?? 'no reason given';
	const error = new NodeApiError(
		run.ctx.getNode(),
		{ jobStatus: snapshot.status, error: reason, requestId } as JsonObject,
		systemError
			? {
					message: `${providerLabel} had a system error on job ${requestId}: ${reason}`,
					description: `The provider failed, not your input, and this job was not charged. Run the node again.`,
					itemIndex: run.itemIndex,
				}
			: {
					message: `${providerLabel} could not process job ${requestId}: ${reason}`,
					description:
						'The job ran and failed at the provider. Content and safety blocks show up this way: try another image or prompt, or a more permissive safety tolerance where the node offers one.',
					itemIndex: run.itemIndex,
				},
	);
	return withRequestId(error, requestId);
}

function jobNotFound<TResult>(run: PollRun<TResult>): NodeApiError {
	const { label: providerLabel, retentionHint } = run.protocol.provider;
	const { requestId } = run.job;
	const error = new NodeApiError(run.ctx.getNode(), { httpCode: '404', requestId } as JsonObject, {
		message: `${providerLabel} no longer knows job ${requestId}: it has expired or the id is wrong`,
		description: `${retentionHint} Check the request id, or run the node again to make a new job.`,
		httpCode: '404',
		itemIndex: run.itemIndex,
	});
	return withRequestId(error, requestId);
}

function timedOut<TResult>(
	run: PollRun<TResult>,
	schedule: PollSchedule,
	snapshot: JobSnapshot,
): NodeOperationError {
	const providerLabel = run.protocol.provider.label;
	const { requestId } = run.job;
	const error = new NodeOperationError(
		run.ctx.getNode(),
		`Gave up waiting for ${providerLabel} job ${requestId} after ${Math.round(schedule.maxWaitMs / 1000)} s (last status ${snapshot.status})`,
		{
			itemIndex: run.itemIndex,
			description: `The job may still finish. Fetch it later with the Get Result operation and request id ${requestId}, or raise "Max Wait".`,
		},
	);
	return withRequestId(error, requestId);
}
