/**
 * Three loopback HTTP listeners (Segmind, Pixazo, media) over one shared state. Every request is
 * logged, may meet an injected fault, is routed to its origin's handler, and gets the handler's Reply
 * written (or its socket destroyed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { EmulatorUrls, RequestContext, Route } from './context';
import { CONTROL_PREFIX, handleControl } from './control';
import { errorReply, faultReply } from './faults';
import { AbortedError, isDrop, readBody, ReplyError, sleep, type Outcome } from './http';
import { handleMedia } from './mediaOrigin';
import { handlePixazo } from './pixazoOrigin';
import { createLogEntry } from './requestLog';
import { JobRunner } from './runner';
import { handleSegmind } from './segmindOrigin';
import { EmulatorState } from './state';
import type { EmulatorConfig, Fault, OriginName } from './types';

type Listener = 'segmind' | 'pixazo' | 'media';

const ROUTES: Record<Listener, Route> = {
	segmind: handleSegmind,
	pixazo: handlePixazo,
	media: handleMedia,
};

export interface ServerOptions {
	host: string;
	ports: Record<Listener, number>;
	config: Partial<EmulatorConfig>;
	allowRemoteFetch: boolean;
}

const describeFault = (fault: Fault) =>
	fault.type === 'status'
		? `status:${fault.status}`
		: fault.type === 'slow'
			? `slow:${fault.delayMs}`
			: fault.type;

export class EmulatorServer {
	readonly state: EmulatorState;
	private readonly abort = new AbortController();
	private readonly servers = new Map<Listener, Server>();
	private readonly inFlight = new Set<Promise<void>>();
	private runner!: JobRunner;
	urls!: EmulatorUrls;
	private closing: Promise<void> | undefined;

	private constructor(private readonly options: ServerOptions) {
		this.state = new EmulatorState(options.config);
	}

	static async start(options: ServerOptions): Promise<EmulatorServer> {
		const emulator = new EmulatorServer(options);
		await emulator.listen();
		return emulator;
	}

	private async listen(): Promise<void> {
		const { host, ports } = this.options;
		const urlHost = host.includes(':') ? `[${host}]` : host;
		const bound: Partial<Record<Listener, string>> = {};
		for (const listener of ['segmind', 'pixazo', 'media'] as const) {
			const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) =>
				this.track(
					this.handle(listener, req, res).catch((error: unknown) => {
						// Only a bug can get here (e.g. a header value a fault rule made invalid): never leave the client hanging.
						console.error('[emulator]', error);
						req.socket.destroy();
					}),
				),
			);
			this.servers.set(listener, server);
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(ports[listener], host, () => {
					server.off('error', reject);
					resolve();
				});
			});
			bound[listener] = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
		}
		this.urls = { segmindUrl: bound.segmind!, pixazoUrl: bound.pixazo!, mediaUrl: bound.media! };
		this.runner = new JobRunner(
			this.state,
			this.urls.mediaUrl,
			this.options.allowRemoteFetch,
			this.abort.signal,
		);
	}

	private track(task: Promise<void>): void {
		this.inFlight.add(task);
		void task.finally(() => this.inFlight.delete(task));
	}

	private async handle(
		listener: Listener,
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<void> {
		const rawPath = req.url ?? '/';
		// Concatenate rather than resolve: a path like "//host/x" must not become a different host.
		const url = new URL(`http://emulator${rawPath.startsWith('/') ? rawPath : `/${rawPath}`}`);
		const method = (req.method ?? 'GET').toUpperCase();
		const isControl =
			listener === 'segmind' &&
			(url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`));
		const origin: OriginName =
			listener === 'segmind' && url.pathname.startsWith('/upload-asset') ? 'upload' : listener;
		const log = isControl ? undefined : createLogEntry(this.state, origin, req, rawPath);
		if (log) this.state.log(log);
		const started = performance.now();

		let body: Promise<Buffer> | undefined;
		const ctx: RequestContext = {
			state: this.state,
			runner: this.runner,
			urls: this.urls,
			origin,
			req,
			method,
			path: url.pathname,
			url,
			signal: this.abort.signal,
			log,
			body: (limit) => (body ??= readBody(req, limit)),
		};

		let outcome: Outcome;
		try {
			outcome = isControl ? await handleControl(ctx) : await this.respond(listener, ctx);
		} catch (error) {
			if (error instanceof AbortedError) outcome = { drop: true };
			else if (error instanceof ReplyError) outcome = error.reply;
			else outcome = errorReply(origin, 500, `emulator error: ${(error as Error).message}`);
		}

		if (isDrop(outcome)) {
			req.socket.destroy();
		} else if (!res.destroyed) {
			const payload = typeof outcome.body === 'string' ? Buffer.from(outcome.body) : outcome.body;
			res.writeHead(outcome.status, {
				...outcome.headers,
				'content-length': String(payload.length),
			});
			if (outcome.cutAfterBytes === undefined) res.end(payload);
			else {
				// The answer stops half-way: the client sees the connection drop inside the body.
				res.write(payload.subarray(0, outcome.cutAfterBytes), () => req.socket.destroy());
			}
		}
		if (log) {
			log.status = isDrop(outcome) ? 0 : outcome.status;
			log.durationMs = Math.round(performance.now() - started);
		}
	}

	/** Applies an injected fault around the origin's route. */
	private async respond(listener: Listener, ctx: RequestContext): Promise<Outcome> {
		const rule = this.state.takeFault(ctx.origin, ctx.method, ctx.path);
		if (rule && ctx.log) ctx.log.fault = describeFault(rule.fault);
		const fault = rule?.fault;
		if (fault && fault.type !== 'cut' && !rule.afterProcessing) {
			if (fault.type !== 'slow') return faultReply(fault, ctx.origin, this.state.config);
			await sleep(fault.delayMs, ctx.signal);
		}
		let outcome: Outcome;
		try {
			outcome = await ROUTES[listener](ctx);
		} catch (error) {
			if (!(error instanceof ReplyError)) throw error;
			outcome = error.reply;
		}
		if (fault?.type === 'cut') {
			if (isDrop(outcome)) return outcome;
			const length = Buffer.byteLength(outcome.body);
			return { ...outcome, cutAfterBytes: Math.floor(length / 2) };
		}
		if (fault && rule.afterProcessing) {
			if (fault.type !== 'slow') return faultReply(fault, ctx.origin, this.state.config);
			await sleep(fault.delayMs, ctx.signal);
		}
		return outcome;
	}

	/** Stops listening, ends every connection and waits for all work, so no handle outlives the emulator. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			this.abort.abort();
			const closed = [...this.servers.values()].map(
				(server) =>
					new Promise<void>((resolve) => {
						server.close(() => resolve());
						server.closeAllConnections();
					}),
			);
			while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
			await this.runner.drain();
			await Promise.all(closed);
		})();
		return this.closing;
	}
}
