/**
 * One declaration per field: the editor default, the value read when the field is absent, and the
 * schema that checks it all come from the same place. These tests fail if they ever drift apart,
 * first on the declarations themselves, then through the engine, where n8n fills in the editor
 * defaults of a node whose parameters were never touched.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	GET_RESULT_FIELDS,
	INPUT_FIELDS,
	OUTPUT_FIELDS,
	runFields,
} from '../../nodes/shared/commonFields';
import { imageNodeProperties } from '../../nodes/shared/description';
import { fieldProperties } from '../../nodes/shared/fields';
import type { FieldSet } from '../../nodes/shared/fields';
import { convertModel } from '../../nodes/shared/models/convert';
import { reframeModel } from '../../nodes/shared/models/reframe';
import { relightModel } from '../../nodes/shared/models/relight';
import { smartResizeModel } from '../../nodes/shared/models/smartResize';
import { servedBy } from '../../nodes/shared/model';
import type { ModelDeclaration } from '../../nodes/shared/model';
import { segmindProvider } from '../../nodes/shared/providers/segmind';
import { SmartConvert } from '../../nodes/SmartConvert/SmartConvert.node.ts';
import { SmartReframe } from '../../nodes/SmartReframe/SmartReframe.node.ts';
import { SmartRelight } from '../../nodes/SmartRelight/SmartRelight.node.ts';
import { SmartResize } from '../../nodes/SmartResize/SmartResize.node.ts';
import { PixazoSmartResize } from '../../packages/n8n-nodes-pixazo/nodes/PixazoSmartResize/PixazoSmartResize.node.ts';
import { pixazoProvider } from '../../packages/n8n-nodes-pixazo/providers/pixazo';
import { FAST_POLLING, runNode, sampleUrl, segmindCredentials, useEmulator } from '../helpers';

const env = useEmulator();

const MODELS: ModelDeclaration[] = [smartResizeModel, reframeModel, relightModel, convertModel];
/** The sibling package's node: the same Smart Resize model, served by Pixazo. */
const PIXAZO_SMART_RESIZE = servedBy(smartResizeModel, pixazoProvider);

/** Every field set a node is built from, with where it came from for the test names. */
const FIELD_SETS: Array<[string, FieldSet]> = [
	['input', INPUT_FIELDS],
	['run (with direct mode)', runFields(true)],
	['run (queue only)', runFields(false)],
	['Get Result', GET_RESULT_FIELDS],
	['output and options', OUTPUT_FIELDS],
	...MODELS.map((model): [string, FieldSet] => [`model ${model.key}`, model.fields]),
	...[...MODELS.map((model) => servedBy(model, segmindProvider)), PIXAZO_SMART_RESIZE].map(
		(model): [string, FieldSet] => [
			`${model.provider.id} for ${model.key}`,
			model.provider.models[model.key].fields ?? {},
		],
	),
];

/** Fields that must be filled in by the user: their empty default is refused on purpose. */
const MUST_BE_FILLED = new Set(['imageUrl']);

describe('every declared field', () => {
	const fields = FIELD_SETS.flatMap(([where, set]) =>
		Object.entries(set).map(([name, field]) => ({ where, name, field })),
	);

	test.each(fields.map((entry) => [`${entry.where}: ${entry.name}`, entry] as const))(
		'%s: its editor default passes its own check',
		(_, { name, field }) => {
			const checked = field.schema.safeParse(field.property.default);
			expect(checked.success).toBe(!MUST_BE_FILLED.has(name));
		},
	);

	test.each(FIELD_SETS)('%s: the editor shows each field with its declared default', (_, set) => {
		const { fields: shown, options } = fieldProperties(set);
		for (const property of [...shown, ...options]) {
			expect(property.default).toEqual(set[property.name].property.default);
			expect(property.displayName).toBe(set[property.name].property.displayName);
		}
	});
});

describe('node descriptions are assembled from the declarations', () => {
	const NODES = [
		[new SmartResize(), servedBy(smartResizeModel, segmindProvider)],
		[new SmartReframe(), servedBy(reframeModel, segmindProvider)],
		[new SmartRelight(), servedBy(relightModel, segmindProvider)],
		[new SmartConvert(), servedBy(convertModel, segmindProvider)],
		[new PixazoSmartResize(), PIXAZO_SMART_RESIZE],
	] as const;

	test.each(NODES.map(([node, model]) => [node.description.displayName, node, model] as const))(
		'%s lists every model field once, with its declared default',
		(_, node, model) => {
			const properties = node.description.properties;
			const collection = (name: string) =>
				(properties.find((property) => property.name === name)?.options ?? []) as INodeProperties[];
			// Versions 1 and 2: version 2 moved the image's settings out of Options into Image Settings.
			const versioned = Array.isArray(node.description.version);
			const places = {
				field: properties,
				image: collection('imageSettings'),
				option: collection('options'),
			};
			for (const [name, field] of Object.entries(model.fields)) {
				const matches = places[field.placement].filter((property) => property.name === name);
				expect(matches).toHaveLength(1);
				expect(matches[0].default).toEqual(field.property.default);
				const legacy = places.option.filter((property) => property.name === name);
				if (field.placement === 'image') expect(legacy).toHaveLength(versioned ? 1 : 0);
			}
			expect(properties).toEqual(
				imageNodeProperties(model, { imageSettingsSince: versioned ? 2 : 1 }),
			);
		},
	);

	test('no two properties of a node share a name', () => {
		for (const [node] of NODES) {
			const names = node.description.properties.map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});
});

describe('a node left at its defaults sends the declared defaults', () => {
	const input = () => ({
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		options: FAST_POLLING,
	});

	test('Smart Resize: the three default presets, one variant, 1K PNG', async () => {
		const { items, error } = await runNode(
			'smartResize',
			{ operation: 'resize', ...input() },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.size, item.json.format, item.json.variant])).toEqual([
			['1080x1080', 'png', 1],
			['1080x1920', 'png', 1],
			['1200x628', 'png', 1],
		]);
	});

	test('Smart Reframe: aspect ratio 16:9, general style', async () => {
		const { items, error } = await runNode(
			'smartReframe',
			{ operation: 'reframe', ...input() },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			resolution: 'RESOLUTION_1280_720',
			requestedAspectRatio: '16:9',
			styleType: 'GENERAL',
			size: '1280x720',
		});
	});

	test('Smart Relight: ambient neutral medium light from the top', async () => {
		const { items, error } = await runNode(
			'smartRelight',
			{ operation: 'relight', ...input() },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			lightDirection: 'top',
			lightType: 'ambient',
			lightTemperature: 'neutral',
			lightIntensity: 'medium',
		});
	});

	test('Smart Convert: PNG', async () => {
		const { items, error } = await runNode(
			'smartConvert',
			{ operation: 'convert', ...input() },
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ targetFormat: 'png', format: 'png' });
	});
});

describe('saved workflows keep their settings across the Image Settings move', () => {
	const resize = (settings: Record<string, unknown>) => ({
		operation: 'resize',
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		sizePresets: ['iabMediumRectangle'],
		variantsPerSize: 1,
		...settings,
	});
	const formats = (items: Array<{ json: Record<string, unknown> }>) =>
		items.map((item) => [item.json.format, item.json.fileName]);

	test('version 1 reads them from Options, where it saved them', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({ options: { ...FAST_POLLING, outputFormat: 'jpeg', fileNamePrefix: 'old' } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
			{ typeVersion: 1 },
		);
		expect(error).toBeUndefined();
		expect(formats(items)).toEqual([['jpeg', 'old_300x250_1.jpg']]);
	});

	test('version 2 reads them from Image Settings', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({
				imageSettings: { outputFormat: 'webp', fileNamePrefix: 'new' },
				options: FAST_POLLING,
			}),
			[{ json: {} }],
			segmindCredentials(env.emulator),
			{ typeVersion: 2 },
		);
		expect(error).toBeUndefined();
		expect(formats(items)).toEqual([['webp', 'new_300x250_1.webp']]);
	});

	test('version 2 shows no image setting in Advanced Options, and n8n drops one found there', async () => {
		const { items, error } = await runNode(
			'smartResize',
			resize({ options: { ...FAST_POLLING, outputFormat: 'jpeg' } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
			{ typeVersion: 2 },
		);
		expect(error).toBeUndefined();
		expect(formats(items)).toEqual([['png', 'product_300x250_1.png']]);
	});
});
