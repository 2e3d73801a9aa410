import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeImageNode } from '../shared/imageNode';
import { SIZE_PRESET_OPTIONS, smartResizeModel } from '../shared/models/smartResize';
import { inputImageProperties, jobProperties, operationProperty } from '../shared/properties';

const RESIZE = 'resize';
const onResize = { show: { operation: [RESIZE] } };
// Inside a collection, displayOptions paths are relative to the collection; '/' reaches the node's own fields.
const optionOnResize = { show: { '/operation': [RESIZE] } };

export class SmartResize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Resize',
		name: 'smartResize',
		icon: { light: 'file:smartResize.svg', dark: 'file:smartResize.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ($parameter["provider"] === "pixazo" ? "Pixazo" : "Segmind") + ": " + ($parameter["operation"] === "getResult" ? "Get Result" : "Resize") }}',
		description:
			'Recompose one image into up to 10 ad and social sizes with AI (Segmind or Pixazo)',
		defaults: { name: 'Smart Resize' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'segmindApi', required: true, displayOptions: { show: { provider: ['segmind'] } } },
			{ name: 'pixazoApi', required: true, displayOptions: { show: { provider: ['pixazo'] } } },
		],
		properties: [
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Segmind',
						value: 'segmind',
						description: 'Segmind Smart Banner Resizer (Segmind API credential)',
					},
					{
						name: 'Pixazo',
						value: 'pixazo',
						description: 'Pixazo Smart Resize (Pixazo API credential)',
					},
				],
				default: 'segmind',
			},
			operationProperty({
				name: 'Resize',
				value: RESIZE,
				action: 'Resize an image to several sizes',
				description: 'Recompose the image into each target size, keeping the subject in frame',
			}),
			...inputImageProperties(RESIZE),
			{
				displayName: 'Preset Sizes',
				name: 'sizePresets',
				type: 'multiOptions',
				options: SIZE_PRESET_OPTIONS,
				default: ['instagramPost', 'instagramStory', 'facebookLink'],
				description:
					'Common social and IAB ad sizes. Combined with Custom Sizes: 1 to 10 different sizes in total.',
				displayOptions: onResize,
			},
			{
				displayName: 'Custom Sizes',
				name: 'customSizes',
				type: 'string',
				default: '',
				placeholder: '1024x1024, 1920x1080',
				description:
					'More sizes as WIDTHxHEIGHT, separated by commas. Duplicates of preset sizes are dropped.',
				displayOptions: onResize,
			},
			{
				displayName: 'Variants per Size',
				name: 'variantsPerSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 4 },
				default: 1,
				description: 'How many different recompositions to make of each size (1-4); each is billed',
				displayOptions: onResize,
			},
			...jobProperties(RESIZE, false, [
				{
					displayName: 'Output Format',
					name: 'outputFormat',
					type: 'options',
					options: [
						{ name: 'PNG', value: 'png' },
						{ name: 'JPEG', value: 'jpeg' },
						{ name: 'WebP', value: 'webp' },
					],
					default: 'png',
					displayOptions: optionOnResize,
				},
				{
					displayName: 'Prompt',
					name: 'prompt',
					type: 'string',
					typeOptions: { rows: 2 },
					default: '',
					placeholder: 'keep the product centred, extend the background',
					description: 'Extra instruction for the recomposition, up to 5000 characters',
					displayOptions: optionOnResize,
				},
				{
					displayName: 'Resolution',
					name: 'resolution',
					type: 'options',
					options: [
						{ name: '1K', value: '1K' },
						{ name: '2K', value: '2K' },
						{ name: '4K', value: '4K' },
					],
					default: '1K',
					description: 'Rendering resolution tier; higher tiers cost more and take longer',
					displayOptions: optionOnResize,
				},
				{
					displayName: 'Return Data URIs',
					name: 'dataUris',
					type: 'boolean',
					default: false,
					description:
						'Whether Pixazo should return the images inline as data: URIs (its sync_mode) instead of CDN links; they are decoded locally. Best for small batches.',
					displayOptions: { show: { '/operation': [RESIZE], '/provider': ['pixazo'] } },
				},
				{
					displayName: 'Safety Tolerance',
					name: 'safetyTolerance',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 6 },
					default: 4,
					description: 'Content filter level, from 1 (strictest) to 6 (most permissive)',
					displayOptions: optionOnResize,
				},
				{
					displayName: 'Seed',
					name: 'seed',
					type: 'number',
					default: '',
					description: 'Fix the seed to get the same result again',
					displayOptions: optionOnResize,
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, smartResizeModel);
	}
}
