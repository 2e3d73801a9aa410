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
import { reframeModel } from '../shared/models/reframe';
import { segmindProvider } from '../shared/providers/segmind';

const model = servedBy(reframeModel, segmindProvider);

export class SmartReframe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Reframe',
		name: 'smartReframe',
		icon: { light: 'file:smartReframe.svg', dark: 'file:smartReframe.dark.svg' },
		group: ['transform'],
		// Version 2 moved the settings that shape the image into Image Settings; version 1 workflows
		// keep them in Options, where they were saved.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: imageNodeSubtitle(model),
		description:
			'Give an image a new shape, such as a wide banner, painting the new edges with AI (Segmind Ideogram Reframe)',
		defaults: { name: 'Smart Reframe' },
		// Used as it is by the editor's Docs link; the codex URL alone gets utm parameters appended
		// after its #anchor, which breaks the anchor.
		documentationUrl:
			'https://github.com/n8n-nodes-smart-image/n8n-nodes-smart-image#smart-reframe',
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
