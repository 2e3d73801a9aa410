import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import type { ImageModel } from '../imageNode';
import { SEGMIND_GATEWAYS } from '../segmind';
import { oneOf, parseParameters } from '../validation';

/** Exactly the values and defaults the Segmind seed documents; every field is required upstream. */
export const LIGHT_FIELDS = {
	lightDirection: {
		apiName: 'light_direction',
		label: 'Light Direction',
		values: ['left', 'right', 'top', 'back'],
		default: 'top',
	},
	lightType: {
		apiName: 'light_type',
		label: 'Light Type',
		values: ['softbox', 'sunlight', 'spotlight', 'ambient'],
		default: 'ambient',
	},
	lightTemperature: {
		apiName: 'light_temperature',
		label: 'Light Temperature',
		values: ['warm', 'cool', 'neutral', 'sunset'],
		default: 'neutral',
	},
	lightIntensity: {
		apiName: 'light_intensity',
		label: 'Light Intensity',
		values: ['mood', 'bright', 'medium', 'strong'],
		default: 'medium',
	},
} as const;

type LightField = keyof typeof LIGHT_FIELDS;

export function lightOptions(field: LightField): INodePropertyOptions[] {
	return LIGHT_FIELDS[field].values.map((value) => ({
		name: value[0].toUpperCase() + value.slice(1),
		value,
	}));
}

const schema = z.object({
	lightDirection: oneOf(LIGHT_FIELDS.lightDirection.values),
	lightType: oneOf(LIGHT_FIELDS.lightType.values),
	lightTemperature: oneOf(LIGHT_FIELDS.lightTemperature.values),
	lightIntensity: oneOf(LIGHT_FIELDS.lightIntensity.values),
});

export type RelightParams = z.infer<typeof schema>;

const fields = Object.keys(LIGHT_FIELDS) as LightField[];

export function readRelightParameters(ctx: IExecuteFunctions, itemIndex: number): RelightParams {
	const raw = Object.fromEntries(
		fields.map((field) => [
			field,
			ctx.getNodeParameter(field, itemIndex, LIGHT_FIELDS[field].default),
		]),
	);
	const labels = Object.fromEntries(fields.map((field) => [field, LIGHT_FIELDS[field].label]));
	return parseParameters(ctx, itemIndex, schema, raw, labels);
}

export const relightModel: ImageModel<RelightParams> = {
	slug: 'segmind-relighting',
	operation: 'relight',
	inlineBinary: () => false,
	syncModeOffered: true,
	readParameters: readRelightParameters,
	...SEGMIND_GATEWAYS,
	buildBody(params, image) {
		const body: IDataObject = { image };
		for (const field of fields) body[LIGHT_FIELDS[field].apiName] = params[field];
		return body;
	},
	expectedOutputs: () => [{ variant: 1 }],
	fileName: (baseName, info) => `${baseName}_relit.${info.extension}`,
	describe: (params) => ({ ...params }),
};
