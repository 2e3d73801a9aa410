/** Field checks for model request bodies. Each failure names the field, as the providers' 400s do. */

export class ValidationError extends Error {
	constructor(
		readonly field: string,
		readonly why: string,
	) {
		super(`${field}: ${why}`);
	}
}

type Body = Record<string, unknown>;

const isAbsent = (value: unknown) => value === undefined || value === null;

export function requiredString(body: Body, field: string): string {
	const value = body[field];
	if (isAbsent(value) || value === '') throw new ValidationError(field, 'field required');
	if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
	return value;
}

export function optionalString(body: Body, field: string, maxLength: number): string | undefined {
	const value = body[field];
	if (isAbsent(value)) return undefined;
	if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
	if (value.length > maxLength)
		throw new ValidationError(field, `must be at most ${maxLength} characters`);
	return value;
}

export function requiredEnum<T extends string>(
	body: Body,
	field: string,
	allowed: readonly T[],
): T {
	const value = body[field];
	if (isAbsent(value) || value === '')
		throw new ValidationError(field, `field required (one of ${allowed.join(', ')})`);
	if (!allowed.includes(value as T))
		throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
	return value as T;
}

export function optionalEnum<T extends string>(
	body: Body,
	field: string,
	allowed: readonly T[],
	fallback: T,
): T {
	return isAbsent(body[field]) ? fallback : requiredEnum(body, field, allowed);
}

/**
 * An integer in range. Numeric strings are accepted too, as a lax (pydantic-style) backend does: the
 * seed's own sample sends `"safety_tolerance": "4"` to a field typed integer.
 */
export function optionalInt(
	body: Body,
	field: string,
	min: number,
	max: number,
): number | undefined {
	const value = body[field];
	if (isAbsent(value)) return undefined;
	const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number))
		throw new ValidationError(field, 'must be an integer');
	if (number < min || number > max)
		throw new ValidationError(field, `must be between ${min} and ${max}`);
	return number;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
	const value = body[field];
	if (isAbsent(value)) return undefined;
	if (typeof value !== 'boolean') throw new ValidationError(field, 'must be a boolean');
	return value;
}

const RAW_BASE64 = /^[A-Za-z0-9+/\s]+={0,2}$/;

/** An image reference: an http(s) URL or a data: URL; raw base64 only where a model documents it. */
export function requiredImageRef(
	body: Body,
	field: string,
	options: { allowRawBase64?: boolean } = {},
): string {
	const value = requiredString(body, field).trim();
	if (/^data:/i.test(value)) {
		if (!/^data:[^,]*;base64,/i.test(value))
			throw new ValidationError(field, 'data: URL must be base64-encoded');
		return value;
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
		let url: URL;
		try {
			url = new URL(value);
		} catch {
			throw new ValidationError(field, 'invalid URL');
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:')
			throw new ValidationError(field, `unsupported URL scheme ${url.protocol}`);
		return value;
	}
	if (options.allowRawBase64 && value.length >= 16 && RAW_BASE64.test(value)) return value;
	throw new ValidationError(
		field,
		options.allowRawBase64
			? 'must be a URL, a data: URI or base64 image data'
			: 'must be an http(s) or data: URL',
	);
}

const SIZE = /^(\d{1,5})x(\d{1,5})$/;
// Segmind documents no bounds; 16 admits every IAB size (320x50 is the smallest common one).
export const MIN_SIDE = 16;
export const MAX_SIDE = 8192;

/** `target_sizes`: 1-10 entries of `"<width>x<height>"`. */
export function targetSizes(
	body: Body,
	field = 'target_sizes',
): { width: number; height: number }[] {
	const value = body[field];
	if (isAbsent(value)) throw new ValidationError(field, 'field required');
	if (!Array.isArray(value))
		throw new ValidationError(field, "must be an array of '<width>x<height>' strings");
	if (value.length < 1 || value.length > 10)
		throw new ValidationError(field, 'must have 1-10 entries');
	return value.map((entry, index) => {
		const match = typeof entry === 'string' ? SIZE.exec(entry) : null;
		if (!match)
			throw new ValidationError(
				`${field}[${index}]`,
				`each item must be in format 'widthxheight', got ${JSON.stringify(entry)}`,
			);
		const [width, height] = [Number(match[1]), Number(match[2])];
		if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
			throw new ValidationError(
				`${field}[${index}]`,
				`each side must be between ${MIN_SIDE} and ${MAX_SIDE} pixels`,
			);
		}
		return { width, height };
	});
}
