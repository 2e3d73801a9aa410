import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { imageNodeProperties, imageNodeSubtitle } from '../shared/description';
import { executeImageNode } from '../shared/execute';
import { reframeModel } from '../shared/models/reframe';

export class SmartReframe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Reframe',
		name: 'smartReframe',
		icon: { light: 'file:smartReframe.svg', dark: 'file:smartReframe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: imageNodeSubtitle(reframeModel),
		description:
			'Outpaint an image to a new size or aspect ratio with AI (Segmind Ideogram Reframe)',
		defaults: { name: 'Smart Reframe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: imageNodeProperties(reframeModel),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, reframeModel);
	}
}
