import type { EmulatorConfig } from './types';

export const DEFAULT_CONFIG: Readonly<EmulatorConfig> = Object.freeze({
	queueMs: 50,
	processingMs: 150,
	syncLatencyMs: 100,
	resultTtlMs: 3_600_000,
	mediaTtlMs: 7 * 24 * 3_600_000,
	rateLimitWindowMs: 60_000,
	rateLimitCountsPolls: false,
	sendRetryAfter: false,
	segmindOutputShape: 'strings',
	uploadResponseKey: 'urls',
	converterV1Shape: 'url',
	pixazoSubmitStatus: 202,
	maxInputBytes: 20 * 1024 * 1024,
	strictContentType: true,
	mediaStoreMaxBytes: 512 * 1024 * 1024,
});

const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const boolean = (v: unknown) => typeof v === 'boolean';
const oneOf =
	(...allowed: unknown[]) =>
	(v: unknown) =>
		allowed.includes(v);

/** One check per key, so a typo in a test's `configure({...})` is a 400, not a silently ignored option. */
const CONFIG_CHECKS: Record<keyof EmulatorConfig, (v: unknown) => boolean> = {
	queueMs: nonNegative,
	processingMs: nonNegative,
	syncLatencyMs: nonNegative,
	resultTtlMs: positive,
	mediaTtlMs: positive,
	rateLimitWindowMs: positive,
	rateLimitCountsPolls: boolean,
	sendRetryAfter: boolean,
	segmindOutputShape: oneOf('strings', 'array', 'objects', 'media_url'),
	uploadResponseKey: oneOf('urls', 'file_urls'),
	converterV1Shape: oneOf('url', 'base64'),
	pixazoSubmitStatus: oneOf(200, 202),
	maxInputBytes: positive,
	strictContentType: boolean,
	mediaStoreMaxBytes: positive,
};

/** Returns the problems of a partial config, empty when it can be applied. */
export function configProblems(patch: Record<string, unknown>): string[] {
	const problems: string[] = [];
	for (const [key, value] of Object.entries(patch)) {
		const check = (CONFIG_CHECKS as Record<string, ((v: unknown) => boolean) | undefined>)[key];
		if (!check) problems.push(`unknown option ${key}`);
		else if (!check(value)) problems.push(`invalid value for ${key}: ${JSON.stringify(value)}`);
	}
	return problems;
}
