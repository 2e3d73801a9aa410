/**
 * Both packed packages inside a real n8n CLI, installed side by side as Community Nodes installs
 * them: the main package (Segmind) and the Pixazo package (packages/n8n-nodes-pixazo), each with its
 * own copy of the shared core. The example workflows are imported as a user would import them, with
 * credentials pointing at the provider emulator, run with `n8n execute`, and judged by the files
 * they write and the run data n8n prints. One suite, run against each n8n line
 * the package claims (examples.e2e.ts: 2.41.1 on Node 24; examples-n8n1.e2e.ts: 1.123.x on Node 20).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import sharp from 'sharp';

import { startEmulator, TEST_KEYS } from '../../emulator';
import type { Emulator } from '../../emulator';
import {
	copyIntoWorkDir,
	executeWorkflow,
	importJson,
	installPackedPackage,
	outputOf,
	setUpN8n,
} from './n8nCli';
import type { N8nInstance } from './n8nCli';
import { ownerRest, startEditor } from './queueMode';

const root = join(__dirname, '..', '..');

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: { options: Record<string, unknown>; imageSettings: Record<string, unknown> };
	onError?: string;
}
interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
}
const PIXAZO_DIR = join('packages', 'n8n-nodes-pixazo');
const example = (path: string) =>
	JSON.parse(readFileSync(join(root, path), 'utf8')) as ExampleWorkflow;

export function exampleSuite(version: string): void {
	let n8n: N8nInstance;
	let emulator: Emulator;

	async function writtenImages(prefix = '') {
		const dir = join(n8n.workDir, 'out', 'demo');
		const names = readdirSync(dir).filter((name) => name.startsWith(prefix));
		return Promise.all(
			names.map(async (name) => {
				const metadata = await sharp(join(dir, name)).metadata();
				return { name, size: `${metadata.width}x${metadata.height}`, format: metadata.format };
			}),
		);
	}

	beforeAll(
		async () => {
			n8n = setUpN8n(version);
			installPackedPackage(n8n);
			installPackedPackage(n8n, PIXAZO_DIR);
			emulator = await startEmulator({ config: { queueMs: 50, processingMs: 150 } });
			copyIntoWorkDir(n8n, 'examples/assets/product.png');
			// The workflows write to out/demo/, and Read/Write Files does not create folders.
			mkdirSync(join(n8n.workDir, 'out', 'demo'), { recursive: true });

			await importJson(n8n, 'credentials', [
				{
					id: 'smartImageEmulator',
					name: 'Segmind (emulator)',
					type: 'segmindApi',
					data: {
						apiKey: TEST_KEYS.segmind.valid,
						baseUrl: emulator.segmindUrl,
						uploadUrl: emulator.uploadUrl,
					},
				},
				{
					id: 'pixazoEmulator',
					name: 'Pixazo (emulator)',
					type: 'pixazoApi',
					data: { apiKey: TEST_KEYS.pixazo.valid, baseUrl: emulator.pixazoUrl },
				},
			]);

			// A copy of the resize demo whose job fails at the provider, under Continue On Fail.
			const failing = example('examples/smart-resize-demo.json');
			failing.id = 'smartImageE2eFailing';
			failing.name = 'Smart Resize, failing job, Continue On Fail';
			const resizeNode = failing.nodes.find((node) => node.type.endsWith('.smartResize'))!;
			resizeNode.parameters.imageSettings.prompt = 'emulate:fail';
			resizeNode.onError = 'continueRegularOutput';
			failing.nodes = failing.nodes.filter((node) => node.name !== 'Write files');
			delete failing.connections['Smart Resize'];

			await importJson(n8n, 'workflow', [
				example('examples/smart-resize-demo.json'),
				example('examples/chain-demo.json'),
				example(join(PIXAZO_DIR, 'examples', 'pixazo-demo.json')),
				legacySegmindResize(),
				failing,
				retryingBatch(),
			]);
		},
		20 * 60 * 1000,
	);

	afterAll(async () => {
		await emulator?.close();
	});

	/**
	 * A Smart Resize node as version 1 saved it, before the node became Segmind-only: a Provider
	 * parameter the node no longer declares, and the image's settings under Options.
	 */
	function legacySegmindResize() {
		const legacy = example('examples/smart-resize-demo.json');
		legacy.id = 'smartImageLegacyProv';
		legacy.name = 'Smart Resize saved by version 1, with Provider: Segmind';
		const resizeNode = legacy.nodes.find((node) => node.type.endsWith('.smartResize'))!;
		resizeNode.typeVersion = 1;
		const { imageSettings, ...parameters } = resizeNode.parameters as Record<string, unknown>;
		resizeNode.parameters = {
			...parameters,
			provider: 'segmind',
			options: { ...(imageSettings as object), outputFormat: 'jpeg' },
		} as unknown as typeof resizeNode.parameters;
		legacy.nodes = legacy.nodes.filter((node) => node.name !== 'Write files');
		delete legacy.connections['Smart Resize'];
		return legacy;
	}

	/**
	 * Five items into Smart Resize with n8n's Retry On Fail (3 tries), as a user would set it up. Its id
	 * stays within 16 characters: n8n saves no static data for a workflow with a longer id (21 in n8n
	 * 2.x, 16 in n8n 1.x, the length of the ids n8n makes).
	 */
	function retryingBatch() {
		return {
			id: 'smartImageRetry1',
			name: 'Smart Resize batch with Retry On Fail',
			nodes: [
				{
					id: 'trigger',
					name: 'When clicking Execute',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'list',
					name: 'Five products',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: { mode: 'raw', jsonOutput: '{ "product": [1, 2, 3, 4, 5] }' },
				},
				{
					id: 'split',
					name: 'One item each',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [400, 0],
					parameters: { fieldToSplitOut: 'product', options: {} },
				},
				{
					id: 'resize',
					name: 'Smart Resize',
					type: 'n8n-nodes-smart-image.smartResize',
					typeVersion: 2,
					position: [600, 0],
					retryOnFail: true,
					maxTries: 3,
					waitBetweenTries: 0,
					credentials: { segmindApi: { id: 'smartImageEmulator', name: 'Segmind (emulator)' } },
					parameters: {
						operation: 'resize',
						inputSource: 'url',
						imageUrl: `${emulator.mediaUrl}/samples/product.png`,
						sizePresets: [],
						customSizes: '320x100',
						variantsPerSize: 1,
						options: { pollIntervalSeconds: 0.2 },
					},
				},
			],
			connections: {
				'When clicking Execute': { main: [[{ node: 'Five products', type: 'main', index: 0 }]] },
				'Five products': { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
				'One item each': { main: [[{ node: 'Smart Resize', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		};
	}

	test('the resize demo writes 4 sizes x 2 variants as real PNGs', async () => {
		const { code, run } = await executeWorkflow(n8n, 'smartImageDemoResize');
		expect(run.data.resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const items = outputOf(run, 'Smart Resize');
		expect(items).toHaveLength(8);
		expect(items.map((item) => item.json.size)).toEqual([
			'1080x1080',
			'1080x1080',
			'1080x1920',
			'1080x1920',
			'1200x628',
			'1200x628',
			'300x250',
			'300x250',
		]);
		expect(items.every((item) => item.binary?.data?.id?.startsWith('filesystem'))).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 8 }, () => ({ item: 0 })),
		);

		const files = (await writtenImages('product_')).filter(
			(file) => file.name.endsWith('.png') && !file.name.includes('reframed'),
		);
		expect(files.map((file) => `${file.name} ${file.size} ${file.format}`).sort()).toEqual(
			[
				'product_1080x1080_1.png 1080x1080 png',
				'product_1080x1080_2.png 1080x1080 png',
				'product_1080x1920_1.png 1080x1920 png',
				'product_1080x1920_2.png 1080x1920 png',
				'product_1200x628_1.png 1200x628 png',
				'product_1200x628_2.png 1200x628 png',
				'product_300x250_1.png 300x250 png',
				'product_300x250_2.png 300x250 png',
			].sort(),
		);
	});

	test('the chained example relights, reframes to a banner, resizes to ad sizes and converts', async () => {
		const { code, run } = await executeWorkflow(n8n, 'smartImageDemoChain');
		expect(run.data.resultData.error).toBeUndefined();
		expect(code).toBe(0);
		expect(outputOf(run, 'Smart Relight').map((item) => item.json.lightDirection)).toEqual([
			'left',
		]);
		expect(outputOf(run, 'Smart Reframe').map((item) => item.json.resolution)).toEqual([
			'RESOLUTION_1536_512',
		]);
		const converted = outputOf(run, 'Smart Convert');
		expect(converted.map((item) => item.binary?.data?.mimeType)).toEqual([
			'image/webp',
			'image/webp',
			'image/webp',
		]);
		// Each file's name tells its real size: every node rewrote the size part instead of adding one.
		const files = (await writtenImages()).filter((file) => file.name.endsWith('.webp'));
		expect(files.map((file) => `${file.name} ${file.size} ${file.format}`).sort()).toEqual([
			'product_1500x500_1_relit_reframed.webp 1500x500 webp',
			'product_1584x396_1_relit_reframed.webp 1584x396 webp',
			'product_970x250_1_relit_reframed.webp 970x250 webp',
		]);
	});

	test('the Pixazo package: its example runs end to end with its own credential', async () => {
		const { code, run } = await executeWorkflow(n8n, 'pixazoDemoResize');
		expect(run.data.resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const items = outputOf(run, 'Pixazo Smart Resize');
		expect(items.map((item) => [item.json.provider, item.json.size])).toEqual([
			['pixazo', '1000x1500'],
			['pixazo', '1000x1500'],
			['pixazo', '1280x720'],
			['pixazo', '1280x720'],
		]);
		const files = await writtenImages('pixazo_');
		expect(files.map((file) => `${file.size} ${file.format}`).sort()).toEqual([
			'1000x1500 webp',
			'1000x1500 webp',
			'1280x720 webp',
			'1280x720 webp',
		]);
	});

	test('a version 1 workflow (Provider: Segmind, settings under Options) still runs as saved', async () => {
		const { code, run } = await executeWorkflow(n8n, 'smartImageLegacyProv');
		expect(run.data.resultData.error).toBeUndefined();
		expect(code).toBe(0);
		const items = outputOf(run, 'Smart Resize');
		expect(items).toHaveLength(8);
		expect(new Set(items.map((item) => item.json.provider))).toEqual(new Set(['segmind']));
		// Its Output Format, saved under Options, is still read.
		expect(new Set(items.map((item) => item.json.format))).toEqual(new Set(['jpeg']));
	});

	test('a FAILED job under Continue On Fail yields an error item naming its source', async () => {
		const { code, run } = await executeWorkflow(n8n, 'smartImageE2eFailing');
		expect(code).toBe(0);
		const items = outputOf(run, 'Smart Resize');
		expect(items).toHaveLength(1);
		expect(String(items[0].json.error)).toMatch(
			/^Emulated failure \(emulate:fail\): Segmind could not process the job for "product"/,
		);
		expect(items[0].json.sourceName).toBe('product');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Retry On Fail never pays twice: 5 submits for 5 items over 3 tries, none on the re-run', async () => {
		const jobsBefore = (await emulator.control.jobs()).length;
		await emulator.control.injectFault({
			origin: 'media',
			pathPrefix: '/media/',
			fault: { type: 'status', status: 404 },
			times: 1000,
		});
		const failed = await executeWorkflow(n8n, 'smartImageRetry1');
		await emulator.control.clearFaults();
		expect(String(failed.run.data.resultData.error?.message)).toMatch(/Could not download/);
		expect(failed.run.data.resultData.runData['Smart Resize']).toHaveLength(1);
		expect((await emulator.control.jobs()).length - jobsBefore).toBe(5);

		// The next execution reads the static data n8n saved after the failed one.
		const rerun = await executeWorkflow(n8n, 'smartImageRetry1');
		expect(rerun.run.data.resultData.error).toBeUndefined();
		const items = outputOf(rerun.run, 'Smart Resize');
		expect(items).toHaveLength(5);
		expect(items.every((item) => item.json.reusedJob === true)).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 5 }, (_, index) => ({ item: index })),
		);
		expect((await emulator.control.jobs()).length - jobsBefore).toBe(5);
	});

	test('no API key ever reached the media origin, and each key only its own API', async () => {
		const log = await emulator.control.requests();
		const media = log.filter((entry) => entry.origin === 'media');
		expect(media.length).toBeGreaterThan(0);
		expect(media.filter((entry) => entry.receivedApiKey)).toEqual([]);
		expect(
			new Set(
				log.filter((entry) => entry.origin === 'pixazo').flatMap((entry) => entry.presentedKeyIds),
			),
		).toEqual(new Set(['pixazo:valid']));
		expect(
			new Set(
				log
					.filter((entry) => entry.origin === 'segmind' && !entry.path.startsWith('/__emulator'))
					.flatMap((entry) => entry.presentedKeyIds),
			),
		).toEqual(new Set(['segmind:valid']));
	});

	test('the editor lists the four nodes with icons and codex, and tests both credentials', async () => {
		const editor = await startEditor(n8n);
		try {
			const rest = await ownerRest(editor.port);
			const types = (await rest('GET', '/types/nodes.json')).body as Array<{
				name: string;
				iconUrl?: string | { light: string; dark: string };
				codex?: { categories?: string[]; alias?: string[] };
			}>;
			const ours = types.filter((type) => type.name.startsWith('n8n-nodes-smart-image.'));
			// Each node, and its AI-agent tool variant (usableAsTool).
			expect(ours.map((type) => type.name).sort()).toEqual(
				['smartConvert', 'smartReframe', 'smartRelight', 'smartResize'].flatMap((name) => [
					`n8n-nodes-smart-image.${name}`,
					`n8n-nodes-smart-image.${name}Tool`,
				]),
			);
			for (const type of ours) {
				if (!type.name.endsWith('Tool')) {
					// The codex file (X.node.json) as n8n read it: categories and search aliases.
					const base = type.name.slice('n8n-nodes-smart-image.'.length);
					const folder = base[0].toUpperCase() + base.slice(1);
					const codex = JSON.parse(
						readFileSync(join(root, 'nodes', folder, `${folder}.node.json`), 'utf8'),
					) as { categories: string[]; alias: string[] };
					expect(type.codex).toMatchObject({ categories: codex.categories, alias: codex.alias });
				}
				expect(type.iconUrl).toMatchObject({ light: expect.any(String), dark: expect.any(String) });
				const { light, dark } = type.iconUrl as { light: string; dark: string };
				for (const url of [light, dark]) {
					const icon = await rest('GET', `/${url}`);
					expect(icon.status).toBe(200);
					expect(String(icon.body)).toMatch(/<svg/);
				}
			}

			const test = async (type: string, data: Record<string, string>) => {
				const response = await rest('POST', '/rest/credentials/test', {
					// An imported credential the owner may use, tested with the data given here.
					credentials: {
						id: type === 'segmindApi' ? 'smartImageEmulator' : 'pixazoEmulator',
						name: 'x',
						type,
						data,
					},
				});
				const result = (response.body as { data?: { status: string; message: string } }).data;
				if (!result)
					throw new Error(`credentials/test: ${response.status} ${JSON.stringify(response.body)}`);
				return result;
			};
			const segmind = { baseUrl: emulator.segmindUrl, uploadUrl: emulator.uploadUrl };
			expect(
				await test('segmindApi', { ...segmind, apiKey: TEST_KEYS.segmind.valid }),
			).toMatchObject({
				status: 'OK',
			});
			// n8n 1.x does not apply a credential's responseCode rules to an HTTP error (the rule's
			// message is lost): the test still fails, with n8n's own message for a 401.
			expect(await test('segmindApi', { ...segmind, apiKey: 'wrong-key' })).toEqual({
				status: 'Error',
				message: version.startsWith('1.')
					? 'Authorization failed - please check your credentials'
					: 'The API key was rejected. Copy it again from the Segmind console (API Keys).',
			});
			const pixazo = { baseUrl: emulator.pixazoUrl };
			expect(await test('pixazoApi', { ...pixazo, apiKey: TEST_KEYS.pixazo.valid })).toMatchObject({
				status: 'OK',
			});
			expect(await test('pixazoApi', { ...pixazo, apiKey: 'wrong-key' })).toMatchObject({
				status: 'Error',
				message: expect.stringMatching(/The subscription key was rejected/),
			});
		} finally {
			await editor.stop();
		}
	}, 300_000);

	/**
	 * The executions list's two Retry buttons on a failed execution of the Retry On Fail workflow,
	 * in a regular (single-process) n8n: "Retry with currently saved workflow" (loadWorkflow: true)
	 * and "Retry with original workflow" (loadWorkflow: false).
	 */
	test('Retry of a failed execution: no job is paid twice with the saved workflow; with the original one, only n8n 1.x reuses', async () => {
		const failOnce = async () => {
			await emulator.control.injectFault({
				origin: 'media',
				pathPrefix: '/media/',
				fault: { type: 'status', status: 404 },
				times: 1000,
			});
			const failed = await executeWorkflow(n8n, 'smartImageRetry1');
			await emulator.control.clearFaults();
			expect(failed.run.data.resultData.error).toBeDefined();
		};
		const submits = async () => (await emulator.control.jobs()).length;
		const editor = await startEditor(n8n);
		try {
			const rest = await ownerRest(editor.port);
			const failedIds = async () => {
				const filter = encodeURIComponent(
					JSON.stringify({ workflowId: 'smartImageRetry1', status: ['error'] }),
				);
				const response = await rest('GET', `/rest/executions?filter=${filter}`);
				const list = response.body as { data?: { results?: Array<{ id: string }> } };
				if (!list.data?.results) {
					throw new Error(
						`executions list: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
					);
				}
				return list.data.results.map((execution) => execution.id);
			};
			/** The failed execution that appeared since `seen`: the CLI's, through the shared database. */
			const newFailed = async (seen: string[]) => {
				for (let attempt = 0; attempt < 20; attempt++) {
					const fresh = (await failedIds()).filter((id) => !seen.includes(id));
					if (fresh.length === 1) return fresh[0];
					await new Promise((resolve) => setTimeout(resolve, 500));
				}
				throw new Error('the failed execution was not listed');
			};
			const figures: Record<string, number> = {};
			for (const loadWorkflow of [true, false]) {
				const before = await submits();
				const seen = await failedIds();
				await failOnce();
				expect((await submits()) - before).toBe(5);
				const retried = await rest('POST', `/rest/executions/${await newFailed(seen)}/retry`, {
					loadWorkflow,
				});
				expect(retried.status).toBe(200);
				expect((retried.body as { data: { status: string } }).data.status).toBe('success');
				figures[loadWorkflow ? 'savedWorkflow' : 'originalWorkflow'] =
					(await submits()) - before - 5;
			}
			console.log(`n8n ${version}: submits paid again by a Retry: ${JSON.stringify(figures)}`);
			// n8n 2.x keeps no static data in an execution's copy of the workflow, so a Retry with the
			// original workflow starts without the record and pays again; n8n 1.x keeps it there.
			expect(figures).toEqual({
				savedWorkflow: 0,
				originalWorkflow: version.startsWith('1.') ? 0 : 5,
			});
		} finally {
			await editor.stop();
		}
	}, 300_000);
}
