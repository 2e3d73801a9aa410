import { outputFileName } from '../fileNames';
import { choiceField, choiceLabel } from '../fields';
import { defineModel } from '../model';

const fields = {
	targetFormat: choiceField({
		displayName: 'Target Format',
		options: [
			{ name: 'PNG', value: 'png' },
			// One format, two file extensions: both stay, since saved workflows use both.
			{ name: 'JPEG (.jpg)', value: 'jpg' },
			{ name: 'JPEG (.jpeg)', value: 'jpeg' },
			{ name: 'GIF', value: 'gif' },
			{ name: 'BMP', value: 'bmp' },
			{ name: 'TIFF', value: 'tiff' },
			{ name: 'WebP', value: 'webp' },
		],
		default: 'png',
		description: 'The file type to convert to; the output file takes its extension',
	}),
	binaryUpload: choiceField({
		displayName: 'Send Image File As',
		placement: 'option',
		options: [
			{
				name: 'Part of the Request',
				value: 'inline',
				description: 'The file travels inside the request (as base64); no upload step',
			},
			{
				name: 'Upload First',
				value: 'upload',
				description: 'Upload the file, then send its link; better for large files',
			},
		],
		default: 'inline',
		showWhen: { inputSource: ['binary'] },
	}),
};

export const TARGET_FORMATS = (fields.targetFormat.property.options ?? []).map(
	(option) => (option as { value: string }).value,
);

export const convertModel = defineModel({
	key: 'convert',
	operation: {
		name: 'Convert',
		value: 'convert',
		action: 'Convert an image to another format',
		description: 'Change the file format of the image',
	},
	fields,
	syncModeOffered: true,
	toParams: (values) => values,
	inlineBinary: (params) => params.binaryUpload === 'inline',
	buildBody: (params, image) => ({ image_url: image, target_format: params.targetFormat }),
	expectedOutputs: () => [{ variant: 1 }],
	// The file takes the extension the user asked for (jpg and jpeg alike); its mime type comes from the bytes.
	fileName: ({ baseName, prefix, info, params }) =>
		outputFileName(baseName, {
			size: info,
			sizeChanged: false,
			prefix,
			extension: params?.targetFormat ?? info.extension,
		}),
	outputJson: (params) => ({ targetFormat: params.targetFormat }),
	subtitle: `"To " + ${choiceLabel(fields.targetFormat, 'targetFormat')}`,
});
