import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { pause, throwIfCancelled } from './cancellation';
import { jobFailed, jobNotFound, timedOut, unknownJobStatus } from './errors';
import type { JobErrorContext } from './errors';
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

/** A job status as both providers answer it: a status word, a reason when failed, maybe the output. */
export const JOB_STATUS_ANSWER = z
	.object({
		status: z.string(),
		error: z.unknown().optional(),
		output: z.unknown().optional(),
	})
	.passthrough();

/** The words both providers use (or may use) for a job still waiting or running. */
export const RUNNING_STATUSES = [
	'QUEUED',
	'PROCESSING',
	'PENDING',
	'IN_PROGRESS',
	'RUNNING',
	'STARTING',
];

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
	/** Still waiting or running. Any word in none of these lists is reported, not polled forever. */
	runningStatuses: string[];
	readStatus(job: SubmittedJob): Promise<JobSnapshot>;
	fetchResult(job: SubmittedJob, finalSnapshot: JobSnapshot): Promise<TResult>;
}

export interface PollSchedule {
	/** When the job was submitted (epoch ms): pauses grow with the job's age. */
	startedAt: number;
	/** The item's deadline (epoch ms), from Max Wait. */
	deadline: number;
	/** Max Wait itself, for the message when it runs out. */
	maxWaitMs: number;
	/** The shortest pause between checks, as the provider advises. */
	minDelayMs: number;
	/** The longest pause between checks: the user's Poll Interval. */
	maxDelayMs: number;
	/** On running out of time, give the job back still running instead of failing. */
	returnPendingOnTimeout: boolean;
	/** Look at once (a job submitted earlier), rather than after the first pause (one just sent). */
	checkAtOnce: boolean;
}

/** A job's status is read again after a tenth of its age, so it is seen done within ~10 % of its run. */
const AGE_FRACTION = 0.1;

/** The pause before the next status check of a job, never past its deadline. */
export function nextPollDelay(schedule: PollSchedule, now: number): number {
	const floor = Math.min(schedule.minDelayMs, schedule.maxDelayMs);
	const byAge = AGE_FRACTION * (now - schedule.startedAt);
	const delay = Math.min(Math.max(floor, byAge), schedule.maxDelayMs);
	return Math.max(0, Math.min(delay, schedule.deadline - now));
}

export type PollOutcome<TResult> =
	| { done: true; result: TResult; snapshot: JobSnapshot }
	| { done: false; snapshot: JobSnapshot };

export interface PollRun<TResult> {
	ctx: IExecuteFunctions;
	protocol: JobProtocol<TResult>;
	job: SubmittedJob;
	itemIndex: number;
	/** What to change when the job fails on its merits, in the provider's terms. */
	rejectionHint?: string;
	/** The input the job was made from, for error messages. */
	sourceName?: string;
}

/** Reads the status once: what Get Result does when the user does not want to wait. */
export async function checkJobOnce<TResult>(run: PollRun<TResult>): Promise<PollOutcome<TResult>> {
	const snapshot = await readStatus(run);
	if (isTerminal(run.protocol, snapshot.status)) {
		return { done: true, result: await finish(run, snapshot), snapshot };
	}
	return { done: false, snapshot };
}

/**
 * Polls until the job ends, the deadline passes, or the execution is cancelled. Out of time, it
 * fails with the request id, or gives the job back still running when the schedule says so.
 */
export async function waitForJob<TResult>(
	run: PollRun<TResult>,
	schedule: PollSchedule,
): Promise<PollOutcome<TResult>> {
	const { ctx, itemIndex } = run;
	if (!schedule.checkAtOnce) await pause(ctx, nextPollDelay(schedule, Date.now()), itemIndex);
	for (;;) {
		throwIfCancelled(ctx, itemIndex);
		const snapshot = await readStatus(run);
		if (isTerminal(run.protocol, snapshot.status)) {
			return { done: true, result: await finish(run, snapshot), snapshot };
		}
		if (Date.now() >= schedule.deadline) {
			if (schedule.returnPendingOnTimeout) return { done: false, snapshot };
			throw timedOut(jobContext(run), schedule.maxWaitMs, snapshot.status);
		}
		await pause(ctx, nextPollDelay(schedule, Date.now()), itemIndex);
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
	let snapshot: JobSnapshot;
	try {
		snapshot = await run.protocol.readStatus(run.job);
	} catch (error) {
		throw asJobError(run, error);
	}
	const { protocol } = run;
	if (
		!isTerminal(protocol, snapshot.status) &&
		!protocol.runningStatuses.includes(snapshot.status)
	) {
		throw unknownJobStatus(jobContext(run), snapshot.status);
	}
	return snapshot;
}

async function finish<TResult>(run: PollRun<TResult>, snapshot: JobSnapshot): Promise<TResult> {
	const { protocol } = run;
	if (protocol.failedStatuses.includes(snapshot.status))
		throw jobFailed(jobContext(run), snapshot, false);
	if (protocol.systemErrorStatuses.includes(snapshot.status))
		throw jobFailed(jobContext(run), snapshot, true);
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
	if (error instanceof JobNotFound) return jobNotFound(jobContext(run));
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(run.ctx.getNode(), error as Error, { itemIndex: run.itemIndex });
}

function jobContext<TResult>(run: PollRun<TResult>): JobErrorContext {
	return {
		ctx: run.ctx,
		provider: run.protocol.provider,
		requestId: run.job.requestId,
		itemIndex: run.itemIndex,
		rejectionHint: run.rejectionHint,
		sourceName: run.sourceName,
	};
}
