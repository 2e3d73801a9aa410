/** The Segmind origin: credits, upload, v1 (sync) and v2 (queue) model calls, status and result. */
import { randomUUID } from 'node:crypto';

import { header, readJsonBody, type RequestContext } from './context';
import { errorReply, magicTransportOutcome, parseMagic, rateLimitedReply } from './faults';
import {
	ReplyError,
	bytes,
	decodeSegment,
	htmlErrorPage,
	isDrop,
	json,
	sleep,
	text,
	untilClosed,
	type Outcome,
	type Reply,
} from './http';
import { decodeDataUrl, InputError } from './input';
import { Job, type KeyRecord } from './jobs';
import { SEGMIND_MODELS, ValidationError, type ModelRun } from './models';
import type { RateInfo } from './state';
import type { SegmindOutputShape } from './types';

export async function handleSegmind(ctx: RequestContext): Promise<Outcome> {
	const { method, path } = ctx;
	if (path === '/v1/get-user-credits')
		return method === 'GET' ? userCredits(ctx) : htmlErrorPage(405);
	if (path === '/upload-asset') return method === 'POST' ? uploadAsset(ctx) : htmlErrorPage(405);
	const poll = /^\/v2\/requests\/([^/]+)(\/status)?$/.exec(path);
	if (poll)
		return method === 'GET'
			? pollRequest(ctx, decodeSegment(poll[1]), poll[2] !== undefined)
			: htmlErrorPage(405);
	const model = /^\/(v1|v2)\/([^/]+)$/.exec(path);
	if (model)
		return method === 'POST'
			? modelCall(ctx, model[1] as 'v1' | 'v2', decodeSegment(model[2]))
			: htmlErrorPage(405);
	return errorReply('segmind', 404, 'Not Found');
}

/** 401 without a Segmind key (a Bearer token is not one), 403 for a forbidden key. */
function authenticate(ctx: RequestContext): KeyRecord {
	const presented = header(ctx, 'x-api-key');
	if (presented === undefined || presented === '') {
		const why = header(ctx, 'authorization')
			? 'Bearer tokens are not accepted, send the key in the x-api-key header'
			: 'missing x-api-key header';
		throw new ReplyError(errorReply(ctx.origin, 401, `Unauthorized: ${why}`));
	}
	const key = ctx.state.keyFor('segmind', presented);
	if (!key) throw new ReplyError(errorReply(ctx.origin, 401, 'Unauthorized: invalid API key'));
	if (key.forbidden)
		throw new ReplyError(
			errorReply(ctx.origin, 403, 'Forbidden: this API key may not access this resource'),
		);
	return key;
}

/** Headers on every authenticated answer. */
function accountHeaders(
	ctx: RequestContext,
	key: KeyRecord,
	rate: RateInfo,
): Record<string, string> {
	return {
		'x-ratelimit-limit': String(rate.limit),
		'x-ratelimit-remaining': String(rate.remaining),
		'x-rate-limit-reset-at-utc': new Date(rate.resetAt).toISOString(),
		'x-remaining-credits': String(ctx.state.balance(key)),
	};
}

/** Authenticates and counts the request against the key's window; 429 once the window is used up. */
function admit(
	ctx: RequestContext,
	counted: boolean,
): { key: KeyRecord; headers: Record<string, string> } {
	const key = authenticate(ctx);
	const rate = ctx.state.rateLimit(key, counted);
	const headers = accountHeaders(ctx, key, rate);
	if (rate.limited)
		throw new ReplyError(rateLimitedReply(ctx.origin, rate, ctx.state.config, headers));
	return { key, headers };
}

/** CONTRACTS: "a wrong Content-Type can give 406 with a plain-text body". */
function requireJsonContentType(ctx: RequestContext): void {
	if (!ctx.state.config.strictContentType) return;
	const contentType = header(ctx, 'content-type') ?? '';
	if (!/^application\/json\b/i.test(contentType.trim())) {
		throw new ReplyError(
			text(
				406,
				`Not Acceptable: expected Content-Type application/json, got ${contentType || 'none'}`,
			),
		);
	}
}

function readJson(ctx: RequestContext, headers: Record<string, string>) {
	return readJsonBody(ctx, {
		tooLarge: (limit) =>
			errorReply(ctx.origin, 413, `Request body too large (limit ${limit} bytes)`, headers),
		invalid: (message) => errorReply(ctx.origin, 400, `Invalid JSON body: ${message}`, headers),
	});
}

function userCredits(ctx: RequestContext): Reply {
	// Costs nothing and is not rate-limited: it is the credential test.
	const key = authenticate(ctx);
	const headers = accountHeaders(ctx, key, ctx.state.rateLimit(key, false));
	return json(200, { credits: key.credits, 'free-credits': key.freeCredits }, headers);
}

const UPLOAD_EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/bmp': 'bmp',
	'image/tiff': 'tiff',
	'image/avif': 'avif',
	'image/svg+xml': 'svg',
};

async function uploadAsset(ctx: RequestContext): Promise<Reply> {
	requireJsonContentType(ctx);
	const { headers } = admit(ctx, true);
	const { body } = await readJson(ctx, headers);
	const dataUrls = body.data_urls;
	if (!Array.isArray(dataUrls) || dataUrls.length === 0)
		return errorReply(
			ctx.origin,
			400,
			'data_urls: must be a non-empty array of data: URLs',
			headers,
		);
	const config = ctx.state.config;
	const decoded: { bytes: Buffer; ext: string; mimeType: string }[] = [];
	for (const [index, value] of dataUrls.entries()) {
		const field = `data_urls[${index}]`;
		if (typeof value !== 'string' || !/^data:[^,]*;base64,/i.test(value))
			return errorReply(ctx.origin, 400, `${field}: must be a base64 data: URL`, headers);
		let file: { mimeType: string; bytes: Buffer };
		try {
			file = decodeDataUrl(value);
		} catch (error) {
			if (error instanceof InputError)
				return errorReply(ctx.origin, 400, `${field}: ${error.message}`, headers);
			throw error;
		}
		const ext = UPLOAD_EXTENSIONS[file.mimeType];
		if (!ext)
			return errorReply(
				ctx.origin,
				400,
				`${field}: unsupported media type ${file.mimeType}`,
				headers,
			);
		if (file.bytes.length === 0)
			return errorReply(ctx.origin, 400, `${field}: empty file`, headers);
		if (file.bytes.length > config.maxInputBytes)
			return errorReply(
				ctx.origin,
				413,
				`${field}: file larger than ${config.maxInputBytes} bytes`,
				headers,
			);
		decoded.push({ ...file, ext });
	}
	const urls = decoded.map((file) => {
		const stored = ctx.state.media.put(
			`upload_${randomUUID()}.${file.ext}`,
			file.bytes,
			file.mimeType,
			config.mediaTtlMs,
		);
		return `${ctx.urls.mediaUrl}/media/${stored.name}`;
	});
	return json(200, { [config.uploadResponseKey]: urls }, headers);
}

async function modelCall(ctx: RequestContext, api: 'v1' | 'v2', slug: string): Promise<Outcome> {
	requireJsonContentType(ctx);
	const key = authenticate(ctx);
	const validate = SEGMIND_MODELS[slug];
	if (!validate)
		return errorReply(
			ctx.origin,
			404,
			'Model not found',
			accountHeaders(ctx, key, ctx.state.rateLimit(key, false)),
		);
	const { headers } = admit(ctx, true);
	const { raw, body } = await readJson(ctx, headers);

	let run: ModelRun;
	try {
		run = validate(body);
	} catch (error) {
		if (error instanceof ValidationError)
			return errorReply(ctx.origin, 400, error.message, headers);
		throw error;
	}

	const magic = parseMagic(body);
	const injected = await magicTransportOutcome(ctx, magic, raw);
	if (injected)
		return isDrop(injected)
			? injected
			: { ...injected, headers: { ...headers, ...injected.headers } };

	if (!ctx.state.charge(key, run.cost)) {
		return errorReply(
			ctx.origin,
			406,
			`Insufficient credits: this request costs ${run.cost}, your balance is ${ctx.state.balance(key)}`,
			headers,
		);
	}
	const config = ctx.state.config;
	const job = new Job({
		provider: 'segmind',
		api,
		model: slug,
		key,
		cost: run.cost,
		queueMs: api === 'v2' ? config.queueMs : 0,
		processingMs: magic?.latencyMs ?? (api === 'v2' ? config.processingMs : config.syncLatencyMs),
		fault: magic?.jobFault ?? ctx.state.takeJobFault(),
		seed: run.seed,
	});
	ctx.state.jobs.set(job.id, job);
	const callHeaders: Record<string, string> = {
		...headers,
		'x-remaining-credits': String(ctx.state.balance(key)),
		'x-cost': String(run.cost),
		'x-request-id': job.id,
		...(run.seed !== undefined ? { 'x-seed-value': String(run.seed) } : {}),
	};

	if (api === 'v2') {
		ctx.runner.start(job, run);
		const statusUrl = `${ctx.urls.segmindUrl}/v2/requests/${job.id}/status`;
		return json(
			200,
			{
				request_id: job.id,
				status: 'QUEUED',
				poll_url: statusUrl,
				status_url: statusUrl,
				response_url: `${ctx.urls.segmindUrl}/v2/requests/${job.id}`,
			},
			callHeaders,
		);
	}
	return syncCall(ctx, job, run, callHeaders);
}

/**
 * v1: answer when the work is done and at least the configured latency has passed. A FAILED run
 * (unusable input, safety block) is a 400 with the reason, as a sync API has no FAILED state; a
 * system error is a 500. Both stay charged: Segmind documents no refunds.
 */
async function syncCall(
	ctx: RequestContext,
	job: Job,
	run: ModelRun,
	headers: Record<string, string>,
): Promise<Outcome> {
	if (job.init.fault?.kind === 'stuck') return untilClosed(ctx.signal);
	await ctx.runner.run(job, run);
	await sleep(job.createdAt + job.init.processingMs - Date.now(), ctx.signal);
	const generationTime = ((Date.now() - job.createdAt) / 1000).toFixed(3);
	const withTime = { ...headers, 'x-generation-time': generationTime };
	if (job.outcome === 'failed')
		return errorReply(ctx.origin, 400, job.error ?? 'Request failed', withTime);
	if (job.outcome !== 'ok')
		return errorReply(ctx.origin, 500, job.error ?? 'Internal server error', withTime);

	const [first] = job.outputs;
	if (job.init.model === 'image-converter') {
		const output =
			ctx.state.config.converterV1Shape === 'url'
				? `${ctx.urls.mediaUrl}/media/${first.name}`
				: first.bytes.toString('base64');
		return json(200, { output }, withTime);
	}
	// How v1 answers for several images is undocumented: the first one, and how many there were.
	return bytes(200, first.bytes, first.contentType, {
		...withTime,
		'x-output-count': String(job.outputs.length),
	});
}

function shapeOutput(urls: string[], shape: SegmindOutputShape): unknown {
	switch (shape) {
		case 'strings':
			return urls.length === 1 ? urls[0] : urls;
		case 'array':
			return urls;
		case 'objects':
			return urls.map((url) => ({ url }));
		case 'media_url':
			return urls.map((media_url) => ({ media_url }));
	}
}

function pollRequest(ctx: RequestContext, id: string, statusOnly: boolean): Reply {
	const config = ctx.state.config;
	const { key, headers } = admit(ctx, config.rateLimitCountsPolls);
	const job = ctx.state.jobs.get(id);
	const now = Date.now();
	const status = job?.status(config, now);
	// v1 calls are in the job table too, but have no request to poll; another key's job is not yours to see.
	if (
		!job ||
		job.provider !== 'segmind' ||
		job.init.api !== 'v2' ||
		job.init.key !== key ||
		status === 'EXPIRED' ||
		status === undefined
	) {
		return errorReply(ctx.origin, 404, `Request ${id} not found`, headers);
	}
	if (status === 'FAILED' || status === 'ERROR') {
		return json(
			422,
			{ status: 'FAILED', request_id: job.id, error: job.error ?? 'Request failed', metrics: {} },
			headers,
		);
	}
	const queueTime = Math.min(now - job.createdAt, job.init.queueMs) / 1000;
	if (status === 'COMPLETED') {
		const doneAt = job.doneAt() ?? now;
		const metrics = {
			queue_time: queueTime,
			inference_time: (doneAt - job.processingStartedAt()) / 1000,
		};
		if (statusOnly) return json(200, { status, request_id: job.id, metrics }, headers);
		const urls = job.outputs.map((file) => `${ctx.urls.mediaUrl}/media/${file.name}`);
		return json(
			200,
			{ status, request_id: job.id, output: shapeOutput(urls, config.segmindOutputShape), metrics },
			{
				...headers,
				'x-generation-time': metrics.inference_time.toFixed(3),
			},
		);
	}
	if (statusOnly)
		return json(
			200,
			{
				status,
				request_id: job.id,
				metrics: status === 'PROCESSING' ? { queue_time: queueTime } : {},
			},
			headers,
		);
	return json(202, { status, request_id: job.id }, headers);
}
