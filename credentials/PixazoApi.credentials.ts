import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export class PixazoApi implements ICredentialType {
	name = 'pixazoApi';

	displayName = 'Pixazo API';

	icon: Icon = {
		light: 'file:../nodes/shared/icons/pixazo.svg',
		dark: 'file:../nodes/shared/icons/pixazo.dark.svg',
	};

	documentationUrl = 'https://www.pixazo.ai/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Pixazo subscription key, from your Pixazo account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gateway.pixazo.ai',
			description:
				'Change only to go through a proxy, or to point at the provider emulator to build workflows without spending credits',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'Ocp-Apim-Subscription-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	// Pixazo has no free "who am I" endpoint, so the test looks up a request id that cannot exist:
	// the gateway answers 401 for a bad key before it looks, and a 404 {error, details} for a good
	// one. No job is started and nothing is billed. Any other answer (another server, a wrong path)
	// lacks Pixazo's error body and fails the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v2/requests/status/n8n-credential-check',
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, ...REDIRECT_STATUSES] },
			// The key is a custom header, which n8n's redirect follower would carry to any host.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The subscription key was rejected. Copy it again from your Pixazo account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'This subscription key is not allowed to use the API. Check your Pixazo plan.',
				},
			},
			...REDIRECT_STATUSES.map((value) => ({
				type: 'responseCode',
				properties: {
					value,
					message:
						'This Base URL redirects elsewhere, and the key is never sent on a redirect. Use https://gateway.pixazo.ai itself.',
				},
			})),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'details',
					value: undefined,
					message:
						'This Base URL did not answer like the Pixazo gateway. Use https://gateway.pixazo.ai (just the host).',
				},
			},
			// n8n types the rules as one kind per list, but its tester checks each rule by its own type.
		] as unknown as IAuthenticateRuleResponseCode[],
	};
}
