/**
 * Adding a provider is a gateway file, a credential type and one registry entry. This test does
 * exactly that for a third, test-only provider (test/support/acme/), then runs Smart Resize on it
 * through the n8n engine, with nothing else changed.
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { imageNodeProperties } from '../../nodes/shared/description';
import { executeImageNode } from '../../nodes/shared/execute';
import { smartResizeModel } from '../../nodes/shared/models/smartResize';
import {
	providerById,
	providersServing,
	registerProvider,
} from '../../nodes/shared/providers/registry';
import { SmartResize } from '../../nodes/SmartResize/SmartResize.node.ts';
import { PACKAGE, registerCredentialType, registerNodeType } from '../../harness/n8n';
import { imageOf, runNode, sampleUrl, useEmulator } from '../helpers';
import { AcmeApi } from '../support/acme/AcmeApi.credentials';
import { openAcmeGateway } from '../support/acme/acmeGateway';
import { ACME_KEY, startAcmeServer } from '../support/acme/acmeServer';
import type { AcmeServer } from '../support/acme/acmeServer';

const env = useEmulator();
let acme: AcmeServer;

/** The registry entry: everything the package needs to know about Acme. */
registerProvider({
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
			description: 'Acme Resize (Acme API credential)',
			// Acme names the shared fields its own way.
			adaptBody: (body: IDataObject) => ({
				image: body.image_url,
				sizes: body.target_sizes,
				count: body.num_images_per_size,
				format: body.output_format,
			}),
		},
	},
});
registerCredentialType(new AcmeApi());

/** Smart Resize as the package ships it, its description built now that Acme is registered. */
class SmartResizeWithAcme implements INodeType {
	description: INodeTypeDescription = {
		...new SmartResize().description,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providersServing(smartResizeModel.key).map((entry) => ({
			name: entry.credentialName,
			required: true,
			displayOptions: { show: { provider: [entry.id] } },
		})),
		properties: imageNodeProperties(smartResizeModel),
	};

	async execute(this: IExecuteFunctions) {
		return executeImageNode(this, smartResizeModel);
	}
}
registerNodeType(`${PACKAGE}.smartResizeWithAcme`, new SmartResizeWithAcme());

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
		provider: 'acme',
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		sizePresets: [],
		customSizes: '640x360, 300x600',
		variantsPerSize: 2,
		output: 'binary',
		options: { pollIntervalSeconds: 0.1, maxWaitSeconds: 30, outputFormat: 'webp' },
		...parameters,
	};
}

describe('a third provider added through the registry', () => {
	test('is offered by the Provider field, after the built-in ones', () => {
		expect(providerById('acme')?.label).toBe('Acme');
		const provider = new SmartResizeWithAcme().description.properties.find(
			(property) => property.name === 'provider',
		);
		expect(provider?.options?.map((option) => (option as { value: string }).value)).toEqual([
			'segmind',
			'pixazo',
			'acme',
		]);
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
				provider: 'acme',
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
