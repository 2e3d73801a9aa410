/**
 * What the rest of the code needs to know about each gateway: which credential carries its key,
 * how to name it to a user, and where a user fixes account problems.
 */
export type ProviderId = 'segmind' | 'pixazo';

export interface ProviderInfo {
	id: ProviderId;
	label: string;
	credentialName: string;
	credentialLabel: string;
	billingHint: string;
	/** Header that carries the key; used only to make sure it never leaves for a media host. */
	keyHeader: string;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
	segmind: {
		id: 'segmind',
		label: 'Segmind',
		credentialName: 'segmindApi',
		credentialLabel: 'Segmind API',
		billingHint: 'Top up your credits in the Segmind console (Billing), then run the node again.',
		keyHeader: 'x-api-key',
	},
	pixazo: {
		id: 'pixazo',
		label: 'Pixazo',
		credentialName: 'pixazoApi',
		credentialLabel: 'Pixazo API',
		billingHint: 'Add funds to your Pixazo account, then run the node again.',
		keyHeader: 'ocp-apim-subscription-key',
	},
};
