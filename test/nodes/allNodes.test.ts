/**
 * Behaviour every image node shares, checked on each of them: a FAILED job, an expired request,
 * Continue On Fail (error items name their source), File Name Prefix, and submit-then-Get-Result.
 */
import { FAST_POLLING, runNode, segmindCredentials, useEmulator } from '../helpers';

const env = useEmulator();

const NODES: Array<[string, Record<string, unknown>]> = [
	['smartResize', { operation: 'resize', sizePresets: ['iabMediumRectangle'], variantsPerSize: 1 }],
	[
		'smartReframe',
		{ operation: 'reframe', resolutionMode: 'resolution', resolution: 'RESOLUTION_1280_720' },
	],
	['smartRelight', { operation: 'relight', lightDirection: 'left' }],
	['smartConvert', { operation: 'convert', targetFormat: 'gif' }],
];

function parameters(own: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		inputSource: 'url',
		imageUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		output: 'binary',
		...own,
		...extra,
		options: { ...FAST_POLLING, ...((extra.options as object) ?? {}) },
	};
}

describe.each(NODES)('%s', (type, own) => {
	test('a FAILED job reports the provider reason', async () => {
		await env.emulator.control.failNextJobs({
			times: 1,
			kind: 'fail',
			reason: 'NSFW content detected',
		});
		const { error } = await runNode(
			type,
			parameters(own),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toMatch(/^NSFW content detected: Segmind could not process the job/);
		// What to change is named in this node's own terms, and the request ID comes last.
		expect(error?.description).toMatch(
			/"Safety Tolerance" toward 6|"Style Type"|other light settings|"Target Format"/,
		);
		expect(error?.description).toMatch(/Request ID: [\w-]+\.$/);
		// The job has ended: fetching it again would only return the same failure.
		expect(error?.description).not.toMatch(/Get Result/);
	});

	test('Continue On Fail turns a failure into an error item paired to its input', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'fail', reason: 'blocked' });
		const { items, error } = await runNode(
			type,
			parameters(own),
			[{ json: {} }, { json: {} }],
			segmindCredentials(env.emulator),
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/^Blocked: /);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		// Matched to its input the way the outputs are: by the source's name and URL.
		expect(items[0].json).toMatchObject({
			sourceName: 'product',
			sourceUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		});
		expect(items.at(-1)?.json.sourceName).toBe('product');
		expect(items.at(-1)?.binary?.data).toBeDefined();
		expect(items.at(-1)?.pairedItem).toEqual({ item: 1 });
	});

	test('File Name Prefix names the output files', async () => {
		const { items, error } = await runNode(
			type,
			parameters(own, { options: { fileNamePrefix: 'Spring campaign' } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		for (const item of items) {
			expect(item.json.fileName).toMatch(/^Spring-campaign[_.]/);
			expect(item.binary?.data.fileName).toBe(item.json.fileName);
		}
	});

	test('submit, then Get Result; an expired id is a clear error', async () => {
		const submitted = await runNode(
			type,
			parameters(own, { waitForCompletion: false }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		const requestId = submitted.items[0].json.requestId as string;
		expect(requestId).toEqual(expect.any(String));
		const fetched = await runNode(
			type,
			{ operation: 'getResult', requestId, output: 'binary', options: FAST_POLLING },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(fetched.error).toBeUndefined();
		expect(fetched.items[0].binary?.data).toBeDefined();

		await env.emulator.control.configure({ resultTtlMs: 1 });
		await new Promise((resolve) => setTimeout(resolve, 20));
		const expired = await runNode(
			type,
			{ operation: 'getResult', requestId, options: FAST_POLLING },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(expired.error?.message).toMatch(/^Job expired or unknown/);
	});
});
