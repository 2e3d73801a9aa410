/**
 * The emulated models: how each validates its body, what it costs, and which outputs it renders.
 * Field names and ranges follow the seeds in shared/seeds and CONTRACTS.md.
 */
import {
	CONTENT_TYPES,
	CONVERTER_FORMATS,
	LIGHT_DIRECTIONS,
	LIGHT_INTENSITIES,
	LIGHT_TEMPERATURES,
	LIGHT_TYPES,
	STYLE_TYPES,
	convert,
	converterOutputFormat,
	reframe,
	relight,
	smartResize,
	type OutputFormat,
	type SourceImage,
} from './images';
import { roundCredits } from './state';
import {
	ValidationError,
	optionalBoolean,
	optionalEnum,
	optionalInt,
	optionalString,
	requiredEnum,
	requiredImageRef,
	targetSizes,
} from './modelValidation';

/** One output file of a run. `key` identifies the operation, for the render cache. */
export interface OutputSpec {
	key: string;
	fileSuffix: string;
	ext: string;
	contentType: string;
	render(source: SourceImage): Promise<Buffer>;
}

/** A validated request, ready to be charged and run. */
export interface ModelRun {
	model: string;
	cost: number;
	inputRef: string;
	/** Echoed as `x-seed-value` (models with a seed only). */
	seed?: number;
	outputs: OutputSpec[];
	/** Pixazo `sync_mode`. */
	syncMode?: boolean;
}

type Body = Record<string, unknown>;

/**
 * Credits (US dollars) per call. The reframe and relight prices are the seeds' own; smart-banner-resizer
 * is priced like the Nano Banana Pro model behind it; image-converter is a guess at "almost free".
 */
export const COSTS = {
	smartResizePerOutput: { '1K': 0.15, '2K': 0.15, '4K': 0.3 },
	ideogramReframe: 0.1,
	segmindRelighting: 0.05,
	imageConverter: 0.001,
	upload: 0,
} as const;

const RESOLUTION_TIERS = ['1K', '2K', '4K'] as const;
const BANNER_FORMATS = ['png', 'jpeg', 'webp'] as const;
const RANDOM_SEED_MAX = 2 ** 31 - 1;

const randomSeed = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** smart-banner-resizer (Segmind) and smart-resize (Pixazo): the same fields; Pixazo adds `sync_mode`. */
function smartResizeRun(body: Body, model: string, pixazo: boolean): ModelRun {
	const inputRef = requiredImageRef(body, 'image_url');
	const sizes = targetSizes(body);
	const perSize = optionalInt(body, 'num_images_per_size', 1, 4) ?? 1;
	const resolution = optionalEnum(body, 'resolution', RESOLUTION_TIERS, '1K');
	const format = optionalEnum(body, 'output_format', BANNER_FORMATS, 'png');
	optionalString(body, 'prompt', 5000);
	optionalInt(body, 'safety_tolerance', 1, 6);
	const seed = optionalInt(body, 'seed', 0, RANDOM_SEED_MAX) ?? randomSeed(0, RANDOM_SEED_MAX);
	const syncMode = pixazo ? (optionalBoolean(body, 'sync_mode') ?? false) : undefined;
	// Sizes in request order, variants inside each size.
	const outputs = sizes.flatMap(({ width, height }) =>
		Array.from(
			{ length: perSize },
			(_, variant): OutputSpec => ({
				key: `smart-resize:${width}x${height}:${variant}:${format}`,
				fileSuffix: pixazo
					? `output_${width}x${height}_${variant}`
					: `${width}x${height}_${variant}`,
				ext: format,
				contentType: CONTENT_TYPES[format],
				render: (source) => smartResize(source, width, height, variant, format),
			}),
		),
	);
	return {
		model,
		cost: roundCredits(outputs.length * COSTS.smartResizePerOutput[resolution]),
		inputRef,
		seed,
		outputs,
		syncMode,
	};
}

/** `RESOLUTION_<W>_<H>`: Ideogram's 78 allowed output sizes. */
export const IDEOGRAM_RESOLUTIONS = (
	'512_1536 576_1408 576_1472 576_1536 640_1024 640_1344 640_1408 640_1472 640_1536 704_1152 704_1216 704_1280 704_1344 704_1408 ' +
	'704_1472 720_1280 736_1312 768_1024 768_1088 768_1152 768_1216 768_1232 768_1280 768_1344 832_960 832_1024 832_1088 832_1152 ' +
	'832_1216 832_1248 864_1152 896_960 896_1024 896_1088 896_1120 896_1152 960_832 960_896 960_1024 960_1088 1024_640 1024_768 ' +
	'1024_832 1024_896 1024_960 1024_1024 1088_768 1088_832 1088_896 1088_960 1120_896 1152_704 1152_768 1152_832 1152_864 1152_896 ' +
	'1216_704 1216_768 1216_832 1232_768 1248_832 1280_704 1280_720 1280_768 1280_800 1312_736 1344_640 1344_704 1344_768 1408_576 ' +
	'1408_640 1408_704 1472_576 1472_640 1472_704 1536_512 1536_576 1536_640'
)
	.split(' ')
	.map((size) => `RESOLUTION_${size}`);

function ideogramReframeRun(body: Body): ModelRun {
	const inputRef = requiredImageRef(body, 'image_file');
	const resolution = optionalEnum(body, 'resolution', IDEOGRAM_RESOLUTIONS, 'RESOLUTION_1024_1024');
	const style = optionalEnum(body, 'style_type', STYLE_TYPES, 'GENERAL');
	const seed = optionalInt(body, 'seed', 100, 999_999) ?? randomSeed(100, 999_999);
	const [width, height] = resolution.slice('RESOLUTION_'.length).split('_').map(Number);
	return {
		model: 'ideogram-reframe',
		cost: COSTS.ideogramReframe,
		inputRef,
		seed,
		outputs: [
			{
				key: `reframe:${width}x${height}:${style}`,
				fileSuffix: `${width}x${height}`,
				ext: 'png',
				contentType: CONTENT_TYPES.png,
				render: (source) => reframe(source, width, height, style),
			},
		],
	};
}

function relightingRun(body: Body): ModelRun {
	const inputRef = requiredImageRef(body, 'image');
	// Every field is required (the seed marks them so, despite listing defaults).
	const options = {
		direction: requiredEnum(body, 'light_direction', LIGHT_DIRECTIONS),
		type: requiredEnum(body, 'light_type', LIGHT_TYPES),
		temperature: requiredEnum(body, 'light_temperature', LIGHT_TEMPERATURES),
		intensity: requiredEnum(body, 'light_intensity', LIGHT_INTENSITIES),
	};
	return {
		model: 'segmind-relighting',
		cost: COSTS.segmindRelighting,
		inputRef,
		outputs: [
			{
				key: `relight:${options.direction}:${options.type}:${options.temperature}:${options.intensity}`,
				fileSuffix: 'relit',
				ext: 'png',
				contentType: CONTENT_TYPES.png,
				render: (source) => relight(source, options),
			},
		],
	};
}

function imageConverterRun(body: Body): ModelRun {
	const inputRef = requiredImageRef(body, 'image_url', { allowRawBase64: true });
	const target = requiredEnum(body, 'target_format', CONVERTER_FORMATS);
	const format: OutputFormat = converterOutputFormat(target);
	return {
		model: 'image-converter',
		cost: COSTS.imageConverter,
		inputRef,
		outputs: [
			{
				key: `convert:${format}`,
				fileSuffix: 'converted',
				ext: target,
				contentType: CONTENT_TYPES[format],
				render: (source) => convert(source, target),
			},
		],
	};
}

/** Segmind models by slug. Each validates a body (throwing ValidationError) into a run. */
export const SEGMIND_MODELS: Record<string, (body: Body) => ModelRun> = {
	'smart-banner-resizer': (body) => smartResizeRun(body, 'smart-banner-resizer', false),
	'ideogram-reframe': ideogramReframeRun,
	'segmind-relighting': relightingRun,
	'image-converter': imageConverterRun,
};

export const pixazoSmartResizeRun = (body: Body): ModelRun =>
	smartResizeRun(body, 'smart-resize', true);

export { ValidationError };
