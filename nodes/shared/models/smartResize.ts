import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { invalidParameter } from '../errors';
import type { CommonSettings, ImageModel } from '../imageNode';
import { pixazoGateway } from '../pixazo';
import { segmindGateway } from '../segmind';
import { intInRange, oneOf, parseParameters } from '../validation';

/** The common social and IAB ad sizes, offered by name so nobody has to look them up. */
export const SIZE_PRESETS: Array<{ value: string; name: string; size: string }> = [
	{ value: 'instagramPost', name: 'Instagram Post, Square (1080×1080)', size: '1080x1080' },
	{
		value: 'instagramPortrait',
		name: 'Instagram Post, Portrait 4:5 (1080×1350)',
		size: '1080x1350',
	},
	{
		value: 'instagramStory',
		name: 'Instagram / Facebook Story, Reels, TikTok 9:16 (1080×1920)',
		size: '1080x1920',
	},
	{ value: 'facebookLink', name: 'Facebook Link / Feed Ad 1.91:1 (1200×628)', size: '1200x628' },
	{ value: 'facebookCover', name: 'Facebook Page Cover (851×315)', size: '851x315' },
	{ value: 'linkedinPost', name: 'LinkedIn Shared Image (1200×627)', size: '1200x627' },
	{ value: 'linkedinBanner', name: 'LinkedIn Profile Banner (1584×396)', size: '1584x396' },
	{ value: 'xPost', name: 'X (Twitter) Post 16:9 (1600×900)', size: '1600x900' },
	{ value: 'xHeader', name: 'X (Twitter) Header (1500×500)', size: '1500x500' },
	{ value: 'youtubeThumbnail', name: 'YouTube Thumbnail (1280×720)', size: '1280x720' },
	{ value: 'pinterestPin', name: 'Pinterest Pin 2:3 (1000×1500)', size: '1000x1500' },
	{ value: 'iabMediumRectangle', name: 'IAB Medium Rectangle (300×250)', size: '300x250' },
	{ value: 'iabLargeRectangle', name: 'IAB Large Rectangle (336×280)', size: '336x280' },
	{ value: 'iabLeaderboard', name: 'IAB Leaderboard (728×90)', size: '728x90' },
	{ value: 'iabSuperLeaderboard', name: 'IAB Super Leaderboard (970×90)', size: '970x90' },
	{ value: 'iabBillboard', name: 'IAB Billboard (970×250)', size: '970x250' },
	{ value: 'iabWideSkyscraper', name: 'IAB Wide Skyscraper (160×600)', size: '160x600' },
	{ value: 'iabHalfPage', name: 'IAB Half Page (300×600)', size: '300x600' },
	{ value: 'iabMobileBanner', name: 'IAB Mobile Banner (320×50)', size: '320x50' },
	{ value: 'iabLargeMobileBanner', name: 'IAB Large Mobile Banner (320×100)', size: '320x100' },
];

export const SIZE_PRESET_OPTIONS: INodePropertyOptions[] = SIZE_PRESETS.map(({ name, value }) => ({
	name,
	value,
}));

export const MIN_SIDE = 16;
export const MAX_SIDE = 8192;
export const MAX_SIZES = 10;
const SIZE_PATTERN = /^(\d{1,5})\s*[x×X*]\s*(\d{1,5})$/;
const SIZE_RULE = `Allowed: WIDTHxHEIGHT in pixels, e.g. 1080x1080, each side ${MIN_SIDE} to ${MAX_SIDE}`;

const targetSize = z
	.string()
	.trim()
	.regex(SIZE_PATTERN, SIZE_RULE)
	.transform((value) => {
		const [, width, height] = SIZE_PATTERN.exec(value)!;
		return { width: Number(width), height: Number(height) };
	})
	.refine(
		({ width, height }) => [width, height].every((side) => side >= MIN_SIDE && side <= MAX_SIDE),
		SIZE_RULE,
	);

const schema = z.object({
	sizePresets: z.array(oneOf(SIZE_PRESETS.map((preset) => preset.value) as [string, ...string[]])),
	customSizes: z.array(targetSize),
	variantsPerSize: intInRange(1, 4),
	prompt: z.string().max(5000, 'Allowed: at most 5000 characters'),
	resolution: oneOf(['1K', '2K', '4K']),
	outputFormat: oneOf(['png', 'jpeg', 'webp']),
	safetyTolerance: intInRange(1, 6),
	seed: z.union([z.literal(''), intInRange(0, 2147483647)]),
	provider: oneOf(['segmind', 'pixazo']),
	dataUris: z.boolean({ invalid_type_error: 'Allowed: true or false' }),
});

const labels = {
	sizePresets: 'Preset Sizes',
	customSizes: 'Custom Sizes',
	variantsPerSize: 'Variants per Size',
	prompt: 'Prompt',
	resolution: 'Resolution',
	outputFormat: 'Output Format',
	safetyTolerance: 'Safety Tolerance',
	seed: 'Seed',
	provider: 'Provider',
	dataUris: 'Return Data URIs',
};

export interface SmartResizeParams {
	sizes: Array<{ width: number; height: number }>;
	variantsPerSize: number;
	prompt: string;
	resolution: string;
	outputFormat: string;
	safetyTolerance: number;
	seed?: number;
	provider: 'segmind' | 'pixazo';
	/** Pixazo's sync_mode: results come back as data: URIs, decoded locally. */
	dataUris: boolean;
}

function splitSizes(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [value];
	return value
		.split(/[,;\n]+/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

export function readSmartResizeParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): SmartResizeParams {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parsed = parseParameters(
		ctx,
		itemIndex,
		schema,
		{
			sizePresets: ctx.getNodeParameter('sizePresets', itemIndex, []),
			customSizes: splitSizes(ctx.getNodeParameter('customSizes', itemIndex, '')),
			variantsPerSize: ctx.getNodeParameter('variantsPerSize', itemIndex, 1),
			prompt: options.prompt ?? '',
			resolution: options.resolution ?? '1K',
			outputFormat: options.outputFormat ?? 'png',
			safetyTolerance: options.safetyTolerance ?? 4,
			seed: options.seed ?? '',
			provider: ctx.getNodeParameter('provider', itemIndex, 'segmind'),
			dataUris: options.dataUris ?? false,
		},
		labels,
	);
	const requested = [
		...parsed.sizePresets.map((value) => {
			const [width, height] = SIZE_PRESETS.find((preset) => preset.value === value)!
				.size.split('x')
				.map(Number);
			return { width, height };
		}),
		...parsed.customSizes,
	];
	const sizes = requested.filter(
		(size, index) =>
			requested.findIndex((other) => other.width === size.width && other.height === size.height) ===
			index,
	);
	if (sizes.length < 1 || sizes.length > MAX_SIZES) {
		const shown = sizes.map((size) => `${size.width}x${size.height}`).join(', ') || 'none';
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			'Preset Sizes" and "Custom Sizes',
			shown,
			`Allowed: 1 to ${MAX_SIZES} different sizes in total, from both fields together (${sizes.length} given)`,
		);
	}
	return {
		sizes,
		variantsPerSize: parsed.variantsPerSize,
		prompt: parsed.prompt,
		resolution: parsed.resolution,
		outputFormat: parsed.outputFormat,
		safetyTolerance: parsed.safetyTolerance,
		seed: parsed.seed === '' ? undefined : parsed.seed,
		provider: parsed.provider,
		dataUris: parsed.provider === 'pixazo' && parsed.dataUris,
	};
}

function gatewayFor(
	provider: string,
	ctx: IExecuteFunctions,
	itemIndex: number,
	settings: CommonSettings,
) {
	return provider === 'pixazo'
		? pixazoGateway(ctx, itemIndex, settings)
		: segmindGateway(ctx, itemIndex, settings);
}

export const smartResizeModel: ImageModel<SmartResizeParams> = {
	slug: 'smart-banner-resizer',
	operation: 'resize',
	inlineBinary: () => false,
	syncModeOffered: false,
	readParameters: readSmartResizeParameters,
	gateway: (ctx, itemIndex, params, settings) =>
		gatewayFor(params.provider, ctx, itemIndex, settings),
	resultGateway: (ctx, itemIndex, settings) =>
		gatewayFor(
			String(ctx.getNodeParameter('provider', itemIndex, 'segmind')),
			ctx,
			itemIndex,
			settings,
		),
	// The same recomposition model is named differently by each gateway.
	modelFor: (gateway) =>
		gateway.provider.id === 'pixazo' ? 'smart-resize' : 'smart-banner-resizer',
	buildBody(params, image) {
		const body: IDataObject = {
			image_url: image,
			target_sizes: params.sizes.map((size) => `${size.width}x${size.height}`),
			num_images_per_size: params.variantsPerSize,
			resolution: params.resolution,
			output_format: params.outputFormat,
			// Segmind types it as an integer, Pixazo as a string enum.
			safety_tolerance:
				params.provider === 'pixazo' ? String(params.safetyTolerance) : params.safetyTolerance,
		};
		if (params.prompt) body.prompt = params.prompt;
		if (params.seed !== undefined) body.seed = params.seed;
		if (params.provider === 'pixazo') body.sync_mode = params.dataUris;
		return body;
	},
	expectedOutputs(params) {
		return params.sizes.flatMap((size) =>
			Array.from({ length: params.variantsPerSize }, (_, variant) => ({
				...size,
				variant: variant + 1,
			})),
		);
	},
	fileName(baseName, info, expected, index) {
		const width = info.width ?? expected?.width;
		const height = info.height ?? expected?.height;
		const size = width && height ? `_${width}x${height}` : '';
		return `${baseName}${size}_${expected?.variant ?? index + 1}.${info.extension}`;
	},
};
