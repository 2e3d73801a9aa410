import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import type { ImageModel } from '../imageNode';
import { SEGMIND_GATEWAYS } from '../segmind';
import { oneOf, parseParameters } from '../validation';

export const TARGET_FORMATS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'tiff', 'webp'] as const;

export const TARGET_FORMAT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'PNG', value: 'png' },
	{ name: 'JPG', value: 'jpg' },
	{ name: 'JPEG', value: 'jpeg' },
	{ name: 'GIF', value: 'gif' },
	{ name: 'BMP', value: 'bmp' },
	{ name: 'TIFF', value: 'tiff' },
	{ name: 'WebP', value: 'webp' },
];

const schema = z.object({
	targetFormat: oneOf(TARGET_FORMATS),
	binaryUpload: oneOf(['inline', 'upload']),
});

export type ConvertParams = z.infer<typeof schema>;

export function readConvertParameters(ctx: IExecuteFunctions, itemIndex: number): ConvertParams {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return parseParameters(
		ctx,
		itemIndex,
		schema,
		{
			targetFormat: ctx.getNodeParameter('targetFormat', itemIndex, 'png'),
			binaryUpload: options.binaryUpload ?? 'inline',
		},
		{ targetFormat: 'Target Format', binaryUpload: 'Send Binary As' },
	);
}

export const convertModel: ImageModel<ConvertParams> = {
	slug: 'image-converter',
	operation: 'convert',
	inlineBinary: (params) => params.binaryUpload === 'inline',
	syncModeOffered: true,
	readParameters: readConvertParameters,
	...SEGMIND_GATEWAYS,
	buildBody: (params, image) => ({ image_url: image, target_format: params.targetFormat }),
	expectedOutputs: () => [{ variant: 1 }],
	// The file takes the extension the user asked for (jpg and jpeg alike); its mime type comes from the bytes.
	fileName: (baseName, info, _expected, _index, params) =>
		`${baseName}.${params?.targetFormat ?? info.extension}`,
	describe: (params) => ({ targetFormat: params.targetFormat }),
};
