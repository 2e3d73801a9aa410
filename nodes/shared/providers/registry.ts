import type { IDataObject } from 'n8n-workflow';

import { openPixazoGateway } from './pixazo';
import type { ProviderEntry } from './provider';
import { openSegmindGateway } from './segmind';
import { flagField, wholeNumberField } from '../fields';

/**
 * Every provider the package talks to, one entry each. A node offers the providers that list its
 * model; the gateway, credential, model ids and wording all come from here.
 */
const PROVIDERS = new Map<string, ProviderEntry>();

export function registerProvider(entry: ProviderEntry): void {
	PROVIDERS.set(entry.id, entry);
}

export function providerById(id: string): ProviderEntry | undefined {
	return PROVIDERS.get(id);
}

/** The providers that serve a model, in registration order (the first is the default). */
export function providersServing(modelKey: string): ProviderEntry[] {
	return [...PROVIDERS.values()].filter((entry) => modelKey in entry.models);
}

/** Both providers take a 1-6 safety level with the default 4, but read it in opposite directions. */
function safetyToleranceField(scale: string) {
	return wholeNumberField({
		displayName: 'Safety Tolerance',
		placement: 'option',
		min: 1,
		max: 6,
		default: 4,
		description: `Content filter level on ${scale}`,
	});
}

registerProvider({
	id: 'segmind',
	label: 'Segmind',
	credentialName: 'segmindApi',
	credentialLabel: 'Segmind API',
	billingHint: 'Top up your credits in the Segmind console (Billing), then run the node again.',
	retentionHint: 'Segmind keeps a request’s status and result for 1 hour after it is submitted.',
	jobRetentionMs: 60 * 60_000,
	resultFilesHint: 'Result files are kept for a limited time (Segmind: about 7 days).',
	minPollIntervalMs: 500,
	openGateway: openSegmindGateway,
	models: {
		smartResize: {
			id: 'smart-banner-resizer',
			description: 'Segmind Smart Banner Resizer (Segmind API credential)',
			fields: {
				safetyTolerance: safetyToleranceField(
					"Segmind's scale: 1 is the strictest, 6 the most permissive",
				),
			},
			adaptBody: (body: IDataObject, values: IDataObject) => ({
				...body,
				safety_tolerance: values.safetyTolerance,
			}),
			rejectionHint:
				'If it was a safety block, raise "Safety Tolerance" toward 6 (on Segmind\'s scale 6 is the most permissive), or try another image or prompt.',
		},
		reframe: { id: 'ideogram-reframe' },
		relight: { id: 'segmind-relighting' },
		convert: { id: 'image-converter' },
	},
});

registerProvider({
	id: 'pixazo',
	label: 'Pixazo',
	credentialName: 'pixazoApi',
	credentialLabel: 'Pixazo API',
	billingHint: 'Add funds to your Pixazo account, then run the node again.',
	retentionHint: 'Pixazo may keep a request only for a limited time.',
	// Undocumented; assumed no longer than Segmind's hour, so a stale job is never counted on.
	jobRetentionMs: 60 * 60_000,
	resultFilesHint: 'Result files are kept for a limited time.',
	// Pixazo asks clients to poll every 2-3 seconds.
	minPollIntervalMs: 2000,
	openGateway: openPixazoGateway,
	models: {
		smartResize: {
			id: 'smart-resize',
			description: 'Pixazo Smart Resize (Pixazo API credential)',
			fields: {
				safetyTolerance: safetyToleranceField(
					"Pixazo's scale, where higher values are more restrictive: 1 is the most permissive, 6 the strictest",
				),
				sendBinaryAsDataUri: flagField({
					displayName: 'Send Binary as Data URI (Undocumented)',
					placement: 'option',
					default: false,
					description:
						'Whether to send a binary input inline as a data: URI. Pixazo documents only public image URLs, so it may refuse this; leave it off and choose Image URL where you can.',
				}),
				dataUris: flagField({
					displayName: 'Return Data URIs',
					placement: 'option',
					default: false,
					description:
						'Whether Pixazo should return the images inline as data: URIs (its sync_mode) instead of CDN links; they are decoded locally. Best for small batches.',
				}),
			},
			// Pixazo types safety_tolerance as a string enum, and names its inline mode sync_mode.
			adaptBody: (body: IDataObject, values: IDataObject) => ({
				...body,
				safety_tolerance: String(values.safetyTolerance),
				sync_mode: values.dataUris === true,
			}),
			refuseBinaryInput: (values: IDataObject) =>
				values.sendBinaryAsDataUri === true
					? undefined
					: 'Pixazo documents only public image URLs. Allowed: Image URL, or turn on "Send Binary as Data URI (Undocumented)" in the options',
			rejectionHint:
				'If it was a safety block, lower "Safety Tolerance" toward 1 (on Pixazo\'s scale higher is stricter), or try another image or prompt.',
		},
	},
});
