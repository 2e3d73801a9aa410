import type { INodeProperties } from 'n8n-workflow';

import {
	GET_RESULT,
	GET_RESULT_FIELDS,
	INPUT_FIELDS,
	OUTPUT_FIELDS,
	runFields,
} from './commonFields';
import { fieldProperties, shownFromVersion } from './fields';
import type { ImageModel } from './model';

function operationProperty(model: ImageModel): INodeProperties {
	const run = model.operation;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: run.name, value: run.value, action: run.action, description: run.description },
			{
				name: 'Get Result',
				value: GET_RESULT,
				action: 'Get the images of an earlier run',
				description:
					'Fetch the images of a job started earlier with Wait for the Images off, by its request ID',
			},
		],
		// A template literal, so that the lint rule reading defaults statically accepts a computed one.
		default: `${run.value}`,
	};
}

/** n8n lists collection options in the order given; alphabetical is what its own nodes do. */
function byLabel(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

export interface LayoutOptions {
	/**
	 * The node version that introduced the Image Settings collection; earlier versions keep those
	 * fields in Options, where their saved workflows hold them. 1 for a node that always had it.
	 */
	imageSettingsSince: number;
}

/**
 * The whole `properties` of an image node, assembled from the declarations, in the order a
 * marketer reads them: the operation, the input, what the image should become (the model's fields,
 * then Image Settings), how to run it, Get Result, the output, and last the Advanced Options.
 */
export function imageNodeProperties(
	model: ImageModel,
	layout: LayoutOptions = { imageSettingsSince: 1 },
): INodeProperties[] {
	const since = layout.imageSettingsSince;
	const onRun = { operation: [model.operation.value] };
	const all = [
		fieldProperties(INPUT_FIELDS, onRun, since),
		fieldProperties(model.fields, onRun, since),
		fieldProperties(model.provider.models[model.key].fields ?? {}, onRun, since),
		fieldProperties(runFields(model.syncModeOffered), onRun, since),
		fieldProperties(GET_RESULT_FIELDS, { operation: [GET_RESULT] }, since),
		fieldProperties(OUTPUT_FIELDS, {}, since),
	];
	const [input, own, providerOwn, run, result, output] = all;
	const imageSettings = all.flatMap((part) => part.image);
	return [
		operationProperty(model),
		...input.fields,
		...own.fields,
		...providerOwn.fields,
		...(imageSettings.length > 0
			? [
					{
						displayName: 'Image Settings',
						name: 'imageSettings',
						type: 'collection',
						placeholder: 'Add Setting',
						default: {},
						description: 'How the image files are made and named',
						displayOptions: {
							show: {
								...onRun,
								...(since > 1 ? shownFromVersion(since) : {}),
							},
						},
						// In the order declared: the settings that matter most come first.
						options: imageSettings,
					} as INodeProperties,
				]
			: []),
		...run.fields,
		...result.fields,
		...output.fields,
		{
			displayName: 'Advanced Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			description: 'Waiting, limits and pacing; the defaults suit most workflows',
			options: all.flatMap((part) => part.options).sort(byLabel),
		},
	];
}

/** The canvas subtitle: what the node will do, or Get Result. */
export function imageNodeSubtitle(model: Pick<ImageModel, 'subtitle'>): string {
	return `={{ $parameter["operation"] === "${GET_RESULT}" ? "Get Result" : ${model.subtitle} }}`;
}
