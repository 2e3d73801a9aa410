/**
 * Billed once, delivered once (nodes/shared/ledger.ts). Retry On Fail runs here exactly as n8n runs
 * it (n8n-core's WorkflowExecute tries the node again in the same execution), and a re-run gets
 * the static data the failed execution left, as n8n saves and loads it for production executions.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	pixazoCredentials,
	pixazoResize,
	requestsTo,
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const oneImage = { sizePresets: [], customSizes: '320x100', variantsPerSize: 1 };
const resize = (parameters: Record<string, unknown> = {}) =>
	segmindResize(env.emulator, { ...oneImage, ...parameters });
const fiveItems = Array.from({ length: 5 }, (_, index) => ({ json: { index } }));
const retryThreeTimes = { retryOnFail: { maxTries: 3 }, mode: 'trigger' as const };

const submits = async () => (await env.emulator.control.jobs()).length;
const ledgerOf = (staticData: IDataObject) =>
	(staticData['node:Node'] as IDataObject | undefined)?.smartImageJobs;

/** The next `times` result downloads answer 404. */
const failDownloads = (times: number) =>
	env.emulator.control.injectFault({
		origin: 'media',
		pathPrefix: '/media/',
		fault: { type: 'status', status: 404 },
		times,
	});

describe('Retry On Fail and re-runs reuse the jobs already paid for', () => {
	test('5 items, downloads failing on every try: 5 submits; the re-run submits none and delivers all', async () => {
		await failDownloads(1000);
		const failed = await runNode(
			'smartResize',
			resize(),
			fiveItems,
			segmindCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(failed.error?.message).toMatch(/Could not download/);
		expect(await submits()).toBe(5);
		const refused = (await requestsTo(env.emulator, '/media/')).filter((r) => r.status === 404);
		expect(refused.length).toBeGreaterThanOrEqual(3);
		expect(Object.keys(ledgerOf(failed.staticData) ?? {})).toHaveLength(5);

		await env.emulator.control.clearFaults();
		const rerun = await runNode(
			'smartResize',
			resize(),
			fiveItems,
			segmindCredentials(env.emulator),
			{
				mode: 'trigger',
				staticData: failed.staticData,
			},
		);
		expect(rerun.error).toBeUndefined();
		expect(await submits()).toBe(5);
		expect(rerun.items).toHaveLength(5);
		expect(rerun.items.every((item) => item.binary?.data && item.json.reusedJob === true)).toBe(
			true,
		);
		expect(rerun.items.map((item) => item.pairedItem)).toEqual(
			fiveItems.map((_, index) => ({ item: index })),
		);
		expect(ledgerOf(rerun.staticData)).toBeUndefined();
	});

	test('one download failing once: Retry On Fail delivers everything with the 5 jobs already paid for', async () => {
		await failDownloads(1);
		const { items, error } = await runNode(
			'smartResize',
			resize(),
			fiveItems,
			segmindCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(await submits()).toBe(5);
	});

	test('a successful run forgets its jobs: the next run makes fresh ones', async () => {
		const first = await runNode(
			'smartResize',
			resize(),
			fiveItems,
			segmindCredentials(env.emulator),
			{
				mode: 'trigger',
			},
		);
		expect(first.error).toBeUndefined();
		expect(ledgerOf(first.staticData)).toBeUndefined();
		const second = await runNode(
			'smartResize',
			resize(),
			fiveItems,
			segmindCredentials(env.emulator),
			{
				mode: 'trigger',
				staticData: first.staticData,
			},
		);
		expect(await submits()).toBe(10);
		const firstIds = first.items.map((item) => item.json.requestId);
		expect(second.items.some((item) => firstIds.includes(item.json.requestId))).toBe(false);
	});

	test('a changed request is a new job, not a reused one', async () => {
		await failDownloads(1);
		const failed = await runNode(
			'smartResize',
			resize(),
			fiveItems.slice(0, 1),
			segmindCredentials(env.emulator),
			{ mode: 'trigger' },
		);
		expect(failed.error).toBeDefined();
		const changed = await runNode(
			'smartResize',
			resize({ customSizes: '300x250' }),
			fiveItems.slice(0, 1),
			segmindCredentials(env.emulator),
			{ mode: 'trigger', staticData: failed.staticData },
		);
		expect(changed.error).toBeUndefined();
		expect(changed.items[0].json.reusedJob).toBeUndefined();
		expect(await submits()).toBe(2);
	});

	test('a binary input is known by its bytes: a retry neither uploads nor submits again', async () => {
		await failDownloads(1);
		const { items, error } = await runNode(
			'smartResize',
			resize({ inputSource: 'binary' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(error).toBeUndefined();
		expect(items[0].json.reusedJob).toBe(true);
		expect(await submits()).toBe(1);
		expect(await requestsTo(env.emulator, '/upload-asset')).toHaveLength(1);
	});
});

describe('jobs that failed at the provider', () => {
	test('a FAILED job is not submitted again by Retry On Fail in the same execution', async () => {
		await env.emulator.control.failNextJobs({ times: 3, kind: 'fail', reason: 'safety block' });
		const { error, staticData } = await runNode(
			'smartResize',
			resize(),
			fiveItems.slice(0, 1),
			segmindCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(error?.message).toMatch(/safety block.*could not process the job/i);
		expect(await submits()).toBe(1);
		// A later execution may try the request again (the user may have changed the image behind the URL).
		await runNode(
			'smartResize',
			resize(),
			fiveItems.slice(0, 1),
			segmindCredentials(env.emulator),
			{
				mode: 'trigger',
				staticData,
			},
		);
		expect(await submits()).toBe(2);
	});

	test('a Pixazo system error (ERROR, not billed) is submitted again by Retry On Fail', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'error', reason: 'worker crashed' });
		const { items, error } = await runNode(
			'pixazoSmartResize',
			pixazoResize(env.emulator, { ...oneImage }),
			fiveItems.slice(0, 1),
			pixazoCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(await submits()).toBe(2);
	});

	test('an expired job is submitted again by Retry On Fail', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'expire' });
		const { items, error } = await runNode(
			'smartResize',
			resize(),
			fiveItems.slice(0, 1),
			segmindCredentials(env.emulator),
			retryThreeTimes,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(await submits()).toBe(2);
	});
});
