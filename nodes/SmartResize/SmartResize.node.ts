import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { imageNodeProperties, imageNodeSubtitle, providerSubtitle } from '../shared/description';
import { executeImageNode } from '../shared/execute';
import { smartResizeModel } from '../shared/models/smartResize';

export class SmartResize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Resize',
		name: 'smartResize',
		icon: { light: 'file:smartResize.svg', dark: 'file:smartResize.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: imageNodeSubtitle(
			smartResizeModel,
			`${providerSubtitle(smartResizeModel.key)} + ": " + `,
		),
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
		properties: imageNodeProperties(smartResizeModel),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, smartResizeModel);
	}
}
