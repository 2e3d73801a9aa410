import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { formatFromMimeType, sniffImage } from './imageInfo';
import type { DownloadedImage } from './media';

export type InputSource = 'binary' | 'url';

/** The source image of one item, before it is turned into whatever the provider reads. */
export type InputImage =
	| { kind: 'url'; url: string; baseName: string }
	| { kind: 'binary'; data: Buffer; mimeType: string; baseName: string };

export interface InputImageParameters {
	source: InputSource;
	binaryPropertyName: string;
	imageUrl: string;
}

/**
 * Reads the item's source image. `getBinaryDataBuffer` resolves both in-memory binaries and the
 * `filesystem-v2:` ids that n8n 2.x stores on disk by default.
 */
export async function loadInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameters: InputImageParameters,
): Promise<InputImage> {
	if (parameters.source === 'url') {
		return {
			kind: 'url',
			url: parameters.imageUrl,
			baseName: baseNameFromUrl(parameters.imageUrl),
		};
	}
	const property = parameters.binaryPropertyName;
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, property);
	} catch {
		const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "Input Binary Field": the item has no binary field "${property}"`,
			{
				itemIndex,
				description: available.length
					? `The item has these binary fields: ${available.join(', ')}. Put one of them in "Input Binary Field".`
					: 'The item carries no binary data. Read the file first (for example with Read/Write Files from Disk or an HTTP Request node), or choose "Image URL" as the input.',
			},
		);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const sniffed = sniffImage(data);
	const mimeType = sniffed?.mimeType ?? binary.mimeType;
	if (!sniffed && !formatFromMimeType(mimeType)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid "Input Binary Field": "${property}" is not an image (${binary.mimeType || 'unknown type'})`,
			{
				itemIndex,
				description: 'Supported inputs are PNG, JPEG, WebP, GIF, BMP and TIFF images.',
			},
		);
	}
	const baseName = stripExtension(binary.fileName ?? '') || 'image';
	return { kind: 'binary', data, mimeType, baseName };
}

export function toDataUrl(image: { data: Buffer; mimeType: string }): string {
	return `data:${image.mimeType};base64,${image.data.toString('base64')}`;
}

function baseNameFromUrl(url: string): string {
	try {
		const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
		return stripExtension(decodeURIComponent(last)) || 'image';
	} catch {
		return 'image';
	}
}

function stripExtension(name: string): string {
	return name
		.replace(/\.[a-z0-9]{2,5}$/i, '')
		.replace(/[^\w.-]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80);
}

/** One output item per image, paired with the input item it came from. */
export async function imageItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	image: DownloadedImage,
	fileName: string,
	binaryPropertyName: string,
	json: IDataObject,
): Promise<INodeExecutionData> {
	const binary = await ctx.helpers.prepareBinaryData(image.data, fileName, image.info.mimeType);
	return {
		json: { ...json, fileName, mimeType: image.info.mimeType, fileSize: image.data.length },
		binary: { [binaryPropertyName]: binary },
		pairedItem: { item: itemIndex },
	};
}
