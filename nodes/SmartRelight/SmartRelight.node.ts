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
import { relightModel } from '../shared/models/relight';
import { segmindProvider } from '../shared/providers/segmind';

const model = servedBy(relightModel, segmindProvider);

export class SmartRelight implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Relight',
		name: 'smartRelight',
		icon: { light: 'file:smartRelight.svg', dark: 'file:smartRelight.dark.svg' },
		group: ['transform'],
		// Version 2 moved the settings that shape the image into Image Settings; version 1 workflows
		// keep them in Options, where they were saved.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: imageNodeSubtitle(model),
		description:
			'Relight a photo by light direction, type, temperature and intensity with AI (Segmind Relighting)',
		defaults: { name: 'Smart Relight' },
		// Used as it is by the editor's Docs link; the codex URL alone gets utm parameters appended
		// after its #anchor, which breaks the anchor.
		documentationUrl:
			'https://github.com/n8n-nodes-smart-image/n8n-nodes-smart-image#smart-relight',
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
