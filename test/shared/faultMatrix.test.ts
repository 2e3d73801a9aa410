/**
 * The fault matrix (README, "Reliability"; the Pixazo package's README for its rows): each phase
 * of both providers (upload, submit, status, result, download, the credential test) against each
 * fault a provider or the network can throw at it. Each row is one named test,
 * `<phase> (<provider>) × <fault>`, that runs Smart Resize (Segmind) or Pixazo Smart Resize through
 * n8n's engine with Continue On Fail on and checks one of two outcomes:
 *
 * - retried: a safe read is repeated transparently; the image comes out, and the emulator's log
 *   shows the faulted request and, after it, the same request answered;
 * - fails: the error item carries its errorCode, retryable (as ERROR_CODES declares it), billed, the
 *   request id once the provider has a job the node knows of, and a message naming the cause.
 *
 * Credential-test rows check the message n8n shows when the credential is saved. Every row also
 * counts the emulator's jobs: a fault never makes the node submit a job twice.
 *
 * Rows wait out real backoffs (1 s and more), so they run concurrently, each against its own
 * emulator: no row sees another's faults, jobs or log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import type { Emulator, Fault, FaultRule, OriginName, RequestLogEntry } from '../../emulator';
import { testCredential } from '../../harness/credentialTest';
import { useFilesystemBinaryData } from '../../harness/n8n';
import { ERROR_CODES } from '../../nodes/shared/errors';
import type { ErrorCode } from '../../nodes/shared/errors';
import {
	checkKeySafety,
	FAST_POLLING,
	imageOf,
	pixazoCredentials,
	runNode,
	sampleBinaryItem,
	sampleUrl,
	segmindCredentials,
} from '../helpers';

type Provider = 'segmind' | 'pixazo';
type Phase = 'upload' | 'submit' | 'status' | 'result' | 'download' | 'credential test';

type Outcome =
	| {
			kind: 'retried';
			/** The least time between the faulted request and its retry: a rate limit's wait. */
			minWaitMs?: number;
	  }
	| {
			kind: 'fails';
			errorCode: ErrorCode;
			billed: boolean;
			/** The error names the job: always, once the node knows the job's id. */
			requestId: boolean;
			message: RegExp;
	  }
	| { kind: 'credential fails'; message: RegExp }
	| { kind: 'credential passes' };

interface Lab {
	emulator: Emulator;
	provider: Provider;
	phase: Phase;
	/** A result row's job, submitted first so that the fault can be aimed at its result read. */
	requestId?: string;
}

interface Row {
	phase: Phase;
	provider: Provider;
	fault: string;
	arrange: (lab: Lab) => Promise<void>;
	/** Node options (Max Wait, the download limit) and parameters for the run. */
	options?: IDataObject;
	parameters?: IDataObject;
	/** The jobs the emulator holds at the end: the jobs intended, never one more. */
	jobs: number;
	/** False when the fault is not an answer served at this phase (a job fault, a large file). */
	faultLogged?: boolean;
	/** More to check in the emulator's log. */
	check?: (log: RequestLogEntry[]) => void;
	outcome: Outcome;
}

// ---------------------------------------------------------------------------------------------
// Where each phase's requests go, and the faults.

interface Target {
	origin: OriginName;
	method: string;
	pathPrefix: string;
}

function targetOf(lab: Lab): Target {
	const segmind = lab.provider === 'segmind';
	switch (lab.phase) {
		case 'upload':
			return { origin: 'upload', method: 'POST', pathPrefix: '/upload-asset' };
		case 'submit':
			return segmind
				? { origin: 'segmind', method: 'POST', pathPrefix: '/v2/' }
				: { origin: 'pixazo', method: 'POST', pathPrefix: '/smart-resize/' };
		case 'status':
			// A Segmind job's first GET is its status read (checked against the log in runRow).
			return segmind
				? { origin: 'segmind', method: 'GET', pathPrefix: '/v2/requests/' }
				: { origin: 'pixazo', method: 'GET', pathPrefix: '/v2/requests/status/' };
		case 'result':
			return { origin: 'segmind', method: 'GET', pathPrefix: `/v2/requests/${lab.requestId}` };
		case 'download':
			return { origin: 'media', method: 'GET', pathPrefix: '/media/' };
		case 'credential test':
			return segmind
				? { origin: 'segmind', method: 'GET', pathPrefix: '/v1/get-user-credits' }
				: { origin: 'pixazo', method: 'GET', pathPrefix: '/v2/requests/status/' };
	}
}

/** Serves `fault` to the next request of the row's phase. */
function at(fault: Fault | ((lab: Lab) => Fault), rule: Pick<FaultRule, 'afterProcessing'> = {}) {
	return async (lab: Lab) => {
		await lab.emulator.control.injectFault({
			...targetOf(lab),
			fault: typeof fault === 'function' ? fault(lab) : fault,
			...rule,
		});
	};
}

/** The next job created ends this way. */
function jobFault(kind: 'fail' | 'error' | 'stuck' | 'expire', reason?: string) {
	return (lab: Lab) => lab.emulator.control.failNextJobs({ times: 1, kind, reason });
}

const FAULTS = {
	resetAt: '429 with x-rate-limit-reset-at-utc',
	retryAfter: '429 with Retry-After',
	neither: '429 with neither header',
	s500: '500',
	s502: '502',
	s503: '503',
	s504: '504',
	drop: 'connection reset before the response',
	cut: 'connection reset halfway through the body',
	slow: 'headers slower than the timeout',
	malformed: 'malformed JSON',
	html: 'an HTML error page',
	noId: 'a 2xx submit with no request id',
	failed: 'FAILED (422)',
	error: 'Pixazo ERROR',
	expiry: '404 expiry in the middle of a poll',
	stuck: 'stuck in QUEUED or PROCESSING past Max Wait',
	unknown: 'an unknown status word',
	sameOrigin: 'a redirect to the same origin',
	otherOrigin: 'a redirect to another origin',
	scheme: 'a result URL that is not http(s) or data:',
	tooLarge: 'a result over the size cap',
	notImage: 'a result that is not an image',
	notFound: '404 on download',
} as const;

const RATE_LIMITS = [FAULTS.resetAt, FAULTS.retryAfter, FAULTS.neither] as const;

/** 429s with each way of saying when to come back: in 2.5 s, in 2 s, or not at all (1 s backoff). */
const rateLimit: Record<(typeof RATE_LIMITS)[number], () => Fault> = {
	[FAULTS.resetAt]: () => ({
		type: 'status',
		status: 429,
		headers: { 'x-rate-limit-reset-at-utc': new Date(Date.now() + 2500).toISOString() },
	}),
	[FAULTS.retryAfter]: () => ({
		type: 'status',
		status: 429,
		headers: { 'x-rate-limit-reset-at-utc': '', 'retry-after': '2' },
	}),
	// The emulator gives every Segmind 429 a reset time; an empty value takes it away.
	[FAULTS.neither]: () => ({
		type: 'status',
		status: 429,
		headers: { 'x-rate-limit-reset-at-utc': '' },
	}),
};
/** How long the node must wait before it retries each 429: longer than its 1 s backoff when told. */
const RATE_LIMIT_WAIT_MS: Record<(typeof RATE_LIMITS)[number], number> = {
	[FAULTS.resetAt]: 1500,
	[FAULTS.retryAfter]: 1900,
	[FAULTS.neither]: 900,
};

const SERVER_ERRORS = [
	[FAULTS.s500, 500],
	[FAULTS.s502, 502],
	[FAULTS.s503, 503],
	[FAULTS.s504, 504],
] as const;

const NGINX_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_PAGE: Fault = { type: 'status', status: 502, body: NGINX_502, contentType: 'text/html' };

/** Slower than a Max Wait of 2 s: the request gives up first, with no time left to retry. */
const SLOW: Fault = { type: 'slow', delayMs: 4000 };
const SHORT_WAIT = { maxWaitSeconds: 2 };

/** Back to the same address with a query added, so the log shows the request that followed. */
function sameOriginRedirect(status: number): Fault {
	return { type: 'status', status, body: '', headers: { location: '?moved=1' } };
}

/** To the media origin, which logs any key it receives. */
function otherOriginRedirect(status = 302) {
	return at((lab) => ({
		type: 'status',
		status,
		body: '',
		headers: { location: `${lab.emulator.mediaUrl}/collect` },
	}));
}

const FTP_RESULT = 'ftp://files.example/result.png';
const label = (provider: Provider) => (provider === 'segmind' ? 'Segmind' : 'Pixazo');

// ---------------------------------------------------------------------------------------------
// The rows.

const rows: Row[] = [];
const row = (entry: Row) => rows.push(entry);
const retried = (minWaitMs?: number): Outcome => ({ kind: 'retried', minWaitMs });
const fails = (
	errorCode: ErrorCode,
	billed: boolean,
	requestId: boolean,
	message: RegExp,
): Outcome => ({ kind: 'fails', errorCode, billed, requestId, message });

/** A read is safe to repeat: each transient fault is retried and the job delivered. */
function transientFaultsRetried(phase: Phase, provider: Provider) {
	for (const fault of RATE_LIMITS) {
		const outcome = retried(RATE_LIMIT_WAIT_MS[fault]);
		row({ phase, provider, fault, arrange: at(rateLimit[fault]), jobs: 1, outcome });
	}
	const others: Array<[string, Fault]> = [
		...SERVER_ERRORS.map(([fault, status]): [string, Fault] => [fault, { type: 'status', status }]),
		[FAULTS.drop, { type: 'drop' }],
		[FAULTS.cut, { type: 'cut' }],
		[FAULTS.malformed, { type: 'malformed' }],
		[FAULTS.html, HTML_PAGE],
		// A 307 keeps the upload a POST; a read is a GET either way.
		[FAULTS.sameOrigin, sameOriginRedirect(phase === 'upload' ? 307 : 302)],
	];
	for (const [fault, spec] of others) {
		row({ phase, provider, fault, arrange: at(spec), jobs: 1, outcome: retried() });
	}
}

// Upload (Segmind only). It bills nothing, so it is retried like a read.
transientFaultsRetried('upload', 'segmind');
row({
	phase: 'upload',
	provider: 'segmind',
	fault: FAULTS.slow,
	arrange: at(SLOW),
	options: SHORT_WAIT,
	jobs: 0,
	outcome: fails('NETWORK', false, false, /Segmind did not answer in time \(.+, timed out\)/),
});
row({
	phase: 'upload',
	provider: 'segmind',
	fault: FAULTS.otherOrigin,
	arrange: otherOriginRedirect(307),
	jobs: 0,
	outcome: fails('CONFIG', false, false, /redirected the request to another host/),
});

for (const provider of ['segmind', 'pixazo'] as const) {
	const name = label(provider);

	// Submit: a 429 started nothing and is sent again; after anything else the job may exist, so
	// the item fails, billed, and nothing is sent twice.
	for (const fault of RATE_LIMITS) {
		const outcome = retried(RATE_LIMIT_WAIT_MS[fault]);
		row({ phase: 'submit', provider, fault, arrange: at(rateLimit[fault]), jobs: 1, outcome });
	}
	for (const [fault, status] of SERVER_ERRORS) {
		row({
			phase: 'submit',
			provider,
			fault,
			arrange: at({ type: 'status', status }),
			jobs: 0,
			outcome: fails(
				'PROVIDER_ERROR',
				true,
				false,
				new RegExp(`^${name} had a server problem \\(HTTP ${status}\\)`),
			),
		});
	}
	const connectionClosed = new RegExp(
		`^${name} could not be reached \\(.+, connection closed unexpectedly\\)`,
	);
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.drop,
		// The job is created and charged, and then the connection is reset.
		arrange: at({ type: 'drop' }, { afterProcessing: true }),
		jobs: 1,
		outcome: fails('NETWORK', true, false, connectionClosed),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.cut,
		arrange: at({ type: 'cut' }),
		jobs: 1,
		outcome: fails('NETWORK', true, false, connectionClosed),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.slow,
		arrange: at(SLOW, { afterProcessing: true }),
		options: SHORT_WAIT,
		jobs: 1,
		outcome: fails('NETWORK', true, false, new RegExp(`^${name} did not answer in time`)),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.malformed,
		arrange: at({ type: 'malformed' }, { afterProcessing: true }),
		jobs: 1,
		outcome: fails(
			'PROVIDER_ERROR',
			true,
			false,
			new RegExp(`^${name} sent an answer that could not be read \\(HTTP 200\\)`),
		),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.html,
		arrange: at(HTML_PAGE),
		jobs: 0,
		outcome: fails(
			'PROVIDER_ERROR',
			true,
			false,
			new RegExp(`^${name} had a server problem \\(HTTP 502\\): 502 Bad Gateway .*nginx`),
		),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.noId,
		arrange: at(
			{ type: 'status', status: provider === 'segmind' ? 200 : 202, body: { status: 'QUEUED' } },
			{ afterProcessing: true },
		),
		jobs: 1,
		outcome: fails(
			'PROVIDER_ERROR',
			true,
			false,
			new RegExp(`^${name} sent an answer that could not be read \\(HTTP 20[02]\\)`),
		),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.sameOrigin,
		// A 307 keeps the method and the body: the POST is sent once more, to the new address.
		arrange: at(sameOriginRedirect(307)),
		jobs: 1,
		outcome: retried(),
	});
	row({
		phase: 'submit',
		provider,
		fault: FAULTS.otherOrigin,
		arrange: otherOriginRedirect(307),
		jobs: 0,
		outcome: fails('CONFIG', false, false, /redirected the request to another host/),
	});

	// Status reads, while the job runs.
	transientFaultsRetried('status', provider);
	row({
		phase: 'status',
		provider,
		fault: FAULTS.slow,
		arrange: at(SLOW),
		options: SHORT_WAIT,
		jobs: 1,
		outcome: fails('NETWORK', true, true, new RegExp(`^${name} did not answer in time`)),
	});
	row({
		phase: 'status',
		provider,
		fault: FAULTS.failed,
		arrange: jobFault('fail', 'blocked by the safety filter'),
		faultLogged: false,
		jobs: 1,
		outcome: fails(
			'CONTENT_REJECTED',
			true,
			true,
			new RegExp(`^Blocked by the safety filter: ${name} could not process the job`),
		),
	});
	if (provider === 'pixazo') {
		row({
			phase: 'status',
			provider,
			fault: FAULTS.error,
			arrange: jobFault('error', 'worker crashed'),
			faultLogged: false,
			jobs: 1,
			// ERROR is Pixazo's own failure, and it does not charge for it.
			outcome: fails(
				'PROVIDER_ERROR',
				false,
				true,
				/^Worker crashed: Pixazo had a system error on the job/,
			),
		});
	}
	row({
		phase: 'status',
		provider,
		fault: FAULTS.expiry,
		arrange: async (lab) => {
			// Long enough for a status read to see the job running before it is gone.
			await lab.emulator.control.configure({ processingMs: 700 });
			await jobFault('expire')(lab);
		},
		faultLogged: false,
		check: (log) => {
			const reads = log.filter((entry) => entry.method === 'GET' && entry.origin !== 'media');
			expect(reads.map((entry) => entry.status)).toEqual([
				...Array<number>(reads.length - 1).fill(200),
				404,
			]);
			expect(reads.length).toBeGreaterThan(1);
		},
		jobs: 1,
		outcome: fails(
			'EXPIRED',
			true,
			true,
			new RegExp(`^Job expired or unknown: ${name} no longer knows the job`),
		),
	});
	row({
		phase: 'status',
		provider,
		fault: FAULTS.stuck,
		arrange: jobFault('stuck'),
		faultLogged: false,
		options: { maxWaitSeconds: 1 },
		jobs: 1,
		outcome: fails(
			'TIMEOUT',
			true,
			true,
			new RegExp(`^Still (QUEUED|PROCESSING) after 1 s: gave up waiting for the ${name} job`),
		),
	});
	row({
		phase: 'status',
		provider,
		fault: FAULTS.unknown,
		arrange: at({ type: 'status', status: 200, body: { status: 'PAUSED', request_id: 'x' } }),
		jobs: 1,
		outcome: fails(
			'PROVIDER_ERROR',
			true,
			true,
			new RegExp(`^Unknown job status "PAUSED": ${name} reported it for the job`),
		),
	});
	row({
		phase: 'status',
		provider,
		fault: FAULTS.otherOrigin,
		arrange: otherOriginRedirect(),
		jobs: 1,
		outcome: fails('CONFIG', true, true, /redirected the request to another host/),
	});
}

// Pixazo's status carries the output: a link that is not http(s) or data: is not taken for a
// result, so it is never fetched.
row({
	phase: 'status',
	provider: 'pixazo',
	fault: FAULTS.scheme,
	arrange: at({
		type: 'status',
		status: 200,
		body: { status: 'COMPLETED', output: { media_url: [FTP_RESULT] } },
	}),
	jobs: 1,
	outcome: fails('PROVIDER_ERROR', true, true, /^Pixazo sent an answer that could not be read/),
});

// Result reads (Segmind only; aimed at a job submitted first, then read with Get Result).
transientFaultsRetried('result', 'segmind');
row({
	phase: 'result',
	provider: 'segmind',
	fault: FAULTS.slow,
	arrange: at(SLOW),
	options: SHORT_WAIT,
	jobs: 1,
	outcome: fails('NETWORK', true, true, /^Segmind did not answer in time/),
});
row({
	phase: 'result',
	provider: 'segmind',
	fault: FAULTS.expiry,
	// The status read said COMPLETED; by the result read, the job is gone.
	arrange: at((lab) => ({
		type: 'status',
		status: 404,
		body: { error: `Request ${lab.requestId} not found` },
	})),
	jobs: 1,
	outcome: fails('EXPIRED', true, true, /^Job expired or unknown: Segmind no longer knows the job/),
});
row({
	phase: 'result',
	provider: 'segmind',
	fault: FAULTS.otherOrigin,
	arrange: otherOriginRedirect(),
	jobs: 1,
	outcome: fails('CONFIG', true, true, /redirected the request to another host/),
});
row({
	phase: 'result',
	provider: 'segmind',
	fault: FAULTS.scheme,
	arrange: at({ type: 'status', status: 200, body: { status: 'COMPLETED', output: FTP_RESULT } }),
	jobs: 1,
	outcome: fails('PROVIDER_ERROR', true, true, /^Segmind finished job .+ without any image/),
});

// Downloads: result files, from the media host, without any key.
for (const provider of ['segmind', 'pixazo'] as const) {
	// A file host's 429 is not the provider's rate limit: the download fails at once.
	for (const fault of RATE_LIMITS) {
		row({
			phase: 'download',
			provider,
			fault,
			arrange: at(rateLimit[fault]),
			jobs: 1,
			outcome: fails(
				'DOWNLOAD_FAILED',
				true,
				true,
				/^Could not download the result from .+ \(HTTP 429: TooManyRequests/,
			),
		});
	}
	const transient: Array<[string, Fault]> = [
		...SERVER_ERRORS.map(([fault, status]): [string, Fault] => [fault, { type: 'status', status }]),
		[FAULTS.drop, { type: 'drop' }],
		[FAULTS.cut, { type: 'cut' }],
		[FAULTS.html, HTML_PAGE],
	];
	for (const [fault, spec] of transient) {
		row({ phase: 'download', provider, fault, arrange: at(spec), jobs: 1, outcome: retried() });
	}
	row({
		phase: 'download',
		provider,
		fault: FAULTS.slow,
		arrange: at(SLOW),
		options: SHORT_WAIT,
		jobs: 1,
		outcome: fails(
			'DOWNLOAD_FAILED',
			true,
			true,
			/^Could not download the result from .+ \(timed out\)/,
		),
	});
	row({
		phase: 'download',
		provider,
		fault: FAULTS.tooLarge,
		arrange: async () => undefined,
		faultLogged: false,
		// About 2 MB as a PNG, against a 1 MB limit.
		parameters: { customSizes: '4000x4000' },
		options: { downloadLimitMb: 1 },
		jobs: 1,
		outcome: fails('TOO_LARGE', true, true, /is larger than the 1 MB download limit/),
	});
	row({
		phase: 'download',
		provider,
		fault: FAULTS.notImage,
		// 200, image/png, and the first ten bytes of a PNG: the declared type is not enough.
		arrange: at({ type: 'malformed' }),
		jobs: 1,
		outcome: fails(
			'PROVIDER_ERROR',
			true,
			true,
			/returned a file that is not an image \(image\/png, 10 bytes\)/,
		),
	});
	row({
		phase: 'download',
		provider,
		fault: FAULTS.notFound,
		arrange: at({ type: 'status', status: 404 }),
		jobs: 1,
		outcome: fails(
			'DOWNLOAD_FAILED',
			true,
			true,
			/^Could not download the result from .+ \(HTTP 404: NotFound/,
		),
	});
}

// The credential tests: the one request n8n sends when a credential is saved, never retried.
const credentialFails = (message: RegExp): Outcome => ({ kind: 'credential fails', message });
const credentialPasses: Outcome = { kind: 'credential passes' };
const CREDENTIAL_FAULTS: Array<[string, (lab: Lab) => Promise<void>]> = [
	...RATE_LIMITS.map((fault): [string, (lab: Lab) => Promise<void>] => [
		fault,
		at(rateLimit[fault]),
	]),
	...SERVER_ERRORS.map(([fault, status]): [string, (lab: Lab) => Promise<void>] => [
		fault,
		at({ type: 'status', status }),
	]),
	[FAULTS.drop, at({ type: 'drop' })],
	[FAULTS.cut, at({ type: 'cut' })],
	[FAULTS.malformed, at({ type: 'malformed' })],
	[FAULTS.html, at(HTML_PAGE)],
	[FAULTS.sameOrigin, at(sameOriginRedirect(302))],
	[FAULTS.otherOrigin, otherOriginRedirect()],
];
const notFollowed = /^This Base URL redirects elsewhere, and the key is never sent on a redirect/;
const notPixazo =
	/^This Base URL did not answer like the Pixazo gateway \(or it redirects elsewhere/;
const CREDENTIAL_OUTCOMES: Record<Provider, Record<string, Outcome>> = {
	// n8n's own messages for the status, except for redirects, which the credential names.
	segmind: {
		[FAULTS.resetAt]: credentialFails(/^The service is receiving too many requests from you/),
		[FAULTS.retryAfter]: credentialFails(/^The service is receiving too many requests from you/),
		[FAULTS.neither]: credentialFails(/^The service is receiving too many requests from you/),
		[FAULTS.s500]: credentialFails(/^The service was not able to process your request/),
		[FAULTS.s502]: credentialFails(/^Bad gateway - the service failed to handle your request/),
		[FAULTS.s503]: credentialFails(/^Service unavailable - try again later/),
		[FAULTS.s504]: credentialFails(/^Gateway timed out/),
		[FAULTS.drop]: credentialFails(/^The connection to the server was closed unexpectedly/),
		[FAULTS.cut]: credentialFails(/^stream has been aborted/),
		// The balance read answered 200: the key was accepted, whatever the body says.
		[FAULTS.malformed]: credentialPasses,
		[FAULTS.html]: credentialFails(/^Bad gateway - the service failed to handle your request/),
		[FAULTS.sameOrigin]: credentialFails(notFollowed),
		[FAULTS.otherOrigin]: credentialFails(notFollowed),
	},
	// Every answer is read as a body; Pixazo's {error, details} means the gateway took the key.
	pixazo: {
		[FAULTS.resetAt]: credentialFails(/^Pixazo is rate limiting this key right now \(HTTP 429\)/),
		[FAULTS.retryAfter]: credentialFails(
			/^Pixazo is rate limiting this key right now \(HTTP 429\)/,
		),
		[FAULTS.neither]: credentialFails(/^Pixazo is rate limiting this key right now \(HTTP 429\)/),
		// A 5xx in the API's {error, details} shape comes from behind the gateway, past its key check.
		[FAULTS.s500]: credentialPasses,
		[FAULTS.s502]: credentialPasses,
		[FAULTS.s503]: credentialPasses,
		[FAULTS.s504]: credentialPasses,
		[FAULTS.drop]: credentialFails(/^The connection to the server was closed unexpectedly/),
		// The answer cut off was the 404 that means success; n8n names that status.
		[FAULTS.cut]: credentialFails(/^The resource you are requesting could not be found/),
		[FAULTS.malformed]: credentialFails(notPixazo),
		[FAULTS.html]: credentialFails(notPixazo),
		// A redirect lacks Pixazo's body too; the message says so.
		[FAULTS.sameOrigin]: credentialFails(notPixazo),
		[FAULTS.otherOrigin]: credentialFails(notPixazo),
	},
};
for (const provider of ['segmind', 'pixazo'] as const) {
	for (const [fault, arrange] of CREDENTIAL_FAULTS) {
		const outcome = CREDENTIAL_OUTCOMES[provider][fault];
		row({ phase: 'credential test', provider, fault, arrange, jobs: 0, outcome });
	}
}

// ---------------------------------------------------------------------------------------------
// Running a row.

const testName = (entry: Row) => `${entry.phase} (${entry.provider}) × ${entry.fault}`;
const IMAGE_SIZE: Record<Provider, string> = { segmind: '300x250', pixazo: '512x512' };

/** Smart Resize to one size, one variant: one job, one image. */
function resizeParameters(lab: Lab, entry: Pick<Row, 'options' | 'parameters'>): IDataObject {
	return {
		operation: 'resize',
		inputSource: lab.phase === 'upload' ? 'binary' : 'url',
		imageUrl: sampleUrl(lab.emulator),
		sizePresets: [],
		customSizes: IMAGE_SIZE[lab.provider],
		variantsPerSize: 1,
		output: 'binary',
		...entry.parameters,
		options: { ...FAST_POLLING, ...entry.options },
	};
}

function nodeParameters(lab: Lab, entry: Row): IDataObject {
	if (lab.phase !== 'result') return resizeParameters(lab, entry);
	const options = { ...FAST_POLLING, ...entry.options };
	return { operation: 'getResult', requestId: lab.requestId, output: 'binary', options };
}

/** Segmind runs through the main package's Smart Resize, Pixazo through its own package's node. */
const nodeFor = (lab: Lab) => (lab.provider === 'segmind' ? 'smartResize' : 'pixazoSmartResize');

const credentialsFor = (lab: Lab) =>
	lab.provider === 'segmind' ? segmindCredentials(lab.emulator) : pixazoCredentials(lab.emulator);

/** A Segmind job submitted without waiting, so that a result row can aim at its result read. */
async function submitForResult(lab: Lab): Promise<string> {
	const { items, error } = await runNode(
		nodeFor(lab),
		{ ...resizeParameters(lab, {}), waitForCompletion: false },
		[{ json: {} }],
		credentialsFor(lab),
	);
	expect(error).toBeUndefined();
	const requestId = items[0].json.requestId as string;
	// Status reads pass untouched (a zero delay, matched first); only the result read meets the fault.
	await lab.emulator.control.injectFault({
		origin: 'segmind',
		pathPrefix: `/v2/requests/${requestId}/status`,
		times: 100,
		fault: { type: 'slow', delayMs: 0 },
	});
	return requestId;
}

/** The request the fault was served to, and the later requests of the same phase. */
function faultedAndAfter(log: RequestLogEntry[], target: Target) {
	const inPhase = log.filter(
		(entry) =>
			entry.origin === target.origin &&
			entry.method === target.method &&
			entry.path.startsWith(target.pathPrefix),
	);
	const faulted = inPhase.find((entry) => entry.fault !== undefined && entry.fault !== 'slow:0');
	return { faulted, after: faulted ? inPhase.filter((entry) => entry.seq > faulted.seq) : [] };
}

async function runCredentialTest(entry: Row, lab: Lab): Promise<void> {
	const { outcome } = entry;
	const credentials = credentialsFor(lab);
	const [type] = Object.keys(credentials);
	const result = await testCredential(type, credentials[type]);
	if (outcome.kind === 'credential passes') expect(result).toEqual({ status: 'OK' });
	else if (outcome.kind === 'credential fails') {
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(outcome.message) });
	}
	const { faulted, after } = faultedAndAfter(await lab.emulator.control.requests(), targetOf(lab));
	expect(faulted).toBeDefined();
	expect(after).toEqual([]);
}

async function runNodeRow(entry: Row, lab: Lab): Promise<void> {
	const { outcome } = entry;
	const input = lab.phase === 'upload' ? [sampleBinaryItem()] : [{ json: {} }];
	const { items, error } = await runNode(
		nodeFor(lab),
		nodeParameters(lab, entry),
		input,
		credentialsFor(lab),
		{ continueOnFail: true },
	);
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	const [item] = items;
	const log = await lab.emulator.control.requests();
	const target = targetOf(lab);
	const { faulted, after } = faultedAndAfter(log, target);
	if (entry.faultLogged !== false) expect(faulted).toBeDefined();
	if (lab.phase === 'status' && lab.provider === 'segmind' && faulted) {
		expect(faulted.path).toMatch(/\/status$/);
	}
	entry.check?.(log);

	if (outcome.kind === 'retried') {
		expect(item.json.error).toBeUndefined();
		const image = await imageOf(item);
		expect(`${image.width}x${image.height}`).toBe(IMAGE_SIZE[lab.provider]);
		// The retry is in the log: the same request again, after the fault, answered.
		const retry = after.find(
			(request) => request.fault === undefined && request.status >= 200 && request.status < 300,
		);
		expect(retry).toBeDefined();
		if (entry.fault === FAULTS.sameOrigin) expect(retry?.path).toMatch(/\?moved=1$/);
		if (outcome.minWaitMs !== undefined) {
			const waited = Date.parse(retry!.time) - Date.parse(faulted!.time);
			expect(waited).toBeGreaterThanOrEqual(outcome.minWaitMs);
		}
	} else if (outcome.kind === 'fails') {
		expect(item.binary).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			error: expect.stringMatching(outcome.message),
			errorCode: outcome.errorCode,
			retryable: ERROR_CODES[outcome.errorCode],
			billed: outcome.billed,
		});
		const jobs = await lab.emulator.control.jobs();
		// Where the job exists, billed says what the provider charged.
		if (jobs.length === 1) expect(outcome.billed).toBe(jobs[0].charged > 0);
		if (outcome.requestId) {
			expect(jobs).toHaveLength(1);
			expect(item.json.requestId).toBe(jobs[0].id);
			expect(`${item.json.error} ${item.json.description}`).toContain(jobs[0].id);
		} else {
			expect(item.json.requestId).toBeUndefined();
		}
		// A submit that may have created a job is never sent again.
		if (lab.phase === 'submit') expect(after).toEqual([]);
	}
}

async function runRow(entry: Row, emulator: Emulator): Promise<void> {
	const lab: Lab = { emulator, provider: entry.provider, phase: entry.phase };
	if (lab.phase === 'result') lab.requestId = await submitForResult(lab);
	await entry.arrange(lab);
	if (lab.phase === 'credential test') await runCredentialTest(entry, lab);
	else await runNodeRow(entry, lab);

	// Billing safety: the emulator holds the jobs intended, and no more.
	expect(await emulator.control.jobs()).toHaveLength(entry.jobs);
	await checkKeySafety(emulator);
	const log = await emulator.control.requests();
	expect(log.filter((request) => request.path.startsWith('/collect'))).toEqual([]);
}

describe('the fault matrix', () => {
	beforeAll(async () => {
		await useFilesystemBinaryData();
	});

	test("every row has its own name; each package's README names its rows and no other, and the codes", () => {
		const names = rows.map(testName);
		expect(new Set(names).size).toBe(names.length);
		const readmeRows = (path: string, heading: string) => {
			const readme = readFileSync(join(__dirname, '..', '..', path), 'utf8');
			const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
			const named = [...section.matchAll(/`([a-z ]+ \((?:segmind|pixazo)\) × [^`]+)`/g)];
			return { section, named: [...new Set(named.map((match) => match[1]))].sort() };
		};
		// The main package's README: the Segmind rows; the Pixazo package's README: the Pixazo rows.
		const main = readmeRows('README.md', 'Reliability');
		const pixazo = readmeRows('packages/n8n-nodes-pixazo/README.md', 'Errors and reliability');
		expect(main.named).toEqual(names.filter((name) => name.includes('(segmind)')).sort());
		expect(pixazo.named).toEqual(names.filter((name) => name.includes('(pixazo)')).sort());
		// The README's list of codes is the one errors.ts declares, with the same retryable flags.
		const codes = [...main.section.matchAll(/^\| `([A-Z_]+)` +\| (yes|no) /gm)];
		expect(Object.fromEntries(codes.map(([, code, flag]) => [code, flag === 'yes']))).toEqual(
			ERROR_CODES,
		);
		// The Pixazo README names the same codes, in a sentence.
		for (const code of Object.keys(ERROR_CODES)) expect(pixazo.section).toContain(`\`${code}\``);
	});

	test.concurrent.each(rows.map((entry) => [testName(entry), entry] as const))(
		'%s',
		async (_, entry) => {
			const emulator = await startEmulator({
				config: { queueMs: 20, processingMs: 60, syncLatencyMs: 20 },
			});
			try {
				await runRow(entry, emulator);
			} finally {
				await emulator.close();
			}
		},
	);
});
