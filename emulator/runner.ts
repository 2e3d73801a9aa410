/**
 * Runs a job's work: fetch the input, render every output (cached), store the files on the media
 * origin, record the outcome. Nothing here decides what a poll sees; Job.status() does, from time.
 */
import { createHash } from 'node:crypto';

import { AbortedError } from './http';
import { loadSource, UndecodableImageError, type SourceImage } from './images';
import { InputError, resolveImage } from './input';
import type { Job } from './jobs';
import { LruCache } from './lru';
import type { ModelRun } from './models';
import type { EmulatorState } from './state';

const DEFAULT_FAILURE = 'Content flagged by the safety system (emulated failure)';
const DEFAULT_SYSTEM_ERROR = 'Internal error while running the model (emulated system error)';

export class JobRunner {
	/** Decoded inputs by content hash: a benchmark sends the same image again and again. */
	private readonly sources = new LruCache<Promise<SourceImage>>(16, () => 1);
	/** Rendered files by input hash and operation: identical requests get identical bytes, fast. */
	private readonly rendered = new LruCache<Promise<Buffer>>(192 * 1024 * 1024, () => 0);
	private readonly inFlight = new Set<Promise<void>>();

	constructor(
		private readonly state: EmulatorState,
		private readonly mediaUrl: string,
		private readonly allowRemoteFetch: boolean,
		private readonly signal: AbortSignal,
	) {}

	/** Starts the work in the background (v2, Pixazo); `close()` waits for it. */
	start(job: Job, run: ModelRun): void {
		const work = this.run(job, run).finally(() => this.inFlight.delete(work));
		this.inFlight.add(work);
	}

	/** Does the work now (v1). Never throws: the outcome is recorded on the job. */
	async run(job: Job, run: ModelRun): Promise<void> {
		const fault = job.init.fault;
		try {
			if (fault?.kind === 'stuck') return;
			if (fault?.kind === 'fail')
				return this.finish(job, 'failed', fault.reason ?? DEFAULT_FAILURE);
			if (fault?.kind === 'error')
				return this.finish(job, 'error', fault.reason ?? DEFAULT_SYSTEM_ERROR);
			const input = await resolveImage(run.inputRef, {
				media: this.state.media,
				mediaHost: new URL(this.mediaUrl).host,
				allowRemoteFetch: this.allowRemoteFetch,
				maxBytes: this.state.config.maxInputBytes,
				signal: this.signal,
			});
			const files = await this.render(input, run);
			const now = Date.now();
			job.outputs = files.map((bytes, index) => {
				const spec = run.outputs[index];
				return this.state.media.put(
					`${job.id}_${spec.fileSuffix}.${spec.ext}`,
					bytes,
					spec.contentType,
					this.state.config.mediaTtlMs,
					now,
				);
			});
			this.finish(job, 'ok', null);
		} catch (error) {
			if (error instanceof AbortedError || this.signal.aborted) return;
			const userError = error instanceof InputError || error instanceof UndecodableImageError;
			this.finish(job, userError ? 'failed' : 'error', (error as Error).message);
		}
	}

	private finish(job: Job, outcome: Job['outcome'], error: string | null): void {
		job.outcome = outcome;
		job.error = error;
		job.renderDoneAt = Date.now();
		// Pixazo: "ERROR: system error occurred, request was not charged".
		if (outcome === 'error' && job.provider === 'pixazo' && job.charged > 0) {
			this.state.refund(job.init.key, job.charged);
			job.charged = 0;
		}
		if (job.init.fault?.kind === 'expire') {
			const doneAt = job.doneAt() ?? Date.now();
			for (const file of job.outputs) this.state.media.expireAt(file.name, doneAt);
		}
	}

	private async render(input: Buffer, run: ModelRun): Promise<Buffer[]> {
		const inputHash = createHash('sha1').update(input).digest('hex');
		let source = this.sources.get(inputHash);
		if (!source) {
			source = loadSource(input);
			this.sources.set(inputHash, source);
			source.catch(() => this.sources.delete(inputHash));
		}
		const decoded = await source;
		return Promise.all(
			run.outputs.map((spec) => {
				const key = `${inputHash}:${spec.key}`;
				let file = this.rendered.get(key);
				if (!file) {
					file = spec.render(decoded);
					this.rendered.set(key, file);
					file.then(
						(bytes) => this.rendered.set(key, file!, bytes.length),
						() => this.rendered.delete(key),
					);
				}
				return file;
			}),
		);
	}

	/** Waits for background work, so closing leaves nothing running. */
	async drain(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
		this.sources.clear();
		this.rendered.clear();
	}
}
