/**
 * The emulator's "models": real image operations with sharp, so a client sees outputs of the right
 * size, format and character (recomposed, extended, relit, converted) without any AI behind them.
 */
import sharp, { type Sharp } from 'sharp';

import { decodeBmp, encodeBmp, isBmp } from './bmp';

export type OutputFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'bmp';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	tiff: 'image/tiff',
	bmp: 'image/bmp',
};

/** A decoded input image: 8-bit sRGB pixels, plus where its subject is. */
export interface SourceImage {
	pixels: Buffer;
	width: number;
	height: number;
	channels: 3 | 4;
	/** Subject centre in source pixels, from libvips' attention (saliency) strategy. */
	focal: { x: number; y: number };
}

/** Largest input we decode (about 8k x 6k). */
const MAX_INPUT_PIXELS = 50_000_000;

export class UndecodableImageError extends Error {}

export async function loadSource(data: Buffer): Promise<SourceImage> {
	let decoded: { pixels: Buffer; width: number; height: number; channels: 3 | 4 };
	try {
		if (isBmp(data)) {
			const bmp = decodeBmp(data);
			decoded = { ...bmp, channels: 3 };
		} else {
			const { data: pixels, info } = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
				.rotate() // honour EXIF orientation, as a browser would show the photo
				.toColourspace('srgb')
				.raw()
				.toBuffer({ resolveWithObject: true });
			decoded = {
				pixels,
				width: info.width,
				height: info.height,
				channels: info.channels === 4 ? 4 : 3,
			};
		}
	} catch (error) {
		throw new UndecodableImageError(`input is not a decodable image (${(error as Error).message})`);
	}
	return { ...decoded, focal: await findSubject(decoded) };
}

function fromSource(src: Pick<SourceImage, 'pixels' | 'width' | 'height' | 'channels'>) {
	return sharp(src.pixels, {
		raw: { width: src.width, height: src.height, channels: src.channels },
	});
}

async function findSubject(src: Omit<SourceImage, 'focal'>): Promise<{ x: number; y: number }> {
	const side = 256;
	const { info } = await fromSource(src)
		.resize(side, side, { fit: 'cover', position: 'attention' })
		.toBuffer({ resolveWithObject: true });
	// attentionX/Y are in the resized-but-not-yet-cropped frame, whose short side is `side`.
	const scale = side / Math.min(src.width, src.height);
	const x = info.attentionX === undefined ? src.width / 2 : info.attentionX / scale;
	const y = info.attentionY === undefined ? src.height / 2 : info.attentionY / scale;
	return { x: clamp(x, 0, src.width), y: clamp(y, 0, src.height) };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export async function encode(image: Sharp, format: OutputFormat): Promise<Buffer> {
	switch (format) {
		case 'png':
			return image.png({ compressionLevel: 4 }).toBuffer();
		case 'jpeg':
			return image.flatten({ background: '#ffffff' }).jpeg({ quality: 86 }).toBuffer();
		case 'webp':
			return image.webp({ quality: 82, effort: 2 }).toBuffer();
		case 'gif':
			return image.gif({ effort: 3 }).toBuffer();
		case 'tiff':
			return image.tiff({ compression: 'lzw' }).toBuffer();
		case 'bmp': {
			const { data, info } = await image
				.flatten({ background: '#ffffff' })
				.removeAlpha()
				.raw()
				.toBuffer({ resolveWithObject: true });
			return encodeBmp(data, info.width, info.height, 3);
		}
	}
}

/** What each of the up to 4 variants of one target size does, so they differ in composition. */
export const SMART_RESIZE_VARIANTS = [
	'subject-centred recomposition: a crop when the shapes are close, else part crop, part extended canvas',
	'close-up on the subject',
	'whole scene on an extended background',
	'rule-of-thirds framing',
] as const;

/** Crop box of the target aspect, `zoom` times smaller than the largest one, with the subject at `anchor`. */
function cropAround(
	src: SourceImage,
	aspect: number,
	zoom: number,
	anchorX: number,
	anchorY: number,
) {
	const fullWidth = Math.min(src.width, src.height * aspect);
	const width = Math.max(1, Math.round(fullWidth / zoom));
	const height = Math.max(1, Math.round(fullWidth / aspect / zoom));
	return {
		left: Math.round(clamp(src.focal.x - width * anchorX, 0, src.width - width)),
		top: Math.round(clamp(src.focal.y - height * anchorY, 0, src.height - height)),
		width: Math.min(width, src.width),
		height: Math.min(height, src.height),
	};
}

/** smart-banner-resizer / smart-resize: one variant of one target size, exactly width x height. */
export async function smartResize(
	src: SourceImage,
	width: number,
	height: number,
	variant: number,
	format: OutputFormat,
): Promise<Buffer> {
	const aspect = width / height;
	let image: Sharp;
	switch (variant % SMART_RESIZE_VARIANTS.length) {
		case 0:
			image = await recompose(src, aspect, width, height);
			break;
		case 1:
			image = fromSource(src).extract(cropAround(src, aspect, 1.45, 0.5, 0.45));
			break;
		case 2:
			image = await extendedCanvas(src, width, height);
			break;
		default: {
			// Put the subject on the third line nearer the frame's centre, leaving room on its far side.
			const anchorX = src.focal.x > src.width / 2 ? 2 / 3 : 1 / 3;
			image = fromSource(src).extract(cropAround(src, aspect, 1.2, anchorX, 0.4));
		}
	}
	return encode(image.resize(width, height, { fit: 'fill' }), format);
}

/**
 * A crop alone would cut the subject, or the text beside it, when the target's shape differs from
 * the source's (a square or a 9:16 story from a 3:2 photo), so the emulator does what a recomposing
 * model is for: it trims the source only a little towards the target's shape, then extends the
 * canvas to the target. Whatever is in the picture stays in the picture.
 */
async function recompose(
	src: SourceImage,
	aspect: number,
	width: number,
	height: number,
): Promise<Sharp> {
	const sourceAspect = src.width / src.height;
	const mismatch = Math.max(aspect / sourceAspect, sourceAspect / aspect);
	if (mismatch <= MAX_RECOMPOSE_TRIM) {
		return fromSource(src).extract(cropAround(src, aspect, 1, 0.5, 0.5));
	}
	const trimmedAspect =
		aspect > sourceAspect ? sourceAspect * MAX_RECOMPOSE_TRIM : sourceAspect / MAX_RECOMPOSE_TRIM;
	const box = cropAround(src, trimmedAspect, 1, 0.5, 0.5);
	const { data, info } = await fromSource(src)
		.extract(box)
		.raw()
		.toBuffer({ resolveWithObject: true });
	const part: SourceImage = {
		pixels: data,
		width: info.width,
		height: info.height,
		channels: info.channels === 4 ? 4 : 3,
		focal: { x: src.focal.x - box.left, y: src.focal.y - box.top },
	};
	return extendedCanvas(part, width, height);
}

/** How far a recomposition trims the source towards the target's shape: 6 %, about 3 % a side. */
const MAX_RECOMPOSE_TRIM = 1.06;

/**
 * The source fitted inside width x height, and the rest of the canvas filled the way an outpainter
 * would look from afar: the image's edges drawn outward, blurred, and shaded softly towards the corners. Never mirrored,
 * which would show text such as "SALE" backwards in the added bands, and never a flat colour.
 */
async function extendedCanvas(src: SourceImage, width: number, height: number): Promise<Sharp> {
	const fitted = await fromSource(src)
		.resize(width, height, { fit: 'inside' })
		.raw()
		.toBuffer({ resolveWithObject: true });
	const raw = {
		width: fitted.info.width,
		height: fitted.info.height,
		channels: fitted.info.channels,
	};
	const left = Math.floor((width - raw.width) / 2);
	const top = Math.floor((height - raw.height) / 2);
	if (raw.width === width && raw.height === height) return sharp(fitted.data, { raw });
	const background = await sharp(fitted.data, { raw })
		.extend({
			left,
			top,
			right: width - raw.width - left,
			bottom: height - raw.height - top,
			extendWith: 'copy',
		})
		.blur(Math.max(4, Math.min(width, height) / 40))
		.modulate({ brightness: 0.94 })
		.composite([{ input: vignette(width, height) }])
		.raw()
		.toBuffer({ resolveWithObject: true });
	// Composite always yields RGBA, whatever went in: take the channel count from what came out.
	const canvas = await sharp(background.data, {
		raw: { width, height, channels: background.info.channels },
	})
		.composite([{ input: fitted.data, raw, left, top }])
		.raw()
		.toBuffer({ resolveWithObject: true });
	return sharp(canvas.data, { raw: { width, height, channels: canvas.info.channels } });
}

/** A soft shade towards the canvas corners, so that drawn-out edges read as depth, not as stripes. */
function vignette(width: number, height: number): Buffer {
	return Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
			'<defs><radialGradient id="v" cx="50%" cy="50%" r="75%">' +
			'<stop offset="45%" stop-color="#000" stop-opacity="0"/>' +
			'<stop offset="100%" stop-color="#000" stop-opacity="0.35"/>' +
			'</radialGradient></defs>' +
			`<rect width="${width}" height="${height}" fill="url(#v)"/></svg>`,
	);
}

export const STYLE_TYPES = ['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME'] as const;
export type StyleType = (typeof STYLE_TYPES)[number];

/** ideogram-reframe: PNG of exactly width x height, source fitted inside, canvas extended. */
export async function reframe(
	src: SourceImage,
	width: number,
	height: number,
	style: StyleType,
): Promise<Buffer> {
	let image = await extendedCanvas(src, width, height);
	// A light touch per style, so the parameter visibly does something.
	if (style === 'DESIGN') image = image.modulate({ saturation: 1.2 });
	if (style === 'RENDER_3D') image = image.sharpen({ sigma: 1.2 }).modulate({ saturation: 1.1 });
	if (style === 'ANIME') image = image.median(3).modulate({ saturation: 1.4 });
	return encode(image, 'png');
}

export const LIGHT_DIRECTIONS = ['left', 'right', 'top', 'back'] as const;
export const LIGHT_TYPES = ['softbox', 'sunlight', 'spotlight', 'ambient'] as const;
export const LIGHT_TEMPERATURES = ['warm', 'cool', 'neutral', 'sunset'] as const;
export const LIGHT_INTENSITIES = ['mood', 'bright', 'medium', 'strong'] as const;

export interface RelightOptions {
	direction: (typeof LIGHT_DIRECTIONS)[number];
	type: (typeof LIGHT_TYPES)[number];
	temperature: (typeof LIGHT_TEMPERATURES)[number];
	intensity: (typeof LIGHT_INTENSITIES)[number];
}

const LIGHT_COLOURS: Record<RelightOptions['temperature'], string> = {
	warm: '#ffb45e',
	cool: '#8ab6ff',
	neutral: '#ffffff',
	sunset: '#ff8040',
};

/** ambient: overall exposure; light: opacity of the key light; shadow: darkening of the far side. */
const INTENSITIES: Record<
	RelightOptions['intensity'],
	{ ambient: number; light: number; shadow: number }
> = {
	mood: { ambient: 0.62, light: 0.6, shadow: 0.55 },
	medium: { ambient: 0.85, light: 0.6, shadow: 0.3 },
	bright: { ambient: 1.0, light: 0.75, shadow: 0.15 },
	strong: { ambient: 0.8, light: 0.95, shadow: 0.5 },
};

/** How far the key light reaches across the frame, per light type (fraction of the frame). */
const REACH: Record<RelightOptions['type'], number> = {
	softbox: 0.85,
	sunlight: 0.6,
	spotlight: 0.55,
	ambient: 1,
};

type Side = 'left' | 'right' | 'top' | 'bottom';
/** Linear gradient axes running from each side across the frame. */
const FROM_SIDE: Record<Side, string> = {
	left: 'x1="0" y1="0" x2="1" y2="0"',
	right: 'x1="1" y1="0" x2="0" y2="0"',
	top: 'x1="0" y1="0" x2="0" y2="1"',
	bottom: 'x1="0" y1="1" x2="0" y2="0"',
};
const OPPOSITE: Record<Side, Side> = { left: 'right', right: 'left', top: 'bottom', bottom: 'top' };
const SPOT_CENTRES: Record<Side, string> = {
	left: 'cx="0.1" cy="0.4"',
	right: 'cx="0.9" cy="0.4"',
	top: 'cx="0.5" cy="0.05"',
	bottom: 'cx="0.5" cy="0.95"',
};

const radial = (
	position: string,
	r: number,
	stops: [offset: number, colour: string, opacity: number][],
) =>
	`<radialGradient id="g" ${position} r="${r}">${stops.map(([offset, colour, opacity]) => `<stop offset="${offset}" stop-color="${colour}" stop-opacity="${opacity}"/>`).join('')}</radialGradient>`;

/** Linear fade of `colour` from `side`: `peak` until `hold`, down to `floor` at `reach`. */
const fromSide = (
	side: Side,
	colour: string,
	peak: number,
	hold: number,
	reach: number,
	floor = 0,
) =>
	`<linearGradient id="g" ${FROM_SIDE[side]}><stop offset="${hold}" stop-color="${colour}" stop-opacity="${peak}"/><stop offset="${reach}" stop-color="${colour}" stop-opacity="${floor}"/></linearGradient>`;

/** The key light: strongest on the light's side, fading across the frame, shaped by the light type. */
function keyLight(options: RelightOptions, colour: string, peak: number): string {
	const reach = REACH[options.type];
	if (options.direction === 'back') {
		// Backlight: a rim around the edges, the centre (the subject's front) left unlit.
		return radial('cx="0.5" cy="0.5"', 0.72, [
			[options.type === 'spotlight' ? 0.65 : 0.45, colour, 0],
			[1, colour, peak],
		]);
	}
	if (options.type === 'spotlight')
		return radial(SPOT_CENTRES[options.direction], reach, [
			[0, colour, peak],
			[1, colour, 0],
		]);
	// Sunlight is hard: full strength for a while, then a quick falloff. Ambient never falls to nothing.
	return fromSide(
		options.direction,
		colour,
		peak,
		options.type === 'sunlight' ? 0.25 : 0,
		reach,
		options.type === 'ambient' ? peak * 0.2 : 0,
	);
}

/** The shadow: the side away from the light (for a backlight, the centre) darkens. */
function shadow(options: RelightOptions, opacity: number): string {
	if (options.direction === 'back')
		return radial('cx="0.5" cy="0.5"', 0.6, [
			[0, '#000000', opacity],
			[1, '#000000', 0],
		]);
	return fromSide(OPPOSITE[options.direction], '#000000', opacity, 0, REACH.softbox);
}

function svgLayer(width: number, height: number, gradient: string): Buffer {
	return Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>${gradient}</defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
	);
}

/** segmind-relighting: same size as the input, PNG, lit from the chosen side in the chosen colour. */
export async function relight(src: SourceImage, options: RelightOptions): Promise<Buffer> {
	const { width, height } = src;
	const colour = LIGHT_COLOURS[options.temperature];
	const strength = INTENSITIES[options.intensity];
	const tint = Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${colour}" fill-opacity="0.3"/></svg>`,
	);
	const lit = await fromSource(src)
		.removeAlpha()
		.modulate({ brightness: strength.ambient })
		.composite([
			{ input: svgLayer(width, height, shadow(options, strength.shadow)), blend: 'over' },
			{ input: tint, blend: 'multiply' },
			{
				input: svgLayer(width, height, keyLight(options, colour, strength.light)),
				blend: 'screen',
			},
		])
		.removeAlpha()
		.raw()
		.toBuffer();
	let output = sharp(lit, { raw: { width, height, channels: 3 } });
	if (src.channels === 4)
		output = output.joinChannel(await fromSource(src).extractChannel(3).raw().toBuffer(), {
			raw: { width, height, channels: 1 },
		});
	return encode(output, 'png');
}

export const CONVERTER_FORMATS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'tiff', 'webp'] as const;
export type ConverterFormat = (typeof CONVERTER_FORMATS)[number];

export const converterOutputFormat = (target: ConverterFormat): OutputFormat =>
	target === 'jpg' ? 'jpeg' : target;

/** image-converter: the same pixels in another container. */
export function convert(src: SourceImage, target: ConverterFormat): Promise<Buffer> {
	return encode(fromSource(src), converterOutputFormat(target));
}
