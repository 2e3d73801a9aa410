import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeImageNode } from '../shared/imageNode';
import { ASPECT_RATIO_OPTIONS, RESOLUTION_OPTIONS, reframeModel } from '../shared/models/reframe';
import { inputImageProperties, jobProperties, operationProperty } from '../shared/properties';

const REFRAME = 'reframe';
const onReframe = { show: { operation: [REFRAME] } };

export class SmartReframe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Reframe',
		name: 'smartReframe',
		icon: { light: 'file:smartReframe.svg', dark: 'file:smartReframe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getResult" ? "Get Result" : ($parameter["resolutionMode"] === "aspectRatio" ? "To " + $parameter["aspectRatio"] : "To " + $parameter["resolution"].replace("RESOLUTION_", "").replace("_", "×")) }}',
		description:
			'Outpaint an image to a new size or aspect ratio with AI (Segmind Ideogram Reframe)',
		defaults: { name: 'Smart Reframe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: [
			operationProperty({
				name: 'Reframe',
				value: REFRAME,
				action: 'Reframe an image to a new size',
				description: 'Extend the canvas to the chosen resolution and fill it to match the image',
			}),
			...inputImageProperties(REFRAME),
			{
				displayName: 'Size By',
				name: 'resolutionMode',
				type: 'options',
				options: [
					{
						name: 'Aspect Ratio',
						value: 'aspectRatio',
						description: 'Pick a shape; the closest supported resolution is used',
					},
					{
						name: 'Exact Resolution',
						value: 'resolution',
						description: 'Pick one of the 78 supported resolutions',
					},
				],
				default: 'aspectRatio',
				displayOptions: onReframe,
			},
			{
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				options: ASPECT_RATIO_OPTIONS,
				default: '16:9',
				description: 'The shape of the output. The output JSON says which resolution was chosen.',
				displayOptions: { show: { operation: [REFRAME], resolutionMode: ['aspectRatio'] } },
			},
			{
				displayName: 'Custom Aspect Ratio',
				name: 'customAspectRatio',
				type: 'string',
				default: '',
				placeholder: '7:5',
				description: 'WIDTH:HEIGHT, between 1:4 and 4:1',
				displayOptions: {
					show: { operation: [REFRAME], resolutionMode: ['aspectRatio'], aspectRatio: ['custom'] },
				},
			},
			{
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				options: RESOLUTION_OPTIONS,
				default: 'RESOLUTION_1024_1024',
				description:
					'Output size in pixels: square first, then landscape and portrait from nearly square to the most stretched',
				displayOptions: { show: { operation: [REFRAME], resolutionMode: ['resolution'] } },
			},
			{
				displayName: 'Style Type',
				name: 'styleType',
				type: 'options',
				options: [
					{ name: '3D Render', value: 'RENDER_3D' },
					{ name: 'Anime', value: 'ANIME' },
					{ name: 'Design', value: 'DESIGN' },
					{ name: 'General', value: 'GENERAL' },
					{ name: 'Realistic', value: 'REALISTIC' },
				],
				default: 'GENERAL',
				description: 'The look of the newly painted areas',
				displayOptions: onReframe,
			},
			...jobProperties(REFRAME, true, [
				{
					displayName: 'Seed',
					name: 'seed',
					type: 'number',
					typeOptions: { minValue: 100, maxValue: 999999 },
					default: '',
					description: 'Fix the seed (100-999999) to get the same result again',
					displayOptions: { show: { '/operation': [REFRAME] } },
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, reframeModel);
	}
}
