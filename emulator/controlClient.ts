/**
 * Typed client for the emulator's HTTP control interface (`<segmindUrl>/__emulator/...`). Works the
 * same from the test that started the emulator and from any other process that knows its URL.
 */
import { request } from 'undici';

import type {
	AddKeyOptions,
	CreditBalance,
	EmulatorConfig,
	FaultRule,
	JobFaultRule,
	JobSummary,
	OriginName,
	RequestLogEntry,
} from './types';

export class EmulatorControl {
	private readonly base: string;

	/** @param segmindUrl the emulator's Segmind origin, e.g. `http://127.0.0.1:8787` */
	constructor(segmindUrl: string) {
		this.base = `${segmindUrl.replace(/\/+$/, '')}/__emulator`;
	}

	/** Clears jobs, media, the request log and faults; restores the default config and keys. */
	async reset(): Promise<void> {
		await this.call('POST', '/reset');
	}

	/** Changes some options; returns the whole config now in force. */
	configure(partial: Partial<EmulatorConfig>): Promise<EmulatorConfig> {
		return this.call('POST', '/config', partial);
	}

	config(): Promise<EmulatorConfig> {
		return this.call('GET', '/config');
	}

	/** Registers (or replaces) a key; returns the opaque id the request log will use for it. */
	async addKey(options: AddKeyOptions): Promise<string> {
		const { id } = await this.call<{ id: string }>('POST', '/keys', options);
		return id;
	}

	/** The next `times` (default 1) requests matching origin/method/pathPrefix get `fault`. */
	async injectFault(rule: FaultRule): Promise<void> {
		await this.call('POST', '/faults', rule);
	}

	/** Injected faults not yet used up. */
	async pendingFaults(): Promise<(FaultRule & { remaining: number })[]> {
		const { pending } = await this.call<{ pending: (FaultRule & { remaining: number })[] }>(
			'GET',
			'/faults',
		);
		return pending;
	}

	async clearFaults(): Promise<void> {
		await this.call('DELETE', '/faults');
	}

	/** The next `times` jobs created (v1, v2 or Pixazo) end the given way. */
	async failNextJobs(rule: JobFaultRule): Promise<void> {
		await this.call('POST', '/job-faults', rule);
	}

	/** The request log (control requests are not in it), optionally of one origin only. */
	async requests(filter: { origin?: OriginName } = {}): Promise<RequestLogEntry[]> {
		const log = await this.call<RequestLogEntry[]>('GET', '/requests');
		return filter.origin ? log.filter((entry) => entry.origin === filter.origin) : log;
	}

	async clearRequests(): Promise<void> {
		await this.call('DELETE', '/requests');
	}

	jobs(): Promise<JobSummary[]> {
		return this.call('GET', '/jobs');
	}

	/** Remaining credits (paid plus free) of a key. */
	async credits(key: string): Promise<number> {
		return (await this.balance(key)).total;
	}

	balance(key: string): Promise<CreditBalance> {
		return this.call('POST', '/credits', { key });
	}

	health(): Promise<{
		ok: true;
		segmindUrl: string;
		pixazoUrl: string;
		mediaUrl: string;
		samples: string[];
	}> {
		return this.call('GET', '/health');
	}

	private async call<T>(
		method: 'GET' | 'POST' | 'DELETE',
		path: string,
		body?: unknown,
	): Promise<T> {
		const response = await request(`${this.base}${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.body.text();
		if (response.statusCode >= 400)
			throw new Error(`emulator control ${method} ${path}: HTTP ${response.statusCode} ${text}`);
		return JSON.parse(text) as T;
	}
}
