/** The Pixazo origin (Azure API Management in front of the model API): smart-resize submit and poll. */
import { header, readJsonBody, type RequestContext } from './context';
import { errorReply, magicTransportOutcome, parseMagic, rateLimitedReply } from './faults';
import { decodeSegment, ReplyError, json, type Outcome, type Reply } from './http';
import { Job, type KeyRecord } from './jobs';
import { pixazoSmartResizeRun, ValidationError, type ModelRun } from './models';

const SUBMIT_PATH = '/smart-resize/v1/smart-resize-request';
/** The seed's "check status" section also shows this POST form of the poll. */
const RESULT_PATH = '/smart-resize/v1/smart-resize-request-result';

export async function handlePixazo(ctx: RequestContext): Promise<Outcome> {
	const { method, path } = ctx;
	if (path === SUBMIT_PATH && method === 'POST') return submit(ctx);
	const poll = /^\/v2\/requests\/status\/([^/]+)$/.exec(path);
	if (poll && method === 'GET') return status(ctx, decodeSegment(poll[1]));
	if (path === RESULT_PATH && method === 'POST') {
		const { body } = await readJson(ctx);
		return status(ctx, typeof body.request_id === 'string' ? body.request_id : '');
	}
	return json(404, {
		error: 'Resource not found',
		details: 'The requested endpoint does not exist',
	});
}

function authenticate(ctx: RequestContext, counted: boolean): KeyRecord {
	const presented = header(ctx, 'ocp-apim-subscription-key');
	if (!presented) {
		throw new ReplyError(
			errorReply(
				'pixazo',
				401,
				'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
			),
		);
	}
	const key = ctx.state.keyFor('pixazo', presented);
	if (!key) {
		throw new ReplyError(
			errorReply(
				'pixazo',
				401,
				'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
			),
		);
	}
	if (key.forbidden)
		throw new ReplyError(
			errorReply('pixazo', 403, 'Access denied: this subscription may not call this API.'),
		);
	const rate = ctx.state.rateLimit(key, counted);
	if (rate.limited) throw new ReplyError(rateLimitedReply('pixazo', rate, ctx.state.config));
	return key;
}

function readJson(ctx: RequestContext) {
	return readJsonBody(ctx, {
		tooLarge: (limit) => json(413, { error: 'Payload too large', details: `Limit ${limit} bytes` }),
		invalid: (message) => json(400, { error: 'Invalid JSON', details: message }),
	});
}

async function submit(ctx: RequestContext): Promise<Outcome> {
	const key = authenticate(ctx, true);
	const { raw, body } = await readJson(ctx);
	let run: ModelRun;
	try {
		run = pixazoSmartResizeRun(body);
	} catch (error) {
		if (error instanceof ValidationError) {
			const field = error.field.replace(/\[\d+\]$/, '');
			return json(400, {
				error: `Invalid ${field}${field === 'target_sizes' ? ' format' : ''}`,
				details: error.message,
			});
		}
		throw error;
	}

	const magic = parseMagic(body);
	const injected = await magicTransportOutcome(ctx, magic, raw);
	if (injected) return injected;

	if (!ctx.state.charge(key, run.cost)) {
		return json(402, {
			error: 'Insufficient credits',
			details: `This request costs ${run.cost}, your balance is ${ctx.state.balance(key)}.`,
		});
	}
	const config = ctx.state.config;
	const job = new Job({
		provider: 'pixazo',
		api: 'pixazo',
		model: 'smart-resize',
		key,
		cost: run.cost,
		queueMs: config.queueMs,
		processingMs: magic?.latencyMs ?? config.processingMs,
		fault: magic?.jobFault ?? ctx.state.takeJobFault(),
		syncMode: run.syncMode,
		mediaType: run.outputs[0].contentType,
		seed: run.seed,
	});
	ctx.state.jobs.set(job.id, job);
	ctx.runner.start(job, run);
	return json(config.pixazoSubmitStatus, {
		request_id: job.id,
		status: 'QUEUED',
		polling_url: `${ctx.urls.pixazoUrl}/v2/requests/status/${job.id}`,
	});
}

function status(ctx: RequestContext, id: string): Reply {
	const config = ctx.state.config;
	authenticate(ctx, config.rateLimitCountsPolls);
	const job = ctx.state.jobs.get(id);
	const now = Date.now();
	const current = job?.status(config, now);
	if (!job || job.provider !== 'pixazo' || current === undefined || current === 'EXPIRED') {
		return json(404, {
			error: 'Request not found',
			details: `No request with id ${id} (unknown or expired)`,
		});
	}
	const doneAt = job.doneAt();
	const finished = current === 'COMPLETED' || current === 'FAILED' || current === 'ERROR';
	const updatedAt =
		finished && doneAt !== null
			? doneAt
			: current === 'PROCESSING'
				? job.processingStartedAt()
				: job.createdAt;
	const mediaUrls =
		current === 'COMPLETED'
			? job.outputs.map((file) =>
					job.init.syncMode
						? `data:${file.contentType};base64,${file.bytes.toString('base64')}`
						: `${ctx.urls.mediaUrl}/media/${file.name}`,
				)
			: null;
	// FAILED is an ordinary 200 here: Pixazo documents no 422.
	return json(200, {
		request_id: job.id,
		status: current,
		model_id: 'smart-resize',
		error: current === 'FAILED' || current === 'ERROR' ? (job.error ?? 'Request failed') : null,
		output: mediaUrls ? { media_url: mediaUrls, media_type: job.init.mediaType } : null,
		created_at: new Date(job.createdAt).toISOString(),
		updated_at: new Date(updatedAt).toISOString(),
		completed_at: finished && doneAt !== null ? new Date(doneAt).toISOString() : null,
	});
}
