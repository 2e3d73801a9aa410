import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Older n8n versions take no abort signal in `sleep`, so waits are cut into short slices and the
 * signal is checked between them: a cancelled execution stops within about half a second either way.
 */
const SLICE_MS = 500;

function isCancelled(ctx: IExecuteFunctions): boolean {
	return ctx.getExecutionCancelSignal?.()?.aborted === true;
}

export function throwIfCancelled(ctx: IExecuteFunctions, itemIndex: number): void {
	if (isCancelled(ctx)) {
		throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex });
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
