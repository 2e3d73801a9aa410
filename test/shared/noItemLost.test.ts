/**
 * No item lost: a batch of 50 items through Smart Resize, each with a seeded random fault (or
 * none) requested through the Prompt option with the emulator's magic values. With Continue On
 * Fail, every input yields its images or exactly one error item, paired with it, and no job is
 * submitted twice. Without it, the run fails with an error naming an item whose fault fails, and
 * the run stops: no submit starts after the failure.
 *
 * Magic transport directives answer the submit itself, which the node retries only after a 429
 * (or a refused connection): so 500, 502, drop and malformed end the item with an error, by design.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { JobSummary, RequestLogEntry } from '../../emulator';
import { FAST_POLLING, runNode, sampleUrl, segmindCredentials, useEmulator } from '../helpers';

const env = useEmulator();

const ITEMS = 50;
const SEEDS = [1, 2, 3, 4];
const SUBMIT_PATH = '/v2/smart-banner-resizer';

/** mulberry32: a small seeded generator, so each seed gives the same batch on every run. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Outcome = 'images' | 'error';

interface Fault {
	name: string;
	magic: (random: () => number) => string;
	outcome: Outcome;
	/** The errorCode of the item's error item. */
	errorCode?: string;
	/** Whether the provider creates (and charges) a job. */
	createsJob: boolean;
	/** Submit requests the item makes: a 429 is answered, then the submit is sent again. */
	submits: number;
	weight: number;
}

const FAULTS: Fault[] = [
	{ name: 'none', magic: () => '', outcome: 'images', createsJob: true, submits: 1, weight: 6 },
	{
		name: 'latency',
		magic: (random) => `emulate:latency=${50 + Math.floor(random() * 1200)}`,
		outcome: 'images',
		createsJob: true,
		submits: 1,
		weight: 2,
	},
	{
		name: '429x1',
		magic: () => 'emulate:429x1',
		outcome: 'images',
		createsJob: true,
		submits: 2,
		weight: 1,
	},
	{
		name: '500x1',
		magic: () => 'emulate:500x1',
		outcome: 'error',
		errorCode: 'PROVIDER_ERROR',
		createsJob: false,
		submits: 1,
		weight: 1,
	},
	{
		name: '502',
		magic: () => 'emulate:502',
		outcome: 'error',
		errorCode: 'PROVIDER_ERROR',
		createsJob: false,
		submits: 1,
		weight: 1,
	},
	{
		name: 'drop',
		magic: () => 'emulate:drop',
		outcome: 'error',
		errorCode: 'NETWORK',
		createsJob: false,
		submits: 1,
		weight: 1,
	},
	{
		name: 'malformed',
		magic: () => 'emulate:malformed',
		outcome: 'error',
		errorCode: 'PROVIDER_ERROR',
		createsJob: false,
		submits: 1,
		weight: 1,
	},
	{
		name: 'fail',
		magic: () => 'emulate:fail',
		outcome: 'error',
		errorCode: 'CONTENT_REJECTED',
		createsJob: true,
		submits: 1,
		weight: 1,
	},
];

interface PlannedItem {
	fault: Fault;
	prompt: string;
	sizes: string[];
}

/** The batch for a seed: each item's fault, and 1 to 3 different small sizes. */
function batch(seed: number): PlannedItem[] {
	const random = seeded(seed);
	const totalWeight = FAULTS.reduce((sum, fault) => sum + fault.weight, 0);
	return Array.from({ length: ITEMS }, (_, index) => {
		let pick = random() * totalWeight;
		const fault = FAULTS.find((candidate) => (pick -= candidate.weight) < 0) ?? FAULTS[0];
		const sizes = new Set<string>();
		const wanted = 1 + Math.floor(random() * 3);
		while (sizes.size < wanted) {
			sizes.add(`${32 + Math.floor(random() * 200)}x${32 + Math.floor(random() * 200)}`);
		}
		// Seed and index keep every body different, so a counted directive (500x1) is this item's own.
		const prompt = `${fault.magic(random)} seed ${seed} item ${index}`.trim();
		return { fault, prompt, sizes: [...sizes] };
	});
}

/**
 * A 429 pauses the whole run, then paces it to what the provider was seen to accept, and every
 * further 429 slows the pace again: after a 429 on one of the first submits, a batch that takes
 * half a second without faults takes 20 s or more, and with ten 429s in the batch, minutes. An
 * item whose next request the pace would start only after Max Wait ends with one RATE_LIMITED
 * error item (with its request id once submitted): a legitimate outcome for any fault, counted in
 * the summary. A short Max Wait keeps the test's time bounded.
 */
const MAX_WAIT_SECONDS = 20;

function parameters(options: Record<string, unknown> = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		sizePresets: [],
		customSizes: '={{ $json.sizes }}',
		variantsPerSize: 1,
		output: 'binary',
		options: {
			...FAST_POLLING,
			maxWaitSeconds: MAX_WAIT_SECONDS,
			prompt: '={{ $json.prompt }}',
			...options,
		},
	};
}

const fixtureItems = (planned: PlannedItem[]) =>
	planned.map((item, index) => ({
		json: { index, prompt: item.prompt, sizes: item.sizes.join(', ') },
	}));

const isSubmit = (entry: RequestLogEntry) =>
	entry.method === 'POST' && entry.path.startsWith(SUBMIT_PATH);

interface SeedRun {
	planned: PlannedItem[];
	items: INodeExecutionData[];
	error: unknown;
	ms: number;
	/** The jobs and submits of this seed's key, read before the next test resets the emulator. */
	jobs: JobSummary[];
	submits: RequestLogEntry[];
}

describe('with Continue On Fail, every input yields its images or exactly one error item', () => {
	const runs = new Map<number, SeedRun>();

	// The four batches run at the same time, each with its own key, so that the emulator's jobs
	// and request log tell them apart (and the engine is under four runs' load).
	beforeAll(async () => {
		await env.emulator.control.reset();
		await env.emulator.control.configure({ rateLimitWindowMs: 1000 });
		await Promise.all(
			SEEDS.map(async (seed) => {
				const key = `no-item-lost-seed-${seed}`;
				await env.emulator.control.addKey({
					key,
					id: `segmind:seed${seed}`,
					provider: 'segmind',
					credits: 100_000,
					rateLimitPerMinute: 100_000,
				});
				const planned = batch(seed);
				const started = Date.now();
				// Seeds 3 and 4 also cap the jobs in flight, so submits and waits interleave.
				const { items, error } = await runNode(
					'smartResize',
					parameters(seed > 2 ? { parallelJobs: 8 } : {}),
					fixtureItems(planned),
					segmindCredentials(env.emulator, key),
					{ continueOnFail: true },
				);
				runs.set(seed, { planned, items, error, ms: Date.now() - started, jobs: [], submits: [] });
			}),
		);
		const jobs = await env.emulator.control.jobs();
		const log = await env.emulator.control.requests();
		for (const [seed, run] of runs) {
			run.jobs = jobs.filter((job) => job.keyId === `segmind:seed${seed}`);
			run.submits = log.filter(
				(entry) => isSubmit(entry) && entry.presentedKeyId === `segmind:seed${seed}`,
			);
		}
	}, 240_000);

	test.each(SEEDS)('seed %i: 50 items with random faults', (seed) => {
		const { planned, items, error, ms, jobs, submits } = runs.get(seed)!;
		expect(error).toBeUndefined();

		const byInput = new Map<number, INodeExecutionData[]>();
		for (const item of items) {
			const pairedItem = item.pairedItem as { item: number };
			expect(pairedItem).toEqual({ item: expect.any(Number) });
			byInput.set(pairedItem.item, [...(byInput.get(pairedItem.item) ?? []), item]);
		}
		// Outputs keep the input order.
		const order = items.map((item) => (item.pairedItem as { item: number }).item);
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect([...byInput.keys()].every((index) => index >= 0 && index < ITEMS)).toBe(true);

		const requestIds = new Set<string>();
		const outcomes = { images: 0, error: 0, paced: 0 };
		planned.forEach((plan, index) => {
			const outputs = byInput.get(index) ?? [];
			const images = outputs.filter((item) => item.binary?.data);
			const errors = outputs.filter((item) => item.json.error !== undefined);
			const where = `item ${index} (${plan.fault.name})`;
			// Never none, never both: its images, or exactly one error item.
			expect([where, outputs.length]).not.toEqual([where, 0]);
			expect([where, images.length + errors.length]).toEqual([where, outputs.length]);
			if (errors.length > 0) {
				expect([where, errors.length, images.length]).toEqual([where, 1, 0]);
				expect(errors[0].json.errorCode).toEqual(expect.any(String));
				if (typeof errors[0].json.requestId === 'string') requestIds.add(errors[0].json.requestId);
			} else {
				expect([where, images.length]).toEqual([where, plan.sizes.length]);
				expect(new Set(images.map((item) => item.json.size))).toEqual(new Set(plan.sizes));
				// One job per item: every image of it comes from the same request, no other item's.
				const ids = new Set(images.map((item) => item.json.requestId as string));
				expect([where, ids.size]).toEqual([where, 1]);
				const [id] = ids;
				expect([where, requestIds.has(id)]).toEqual([where, false]);
				requestIds.add(id);
			}
			// Each fault ends the way it should (retried 429s and slow jobs deliver, the rest fail with
			// their code), unless the run's pace held the item past Max Wait.
			const outcome: Outcome = errors.length > 0 ? 'error' : 'images';
			const paced = outcome === 'error' && errors[0].json.errorCode === 'RATE_LIMITED';
			if (paced) outcomes.paced++;
			else {
				expect([where, outcome]).toEqual([where, plan.fault.outcome]);
				if (outcome === 'error') {
					expect([where, errors[0].json.errorCode]).toEqual([where, plan.fault.errorCode]);
				}
			}
			outcomes[outcome]++;
		});

		// Submits: at most one job per input, each job accounted for by one input's output (so no
		// input was submitted and accepted twice), no submit repeated except one a 429 refused.
		expect(jobs.length).toBeLessThanOrEqual(ITEMS);
		expect(new Set(jobs.map((job) => job.id))).toEqual(requestIds);
		expect(jobs.length).toBeLessThanOrEqual(planned.filter((plan) => plan.fault.createsJob).length);
		expect(submits.length).toBeLessThanOrEqual(
			planned.reduce((sum, plan) => sum + plan.fault.submits, 0),
		);
		if (outcomes.paced === 0) {
			expect(jobs).toHaveLength(planned.filter((plan) => plan.fault.createsJob).length);
			expect(submits).toHaveLength(planned.reduce((sum, plan) => sum + plan.fault.submits, 0));
		}
		expect(outcomes.images + outcomes.error).toBe(ITEMS);
		const faults = planned.reduce<Record<string, number>>((counts, plan) => {
			counts[plan.fault.name] = (counts[plan.fault.name] ?? 0) + 1;
			return counts;
		}, {});
		console.log(
			`no item lost, seed ${seed}: ${Object.entries(faults)
				.map(([name, times]) => `${name} ${times}`)
				.join(', ')} -> ${outcomes.images} inputs delivered ` +
				`${items.length - outcomes.error} images, ${outcomes.error} error items ` +
				`(${outcomes.paced} of them RATE_LIMITED by the pace), ` +
				`${jobs.length} jobs, ${submits.length} submits, lost 0, in ${(ms / 1000).toFixed(1)} s`,
		);
	});
});

describe('without Continue On Fail', () => {
	test('seed 1: the run fails naming an item whose fault fails, and no submit starts after it', async () => {
		await env.emulator.control.configure({ rateLimitWindowMs: 1000 });
		const planned = batch(1);
		// A few jobs in flight at a time, so most submits would still be to come when one fails.
		const { items, error } = await runNode(
			'smartResize',
			parameters({ parallelJobs: 4 }),
			fixtureItems(planned),
			segmindCredentials(env.emulator),
		);
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		const itemIndex = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
		expect(itemIndex).toEqual(expect.any(Number));
		expect(planned[itemIndex!].fault.outcome).toBe('error');

		// The first failing answer the emulator sent: the run cannot have failed before it.
		const log = await env.emulator.control.requests();
		const failing = log.filter(
			(entry) =>
				(entry.fault?.startsWith('magic:') && entry.fault !== 'magic:429') || entry.status === 422,
		);
		expect(failing.length).toBeGreaterThan(0);
		const firstFailure = Math.min(
			...failing.map((entry) => Date.parse(entry.time) + (entry.durationMs ?? 0)),
		);
		const sent = log.filter(isSubmit);
		const later = sent.filter((entry) => Date.parse(entry.time) > firstFailure + 250);
		expect(later).toEqual([]);
		expect(sent.length).toBeLessThan(planned.reduce((sum, plan) => sum + plan.fault.submits, 0));

		// Nothing at all once the run has stopped.
		const settled = (await env.emulator.control.requests()).length;
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect((await env.emulator.control.requests()).length).toBe(settled);
		console.log(
			`no item lost, seed 1 without Continue On Fail: failed on item ${itemIndex} ` +
				`(${planned[itemIndex!].fault.name}), ${sent.length} of ${ITEMS} submits sent`,
		);
	});
});
