import type { IExecuteFunctions } from 'n8n-workflow';

import { mustStop, pause, Slots, throwIfCancelled } from '../cancellation';
import { LearnedLimit } from './learnedLimit';
import type { RequestKind, WindowTicket } from './learnedLimit';

export type { RequestKind, WindowTicket } from './learnedLimit';

/** How a node run may use its provider: shared by every submit and status read of that run. */
export interface BudgetSettings {
	/** Requests per minute across the whole run; undefined leaves the pace to the provider. */
	requestsPerMinute?: number;
	/** Provider requests open at once; jobs themselves are not limited, only requests are. */
	maxOpenRequests: number;
}

export interface BudgetPlace {
	giveBack: () => void;
	/** Hand back to `rateLimited` if the provider refuses this request. */
	ticket: WindowTicket;
}

const MINUTE_MS = 60_000;

/**
 * One budget for every provider request of a node run. Jobs wait at the provider, so holding a slot
 * per job wastes it: instead every submit and status read takes a slot only while its request is
 * open, and starts no sooner than the user's pace and the learned rate limit allow. A 429 pauses
 * the whole run until the provider's reset time (see `LearnedLimit` for what it teaches).
 */
export class RequestBudget {
	private readonly slots: Slots;
	private readonly limit = new LearnedLimit();
	private nextStartAt = 0;
	private readonly spacingMs: number;

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
		kind: RequestKind,
		itemIndex: number,
		deadline: number,
	): Promise<BudgetPlace | { startsAfterDeadline: number }> {
		for (;;) {
			throwIfCancelled(this.ctx, itemIndex);
			const now = Date.now();
			const startAt = this.startsAt(kind, now);
			if (startAt > now) {
				if (startAt > deadline) return { startsAfterDeadline: startAt };
				await pause(this.ctx, startAt - now, itemIndex);
				continue;
			}
			const giveBack = await this.slots.take();
			// The run may have stopped, or the pace moved (a 429), while this request waited for a slot.
			if (mustStop(this.ctx) || this.startsAt(kind, Date.now()) > Date.now()) {
				giveBack();
				continue;
			}
			const startedAt = Date.now();
			this.nextStartAt = Math.max(startedAt, this.nextStartAt) + this.spacingMs;
			return { giveBack, ticket: this.limit.started(kind, startedAt) };
		}
	}

	/** The provider refused a request for its rate limit: nothing starts before `until`. */
	rateLimited(kind: RequestKind, until: number, ticket: WindowTicket): void {
		this.limit.refused(kind, until, ticket);
	}

	private startsAt(kind: RequestKind, now: number): number {
		return Math.max(this.nextStartAt, this.limit.startsAt(kind, now));
	}
}
