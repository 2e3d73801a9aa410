import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeImageNode } from '../shared/imageNode';
import { lightOptions, relightModel } from '../shared/models/relight';
import { inputImageProperties, jobProperties, operationProperty } from '../shared/properties';

const RELIGHT = 'relight';
const onRelight = { show: { operation: [RELIGHT] } };

export class SmartRelight implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Relight',
		name: 'smartRelight',
		icon: { light: 'file:smartRelight.svg', dark: 'file:smartRelight.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getResult" ? "Get Result" : $parameter["lightType"] + " light from " + $parameter["lightDirection"] }}',
		description:
			'Relight a photo by light direction, type, temperature and intensity with AI (Segmind Relighting)',
		defaults: { name: 'Smart Relight' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: [
			operationProperty({
				name: 'Relight',
				value: RELIGHT,
				action: 'Relight an image',
				description: 'Change the lighting of the image',
			}),
			...inputImageProperties(RELIGHT),
			{
				displayName: 'Light Direction',
				name: 'lightDirection',
				type: 'options',
				options: lightOptions('lightDirection'),
				default: 'top',
				description: 'Where the light comes from; Back gives a rim light behind the subject',
				displayOptions: onRelight,
			},
			{
				displayName: 'Light Type',
				name: 'lightType',
				type: 'options',
				options: lightOptions('lightType'),
				default: 'ambient',
				description: 'The kind of light source',
				displayOptions: onRelight,
			},
			{
				displayName: 'Light Temperature',
				name: 'lightTemperature',
				type: 'options',
				options: lightOptions('lightTemperature'),
				default: 'neutral',
				description: 'The colour of the light',
				displayOptions: onRelight,
			},
			{
				displayName: 'Light Intensity',
				name: 'lightIntensity',
				type: 'options',
				options: lightOptions('lightIntensity'),
				default: 'medium',
				description: 'How strong the light is; Mood keeps it low and dramatic',
				displayOptions: onRelight,
			},
			...jobProperties(RELIGHT, true),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, relightModel);
	}
}
