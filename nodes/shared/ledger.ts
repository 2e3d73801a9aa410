import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SubmittedJob } from './polling';

/**
 * Billed once, delivered once. Every job this node submits is recorded in the workflow's static
 * data, keyed by the item and a fingerprint of the request, until its results are delivered. A try
 * of Retry On Fail, or a re-run of a failed production execution, finds the job there and polls it
 * instead of paying for it again. n8n saves static data after every execution that is not a manual
 * one, failed ones included; within one execution the same object is shared by every try.
 */

interface LedgerEntry {
	requestId: string;
	provider: string;
	statusUrl: string;
	resultUrl?: string;
	submittedAt: number;
	/** Set when the job failed at the provider: the same request would fail again. */
	failedIn?: { executionId: string; reason: string };
}

type Entries = Record<string, LedgerEntry>;

const STATIC_KEY = 'smartImageJobs';
/** Reused only while the provider surely still has the job: a margin before its retention ends. */
const RETENTION_MARGIN_MS = 5 * 60_000;

export interface LedgerRecord {
	job: SubmittedJob;
	submittedAt: number;
	failedReason?: string;
}

export class JobLedger {
	private readonly staticData: IDataObject;
	private readonly executionId: string;

	constructor(ctx: IExecuteFunctions) {
		this.staticData = ctx.getWorkflowStaticData('node');
		this.executionId = String(ctx.getExecutionId?.() ?? '');
	}

	private read(): Entries {
		return (this.staticData[STATIC_KEY] as Entries | undefined) ?? {};
	}

	/** Writes the whole record back, so n8n sees the static data changed and saves it. */
	private write(entries: Entries): void {
		if (Object.keys(entries).length === 0) delete this.staticData[STATIC_KEY];
		else this.staticData[STATIC_KEY] = entries as unknown as IDataObject;
	}

	/**
	 * The job recorded for this request, if the provider still keeps it. A job that failed at the
	 * provider is returned only within the execution it failed in (Retry On Fail would repeat the
	 * failure); a re-run may try the request again.
	 */
	find(key: string, provider: string, retentionMs: number): LedgerRecord | undefined {
		const entries = this.read();
		const entry = entries[key];
		if (!entry || entry.provider !== provider) return undefined;
		const fresh = Date.now() - entry.submittedAt < retentionMs - RETENTION_MARGIN_MS;
		const failedElsewhere = entry.failedIn && entry.failedIn.executionId !== this.executionId;
		if (!fresh || failedElsewhere) {
			delete entries[key];
			this.write(entries);
			return undefined;
		}
		const { requestId, statusUrl, resultUrl, submittedAt } = entry;
		return {
			job: { requestId, statusUrl, ...(resultUrl ? { resultUrl } : {}) },
			submittedAt,
			failedReason: entry.failedIn?.reason,
		};
	}

	/** Records a job the moment the provider has accepted it, before anything else can fail. */
	record(key: string, provider: string, job: SubmittedJob): void {
		const entries = this.read();
		entries[key] = {
			requestId: job.requestId,
			provider,
			statusUrl: job.statusUrl,
			...(job.resultUrl ? { resultUrl: job.resultUrl } : {}),
			submittedAt: Date.now(),
		};
		this.write(entries);
	}

	markFailed(key: string, reason: string): void {
		const entries = this.read();
		if (!entries[key]) return;
		entries[key] = { ...entries[key], failedIn: { executionId: this.executionId, reason } };
		this.write(entries);
	}

	/** The job's results were delivered, or it can never deliver: a later run starts afresh. */
	forget(key: string): void {
		const entries = this.read();
		if (!(key in entries)) return;
		delete entries[key];
		this.write(entries);
	}
}

/**
 * The ledger key of one item's request: the item's position and a hash of the request body as the
 * provider will see it, with the input image named by what it is (its URL, or a hash of its bytes)
 * rather than by the upload link a new upload would change.
 */
export function ledgerKey(
	itemIndex: number,
	provider: string,
	modelId: string,
	body: IDataObject,
): string {
	const hash = createHash('sha256')
		.update(JSON.stringify({ provider, modelId, body }))
		.digest('hex')
		.slice(0, 32);
	return `${itemIndex}:${hash}`;
}

/** What names an input image in a fingerprint: its URL, or a hash of its bytes. */
export function inputIdentity(
	input: { kind: 'url'; url: string } | { kind: 'binary'; data: Buffer },
): string {
	return input.kind === 'url'
		? `url:${input.url}`
		: `sha256:${createHash('sha256').update(input.data).digest('hex')}`;
}
