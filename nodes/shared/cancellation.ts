import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { coded } from './errors';

/**
 * Older n8n versions take no abort signal in `sleep`, so waits are cut into short slices and the
 * signal is checked between them: a cancelled execution stops within about half a second either way.
 */
const SLICE_MS = 500;

/** Node runs whose items should stop: the first one failed and Continue On Fail is off. */
const stoppedRuns = new WeakSet<IExecuteFunctions>();

/** Stops every item of this node run at its next check: no new request starts after this. */
export function stopRun(ctx: IExecuteFunctions): void {
	stoppedRuns.add(ctx);
}

function isCancelled(ctx: IExecuteFunctions): boolean {
	return ctx.getExecutionCancelSignal?.()?.aborted === true;
}

/** Whether the run was cancelled or stopped: no new request may start. */
export function mustStop(ctx: IExecuteFunctions): boolean {
	return isCancelled(ctx) || stoppedRuns.has(ctx);
}

export function throwIfCancelled(ctx: IExecuteFunctions, itemIndex: number): void {
	if (isCancelled(ctx)) {
		throw coded(
			new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex }),
			'CANCELLED',
		);
	}
	if (stoppedRuns.has(ctx)) {
		throw coded(
			new NodeOperationError(ctx.getNode(), 'Stopped because another item failed', { itemIndex }),
			'CANCELLED',
		);
	}
}

export async function pause(ctx: IExecuteFunctions, ms: number, itemIndex: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	const end = Date.now() + ms;
	for (;;) {
		throwIfCancelled(ctx, itemIndex);
		const left = end - Date.now();
		if (left <= 0) return;
		try {
			await sleep(Math.min(left, SLICE_MS), signal);
		} catch (error) {
			throwIfCancelled(ctx, itemIndex);
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		}
	}
}

/**
 * A counted set of places, without timers: `take` waits until one is free, and the function it
 * returns gives it back. Used to bound open requests and jobs in flight.
 */
export class Slots {
	private taken = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async take(): Promise<() => void> {
		while (this.taken >= this.size) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.taken++;
		let given = false;
		return () => {
			if (given) return;
			given = true;
			this.taken--;
			this.waiting.shift()?.();
		};
	}
}
