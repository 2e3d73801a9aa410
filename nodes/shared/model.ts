import type { IDataObject } from 'n8n-workflow';

import type { FieldSet, FieldValues } from './fields';
import type { ImageInfo } from './imageInfo';
import type { ProviderEntry } from './providers/provider';

/** The node's own operation, beside Get Result. */
export interface RunOperation {
	name: string;
	value: string;
	action: string;
	description: string;
}

/** What the node expects the n-th result to be, so outputs can be labelled by size and variant. */
export interface ExpectedOutput {
	width?: number;
	height?: number;
	variant?: number;
}

export interface FileNaming<P> {
	/** The input's name without extension (or Get Result's prefix). */
	baseName: string;
	/** The user's File Name Prefix, which replaces the input's name when set. */
	prefix?: string;
	info: ImageInfo;
	expected?: ExpectedOutput;
	index: number;
	/** Absent for Get Result, which knows only the request id. */
	params?: P;
}

/** Refuses a combination of values the fields alone cannot check, naming the field. */
export type Refuse = (field: string, value: unknown, allowed: string) => Error;

/**
 * A model as declared: its fields (declared once), how checked values become a request body, and
 * how to name what comes back. Input, upload, submit, polling, download, binary output and error
 * items are shared; which provider serves the model is decided by the node (`servedBy`).
 */
export interface ModelDeclaration<F extends FieldSet = FieldSet, P = FieldValues<F>> {
	/** The model's key in the provider registry. */
	key: string;
	operation: RunOperation;
	fields: F;
	/** Whether the node offers the provider's direct (v1, sync) API beside the queue. */
	syncModeOffered: boolean;
	/** Whether a binary input goes inline as base64 rather than through the upload endpoint. */
	inlineBinary?(params: P): boolean;
	/** The largest input file the model accepts, where the provider documents one. */
	maxInputBytes?: number;
	toParams(values: FieldValues<F>, refuse: Refuse): P;
	buildBody(params: P, image: string): IDataObject;
	expectedOutputs(params: P): ExpectedOutput[];
	fileName(naming: FileNaming<P>): string;
	/** Extra JSON on each output item, such as the resolution that was chosen. */
	outputJson?(params: P): IDataObject;
	/**
	 * The canvas subtitle while the node runs its operation: an n8n expression (without braces)
	 * saying what the node will do, such as "To WebP".
	 */
	subtitle: string;
}

/**
 * A model as a node runs it: the declaration, and the one provider that serves it in this node. One
 * service per package is what n8n's verification asks, so a node never offers a choice of providers.
 */
export interface ImageModel<F extends FieldSet = FieldSet, P = FieldValues<F>>
	extends ModelDeclaration<F, P> {
	provider: ProviderEntry;
}

/** Declares a model, inferring its parameter type from its fields and `toParams`. */
export function defineModel<F extends FieldSet, P>(
	model: ModelDeclaration<F, P>,
): ModelDeclaration<F, P> {
	return model;
}

/** The model as a node offers it, on a provider whose registry entry lists the model. */
export function servedBy<F extends FieldSet, P>(
	model: ModelDeclaration<F, P>,
	provider: ProviderEntry,
): ImageModel<F, P> {
	if (!provider.models[model.key]) {
		throw new Error(`${provider.label} has no entry for the model "${model.key}"`);
	}
	return { ...model, provider };
}
