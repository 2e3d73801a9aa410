import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { z } from 'zod';

import { coded } from './errors';

/**
 * Parameter checks run before any request, so a typo never costs credits. Each message names the
 * field as the user sees it in the node, the value given, and what is allowed.
 */
export type FieldLabels = Record<string, string>;

/** Empty, blank or null is no number at all: it must not slip through as 0. */
const nothingAsUndefined = (value: unknown) =>
	value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/**
 * Only a number or text is read as a number: an expression's true, [3] or {} must not pass as 1,
 * 3 or a count, as z.coerce.number alone would let them.
 */
const numberOrText = (value: unknown) => {
	const present = nothingAsUndefined(value);
	return present === undefined || typeof present === 'number' || typeof present === 'string'
		? present
		: Number.NaN;
};

export function intInRange(min: number, max: number) {
	const allowed = `Allowed: a whole number from ${min} to ${max}`;
	return z.preprocess(
		numberOrText,
		z.coerce
			.number({ invalid_type_error: allowed })
			.int(allowed)
			.min(min, allowed)
			.max(max, allowed),
	);
}

export function numberInRange(min: number, max: number) {
	const allowed = `Allowed: a number from ${min} to ${max}`;
	return z.preprocess(
		numberOrText,
		z.coerce.number({ invalid_type_error: allowed }).min(min, allowed).max(max, allowed),
	);
}

export function oneOf<const T extends readonly [string, ...string[]]>(
	values: T,
	message = `Allowed: ${values.join(', ')}`,
) {
	return z.enum(values, { errorMap: () => ({ message }) });
}

/** A public link the provider downloads itself: only http(s). */
export const httpUrl = z
	.string({ invalid_type_error: 'Allowed: a public http(s) URL of an image' })
	.trim()
	.min(1, 'Allowed: a public http(s) URL of an image')
	.superRefine((value, context) => {
		let parsed: URL;
		try {
			parsed = new URL(value);
		} catch {
			context.addIssue({ code: 'custom', message: 'Allowed: a public http(s) URL of an image' });
			return;
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			context.addIssue({
				code: 'custom',
				message: `Allowed: an http(s) URL (this one starts with "${parsed.protocol}")`,
			});
		}
	})
	.transform((value) => new URL(value).toString());

export function parseParameters<T extends z.ZodTypeAny>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	schema: T,
	raw: Record<string, unknown>,
	labels: FieldLabels,
): z.infer<T> {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return parsed.data as z.infer<T>;
	const issue = parsed.error.issues[0];
	const key = String(issue.path[0] ?? '');
	// A list (Size Presets, say) may hold several bad values: name them all at once, so that one
	// run shows everything to fix.
	const sameField = parsed.error.issues.filter(
		(other) => String(other.path[0] ?? '') === key && other.message === issue.message,
	);
	const badValues =
		sameField.length > 1 && sameField.every((other) => typeof other.path[1] === 'number')
			? new BadValues(sameField.map((other) => valueAt(raw, other.path)))
			: valueAt(raw, issue.path);
	throw invalidParameter(ctx.getNode(), itemIndex, labels[key] ?? key, badValues, issue.message);
}

/** Several bad values of one list field, shown one after another. */
class BadValues {
	constructor(readonly values: unknown[]) {}
}

export function invalidParameter(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string,
): NodeOperationError {
	const error = new NodeOperationError(node, `Invalid "${field}": ${show(value)}. ${allowed}`, {
		itemIndex,
		description: `Change "${field}" and run again. Nothing was sent to the provider, so no credits were spent.`,
	});
	return coded(error, 'INVALID_INPUT', false);
}

function valueAt(raw: Record<string, unknown>, path: Array<string | number>): unknown {
	let current: unknown = raw;
	for (const key of path) {
		if (current === null || typeof current !== 'object') return current;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function show(value: unknown): string {
	if (value instanceof BadValues) return [...new Set(value.values.map(show))].join(', ');
	if (value === undefined || value === '') return 'empty';
	// JSON would show NaN and Infinity as null.
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
	const json = JSON.stringify(value);
	return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

/** Parses a provider's JSON answer; a shape that does not match is reported, not guessed at. */
export function parseAnswer<T extends z.ZodTypeAny>(
	schema: T,
	value: unknown,
): z.infer<T> | undefined {
	const parsed = schema.safeParse(value);
	return parsed.success ? (parsed.data as z.infer<T>) : undefined;
}
