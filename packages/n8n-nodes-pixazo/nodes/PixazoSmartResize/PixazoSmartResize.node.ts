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
		// Used as it is by the editor's Docs link; the codex URL alone gets utm parameters appended
		// after its #anchor, which breaks the anchor.
		documentationUrl:
			'https://github.com/n8n-nodes-smart-image/n8n-nodes-smart-image/tree/main/packages/n8n-nodes-pixazo#pixazo-smart-resize',
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
