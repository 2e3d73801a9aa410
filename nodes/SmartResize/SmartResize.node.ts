import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { imageNodeProperties, imageNodeSubtitle } from '../shared/description';
import { executeImageNode } from '../shared/execute';
import { servedBy } from '../shared/model';
import { smartResizeModel } from '../shared/models/smartResize';
import { segmindProvider } from '../shared/providers/segmind';

// Earlier versions offered a second provider through a Provider field. Workflows saved with
// provider "segmind" load unchanged: n8n drops a stored parameter the node no longer declares.
const model = servedBy(smartResizeModel, segmindProvider);

export class SmartResize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Resize',
		name: 'smartResize',
		icon: { light: 'file:smartResize.svg', dark: 'file:smartResize.dark.svg' },
		group: ['transform'],
		// Version 2 moved the settings that shape the image into Image Settings; version 1 workflows
		// keep them in Options, where they were saved.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: imageNodeSubtitle(model),
		description:
			'Recompose one image into up to 10 ad and social sizes with AI (Segmind Smart Banner Resizer)',
		defaults: { name: 'Smart Resize' },
		// Used as it is by the editor's Docs link; the codex URL alone gets utm parameters appended
		// after its #anchor, which breaks the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-smart-image/n8n-nodes-smart-image#smart-resize',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: imageNodeProperties(model, { imageSettingsSince: 2 }),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, model);
	}
}
