/**
 * The control interface, served on the Segmind origin under /__emulator/ so that another process (e2e
 * tests, benchmarks, a manual session) drives the emulator exactly as an in-process test does.
 * It is not logged, not subject to faults, and needs no key: the emulator listens on loopback only.
 */
import { configProblems } from './config';
import type { RequestContext } from './context';
import { json, parseJsonObject, ReplyError, type Reply } from './http';
import { listSamples } from './samples';
import type { AddKeyOptions, CreditBalance, FaultRule, JobFaultRule, OriginName } from './types';

export const CONTROL_PREFIX = '/__emulator';

const FAULT_TYPES = ['status', 'drop', 'slow', 'malformed', 'cut'];
const ORIGINS: OriginName[] = ['segmind', 'pixazo', 'media', 'upload'];
const JOB_FAULT_KINDS = ['fail', 'error', 'stuck', 'expire'];

const badRequest = (message: string) => json(400, { error: message });

export async function handleControl(ctx: RequestContext): Promise<Reply> {
	const { state } = ctx;
	const route = `${ctx.method} ${ctx.path.slice(CONTROL_PREFIX.length)}`;
	const readBody = async () => {
		const raw = await ctx.body(1024 * 1024);
		try {
			return parseJsonObject(raw);
		} catch (error) {
			throw new ReplyError(badRequest(`invalid JSON body: ${(error as Error).message}`));
		}
	};

	switch (route) {
		case 'GET /health':
			return json(200, { ok: true, ...ctx.urls, samples: listSamples() });
		case 'POST /reset':
			state.reset();
			return json(200, { ok: true });
		case 'GET /config':
			return json(200, state.config);
		case 'POST /config': {
			const patch = await readBody();
			const problems = configProblems(patch);
			if (problems.length) return badRequest(problems.join('; '));
			state.config = { ...state.config, ...patch };
			return json(200, state.config);
		}
		case 'POST /keys': {
			const options = (await readBody()) as unknown as AddKeyOptions;
			if (typeof options.key !== 'string' || options.key.length < 8)
				return badRequest('key: a string of at least 8 characters');
			if (options.provider !== 'segmind' && options.provider !== 'pixazo')
				return badRequest('provider: segmind or pixazo');
			if (typeof options.credits !== 'number' || typeof options.rateLimitPerMinute !== 'number')
				return badRequest('credits and rateLimitPerMinute: numbers');
			const record = state.addKey(options);
			return json(200, { id: record.id });
		}
		case 'POST /faults': {
			const rule = (await readBody()) as unknown as FaultRule;
			if (!rule.fault || !FAULT_TYPES.includes(rule.fault.type))
				return badRequest(`fault.type: one of ${FAULT_TYPES.join(', ')}`);
			if (rule.origin !== undefined && !ORIGINS.includes(rule.origin))
				return badRequest(`origin: one of ${ORIGINS.join(', ')}`);
			if (
				rule.fault.type === 'status' &&
				!(
					Number.isInteger(rule.fault.status) &&
					rule.fault.status >= 100 &&
					rule.fault.status <= 599
				)
			) {
				return badRequest('fault.status: an HTTP status code');
			}
			if (
				rule.fault.type === 'slow' &&
				!(typeof rule.fault.delayMs === 'number' && rule.fault.delayMs >= 0)
			)
				return badRequest('fault.delayMs: a number');
			state.addFault(rule);
			return json(200, { pending: state.pendingFaults() });
		}
		case 'GET /faults':
			return json(200, { pending: state.pendingFaults() });
		case 'DELETE /faults':
			state.clearFaults();
			return json(200, { pending: [] });
		case 'POST /job-faults': {
			const rule = (await readBody()) as unknown as JobFaultRule;
			if (!JOB_FAULT_KINDS.includes(rule.kind))
				return badRequest(`kind: one of ${JOB_FAULT_KINDS.join(', ')}`);
			if (!(Number.isInteger(rule.times) && rule.times > 0))
				return badRequest('times: a positive integer');
			state.addJobFaults(rule);
			return json(200, { ok: true });
		}
		case 'GET /requests':
			return json(200, state.requestLog);
		case 'DELETE /requests':
			state.requestLog = [];
			return json(200, { ok: true });
		case 'GET /jobs': {
			const now = Date.now();
			return json(
				200,
				[...state.jobs.values()].map((job) => job.summary(state.config, now)),
			);
		}
		case 'POST /credits': {
			// POST, so the key value travels in a body and never in a URL or a log line.
			const { key } = await readBody();
			const record = typeof key === 'string' ? state.keys.get(key) : undefined;
			if (!record) return json(404, { error: 'unknown key' });
			const balance: CreditBalance = {
				keyId: record.id,
				credits: record.credits,
				freeCredits: record.freeCredits,
				total: state.balance(record),
			};
			return json(200, balance);
		}
		default:
			return json(404, { error: `unknown control route ${route}` });
	}
}
