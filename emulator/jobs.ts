import { randomUUID } from 'node:crypto';

import type { EmulatorConfig, JobFaultKind, JobStatus, JobSummary, Provider } from './types';
import type { MediaFile } from './mediaStore';

export interface KeyRecord {
	id: string;
	key: string;
	provider: Provider;
	credits: number;
	freeCredits: number;
	rateLimitPerMinute: number;
	forbidden: boolean;
	/** Current fixed rate-limit window. */
	window: { start: number; count: number } | null;
}

/** Outcome of the work behind a job: `failed` is the user's (FAILED), `error` the system's (Pixazo ERROR). */
export type JobOutcome = 'ok' | 'failed' | 'error';

export interface JobFault {
	kind: JobFaultKind;
	reason?: string;
}

export interface JobInit {
	provider: Provider;
	api: JobSummary['api'];
	model: string;
	key: KeyRecord;
	cost: number;
	queueMs: number;
	processingMs: number;
	fault?: JobFault;
	/** Pixazo `sync_mode`: results are served as data: URIs. */
	syncMode?: boolean;
	/** Pixazo `media_type` of the outputs. */
	mediaType?: string;
	/** Echoed as `x-seed-value`. */
	seed?: number;
}

/**
 * One model run. Its status is derived from timestamps rather than driven by timers, so a job never
 * holds the event loop open and `close()` has nothing to cancel: QUEUED for `queueMs`, then PROCESSING
 * for `processingMs` or until its rendering has finished, whichever is later, then done.
 */
export class Job {
	readonly id: string;
	readonly createdAt = Date.now();
	outputs: MediaFile[] = [];
	outcome: JobOutcome | null = null;
	error: string | null = null;
	renderDoneAt: number | null = null;
	charged: number;

	constructor(readonly init: JobInit) {
		this.id = init.provider === 'pixazo' ? `smart-resize_${randomUUID()}` : randomUUID();
		this.charged = init.cost;
	}

	get provider() {
		return this.init.provider;
	}

	/** When the job leaves PROCESSING, or null while that is not yet known. */
	doneAt(): number | null {
		if (this.init.fault?.kind === 'stuck' || this.renderDoneAt === null) return null;
		return Math.max(this.createdAt + this.init.queueMs + this.init.processingMs, this.renderDoneAt);
	}

	/** The status a poll sees now; `EXPIRED` means the status/result endpoints answer 404. */
	status(config: EmulatorConfig, now = Date.now()): JobStatus | 'EXPIRED' {
		if (now - this.createdAt >= config.resultTtlMs) return 'EXPIRED';
		if (now - this.createdAt < this.init.queueMs) return 'QUEUED';
		const doneAt = this.doneAt();
		if (doneAt === null || now < doneAt) return 'PROCESSING';
		if (this.init.fault?.kind === 'expire') return 'EXPIRED';
		if (this.outcome === 'ok') return 'COMPLETED';
		// Segmind has no ERROR state: a system error surfaces as FAILED there.
		if (this.outcome === 'error' && this.provider === 'pixazo') return 'ERROR';
		return 'FAILED';
	}

	/** Start of PROCESSING (for `updated_at` and metrics). */
	processingStartedAt(): number {
		return this.createdAt + this.init.queueMs;
	}

	summary(config: EmulatorConfig, now = Date.now()): JobSummary {
		const status = this.status(config, now);
		const doneAt = this.doneAt();
		return {
			id: this.id,
			provider: this.provider,
			model: this.init.model,
			api: this.init.api,
			status,
			createdAt: new Date(this.createdAt).toISOString(),
			completedAt: doneAt !== null && doneAt <= now ? new Date(doneAt).toISOString() : null,
			outputs: this.outputs.length,
			charged: this.charged,
			keyId: this.init.key.id,
			error: this.error,
		};
	}
}
