import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { GET_RESULT, INPUT_FIELDS } from './commonFields';
import { coded } from './errors';
import { safeStem } from './fileNames';
import { sniffImage } from './imageInfo';
import type { DownloadedImage } from './media';

export type InputSource = 'binary' | 'url';

const INPUT_FILE_FIELD = INPUT_FIELDS.binaryPropertyName.property.displayName;

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
 * Reads and checks the item's source image: present, a real image (by its bytes, not its declared
 * type), and within the model's input limit. The node calls it for every item before the first
 * request, so a bad third item cannot leave the first two billed. `getBinaryDataBuffer` resolves
 * in-memory binaries and the ids n8n 2.x stores on disk or in its database.
 */
export async function loadInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameters: InputImageParameters,
	maxInputBytes?: number,
): Promise<InputImage> {
	if (parameters.source === 'url') {
		return {
			kind: 'url',
			url: parameters.imageUrl,
			baseName: baseNameFromUrl(parameters.imageUrl),
		};
	}
	const property = parameters.binaryPropertyName;
	const invalid = (message: string, description: string) =>
		coded(
			new NodeOperationError(ctx.getNode(), `Invalid "${INPUT_FILE_FIELD}": ${message}`, {
				itemIndex,
				description: `${description} Nothing was sent to the provider, so no credits were spent.`,
			}),
			'INVALID_INPUT',
			false,
		);
	let binary: IBinaryData;
	try {
		if (!ownBinary(ctx, itemIndex, property)) throw new Error('no such field');
		binary = ctx.helpers.assertBinaryData(itemIndex, property);
	} catch {
		const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw invalid(
			`the item has no binary field "${property}"`,
			available.length
				? `The item has these binary fields: ${available.join(', ')}. Put one of them in "${INPUT_FILE_FIELD}".`
				: 'The item carries no binary data. Read the file first (for example with Read/Write Files from Disk or an HTTP Request node), or choose "Image URL" as the input.',
		);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length === 0) throw invalid(`"${property}" is empty`, 'The file has no bytes.');
	const sniffed = sniffImage(data);
	if (!sniffed) {
		throw invalid(
			`"${property}" is not an image (${binary.mimeType || 'unknown type'}, ${data.length} bytes)`,
			'Allowed: PNG, JPEG, WebP, GIF, BMP and TIFF images.',
		);
	}
	if (maxInputBytes !== undefined && data.length > maxInputBytes) {
		const mb = (bytes: number) => `${Math.round((bytes / 2 ** 20) * 10) / 10} MB`;
		throw invalid(
			`"${property}" is ${mb(data.length)}, over the ${mb(maxInputBytes)} this model accepts`,
			'Make the image smaller first (for example with the Edit Image node), or pass it as an Image URL.',
		);
	}
	const baseName = stripExtension(binary.fileName ?? '') || 'image';
	return { kind: 'binary', data, mimeType: sniffed.mimeType, baseName };
}

/**
 * Which input an item's error is about, told the way its outputs would tell it: the image URL, or
 * the binary file's name. Read leniently, since the error may be that these very fields are bad.
 */
export function describeSource(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const read = (name: string): unknown => {
		try {
			return ctx.getNodeParameter(name, itemIndex, undefined);
		} catch {
			return undefined;
		}
	};
	if (read('operation') === GET_RESULT) return {};
	if (read('inputSource') === 'url') {
		const url = read('imageUrl');
		if (typeof url !== 'string' || !url.trim()) return {};
		return { sourceName: baseNameFromUrl(url.trim()), sourceUrl: url.trim() };
	}
	const property = read('binaryPropertyName');
	const binary = typeof property === 'string' ? ownBinary(ctx, itemIndex, property) : undefined;
	return binary?.fileName ? { sourceName: stripExtension(binary.fileName) || 'image' } : {};
}

/**
 * The item's binary field of that name, if the item has one of its own: "constructor" or
 * "__proto__" is found on every object, and is no field.
 */
function ownBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): IBinaryData | undefined {
	const own = ctx.getInputData()[itemIndex]?.binary ?? {};
	return Object.prototype.hasOwnProperty.call(own, property) ? own[property] : undefined;
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
	return safeStem(name.replace(/\.[a-z0-9]{2,5}$/i, ''));
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
		json: { fileName, ...json, mimeType: image.info.mimeType, fileSize: image.data.length },
		binary: { [binaryPropertyName]: binary },
		pairedItem: { item: itemIndex },
	};
}
