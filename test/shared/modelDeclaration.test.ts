/**
 * Adding a model: its file declares its fields once and says how checked values become a body.
 * This test builds a fifth model from such a declaration alone, puts it in a node the way the
 * package's node files do (a description header plus imageNodeProperties and executeImageNode),
 * and runs it through the n8n engine against the emulator.
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { imageNodeProperties } from '../../nodes/shared/description';
import { executeImageNode } from '../../nodes/shared/execute';
import { choiceField, textField } from '../../nodes/shared/fields';
import { defineModel, servedBy } from '../../nodes/shared/model';
import { segmindProvider } from '../../nodes/shared/providers/segmind';
import { PACKAGE, registerNodeType } from '../../harness/n8n';
import {
	FAST_POLLING,
	imageOf,
	runNode,
	sampleUrl,
	segmindCredentials,
	useEmulator,
} from '../helpers';

const env = useEmulator();

/** "Web Export": the converter model, narrowed to web formats, with a file-name suffix field. */
const webExportModel = defineModel({
	key: 'convert',
	operation: {
		name: 'Export for Web',
		value: 'export',
		action: 'Export an image for the web',
		description: 'Save the image in a web format',
	},
	fields: {
		webFormat: choiceField({
			displayName: 'Web Format',
			options: [
				{ name: 'WebP', value: 'webp' },
				{ name: 'PNG', value: 'png' },
				{ name: 'JPEG', value: 'jpeg' },
			],
			default: 'webp',
		}),
		suffix: textField({ displayName: 'File Suffix', placement: 'option', default: 'web' }),
	},
	syncModeOffered: false,
	toParams: (values) => values,
	buildBody: (params, image) => ({ image_url: image, target_format: params.webFormat }),
	expectedOutputs: () => [{ variant: 1 }],
	fileName: ({ baseName, info, params }) =>
		`${baseName}_${params?.suffix ?? 'web'}.${info.extension}`,
	outputJson: (params) => ({ webFormat: params.webFormat }),
	subtitle: '"As " + $parameter["webFormat"]',
});

const webExport = servedBy(webExportModel, segmindProvider);

class WebExport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Web Export',
		name: 'webExport',
		group: ['transform'],
		version: 1,
		description: 'A model built from its declaration alone',
		defaults: { name: 'Web Export' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: imageNodeProperties(webExport),
	};

	async execute(this: IExecuteFunctions) {
		return executeImageNode(this, webExport);
	}
}
registerNodeType(`${PACKAGE}.webExport`, new WebExport());

const parameters = (extra: Record<string, unknown> = {}) => ({
	operation: 'export',
	inputSource: 'url',
	imageUrl: sampleUrl(env.emulator),
	...extra,
	options: { ...FAST_POLLING, ...((extra.options as object) ?? {}) },
});

describe('a model built from its declaration alone', () => {
	test('its node shows its fields, with the shared input, waiting and output fields', () => {
		const properties = new WebExport().description.properties;
		const names = properties.map((property) => property.name);
		expect(names).toEqual([
			'operation',
			'inputSource',
			'binaryPropertyName',
			'imageUrl',
			'webFormat',
			'imageSettings',
			'waitForCompletion',
			'requestId',
			'ifStillRunning',
			'fileNamePrefix',
			'output',
			'options',
		]);
		const webFormat = properties.find((property) => property.name === 'webFormat');
		expect(webFormat).toMatchObject({
			type: 'options',
			default: 'webp',
			displayOptions: { show: { operation: ['export'] } },
		});
		const options = properties.find((property) => property.name === 'options')
			?.options as INodeProperties[];
		expect(options.find((option) => option.name === 'suffix')).toMatchObject({
			displayName: 'File Suffix',
			default: 'web',
			displayOptions: { show: { '/operation': ['export'] } },
		});
	});

	test('runs through the engine: the declared default, the provider model id, its own naming', async () => {
		const { items, error } = await runNode(
			'webExport',
			parameters(),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			provider: 'segmind',
			model: 'image-converter',
			webFormat: 'webp',
			format: 'webp',
			fileName: 'product_web.webp',
		});
		expect((await imageOf(items[0])).format).toBe('webp');
	});

	test('a value outside its declaration is refused with the field and the allowed values, before any request', async () => {
		const { error } = await runNode(
			'webExport',
			parameters({ webFormat: 'gif' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toBe('Invalid "Web Format": "gif". Allowed: webp, png, jpeg');
		expect(await env.emulator.control.requests()).toEqual([]);
	});
});
