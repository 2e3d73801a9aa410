import { DEFAULT_CONFIG } from './config';
import type { Job, JobFault, KeyRecord } from './jobs';
import { DEFAULT_KEYS } from './keys';
import { MediaStore } from './mediaStore';
import type {
	AddKeyOptions,
	EmulatorConfig,
	FaultRule,
	JobFaultRule,
	OriginName,
	Provider,
	RequestLogEntry,
} from './types';

const MAX_LOG_ENTRIES = 20_000;

export interface RateInfo {
	limit: number;
	remaining: number;
	resetAt: number;
	limited: boolean;
}

/** Everything the emulator remembers between requests; `reset()` returns it to the start state. */
export class EmulatorState {
	config: EmulatorConfig = { ...DEFAULT_CONFIG };
	/** By key value. */
	readonly keys = new Map<string, KeyRecord>();
	readonly jobs = new Map<string, Job>();
	readonly media = new MediaStore(() => this.config.mediaStoreMaxBytes);
	requestLog: RequestLogEntry[] = [];
	private faultRules: { rule: FaultRule; remaining: number }[] = [];
	private jobFaults: { fault: JobFault; remaining: number }[] = [];
	/** How often a counted magic directive (`emulate:429x2`) has fired, by directive and body. */
	readonly magicCounters = new Map<string, number>();
	private logSeq = 0;
	private customKeySeq = 0;

	constructor(private readonly initialConfig: Partial<EmulatorConfig> = {}) {
		this.reset();
	}

	reset(): void {
		this.config = { ...DEFAULT_CONFIG, ...this.initialConfig };
		this.keys.clear();
		for (const key of DEFAULT_KEYS) this.addKey(key);
		this.jobs.clear();
		this.media.clear();
		this.requestLog = [];
		this.faultRules = [];
		this.jobFaults = [];
		this.magicCounters.clear();
		this.customKeySeq = 0;
	}

	addKey(options: AddKeyOptions): KeyRecord {
		const record: KeyRecord = {
			id: options.id ?? `${options.provider}:key${++this.customKeySeq}`,
			key: options.key,
			provider: options.provider,
			credits: options.credits,
			freeCredits: options.freeCredits ?? 0,
			rateLimitPerMinute: options.rateLimitPerMinute,
			forbidden: options.forbidden ?? false,
			window: null,
		};
		this.keys.set(options.key, record);
		return record;
	}

	keyFor(provider: Provider, value: string | undefined): KeyRecord | undefined {
		const record = value === undefined ? undefined : this.keys.get(value);
		return record?.provider === provider ? record : undefined;
	}

	/** Fixed-window rate limit. `count` false only reads the window (uncounted requests still get headers). */
	rateLimit(key: KeyRecord, count: boolean, now = Date.now()): RateInfo {
		const windowMs = this.config.rateLimitWindowMs;
		if (key.window && now >= key.window.start + windowMs) key.window = null;
		if (count && !key.window) key.window = { start: now, count: 0 };
		const used = key.window?.count ?? 0;
		const resetAt = (key.window?.start ?? now) + windowMs;
		const limit = key.rateLimitPerMinute;
		if (count && used >= limit) return { limit, remaining: 0, resetAt, limited: true };
		if (count && key.window) key.window.count++;
		return {
			limit,
			remaining: Math.max(0, limit - (key.window?.count ?? 0)),
			resetAt,
			limited: false,
		};
	}

	balance(key: KeyRecord): number {
		return roundCredits(key.credits + key.freeCredits);
	}

	/** Spends free credits first. Returns false (and spends nothing) when the balance is short. */
	charge(key: KeyRecord, amount: number): boolean {
		if (this.balance(key) + 1e-9 < amount) return false;
		const fromFree = Math.min(key.freeCredits, amount);
		key.freeCredits = roundCredits(key.freeCredits - fromFree);
		key.credits = roundCredits(key.credits - (amount - fromFree));
		return true;
	}

	refund(key: KeyRecord, amount: number): void {
		key.credits = roundCredits(key.credits + amount);
	}

	addFault(rule: FaultRule): void {
		this.faultRules.push({ rule, remaining: rule.times ?? 1 });
	}

	clearFaults(): void {
		this.faultRules = [];
	}

	pendingFaults(): (FaultRule & { remaining: number })[] {
		return this.faultRules.map(({ rule, remaining }) => ({ ...rule, remaining }));
	}

	/** Takes one use of the first injected fault matching this request, if any. */
	takeFault(origin: OriginName, method: string, path: string): FaultRule | undefined {
		const index = this.faultRules.findIndex(
			({ rule }) =>
				(rule.origin === undefined || rule.origin === origin) &&
				(rule.method === undefined || rule.method.toUpperCase() === method) &&
				(rule.pathPrefix === undefined || path.startsWith(rule.pathPrefix)),
		);
		if (index < 0) return undefined;
		const entry = this.faultRules[index];
		if (--entry.remaining <= 0) this.faultRules.splice(index, 1);
		return entry.rule;
	}

	addJobFaults(rule: JobFaultRule): void {
		this.jobFaults.push({ fault: { kind: rule.kind, reason: rule.reason }, remaining: rule.times });
	}

	/** Takes one queued job-level fault for the job being created, if any. */
	takeJobFault(): JobFault | undefined {
		const entry = this.jobFaults[0];
		if (!entry) return undefined;
		if (--entry.remaining <= 0) this.jobFaults.shift();
		return entry.fault;
	}

	nextLogSeq(): number {
		return ++this.logSeq;
	}

	log(entry: RequestLogEntry): void {
		this.requestLog.push(entry);
		if (this.requestLog.length > MAX_LOG_ENTRIES)
			this.requestLog.splice(0, this.requestLog.length - MAX_LOG_ENTRIES);
	}
}

/** Credits are dollars with sub-cent prices; keep sums free of float noise. */
export const roundCredits = (value: number) => Math.round(value * 1e6) / 1e6;
