/**
 * The same work as the node with no n8n in between: plain undici, every item at once. Each item
 * uploads its binary, submits, polls the status URL on the node's schedule (first 0.5 s after the
 * submit, then after max(0.5 s, a tenth of the job's age), at most 3 s), reads the result and
 * downloads every output.
 */
import { request } from 'undici';

export interface RawClientOptions {
	segmindUrl: string;
	uploadUrl: string;
	apiKey: string;
	sizes: string[];
	image: Buffer;
	items: number;
}

const FIRST_POLL_MS = 500;
const AGE_FRACTION = 0.1;
const MAX_POLL_MS = 3000;

export function pollDelay(ageMs: number): number {
	return Math.min(Math.max(FIRST_POLL_MS, AGE_FRACTION * ageMs), MAX_POLL_MS);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(url: string, apiKey: string, body?: unknown): Promise<T> {
	const response = await request(url, {
		method: body === undefined ? 'GET' : 'POST',
		headers: {
			'x-api-key': apiKey,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.body.text();
	if (response.statusCode >= 300) throw new Error(`${url}: HTTP ${response.statusCode} ${text}`);
	return JSON.parse(text) as T;
}

async function oneItem(options: RawClientOptions): Promise<number> {
	const { apiKey } = options;
	const dataUrl = `data:image/png;base64,${options.image.toString('base64')}`;
	const { urls } = await json<{ urls: string[] }>(options.uploadUrl, apiKey, {
		data_urls: [dataUrl],
	});
	const submittedAt = Date.now();
	const job = await json<{ status_url: string; response_url: string }>(
		`${options.segmindUrl}/v2/smart-banner-resizer`,
		apiKey,
		{ image_url: urls[0], target_sizes: options.sizes, num_images_per_size: 1 },
	);
	await sleep(FIRST_POLL_MS);
	for (;;) {
		const { status } = await json<{ status: string }>(job.status_url, apiKey);
		if (status === 'COMPLETED') break;
		if (status === 'FAILED') throw new Error(`raw client: job failed`);
		await sleep(pollDelay(Date.now() - submittedAt));
	}
	const result = await json<{ output: string | string[] }>(job.response_url, apiKey);
	const outputs = Array.isArray(result.output) ? result.output : [result.output];
	const files = await Promise.all(
		outputs.map(async (url) => {
			const response = await request(url);
			const bytes = Buffer.from(await response.body.arrayBuffer());
			if (response.statusCode !== 200)
				throw new Error(`raw client: ${url} HTTP ${response.statusCode}`);
			return bytes.length;
		}),
	);
	return files.length;
}

/** Runs every item at once; returns the wall time and the number of files downloaded. */
export async function runRawClient(options: RawClientOptions) {
	const started = performance.now();
	const counts = await Promise.all(Array.from({ length: options.items }, () => oneItem(options)));
	return { ms: performance.now() - started, files: counts.reduce((sum, count) => sum + count, 0) };
}
