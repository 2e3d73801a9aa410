import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeImageNode } from '../shared/imageNode';
import { convertModel, TARGET_FORMAT_OPTIONS } from '../shared/models/convert';
import { inputImageProperties, jobProperties, operationProperty } from '../shared/properties';

const CONVERT = 'convert';

export class SmartConvert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smart Convert',
		name: 'smartConvert',
		icon: { light: 'file:smartConvert.svg', dark: 'file:smartConvert.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getResult" ? "Get Result" : "To " + $parameter["targetFormat"].toUpperCase() }}',
		description: 'Convert an image to PNG, JPG, GIF, BMP, TIFF or WebP (Segmind Image Converter)',
		defaults: { name: 'Smart Convert' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: [
			operationProperty({
				name: 'Convert',
				value: CONVERT,
				action: 'Convert an image to another format',
				description: 'Change the file format of the image',
			}),
			...inputImageProperties(CONVERT),
			{
				displayName: 'Target Format',
				name: 'targetFormat',
				type: 'options',
				options: TARGET_FORMAT_OPTIONS,
				default: 'png',
				description: 'The new format; the output file takes its extension',
				displayOptions: { show: { operation: [CONVERT] } },
			},
			...jobProperties(CONVERT, true, [
				{
					displayName: 'Send Binary As',
					name: 'binaryUpload',
					type: 'options',
					options: [
						{
							name: 'Inline Base64',
							value: 'inline',
							description: 'Send the file inside the request; no upload step',
						},
						{
							name: 'Upload First',
							value: 'upload',
							description: 'Upload the file and send its URL; better for large files',
						},
					],
					default: 'inline',
					displayOptions: { show: { '/operation': [CONVERT], '/inputSource': ['binary'] } },
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeImageNode(this, convertModel);
	}
}
