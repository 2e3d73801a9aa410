import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { outputFileName } from '../fileNames';
import {
	choiceField,
	multiChoiceField,
	optionalWholeNumberField,
	textField,
	wholeNumberField,
} from '../fields';
import { defineModel } from '../model';

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

export const MIN_SIDE = 16;
export const MAX_SIDE = 8192;
export const MAX_SIZES = 10;
const SIZE_PATTERN = /^(\d{1,5})\s*[x×X*]\s*(\d{1,5})$/;
const SIZE_RULE = `Allowed: WIDTHxHEIGHT in pixels, e.g. 1080x1080, each side ${MIN_SIDE} to ${MAX_SIDE}`;

export interface TargetSize {
	width: number;
	height: number;
}

/** "1080x1080" (also ×, X or *, spaces allowed) as a size; undefined when it is not one. */
export function parseTargetSize(text: string): TargetSize | undefined {
	const match = SIZE_PATTERN.exec(text.trim());
	if (!match) return undefined;
	const size = { width: Number(match[1]), height: Number(match[2]) };
	const inBounds = [size.width, size.height].every((side) => side >= MIN_SIDE && side <= MAX_SIDE);
	return inBounds ? size : undefined;
}

/** Custom sizes as typed: a comma, semicolon or line separated list, or an array from an expression. */
export function splitSizeList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [value];
	return value
		.split(/[,;\n]+/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** Every entry of the list is checked, and all the bad ones are named at once. */
const sizeList = z.unknown().transform((value, context) => {
	const entries = splitSizeList(value);
	const sizes = entries.map((entry) =>
		typeof entry === 'string' ? parseTargetSize(entry) : undefined,
	);
	const bad = entries.filter((_, index) => !sizes[index]).map((entry) => JSON.stringify(entry));
	if (bad.length > 0) {
		context.addIssue({
			code: 'custom',
			message: `${bad.length === 1 ? 'Not a usable size' : 'Not usable sizes'}: ${bad.join(', ')}. ${SIZE_RULE}`,
		});
		return z.NEVER;
	}
	return sizes as TargetSize[];
});

/** How many sizes the panel asks for, as an n8n expression: presets plus the typed custom sizes. */
const SIZE_COUNT =
	'(($parameter["sizePresets"] || []).length + String($parameter["customSizes"] || "").split(/[,;\\n]+/).filter(entry => entry.trim()).length)';

const sizeKey = (size: TargetSize) => `${size.width}x${size.height}`;

/**
 * Safety Tolerance, which providers declare among their own fields: each takes a 1-6 level with the
 * default 4, but providers read the scale in opposite directions, so each describes its own.
 */
export function safetyToleranceField(scale: string) {
	return wholeNumberField({
		displayName: 'Safety Tolerance',
		placement: 'option',
		min: 1,
		max: 6,
		default: 4,
		description: `Content filter level on ${scale}`,
	});
}

const fields = {
	sizePresets: multiChoiceField({
		displayName: 'Preset Sizes',
		options: SIZE_PRESETS.map(({ name, value }) => ({ name, value })),
		default: ['instagramPost', 'instagramStory', 'facebookLink'],
		description:
			'Common social and IAB ad sizes. Combined with Custom Sizes: 1 to 10 different sizes in total.',
	}),
	customSizes: textField({
		displayName: 'Custom Sizes',
		default: '',
		placeholder: '1024x1024, 1920x1080',
		description:
			'More sizes as WIDTHxHEIGHT, separated by commas. Duplicates of preset sizes are dropped.',
		schema: sizeList,
	}),
	variantsPerSize: wholeNumberField({
		displayName: 'Variants per Size',
		min: 1,
		max: 4,
		default: 1,
		description: 'How many different recompositions to make of each size (1-4); each is billed',
	}),
	outputFormat: choiceField({
		displayName: 'Output Format',
		placement: 'option',
		options: [
			{ name: 'PNG', value: 'png' },
			{ name: 'JPEG', value: 'jpeg' },
			{ name: 'WebP', value: 'webp' },
		],
		default: 'png',
	}),
	prompt: textField({
		displayName: 'Prompt',
		placement: 'option',
		rows: 2,
		default: '',
		placeholder: 'keep the product centred, extend the background',
		description: 'Extra instruction for the recomposition, up to 5000 characters',
		schema: z.string().max(5000, 'Allowed: at most 5000 characters'),
	}),
	resolution: choiceField({
		displayName: 'Resolution',
		placement: 'option',
		options: [
			{ name: '1K', value: '1K' },
			{ name: '2K', value: '2K' },
			{ name: '4K', value: '4K' },
		],
		default: '1K',
		description: 'Rendering resolution tier; higher tiers cost more and take longer',
	}),
	seed: optionalWholeNumberField({
		displayName: 'Seed',
		placement: 'option',
		min: 0,
		max: 2147483647,
		description: 'Fix the seed to get the same result again',
	}),
};

export const smartResizeModel = defineModel({
	key: 'smartResize',
	operation: {
		name: 'Resize',
		value: 'resize',
		action: 'Resize an image to several sizes',
		description: 'Recompose the image into each target size, keeping the subject in frame',
	},
	fields,
	syncModeOffered: false,
	toParams(values, refuse) {
		const requested = [
			...values.sizePresets.map((value) => {
				const [width, height] = SIZE_PRESETS.find((preset) => preset.value === value)!
					.size.split('x')
					.map(Number);
				return { width, height };
			}),
			...values.customSizes,
		];
		const sizes = requested.filter(
			(size, index) => requested.findIndex((other) => sizeKey(other) === sizeKey(size)) === index,
		);
		if (sizes.length < 1 || sizes.length > MAX_SIZES) {
			throw refuse(
				'Preset Sizes" and "Custom Sizes',
				sizes.map(sizeKey).join(', ') || 'none',
				`Allowed: 1 to ${MAX_SIZES} different sizes in total, from both fields together (${sizes.length} given)`,
			);
		}
		return { ...values, sizes };
	},
	buildBody(params, image) {
		const body: IDataObject = {
			image_url: image,
			target_sizes: params.sizes.map(sizeKey),
			num_images_per_size: params.variantsPerSize,
			resolution: params.resolution,
			output_format: params.outputFormat,
		};
		if (params.prompt) body.prompt = params.prompt;
		if (params.seed !== undefined) body.seed = params.seed;
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
	fileName: ({ baseName, prefix, info, expected, index }) =>
		outputFileName(baseName, {
			size: { width: info.width ?? expected?.width, height: info.height ?? expected?.height },
			sizeChanged: true,
			variant: expected?.variant ?? index + 1,
			prefix,
			extension: info.extension,
		}),
	subtitle: `"Resize to " + ${SIZE_COUNT} + (${SIZE_COUNT} === 1 ? " Size" : " Sizes")`,
});
