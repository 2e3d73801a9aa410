import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IRun,
} from 'n8n-workflow';
import sharp from 'sharp';

import { startEmulator, TEST_KEYS } from '../emulator';
import type { Emulator } from '../emulator';
import {
	binaryBuffer,
	nodeError,
	nodeOutput,
	packageNodeType,
	sourceInto,
	startWorkflow,
	useFilesystemBinaryData,
} from '../harness/n8n';
import type { FixtureItem, RunningWorkflow, RunOptions } from '../harness/n8n';

export const SAMPLE_PNG = readFileSync(join(__dirname, '..', 'examples', 'assets', 'product.png'));

export function sampleBinaryItem(fileName = 'product.png'): FixtureItem {
	return {
		json: { campaign: 'summer' },
		binary: { data: { data: SAMPLE_PNG, fileName, mimeType: 'image/png' } },
	};
}

/**
 * Keys that a test deliberately points at a host other than their own API (a credential whose Base
 * URL is set to the media origin, for example). Every other test is checked after it runs.
 */
let keysSentElsewhereOnPurpose = false;
export function expectKeyToReachAnotherHostOnPurpose(): void {
	keysSentElsewhereOnPurpose = true;
}

const ALL_TEST_KEYS = [...Object.values(TEST_KEYS.segmind), ...Object.values(TEST_KEYS.pixazo)];

/**
 * Key safety across the whole suite, checked after every test that uses the emulator: no key
 * reached the media origin (result files, redirect targets), no provider received the other
 * provider's key, and no key appears in any output item or error of a run.
 */
export async function checkKeySafety(emulator: Emulator): Promise<void> {
	const log = await emulator.control.requests();
	const leaks = log.filter(
		(entry) =>
			(entry.origin === 'media' && entry.receivedApiKey) ||
			(entry.origin === 'pixazo' &&
				entry.presentedKeyIds.some((id) => id.startsWith('segmind:'))) ||
			(entry.origin !== 'pixazo' && entry.presentedKeyIds.some((id) => id.startsWith('pixazo:'))),
	);
	expect(leaks.map((entry) => `${entry.origin} ${entry.method} ${entry.path}`)).toEqual([]);
}

/** Fails the test if a run's output items or errors mention any test key. */
export function expectNoKeyIn(run: unknown): void {
	const text = JSON.stringify(run);
	for (const key of ALL_TEST_KEYS) expect(text.includes(key)).toBe(false);
}

/** One emulator per test file, reset between tests so faults and logs never leak across them. */
export function useEmulator(): { readonly emulator: Emulator } {
	const holder = {} as { emulator: Emulator };
	beforeAll(async () => {
		await useFilesystemBinaryData();
		holder.emulator = await startEmulator({
			config: { queueMs: 20, processingMs: 60, syncLatencyMs: 20 },
		});
	});
	beforeEach(async () => {
		keysSentElsewhereOnPurpose = false;
		await holder.emulator.control.reset();
		await holder.emulator.control.configure({ queueMs: 20, processingMs: 60, syncLatencyMs: 20 });
	});
	afterEach(async () => {
		if (!keysSentElsewhereOnPurpose) await checkKeySafety(holder.emulator);
	});
	afterAll(async () => {
		await holder.emulator?.close();
	});
	return holder;
}

export function segmindCredentials(
	emulator: Emulator,
	apiKey: string = TEST_KEYS.segmind.valid,
): Record<string, ICredentialDataDecryptedObject> {
	return { segmindApi: { apiKey, baseUrl: emulator.segmindUrl, uploadUrl: emulator.uploadUrl } };
}

export function pixazoCredentials(
	emulator: Emulator,
	apiKey: string = TEST_KEYS.pixazo.valid,
): Record<string, ICredentialDataDecryptedObject> {
	return { pixazoApi: { apiKey, baseUrl: emulator.pixazoUrl } };
}

/** Options that keep polling quick against the emulator's sub-second jobs. */
export const FAST_POLLING = { pollIntervalSeconds: 0.1, maxWaitSeconds: 30 };

/** The bundled sample photo, served by the emulator's media origin. */
export function sampleUrl(emulator: Emulator): string {
	return `${emulator.mediaUrl}/samples/product.png`;
}

/**
 * Smart Resize parameters with Segmind: the sample URL to two presets (1080x1080, 1080x1920) and
 * 300x250, two variants each, so six images. The shared-behaviour tests (transport, polling, media,
 * cancellation) drive the shared code through this node.
 */
export function segmindResize(emulator: Emulator, parameters: Record<string, unknown> = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(emulator),
		sizePresets: ['instagramPost', 'instagramStory'],
		customSizes: '300x250',
		variantsPerSize: 2,
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

/**
 * Pixazo Smart Resize parameters (node type `pixazoSmartResize`, from the sibling package): the
 * sample URL to 1000x1500, 1600x900 and 512x512, two variants each.
 */
export function pixazoResize(emulator: Emulator, parameters: Record<string, unknown> = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(emulator),
		sizePresets: ['pinterestPin', 'xPost'],
		customSizes: '512x512',
		variantsPerSize: 2,
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

/** The requests the emulator logged whose path starts with `pathPrefix`. */
export async function requestsTo(emulator: Emulator, pathPrefix: string) {
	return (await emulator.control.requests()).filter((request) =>
		request.path.startsWith(pathPrefix),
	);
}

export interface NodeRun {
	run: IRun;
	items: INodeExecutionData[];
	error: ReturnType<typeof nodeError>;
	/** The workflow's static data after the run, as n8n would save it. */
	staticData: IDataObject;
}

export interface NodeSettings extends RunOptions {
	continueOnFail?: boolean;
	name?: string;
	/** n8n's Retry On Fail, with no pause between tries unless one is given. */
	retryOnFail?: { maxTries: number; waitBetweenTries?: number };
	/**
	 * The node version, as a saved workflow stores it. 1 by default: most tests pass settings in
	 * Options, as version 1 workflows saved them; version 2 keeps the image's in Image Settings.
	 */
	typeVersion?: number;
}

export function startNode(
	type: string,
	parameters: IDataObject,
	items: FixtureItem[],
	credentials: Record<string, ICredentialDataDecryptedObject>,
	settings: NodeSettings = {},
): RunningWorkflow {
	const credentialName = Object.keys(credentials)[0];
	const workflow = sourceInto(
		{
			name: settings.name ?? 'Node',
			type: packageNodeType(type),
			parameters: parameters as INodeParameters,
			typeVersion: settings.typeVersion ?? 1,
			credentials: { [credentialName]: { id: '1', name: credentialName } },
			...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(settings.retryOnFail
				? {
						retryOnFail: true,
						maxTries: settings.retryOnFail.maxTries,
						waitBetweenTries: settings.retryOnFail.waitBetweenTries ?? 0,
					}
				: {}),
		},
		items,
	);
	return startWorkflow(workflow, credentials, settings);
}

export async function runNode(...args: Parameters<typeof startNode>): Promise<NodeRun> {
	const name = args[4]?.name ?? 'Node';
	const running = startNode(...args);
	const run = await running.done;
	expectNoKeyIn(run);
	return {
		run,
		items: nodeOutput(run, name),
		error: nodeError(run, name),
		staticData: running.staticData,
	};
}

export async function imageOf(item: INodeExecutionData, field = 'data') {
	const binary = item.binary?.[field];
	if (!binary) throw new Error(`item has no binary field ${field}`);
	const data = await binaryBuffer(binary);
	const metadata = await sharp(data).metadata();
	return { binary, data, width: metadata.width, height: metadata.height, format: metadata.format };
}
