import type { IDataObject } from 'n8n-workflow';

import { outputFileName } from '../fileNames';
import { choiceField, choiceLabel } from '../fields';
import { defineModel } from '../model';

const titleCase = (value: string) => value[0].toUpperCase() + value.slice(1);

/** A light setting: the values and default the Segmind seed documents, named for the editor. */
function lightField<const V extends string>(
	displayName: string,
	values: readonly V[],
	defaultValue: NoInfer<V>,
	description: string,
) {
	return choiceField({
		displayName,
		options: values.map((value) => ({ name: titleCase(value), value })),
		default: defaultValue,
		description,
	});
}

const fields = {
	lightDirection: lightField(
		'Light Direction',
		['left', 'right', 'top', 'back'],
		'top',
		'Where the light comes from; Back gives a rim light behind the subject',
	),
	lightType: lightField(
		'Light Type',
		['softbox', 'sunlight', 'spotlight', 'ambient'],
		'ambient',
		'The kind of light source',
	),
	lightTemperature: lightField(
		'Light Temperature',
		['warm', 'cool', 'neutral', 'sunset'],
		'neutral',
		'The colour of the light',
	),
	lightIntensity: lightField(
		'Light Intensity',
		['mood', 'medium', 'bright', 'strong'],
		'medium',
		'How strong the light is, softest first: Mood is low and dramatic, Medium even, Bright high and airy, Strong a hard light with deep shadows',
	),
};

/** Each light field's body key: the same words in snake case, as every field is required upstream. */
const API_NAMES: Record<keyof typeof fields, string> = {
	lightDirection: 'light_direction',
	lightType: 'light_type',
	lightTemperature: 'light_temperature',
	lightIntensity: 'light_intensity',
};

/** The light fields' labels and values, read from their declarations. */
export const LIGHT_FIELDS = Object.fromEntries(
	Object.entries(fields).map(([name, field]) => [
		name,
		{
			label: field.property.displayName,
			values: (field.property.options ?? []).map((option) => (option as { value: string }).value),
			default: field.property.default as string,
		},
	]),
) as Record<keyof typeof fields, { label: string; values: string[]; default: string }>;

export const relightModel = defineModel({
	key: 'relight',
	operation: {
		name: 'Relight',
		value: 'relight',
		action: 'Relight an image',
		description: 'Change the lighting of the image',
	},
	fields,
	syncModeOffered: true,
	toParams: (values) => values,
	buildBody(params, image) {
		const body: IDataObject = { image };
		for (const [field, apiName] of Object.entries(API_NAMES)) {
			body[apiName] = params[field as keyof typeof API_NAMES];
		}
		return body;
	},
	expectedOutputs: () => [{ variant: 1 }],
	fileName: ({ baseName, prefix, info }) =>
		outputFileName(baseName, {
			size: info,
			sizeChanged: false,
			mark: 'relit',
			prefix,
			extension: info.extension,
		}),
	outputJson: (params) => ({ ...params }),
	subtitle: `${choiceLabel(fields.lightType, 'lightType')} + " Light from " + ${choiceLabel(fields.lightDirection, 'lightDirection')}`,
});
