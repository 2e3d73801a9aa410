import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import type { ImageModel } from '../imageNode';
import { SEGMIND_GATEWAYS } from '../segmind';
import { intInRange, oneOf, parseParameters } from '../validation';

/** Ideogram's Resolution enum (W_H), as listed in the provider's OpenAPI. */
const RESOLUTION_SIZES =
	'512_1536 576_1408 576_1472 576_1536 640_1024 640_1344 640_1408 640_1472 640_1536 704_1152 704_1216 704_1280 704_1344 704_1408 704_1472 720_1280 736_1312 768_1024 768_1088 768_1152 768_1216 768_1232 768_1280 768_1344 832_960 832_1024 832_1088 832_1152 832_1216 832_1248 864_1152 896_960 896_1024 896_1088 896_1120 896_1152 960_832 960_896 960_1024 960_1088 1024_640 1024_768 1024_832 1024_896 1024_960 1024_1024 1088_768 1088_832 1088_896 1088_960 1120_896 1152_704 1152_768 1152_832 1152_864 1152_896 1216_704 1216_768 1216_832 1232_768 1248_832 1280_704 1280_720 1280_768 1280_800 1312_736 1344_640 1344_704 1344_768 1408_576 1408_640 1408_704 1472_576 1472_640 1472_704 1536_512 1536_576 1536_640'
		.split(' ')
		.map((pair) => {
			const [width, height] = pair.split('_').map(Number);
			return { value: `RESOLUTION_${pair}`, width, height };
		});

export const RESOLUTIONS = RESOLUTION_SIZES;
export const RESOLUTION_VALUES = RESOLUTIONS.map((resolution) => resolution.value) as [
	string,
	...string[],
];

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
export const RESOLUTION_OPTIONS: INodePropertyOptions[] = [...RESOLUTIONS]
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

export const ASPECT_RATIO_OPTIONS: INodePropertyOptions[] = [
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

/** The supported resolution closest in shape to the ratio; the largest of equally close ones. */
export function nearestResolution(ratio: number) {
	return [...RESOLUTIONS].sort(
		(a, b) =>
			Math.abs(Math.log(a.width / a.height / ratio)) -
				Math.abs(Math.log(b.width / b.height / ratio)) || b.width * b.height - a.width * a.height,
	)[0];
}

const schema = z.object({
	resolutionMode: oneOf(['resolution', 'aspectRatio']),
	resolution: oneOf(
		RESOLUTION_VALUES,
		`Allowed: one of the ${RESOLUTION_VALUES.length} supported resolutions listed in the Resolution field, from RESOLUTION_512_1536 to RESOLUTION_1536_640`,
	),
	aspectRatio: z
		.string()
		.regex(RATIO_PATTERN, RATIO_RULE)
		.refine((value) => {
			const match = RATIO_PATTERN.exec(value);
			if (!match) return true; // already reported by the pattern
			const ratio = Number(match[1]) / Number(match[2]);
			return ratio >= 0.25 && ratio <= 4;
		}, RATIO_RULE),
	styleType: oneOf(['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME']),
	seed: z.union([z.literal(''), intInRange(100, 999999)]),
});

export interface ReframeParams {
	resolution: { value: string; width: number; height: number };
	requestedAspectRatio?: string;
	styleType: string;
	seed?: number;
}

export function readReframeParameters(ctx: IExecuteFunctions, itemIndex: number): ReframeParams {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const mode = ctx.getNodeParameter('resolutionMode', itemIndex, 'resolution') as string;
	const aspectChoice =
		mode === 'aspectRatio' ? String(ctx.getNodeParameter('aspectRatio', itemIndex, '1:1')) : '1:1';
	const parsed = parseParameters(
		ctx,
		itemIndex,
		schema,
		{
			resolutionMode: mode,
			resolution:
				mode === 'resolution'
					? ctx.getNodeParameter('resolution', itemIndex, 'RESOLUTION_1024_1024')
					: 'RESOLUTION_1024_1024',
			aspectRatio:
				aspectChoice === 'custom'
					? String(ctx.getNodeParameter('customAspectRatio', itemIndex, ''))
					: aspectChoice,
			styleType: ctx.getNodeParameter('styleType', itemIndex, 'GENERAL'),
			seed: options.seed ?? '',
		},
		{
			resolutionMode: 'Size By',
			resolution: 'Resolution',
			aspectRatio: aspectChoice === 'custom' ? 'Custom Aspect Ratio' : 'Aspect Ratio',
			styleType: 'Style Type',
			seed: 'Seed',
		},
	);
	let resolution = RESOLUTIONS.find((candidate) => candidate.value === parsed.resolution)!;
	if (parsed.resolutionMode === 'aspectRatio') {
		const [, w, h] = RATIO_PATTERN.exec(parsed.aspectRatio)!;
		resolution = nearestResolution(Number(w) / Number(h));
	}
	return {
		resolution,
		requestedAspectRatio:
			parsed.resolutionMode === 'aspectRatio' ? parsed.aspectRatio.trim() : undefined,
		styleType: parsed.styleType,
		seed: parsed.seed === '' ? undefined : parsed.seed,
	};
}

export const reframeModel: ImageModel<ReframeParams> = {
	slug: 'ideogram-reframe',
	operation: 'reframe',
	inlineBinary: () => false,
	syncModeOffered: true,
	readParameters: readReframeParameters,
	...SEGMIND_GATEWAYS,
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
	fileName(baseName, info, expected) {
		const width = info.width ?? expected?.width;
		const height = info.height ?? expected?.height;
		return `${baseName}_reframed${width && height ? `_${width}x${height}` : ''}.${info.extension}`;
	},
	describe: (params) => ({
		resolution: params.resolution.value,
		aspectRatio: aspectLabel(params.resolution.width, params.resolution.height),
		...(params.requestedAspectRatio ? { requestedAspectRatio: params.requestedAspectRatio } : {}),
		styleType: params.styleType,
	}),
};
