import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeParameterValue,
} from 'n8n-workflow';
import { z } from 'zod';

import { intInRange, numberInRange, oneOf, parseParameters } from './validation';

/**
 * One declaration per field. The editor property, the zod schema that checks it, the label used in
 * error messages and the default read when the field is absent all come from here, so they cannot
 * drift apart. A field set is an object whose keys are the parameter names n8n stores.
 */
/**
 * Where a field sits in the panel: top level, the Image Settings collection (what shapes the image:
 * format, resolution, prompt, seed...), or the Advanced Options collection (waiting, limits,
 * fields, pacing). Their stored names are `imageSettings` and `options`.
 */
export type Placement = 'field' | 'image' | 'option';

export interface FieldSpec<T = unknown> {
	placement: Placement;
	/** What n8n shows, without the name (the key) and the display conditions (added on assembly). */
	property: Omit<INodeProperties, 'name' | 'displayOptions'>;
	/** When the field is shown, by other top-level parameters' values; n8n reads the same rule. */
	showWhen?: Record<string, NodeParameterValue[]>;
	schema: z.ZodType<T, z.ZodTypeDef, unknown>;
}

export type FieldSet = Record<string, FieldSpec>;

/**
 * An n8n expression (without the braces) for the label a choice field's current value has in the
 * panel, for canvas subtitles that spell things as the panel does ("WebP", not "WEBP").
 */
export function choiceLabel(field: FieldSpec, parameter: string): string {
	const labels = Object.fromEntries(
		(field.property.options ?? []).map((option) => {
			const { name, value } = option as { name: string; value: string };
			return [value, name];
		}),
	);
	return `(${JSON.stringify(labels)}[$parameter["${parameter}"]] || $parameter["${parameter}"])`;
}

export type FieldValues<F extends FieldSet> = {
	[K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never;
};

interface Declared {
	displayName: string;
	description?: string;
	hint?: string;
	placeholder?: string;
	placement?: Placement;
	showWhen?: Record<string, NodeParameterValue[]>;
	required?: boolean;
	noDataExpression?: boolean;
}

interface Choice<V extends string> {
	name: string;
	value: V;
	description?: string;
}

function spec<T>(
	declared: Declared,
	property: Omit<INodeProperties, 'name' | 'displayOptions' | 'displayName'>,
	schema: z.ZodType<T, z.ZodTypeDef, unknown>,
): FieldSpec<T> {
	const { displayName, description, hint, placeholder, required, noDataExpression } = declared;
	const optional = { description, hint, placeholder, required, noDataExpression };
	const present = Object.fromEntries(
		Object.entries(optional).filter(([, value]) => value !== undefined),
	);
	return {
		placement: declared.placement ?? 'field',
		showWhen: declared.showWhen,
		property: { displayName, ...property, ...present },
		schema,
	};
}

export function choiceField<const V extends string>(
	declared: Declared & {
		options: Array<Choice<V>>;
		default: NoInfer<V>;
		/** What an error says is allowed, where listing every value would be too long. */
		allowed?: string;
	},
): FieldSpec<V> {
	const values = declared.options.map((option) => option.value) as [V, ...V[]];
	return spec(
		declared,
		{ type: 'options', options: declared.options, default: declared.default },
		oneOf(values, declared.allowed),
	);
}

export function multiChoiceField<const V extends string>(
	declared: Declared & { options: Array<Choice<V>>; default: NoInfer<V>[] },
): FieldSpec<V[]> {
	const values = declared.options.map((option) => option.value) as [V, ...V[]];
	return spec(
		declared,
		{ type: 'multiOptions', options: declared.options, default: declared.default },
		z.array(oneOf(values)),
	);
}

export function wholeNumberField(
	declared: Declared & { min: number; max: number; default: number },
): FieldSpec<number> {
	return spec(
		declared,
		{
			type: 'number',
			typeOptions: { minValue: declared.min, maxValue: declared.max },
			default: declared.default,
		},
		intInRange(declared.min, declared.max),
	);
}

export function decimalField(
	declared: Declared & { min: number; max: number; default: number; precision: number },
): FieldSpec<number> {
	return spec(
		declared,
		{
			type: 'number',
			typeOptions: {
				minValue: declared.min,
				maxValue: declared.max,
				numberPrecision: declared.precision,
			},
			default: declared.default,
		},
		numberInRange(declared.min, declared.max),
	);
}

/** A number the user may leave empty (a seed): empty means "let the provider choose". */
export function optionalWholeNumberField(
	declared: Declared & { min: number; max: number; limitInEditor?: boolean },
): FieldSpec<number | undefined> {
	const limits = declared.limitInEditor
		? { typeOptions: { minValue: declared.min, maxValue: declared.max } }
		: {};
	return spec(
		declared,
		{ type: 'number', ...limits, default: '' },
		z
			.union([z.literal(''), z.null(), z.undefined(), intInRange(declared.min, declared.max)], {
				// Otherwise a value that fits no branch ("x", true) is refused with zod's "Invalid input".
				errorMap: () => ({
					message: `Allowed: a whole number from ${declared.min} to ${declared.max}, or empty`,
				}),
			})
			.transform((value) => (typeof value === 'number' ? value : undefined)),
	);
}

export function flagField(declared: Declared & { default: boolean }): FieldSpec<boolean> {
	return spec(
		declared,
		{ type: 'boolean', default: declared.default },
		z.boolean({ invalid_type_error: 'Allowed: true or false' }),
	);
}

export function textField<T = string>(
	declared: Declared & {
		default: string;
		rows?: number;
		/** How the text is checked and shaped; plain text by default. */
		schema?: z.ZodType<T, z.ZodTypeDef, unknown>;
	},
): FieldSpec<T> {
	const schema = declared.schema ?? (z.string() as unknown as z.ZodType<T, z.ZodTypeDef, unknown>);
	return spec(
		declared,
		{
			type: 'string',
			...(declared.rows ? { typeOptions: { rows: declared.rows } } : {}),
			default: declared.default,
		},
		schema,
	);
}

type Show = Record<string, NodeParameterValue[] | Array<{ _cnd: Record<string, number> }>>;

/** A display condition: shown in node versions from `version` on. */
export function shownFromVersion(version: number): Show {
	return { '@version': [{ _cnd: { gte: version } }] };
}

/** The panel's parts a field set contributes to. */
export interface FieldProperties {
	fields: INodeProperties[];
	/** Inside Image Settings. */
	image: INodeProperties[];
	/** Inside Advanced Options. */
	options: INodeProperties[];
}

/**
 * The editor properties of a field set. `scope` is the condition the whole set shares (usually
 * the operation). Inside a collection, display paths are relative to the collection, so node-level
 * conditions get a leading '/'.
 *
 * `imageSettingsSince` is the node version that introduced Image Settings. Node versions before it
 * keep those fields where they were saved, in Options, so that a saved workflow keeps its values:
 * n8n drops a stored value that the node's description does not show.
 */
export function fieldProperties(
	fields: FieldSet,
	scope: Show = {},
	imageSettingsSince = 1,
): FieldProperties {
	const result: FieldProperties = { fields: [], image: [], options: [] };
	const place = (
		name: string,
		field: FieldSpec,
		where: keyof FieldProperties,
		version: Show | undefined,
	) => {
		const show: Show = { ...scope, ...(field.showWhen ?? {}) };
		const conditions: Show =
			where === 'fields'
				? show
				: Object.fromEntries(Object.entries(show).map(([key, values]) => [`/${key}`, values]));
		Object.assign(conditions, version);
		const displayOptions = Object.keys(conditions).length > 0 ? { show: conditions } : undefined;
		const property = { ...field.property, name, ...(displayOptions ? { displayOptions } : {}) };
		result[where].push(property as INodeProperties);
	};
	for (const [name, field] of Object.entries(fields)) {
		if (field.placement === 'field') place(name, field, 'fields', undefined);
		else if (field.placement === 'option') place(name, field, 'options', undefined);
		else if (imageSettingsSince <= 1) place(name, field, 'image', undefined);
		else {
			place(name, field, 'image', shownFromVersion(imageSettingsSince));
			place(name, field, 'options', { '@version': [{ _cnd: { lt: imageSettingsSince } }] });
		}
	}
	return result;
}

export function fieldLabels(fields: FieldSet): Record<string, string> {
	return Object.fromEntries(
		Object.entries(fields).map(([name, field]) => [name, field.property.displayName]),
	);
}

const schemas = new WeakMap<FieldSet, z.ZodTypeAny>();

function schemaOf(fields: FieldSet): z.ZodTypeAny {
	let schema = schemas.get(fields);
	if (!schema) {
		schema = z.object(
			Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema])),
		);
		schemas.set(fields, schema);
	}
	return schema;
}

/**
 * Reads and checks a field set for one item. A field hidden by its display conditions is not
 * checked and takes its declared default, as n8n itself would give it.
 */
export function readFields<F extends FieldSet>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: F,
): FieldValues<F> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const imageSettings = ctx.getNodeParameter('imageSettings', itemIndex, {}) as IDataObject;
	const raw: Record<string, unknown> = {};
	const read = (name: string): unknown => {
		if (name in raw) return raw[name];
		const field = fields[name];
		if (!field) return ctx.getNodeParameter(name, itemIndex, undefined);
		const fallback = field.property.default;
		if (field.placement === 'field') return ctx.getNodeParameter(name, itemIndex, fallback);
		// An Image Settings field of a node version from before that collection is in Options.
		const collected =
			field.placement === 'image' ? (imageSettings[name] ?? options[name]) : options[name];
		return collected ?? fallback;
	};
	for (const name of Object.keys(fields)) raw[name] = read(name);

	const shownFields: FieldSet = {};
	const hidden: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(fields)) {
		const shown = Object.entries(field.showWhen ?? {}).every(([other, values]) =>
			values.includes(read(other) as NodeParameterValue),
		);
		if (shown) shownFields[name] = field;
		else {
			const parsed = field.schema.safeParse(field.property.default);
			hidden[name] = parsed.success ? parsed.data : field.property.default;
		}
	}
	const checked = parseParameters(
		ctx,
		itemIndex,
		Object.keys(hidden).length === 0 ? schemaOf(fields) : schemaOf(shownFields),
		raw,
		fieldLabels(fields),
	) as Record<string, unknown>;
	return { ...hidden, ...checked } as FieldValues<F>;
}
