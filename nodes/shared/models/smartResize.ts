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
/**
 * Named sizes. Names are short, so that the chips of the chosen sizes fit the default panel
 * width; the description says where each size is used.
 */
export const SIZE_PRESETS: Array<{
	value: string;
	name: string;
	size: string;
	description: string;
}> = [
	{
		value: 'instagramPost',
		name: 'Instagram Post 1080×1080',
		size: '1080x1080',
		description: 'Square feed post',
	},
	{
		value: 'instagramPortrait',
		name: 'Instagram Portrait 1080×1350',
		size: '1080x1350',
		description: 'Portrait feed post, 4:5',
	},
	{
		value: 'instagramStory',
		name: 'Story / Reels 1080×1920',
		size: '1080x1920',
		description: 'Instagram and Facebook Stories, Reels, TikTok: 9:16',
	},
	{
		value: 'facebookLink',
		name: 'Facebook Feed 1200×628',
		size: '1200x628',
		description: 'Facebook link preview and feed ad, 1.91:1',
	},
	{
		value: 'facebookCover',
		name: 'Facebook Cover 851×315',
		size: '851x315',
		description: 'Facebook page cover',
	},
	{
		value: 'linkedinPost',
		name: 'LinkedIn Post 1200×627',
		size: '1200x627',
		description: 'LinkedIn shared image',
	},
	{
		value: 'linkedinBanner',
		name: 'LinkedIn Banner 1584×396',
		size: '1584x396',
		description: 'LinkedIn profile banner',
	},
	{
		value: 'xPost',
		name: 'X Post 1600×900',
		size: '1600x900',
		description: 'X (Twitter) post, 16:9',
	},
	{
		value: 'xHeader',
		name: 'X Header 1500×500',
		size: '1500x500',
		description: 'X (Twitter) profile header',
	},
	{
		value: 'youtubeThumbnail',
		name: 'YouTube Thumbnail 1280×720',
		size: '1280x720',
		description: 'YouTube video thumbnail, 16:9',
	},
	{
		value: 'pinterestPin',
		name: 'Pinterest Pin 1000×1500',
		size: '1000x1500',
		description: 'Pinterest standard pin, 2:3',
	},
	{
		value: 'iabMediumRectangle',
		name: 'Medium Rectangle 300×250',
		size: '300x250',
		description: 'IAB display ad, the most common web banner',
	},
	{
		value: 'iabLargeRectangle',
		name: 'Large Rectangle 336×280',
		size: '336x280',
		description: 'IAB display ad',
	},
	{
		value: 'iabLeaderboard',
		name: 'Leaderboard 728×90',
		size: '728x90',
		description: 'IAB display ad across the top of a page',
	},
	{
		value: 'iabSuperLeaderboard',
		name: 'Super Leaderboard 970×90',
		size: '970x90',
		description: 'IAB display ad across the top of a page',
	},
	{
		value: 'iabBillboard',
		name: 'Billboard 970×250',
		size: '970x250',
		description: 'IAB display ad, large, at the top of a page',
	},
	{
		value: 'iabWideSkyscraper',
		name: 'Wide Skyscraper 160×600',
		size: '160x600',
		description: 'IAB display ad in a side column',
	},
	{
		value: 'iabHalfPage',
		name: 'Half Page 300×600',
		size: '300x600',
		description: 'IAB display ad in a side column',
	},
	{
		value: 'iabMobileBanner',
		name: 'Mobile Banner 320×50',
		size: '320x50',
		description: 'IAB mobile display ad',
	},
	{
		value: 'iabLargeMobileBanner',
		name: 'Large Mobile Banner 320×100',
		size: '320x100',
		description: 'IAB mobile display ad',
	},
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

/** What separates custom sizes: commas, semicolons, new lines. */
const SIZE_SEPARATORS = /[,;\n]+/;

/** Custom sizes as typed: a comma, semicolon or line separated list, or an array from an expression. */
export function splitSizeList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [value];
	return value
		.split(SIZE_SEPARATORS)
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
const SIZE_COUNT = `(($parameter["sizePresets"] || []).length + String($parameter["customSizes"] || "").split(/${SIZE_SEPARATORS.source}/).filter(entry => entry.trim()).length)`;

const sizeKey = (size: TargetSize) => `${size.width}x${size.height}`;

/**
 * Safety Tolerance, which providers declare among their own fields: each takes a 1-6 level with the
 * default 4, but providers read the scale in opposite directions, so each describes its own.
 */
export function safetyToleranceField(scale: string) {
	return wholeNumberField({
		displayName: 'Safety Tolerance',
		placement: 'image',
		min: 1,
		max: 6,
		default: 4,
		description: `Content filter level on ${scale}`,
	});
}

const fields = {
	sizePresets: multiChoiceField({
		displayName: 'Preset Sizes',
		options: SIZE_PRESETS.map(({ name, value, description }) => ({ name, value, description })),
		default: ['instagramPost', 'instagramStory', 'facebookLink'],
		description: 'Social and ad sizes to make',
		hint: 'Together with Custom Sizes: 1 to 10 different sizes in all',
	}),
	customSizes: textField({
		displayName: 'Custom Sizes',
		default: '',
		placeholder: '1024x1024, 1920x1080',
		description:
			'More sizes in pixels, as WIDTHxHEIGHT separated by commas. A size already among the presets is made once.',
		schema: sizeList,
	}),
	variantsPerSize: wholeNumberField({
		displayName: 'Variants per Size',
		min: 1,
		max: 4,
		default: 1,
		description: 'How many different versions to make of each size (1-4), to choose from',
		hint: 'Each version is billed: 3 sizes with 2 versions make 6 images',
	}),
	outputFormat: choiceField({
		displayName: 'Output Format',
		placement: 'image',
		options: [
			{ name: 'PNG', value: 'png', description: 'Sharp edges and text; the largest files' },
			{ name: 'JPEG', value: 'jpeg', description: 'Small files for photos' },
			{ name: 'WebP', value: 'webp', description: 'Small and sharp, for the web' },
		],
		default: 'png',
		description: 'The file type of the images',
	}),
	resolution: choiceField({
		displayName: 'Resolution',
		placement: 'image',
		options: [
			{ name: '1K', value: '1K', description: 'Enough for social posts and most ads' },
			{ name: '2K', value: '2K', description: 'More detail; costs more and takes longer' },
			{ name: '4K', value: '4K', description: 'Most detail; costs most and takes longest' },
		],
		default: '1K',
		description: "How much detail the images are made with (the provider's resolution tier)",
		hint: '2K and 4K cost more and take longer',
	}),
	prompt: textField({
		displayName: 'Prompt',
		placement: 'image',
		rows: 2,
		default: '',
		placeholder: 'keep the product centred, extend the background',
		description:
			"Optional: how to recompose, in plain words, up to 5000 characters (the provider's prompt)",
		schema: z.string().max(5000, 'Allowed: at most 5000 characters'),
	}),
	seed: optionalWholeNumberField({
		displayName: 'Seed',
		placement: 'image',
		min: 0,
		max: 2147483647,
		placeholder: 'random',
		description:
			'Leave empty for fresh variations on every run. To make a variant you liked again, copy its seed from the output here.',
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
		if (sizes.length === 0) {
			throw refuse(
				'Preset Sizes" and "Custom Sizes',
				'',
				`No size is chosen. Allowed: 1 to ${MAX_SIZES} different sizes: pick Preset Sizes, or type Custom Sizes such as 1080x1080`,
			);
		}
		if (sizes.length > MAX_SIZES) {
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
	subtitle: `(${SIZE_COUNT} === 0 ? "Choose Sizes" : "Resize to " + ${SIZE_COUNT} + (${SIZE_COUNT} === 1 ? " Size" : " Sizes"))`,
});
