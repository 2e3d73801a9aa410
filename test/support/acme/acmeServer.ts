/**
 * A third image provider, "Acme", small enough to live in the tests: a loopback HTTP API with its
 * own key header, its own field names and its own job words, rendering real images with sharp.
 * It exists to prove that a provider can be added to the package through the registry alone.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import sharp from 'sharp';

export const ACME_KEY = 'acme-test-key-3f9a1c';

interface AcmeJob {
	id: string;
	sizes: string[];
	count: number;
	format: 'png' | 'webp';
	readyAt: number;
	files: string[];
}

export interface AcmeRequest {
	method: string;
	path: string;
	/** Whether the request carried Acme's key header, and whether it was the right key. */
	keyPresent: boolean;
	keyValid: boolean;
	body?: unknown;
}

export interface AcmeServer {
	url: string;
	requests: AcmeRequest[];
	close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : undefined;
}

export async function startAcmeServer(jobMs = 150): Promise<AcmeServer> {
	const jobs = new Map<string, AcmeJob>();
	const files = new Map<string, Buffer>();
	const requests: AcmeRequest[] = [];
	let url = '';

	const server: Server = createServer((req, res) => {
		void (async () => {
			const path = req.url ?? '/';
			const key = req.headers['x-acme-key'];
			const entry: AcmeRequest = {
				method: req.method ?? 'GET',
				path,
				keyPresent: key !== undefined,
				keyValid: key === ACME_KEY,
			};
			requests.push(entry);
			const send = (status: number, body: unknown, type = 'application/json') => {
				const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
				res.writeHead(status, { 'content-type': type, 'content-length': payload.length });
				res.end(payload);
			};
			if (path.startsWith('/files/')) {
				const file = files.get(path);
				return file ? send(200, file, 'image/png') : send(404, { problem: 'no such file' });
			}
			if (!entry.keyValid) return send(401, { problem: 'bad key' });
			if (req.method === 'POST' && path === '/v1/jobs') {
				const body = (await readJson(req)) as {
					sizes: string[];
					count: number;
					format: 'png' | 'webp';
				};
				entry.body = body;
				const job: AcmeJob = {
					id: `acme_${randomUUID()}`,
					sizes: body.sizes,
					count: body.count,
					format: body.format,
					readyAt: Date.now() + jobMs,
					files: [],
				};
				jobs.set(job.id, job);
				return send(202, { job: job.id, state: 'waiting' });
			}
			const match = /^\/v1\/jobs\/([^/]+)$/.exec(path);
			const job = match ? jobs.get(decodeURIComponent(match[1])) : undefined;
			if (req.method === 'GET' && match) {
				if (!job) return send(404, { problem: 'unknown job' });
				if (Date.now() < job.readyAt) return send(200, { state: 'working' });
				if (job.files.length === 0) {
					for (const size of job.sizes) {
						const [width, height] = size.split('x').map(Number);
						for (let variant = 0; variant < job.count; variant++) {
							const image = sharp({
								create: {
									width,
									height,
									channels: 3,
									background: { r: 40 * variant, g: 120, b: 200 },
								},
							});
							const data = await (job.format === 'webp' ? image.webp() : image.png()).toBuffer();
							const name = `/files/${job.id}_${size}_${variant}.${job.format}`;
							files.set(name, data);
							job.files.push(`${url}${name}`);
						}
					}
				}
				return send(200, { state: 'finished', images: job.files });
			}
			return send(404, { problem: 'no such endpoint' });
		})().catch(() => res.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
