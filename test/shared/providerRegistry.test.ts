/**
 * Adding a provider is a gateway, its registry entry, a credential type and a node that offers it
 * (`servedBy`). This test does exactly that for a third, test-only provider (test/support/acme/),
 * then runs the Smart Resize model on it through the n8n engine, with nothing else changed. That is
 * also how the Pixazo package (packages/n8n-nodes-pixazo) is built on the shared core.
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { imageNodeProperties } from '../../nodes/shared/description';
import { executeImageNode } from '../../nodes/shared/execute';
import { servedBy } from '../../nodes/shared/model';
import { smartResizeModel } from '../../nodes/shared/models/smartResize';
import type { ProviderEntry } from '../../nodes/shared/providers/provider';
import { PACKAGE, registerCredentialType, registerNodeType } from '../../harness/n8n';
import { imageOf, runNode, sampleUrl, useEmulator } from '../helpers';
import { AcmeApi } from '../support/acme/AcmeApi.credentials';
import { openAcmeGateway } from '../support/acme/acmeGateway';
import { ACME_KEY, startAcmeServer } from '../support/acme/acmeServer';
import type { AcmeServer } from '../support/acme/acmeServer';

const env = useEmulator();
let acme: AcmeServer;

/** The registry entry: everything the package needs to know about Acme. */
const acmeProvider: ProviderEntry = {
	id: 'acme',
	label: 'Acme',
	credentialName: 'acmeApi',
	credentialLabel: 'Acme API',
	billingHint: 'Top up your Acme balance.',
	retentionHint: 'Acme keeps jobs for a day.',
	jobRetentionMs: 24 * 60 * 60_000,
	resultFilesHint: 'Acme keeps result files for a day.',
	minPollIntervalMs: 100,
	openGateway: openAcmeGateway,
	models: {
		smartResize: {
			id: 'acme-resize',
			// Acme names the shared fields its own way.
			adaptBody: (body: IDataObject) => ({
				image: body.image_url,
				sizes: body.target_sizes,
				count: body.num_images_per_size,
				format: body.output_format,
			}),
		},
	},
};
registerCredentialType(new AcmeApi());

const model = servedBy(smartResizeModel, acmeProvider);

/** A node file as the packages write them: the description header, then the shared core. */
class AcmeSmartResize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Acme Smart Resize',
		name: 'acmeSmartResize',
		group: ['transform'],
		version: 1,
		description: 'Smart Resize on Acme',
		defaults: { name: 'Acme Smart Resize' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'acmeApi', required: true }],
		properties: imageNodeProperties(model),
	};

	async execute(this: IExecuteFunctions) {
		return executeImageNode(this, model);
	}
}
registerNodeType(`${PACKAGE}.smartResizeWithAcme`, new AcmeSmartResize());

beforeAll(async () => {
	acme = await startAcmeServer();
});
afterAll(async () => {
	await acme.close();
});
beforeEach(() => {
	acme.requests.length = 0;
});

const credentials = () => ({ acmeApi: { apiKey: ACME_KEY, baseUrl: acme.url } });

function resizeOnAcme(parameters: IDataObject = {}) {
	return {
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		sizePresets: [],
		customSizes: '640x360, 300x600',
		variantsPerSize: 2,
		output: 'binary',
		options: { pollIntervalSeconds: 0.1, maxWaitSeconds: 30 },
		imageSettings: { outputFormat: 'webp' },
		...parameters,
	};
}

describe('a third provider added through the registry', () => {
	test("the node has the model's fields and no Provider field", () => {
		const names = new AcmeSmartResize().description.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['operation', 'sizePresets', 'customSizes']));
		expect(names).not.toContain('provider');
	});

	test('servedBy refuses a provider whose entry lacks the model', () => {
		expect(() => servedBy({ ...smartResizeModel, key: 'upscale' }, acmeProvider)).toThrow(
			'Acme has no entry for the model "upscale"',
		);
	});

	test('runs Smart Resize end to end: its field names, its key header, real images back', async () => {
		const { items, error } = await runNode(
			'smartResizeWithAcme',
			resizeOnAcme(),
			[{ json: {} }],
			credentials(),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		const sizes = [];
		for (const item of items) {
			const image = await imageOf(item);
			sizes.push(`${image.width}x${image.height}/${image.format}`);
			expect(item.json).toMatchObject({ provider: 'acme', model: 'acme-resize' });
			expect(String(item.json.requestId)).toMatch(/^acme_/);
		}
		expect(sizes).toEqual(['640x360/webp', '640x360/webp', '300x600/webp', '300x600/webp']);

		const submit = acme.requests.find((request) => request.method === 'POST');
		expect(submit?.body).toEqual({
			image: sampleUrl(env.emulator),
			sizes: ['640x360', '300x600'],
			count: 2,
			format: 'webp',
			model: 'acme-resize',
		});
		// The key goes to Acme's API only: never to its file host paths, never to Segmind or Pixazo.
		const api = acme.requests.filter((request) => !request.path.startsWith('/files/'));
		const files = acme.requests.filter((request) => request.path.startsWith('/files/'));
		expect(api.every((request) => request.keyValid)).toBe(true);
		expect(files).toHaveLength(4);
		expect(files.some((request) => request.keyPresent)).toBe(false);
		const emulatorLog = await env.emulator.control.requests();
		expect(emulatorLog.filter((request) => request.origin !== 'media')).toEqual([]);
		expect(emulatorLog.some((request) => request.receivedApiKey)).toBe(false);
	});

	test('Get Result fetches an Acme job submitted earlier, without a second submit', async () => {
		const submitted = await runNode(
			'smartResizeWithAcme',
			resizeOnAcme({ waitForCompletion: false, variantsPerSize: 1 }),
			[{ json: {} }],
			credentials(),
		);
		expect(submitted.items[0].json).toMatchObject({ provider: 'acme', status: 'WAITING' });
		const fetched = await runNode(
			'smartResizeWithAcme',
			{
				operation: 'getResult',
				requestId: submitted.items[0].json.requestId,
				options: { pollIntervalSeconds: 0.1, maxWaitSeconds: 30 },
			},
			[{ json: {} }],
			credentials(),
		);
		expect(fetched.error).toBeUndefined();
		expect(fetched.items).toHaveLength(2);
		expect(acme.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	test('its errors speak of Acme and its credential', async () => {
		const { error } = await runNode('smartResizeWithAcme', resizeOnAcme(), [{ json: {} }], {
			acmeApi: { apiKey: 'wrong-key', baseUrl: acme.url },
		});
		expect(error?.message).toMatch(/^Acme rejected the API key/);
		expect(error?.description).toContain('"Acme API" credential');
	});
});
