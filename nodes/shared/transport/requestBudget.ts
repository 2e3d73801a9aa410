import type { IExecuteFunctions } from 'n8n-workflow';

import { mustStop, pause, Slots, throwIfCancelled } from '../cancellation';

/** How a node run may use its provider: shared by every submit and status read of that run. */
export interface BudgetSettings {
	/** Requests per minute across the whole run; undefined leaves the pace to the provider. */
	requestsPerMinute?: number;
	/** Provider requests open at once; jobs themselves are not limited, only requests are. */
	maxOpenRequests: number;
}

const MINUTE_MS = 60_000;
/** However few requests a provider accepted, the pace never drops below one a minute. */
const MAX_SPACING_MS = MINUTE_MS;

/**
 * One pace for every provider request of a node run. Jobs wait at the provider, so holding a slot
 * per job wastes it: instead every submit and status read takes a slot only while its request is
 * open, and starts no sooner than the pace allows. A 429 pauses the whole run until the provider's
 * reset time, then resumes at the pace the provider was seen to accept.
 */
export class RequestBudget {
	private readonly slots: Slots;
	private nextStartAt = 0;
	private pausedUntil = 0;
	private spacingMs: number;
	/** Requests started since the last rate limit, and when the first of them started. */
	private startedSinceLimit = 0;
	private firstStartSinceLimit: number | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		settings: BudgetSettings,
	) {
		this.spacingMs = settings.requestsPerMinute ? MINUTE_MS / settings.requestsPerMinute : 0;
		this.slots = new Slots(settings.maxOpenRequests);
	}

	/**
	 * Waits for the pace and a free slot, and returns the function that gives the slot back. Waits
	 * never go past `deadline` (epoch ms): instead the caller learns when the request could start.
	 */
	async acquire(
		itemIndex: number,
		deadline: number,
	): Promise<{ giveBack: () => void } | { startsAfterDeadline: number }> {
		for (;;) {
			throwIfCancelled(this.ctx, itemIndex);
			const now = Date.now();
			const startAt = Math.max(this.pausedUntil, this.nextStartAt);
			if (startAt > now) {
				if (startAt > deadline) return { startsAfterDeadline: startAt };
				await pause(this.ctx, startAt - now, itemIndex);
				continue;
			}
			const giveBack = await this.slots.take();
			// The run may have stopped, or the pace moved (a 429), while this request waited for a slot.
			if (mustStop(this.ctx) || Math.max(this.pausedUntil, this.nextStartAt) > Date.now()) {
				giveBack();
				continue;
			}
			const startedAt = Date.now();
			this.nextStartAt = Math.max(startedAt, this.nextStartAt) + this.spacingMs;
			this.startedSinceLimit++;
			this.firstStartSinceLimit ??= startedAt;
			return { giveBack };
		}
	}

	/**
	 * The provider refused a request for its rate limit: nobody starts one before `until`, and
	 * afterwards requests are spaced so that as many as it accepted fit in the same span again.
	 */
	rateLimited(until: number): void {
		const accepted = this.startedSinceLimit - 1;
		if (accepted > 0 && this.firstStartSinceLimit !== undefined) {
			const span = until - this.firstStartSinceLimit;
			this.spacingMs = Math.min(Math.max(this.spacingMs, span / accepted), MAX_SPACING_MS);
		}
		this.pausedUntil = Math.max(this.pausedUntil, until);
		this.startedSinceLimit = 0;
		this.firstStartSinceLimit = undefined;
	}

	/** When the run may next start a request: for messages about waiting. */
	get resumesAt(): number {
		return Math.max(this.pausedUntil, this.nextStartAt);
	}
}
