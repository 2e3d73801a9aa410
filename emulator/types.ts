/**
 * Public types of the provider emulator. Shared by the server side (state, routes) and by the
 * HTTP control client, so both sides of the control interface agree on one shape.
 */

export type Provider = 'segmind' | 'pixazo';

/** Where a request arrived. `upload` is the Segmind origin's `/upload-asset` endpoint. */
export type OriginName = 'segmind' | 'pixazo' | 'media' | 'upload';

/** How a COMPLETED Segmind v2 result spells `output` (CONTRACTS marks the multi-image shape [guess]). */
export type SegmindOutputShape = 'strings' | 'array' | 'objects' | 'media_url';

export interface EmulatorConfig {
	/** v2 / Pixazo: time a job spends QUEUED. */
	queueMs: number;
	/** v2 / Pixazo: time a job spends PROCESSING (at least; rendering may take longer). */
	processingMs: number;
	/** v1: minimum time before a sync call answers. */
	syncLatencyMs: number;
	/** Status and result of a job are kept this long after creation, then 404. */
	resultTtlMs: number;
	/** Result files and uploads are served this long after creation, then 404. */
	mediaTtlMs: number;
	/** Length of the per-key rate-limit window (a key's `rateLimitPerMinute` applies per window). */
	rateLimitWindowMs: number;
	/** Whether status/result polls count against the rate limit (submits, v1 calls and uploads always do). */
	rateLimitCountsPolls: boolean;
	/** Add `Retry-After` to 429 answers (Segmind is reported to send only `x-rate-limit-reset-at-utc`). */
	sendRetryAfter: boolean;
	segmindOutputShape: SegmindOutputShape;
	/** Key of the upload answer: `{"urls": [...]}` (documented) or `{"file_urls": [...]}` (one SDK docstring). */
	uploadResponseKey: 'urls' | 'file_urls';
	/** v1 image-converter answer: `{"output": "<media URL>"}` or `{"output": "<base64, no prefix>"}`. */
	converterV1Shape: 'url' | 'base64';
	/** HTTP status of a Pixazo submit answer (both are reported). */
	pixazoSubmitStatus: 200 | 202;
	/** Largest accepted input image / uploaded asset, in bytes. */
	maxInputBytes: number;
	/** Answer a model/upload POST whose Content-Type is not JSON with Segmind's plain-text 406. */
	strictContentType: boolean;
	/** Memory cap of the media store; the oldest files are evicted (then 404) beyond it. */
	mediaStoreMaxBytes: number;
}

/** A transport-level fault served instead of (or, with `afterProcessing`, after) the normal answer. */
export type Fault =
	| {
			type: 'status';
			status: number;
			/** A string is sent as is; an object is sent as JSON. Default: a body in the origin's error style. */
			body?: string | Record<string, unknown>;
			contentType?: string;
			headers?: Record<string, string>;
	  }
	/** Destroy the socket without any response. */
	| { type: 'drop' }
	/** Answer normally, but only after `delayMs`. */
	| { type: 'slow'; delayMs: number }
	/** 200 with a truncated, unparseable JSON body (truncated image bytes on the media origin). */
	| { type: 'malformed' }
	/**
	 * The real answer (the request is processed: a submit creates and charges its job), cut off
	 * half-way through its body by a dropped connection.
	 */
	| { type: 'cut' };

export interface FaultRule {
	origin?: OriginName;
	/** HTTP method, case-insensitive. */
	method?: string;
	pathPrefix?: string;
	/** How many matching requests get the fault (default 1). */
	times?: number;
	fault: Fault;
	/**
	 * Process the request normally first (a submit creates and charges its job), then serve the
	 * fault instead of the answer: "the server accepted it, but the client never heard".
	 */
	afterProcessing?: boolean;
}

/** Job-level faults: FAILED with a reason; Pixazo ERROR (not charged); stuck in PROCESSING; result expires at completion. */
export type JobFaultKind = 'fail' | 'error' | 'stuck' | 'expire';

export interface JobFaultRule {
	times: number;
	kind: JobFaultKind;
	reason?: string;
}

export interface AddKeyOptions {
	key: string;
	provider: Provider;
	credits: number;
	/** Segmind's `free-credits`, spent before `credits`. */
	freeCredits?: number;
	/** Counted requests allowed per rate-limit window (`rateLimitWindowMs`, a minute by default). */
	rateLimitPerMinute: number;
	forbidden?: boolean;
	/** Opaque name reported in the request log instead of the key value. Default `<provider>:key<n>`. */
	id?: string;
}

export type KeyHeaderName = 'x-api-key' | 'ocp-apim-subscription-key' | 'authorization';

export interface RequestLogEntry {
	seq: number;
	/** ISO time the request arrived. */
	time: string;
	origin: OriginName;
	method: string;
	/** Path and query, with any registered key value replaced by `<redacted:len>`. */
	path: string;
	/** Lowercased request headers; key headers (and any header holding a registered key) are `<redacted:len>`. */
	headers: Record<string, string>;
	/** Which of the known key headers were present. */
	keyHeaders: Record<KeyHeaderName, boolean>;
	/** True when any of x-api-key, ocp-apim-subscription-key or authorization was present. */
	receivedApiKey: boolean;
	/**
	 * Opaque id of the registered key presented in a key header (e.g. `segmind:valid`), `unknown` when a
	 * key header holds an unregistered value, null when no key header was sent.
	 */
	presentedKeyId: string | null;
	/** Ids of every registered key whose value appears anywhere in the headers or the URL. */
	presentedKeyIds: string[];
	/** HTTP status sent; 0 while in flight or when the connection was dropped. */
	status: number;
	/** Fault applied to this request, if any, e.g. `status:502`, `drop`, `magic:429`. */
	fault?: string;
	durationMs?: number;
	/** Never present: the log does not keep key values. (Type-level guard for tests.) */
	keyValue?: never;
}

export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'ERROR';

export interface JobSummary {
	id: string;
	provider: Provider;
	/** Model slug (`smart-resize` for Pixazo). */
	model: string;
	/** `v1` (sync), `v2` (Segmind queue) or `pixazo`. */
	api: 'v1' | 'v2' | 'pixazo';
	/** Current status; `EXPIRED` once the job's status/result would answer 404. */
	status: JobStatus | 'EXPIRED';
	createdAt: string;
	completedAt: string | null;
	outputs: number;
	/** Credits charged (0 once refunded). */
	charged: number;
	keyId: string;
	error: string | null;
}

export interface CreditBalance {
	keyId: string;
	credits: number;
	freeCredits: number;
	/** credits + freeCredits */
	total: number;
}
