import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { imageNodeProperties, imageNodeSubtitle } from '../../../../nodes/shared/description';
import { executeImageNode } from '../../../../nodes/shared/execute';
import { servedBy } from '../../../../nodes/shared/model';
import { smartResizeModel } from '../../../../nodes/shared/models/smartResize';
import { pixazoProvider } from '../../providers/pixazo';

const model = servedBy(smartResizeModel, pixazoProvider);

export class PixazoSmartResize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pixazo Smart Resize',
		name: 'pixazoSmartResize',
		icon: { light: 'file:pixazoSmartResize.svg', dark: 'file:pixazoSmartResize.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: imageNodeSubtitle(model),
		description:
			'Recompose one image into up to 10 ad and social sizes with AI (Pixazo Smart Resize)',
		defaults: { name: 'Pixazo Smart Resize' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pixazoApi', required: true }],
		properties: imageNodeProperties(model),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, model);
	}
}
