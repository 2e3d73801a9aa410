import type { IDataObject } from 'n8n-workflow';

import { outputFileName } from '../fileNames';
import { choiceField, optionalWholeNumberField, textField } from '../fields';
import { defineModel } from '../model';

/** Ideogram's Resolution enum (W_H), as listed in the provider's OpenAPI. */
const RESOLUTION_SIZES =
	'512_1536 576_1408 576_1472 576_1536 640_1024 640_1344 640_1408 640_1472 640_1536 704_1152 704_1216 704_1280 704_1344 704_1408 704_1472 720_1280 736_1312 768_1024 768_1088 768_1152 768_1216 768_1232 768_1280 768_1344 832_960 832_1024 832_1088 832_1152 832_1216 832_1248 864_1152 896_960 896_1024 896_1088 896_1120 896_1152 960_832 960_896 960_1024 960_1088 1024_640 1024_768 1024_832 1024_896 1024_960 1024_1024 1088_768 1088_832 1088_896 1088_960 1120_896 1152_704 1152_768 1152_832 1152_864 1152_896 1216_704 1216_768 1216_832 1232_768 1248_832 1280_704 1280_720 1280_768 1280_800 1312_736 1344_640 1344_704 1344_768 1408_576 1408_640 1408_704 1472_576 1472_640 1472_704 1536_512 1536_576 1536_640'
		.split(' ')
		.map((pair) => {
			const [width, height] = pair.split('_').map(Number);
			return { value: `RESOLUTION_${pair}`, width, height };
		});

export const RESOLUTIONS = RESOLUTION_SIZES;
const NAMED_RATIOS: Array<[number, number]> = [
	[1, 1],
	[5, 4],
	[4, 3],
	[3, 2],
	[16, 10],
	[16, 9],
	[2, 1],
	[21, 9],
	[3, 1],
];

/** "16:9" for sizes close to a ratio people know, else the ratio as a decimal. */
export function aspectLabel(width: number, height: number): string {
	const ratio = width / height;
	for (const [a, b] of NAMED_RATIOS) {
		if (Math.abs(ratio / (a / b) - 1) < 0.012) return `${a}:${b}`;
		if (Math.abs(ratio / (b / a) - 1) < 0.012) return `${b}:${a}`;
	}
	return ratio >= 1 ? `${ratio.toFixed(2)}:1` : `1:${(1 / ratio).toFixed(2)}`;
}

function orientation(width: number, height: number): string {
	return width === height ? 'Square' : width > height ? 'Landscape' : 'Portrait';
}

/** Square first, then landscape from nearly square to panoramic, then portrait likewise. */
const RESOLUTION_OPTIONS = [...RESOLUTIONS]
	.sort((a, b) => {
		const rank = (r: { width: number; height: number }) =>
			r.width === r.height ? 0 : r.width > r.height ? 1 : 2;
		const stretch = (r: { width: number; height: number }) =>
			Math.max(r.width / r.height, r.height / r.width);
		return rank(a) - rank(b) || stretch(a) - stretch(b) || b.width * b.height - a.width * a.height;
	})
	.map(({ value, width, height }) => ({
		name: `${orientation(width, height)} ${width} × ${height} (${aspectLabel(width, height)})`,
		value,
	}));

const ASPECT_RATIO_OPTIONS = [
	{ name: '1:1 Square', value: '1:1' },
	{ name: '16:9 Landscape (YouTube, Presentations)', value: '16:9' },
	{ name: '9:16 Portrait (Stories, Reels)', value: '9:16' },
	{ name: '4:5 Portrait (Instagram Feed)', value: '4:5' },
	{ name: '5:4 Landscape', value: '5:4' },
	{ name: '4:3 Landscape', value: '4:3' },
	{ name: '3:4 Portrait', value: '3:4' },
	{ name: '3:2 Landscape (Photo)', value: '3:2' },
	{ name: '2:3 Portrait (Pinterest)', value: '2:3' },
	{ name: '1.91:1 Landscape (Link Preview)', value: '1.91:1' },
	{ name: '21:9 Ultrawide', value: '21:9' },
	{ name: '3:1 Banner', value: '3:1' },
	{ name: 'Custom', value: 'custom' },
];

const RATIO_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*[:x×/]\s*(\d+(?:\.\d+)?)\s*$/;
const RATIO_RULE =
	'Allowed: WIDTH:HEIGHT with positive numbers, e.g. 16:9 or 1.91:1, between 1:4 and 4:1';

/** "16:9", "1.91:1", "16x9" or "16/9" as width over height, within 1:4 to 4:1. */
export function parseAspectRatio(text: string): number | undefined {
	const match = RATIO_PATTERN.exec(text);
	if (!match) return undefined;
	const ratio = Number(match[1]) / Number(match[2]);
	return ratio >= 0.25 && ratio <= 4 ? ratio : undefined;
}

/** The supported resolution closest in shape to the ratio; the largest of equally close ones. */
export function nearestResolution(ratio: number) {
	return [...RESOLUTIONS].sort(
		(a, b) =>
			Math.abs(Math.log(a.width / a.height / ratio)) -
				Math.abs(Math.log(b.width / b.height / ratio)) || b.width * b.height - a.width * a.height,
	)[0];
}

const fields = {
	resolutionMode: choiceField({
		displayName: 'Size By',
		options: [
			{
				name: 'Aspect Ratio',
				value: 'aspectRatio',
				description: 'Pick a shape; the closest supported resolution is used',
			},
			{
				name: 'Exact Resolution',
				value: 'resolution',
				description: 'Pick one of the 78 supported resolutions',
			},
		],
		default: 'aspectRatio',
	}),
	aspectRatio: choiceField({
		displayName: 'Aspect Ratio',
		options: ASPECT_RATIO_OPTIONS,
		default: '16:9',
		description: 'The shape of the output. The output JSON says which resolution was chosen.',
		showWhen: { resolutionMode: ['aspectRatio'] },
	}),
	customAspectRatio: textField({
		displayName: 'Custom Aspect Ratio',
		default: '',
		placeholder: '7:5',
		description: 'WIDTH:HEIGHT, between 1:4 and 4:1',
		showWhen: { resolutionMode: ['aspectRatio'], aspectRatio: ['custom'] },
	}),
	resolution: choiceField({
		displayName: 'Resolution',
		options: RESOLUTION_OPTIONS,
		default: 'RESOLUTION_1024_1024',
		allowed: `Allowed: one of the ${RESOLUTIONS.length} supported resolutions listed in the Resolution field, from RESOLUTION_512_1536 to RESOLUTION_1536_640`,
		description:
			'Output size in pixels: square first, then landscape and portrait from nearly square to the most stretched',
		showWhen: { resolutionMode: ['resolution'] },
	}),
	styleType: choiceField({
		displayName: 'Style Type',
		options: [
			{ name: '3D Render', value: 'RENDER_3D' },
			{ name: 'Anime', value: 'ANIME' },
			{ name: 'Design', value: 'DESIGN' },
			{ name: 'General', value: 'GENERAL' },
			{ name: 'Realistic', value: 'REALISTIC' },
		],
		default: 'GENERAL',
		description: 'The look of the newly painted areas',
	}),
	seed: optionalWholeNumberField({
		displayName: 'Seed',
		placement: 'image',
		min: 100,
		max: 999999,
		limitInEditor: true,
		description:
			'Leave empty for a fresh result on every run. To make one you liked again, copy its seed (100-999999) from the output here.',
	}),
};

export const reframeModel = defineModel({
	key: 'reframe',
	operation: {
		name: 'Reframe',
		value: 'reframe',
		action: 'Reframe an image to a new size',
		description:
			'Give the picture a new shape: the new edges are painted to match it (outpainting)',
	},
	fields,
	syncModeOffered: true,
	// Ideogram, upstream of Segmind, caps the input image at 10 MB.
	maxInputBytes: 10 * 2 ** 20,
	toParams(values, refuse) {
		if (values.resolutionMode === 'resolution') {
			return {
				resolution: RESOLUTIONS.find((candidate) => candidate.value === values.resolution)!,
				requestedAspectRatio: undefined,
				styleType: values.styleType,
				seed: values.seed,
			};
		}
		const custom = values.aspectRatio === 'custom';
		const requested = custom ? values.customAspectRatio.trim() : values.aspectRatio;
		const ratio = parseAspectRatio(requested);
		if (ratio === undefined) {
			throw refuse(custom ? 'Custom Aspect Ratio' : 'Aspect Ratio', requested, RATIO_RULE);
		}
		return {
			resolution: nearestResolution(ratio),
			requestedAspectRatio: requested,
			styleType: values.styleType,
			seed: values.seed,
		};
	},
	buildBody(params, image) {
		const body: IDataObject = {
			image_file: image,
			resolution: params.resolution.value,
			style_type: params.styleType,
		};
		if (params.seed !== undefined) body.seed = params.seed;
		return body;
	},
	expectedOutputs: (params) => [
		{ width: params.resolution.width, height: params.resolution.height, variant: 1 },
	],
	fileName: ({ baseName, prefix, info, expected }) =>
		outputFileName(baseName, {
			size: { width: info.width ?? expected?.width, height: info.height ?? expected?.height },
			sizeChanged: true,
			mark: 'reframed',
			prefix,
			extension: info.extension,
		}),
	outputJson: (params) => ({
		resolution: params.resolution.value,
		aspectRatio: aspectLabel(params.resolution.width, params.resolution.height),
		...(params.requestedAspectRatio ? { requestedAspectRatio: params.requestedAspectRatio } : {}),
		styleType: params.styleType,
	}),
	subtitle:
		'"To " + ($parameter["resolutionMode"] === "resolution" ? $parameter["resolution"].replace("RESOLUTION_", "").replace("_", "×") : $parameter["aspectRatio"] === "custom" ? $parameter["customAspectRatio"] : $parameter["aspectRatio"])',
});
