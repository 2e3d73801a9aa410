import type { INodeProperties } from 'n8n-workflow';

import {
	GET_RESULT,
	GET_RESULT_FIELDS,
	INPUT_FIELDS,
	OUTPUT_FIELDS,
	runFields,
} from './commonFields';
import { choiceField, fieldProperties } from './fields';
import type { FieldSet } from './fields';
import type { ImageModel } from './model';
import type { ProviderEntry } from './providers/provider';
import { providersServing } from './providers/registry';

/** The Provider picker, for a model more than one provider serves; the first is the default. */
export function providerFields(modelKey: string): FieldSet {
	const serving = providersServing(modelKey);
	if (serving.length < 2) return {};
	const options = serving.map((entry) => ({
		name: entry.label,
		value: entry.id,
		description: entry.models[modelKey].description,
	}));
	return {
		provider: choiceField({
			displayName: 'Provider',
			noDataExpression: true,
			options: options as [(typeof options)[number], ...typeof options],
			default: serving[0].id,
		}),
	};
}

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

function providerOnlyFields(model: ImageModel, entry: ProviderEntry, serving: number) {
	const fields = entry.models[model.key].fields ?? {};
	return serving > 1
		? fieldProperties(fields, { operation: [model.operation.value], provider: [entry.id] })
		: fieldProperties(fields, { operation: [model.operation.value] });
}

/** n8n lists collection options in the order given; alphabetical is what its own nodes do. */
function byLabel(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

/**
 * The whole `properties` of an image node, assembled from the declarations: the provider picker
 * where there is a choice, the operation, the input, the model's fields, waiting, Get Result, the
 * output, and one Options collection.
 */
export function imageNodeProperties(model: ImageModel): INodeProperties[] {
	const onRun = { operation: [model.operation.value] };
	const serving = providersServing(model.key);
	const parts = [
		fieldProperties(providerFields(model.key)),
		fieldProperties(INPUT_FIELDS, onRun),
		fieldProperties(model.fields, onRun),
		...serving.map((entry) => providerOnlyFields(model, entry, serving.length)),
		fieldProperties(runFields(model.syncModeOffered), onRun),
		fieldProperties(GET_RESULT_FIELDS, { operation: [GET_RESULT] }),
		fieldProperties(OUTPUT_FIELDS),
	];
	const [provider, ...rest] = parts;
	return [
		...provider.fields,
		operationProperty(model),
		...rest.flatMap((part) => part.fields),
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
export function imageNodeSubtitle(model: ImageModel, prefix = ''): string {
	return `={{ ${prefix}($parameter["operation"] === "${GET_RESULT}" ? "Get Result" : ${model.subtitle}) }}`;
}

/**
 * The canvas subtitle's provider part, for nodes with a provider picker: the label of whichever
 * provider the node is set to.
 */
export function providerSubtitle(modelKey: string): string {
	const labels = Object.fromEntries(
		providersServing(modelKey).map((entry) => [entry.id, entry.label]),
	);
	return `(${JSON.stringify(labels)}[$parameter["provider"]] || "${providersServing(modelKey)[0].label}")`;
}
