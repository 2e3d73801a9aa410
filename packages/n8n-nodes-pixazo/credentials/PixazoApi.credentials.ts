import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PixazoApi implements ICredentialType {
	name = 'pixazoApi';

	displayName = 'Pixazo API';

	icon: Icon = {
		light: 'file:pixazo.svg',
		dark: 'file:pixazo.dark.svg',
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
				"Leave as it is. Change it only if your company sends Pixazo traffic through its own proxy, or to try workflows against a local test server that spends no credits (see the package's README)",
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
	// the gateway answers 401 {statusCode, message} for a bad key before it looks, 429 in the same
	// shape while it throttles the key, and 404 {error, details} for a good one. No job is started
	// and nothing is billed. Every status is read as an answer (the plain form of
	// ignoreHttpStatusErrors, which every n8n version knows), and the body decides: any other answer
	// (another server, a redirect, a wrong path) lacks Pixazo's body.
	test: ICredentialTestRequest = {
		request: {
			// Trimmed as the nodes trim it, so a stray space or slash pasted with the URL does not fail the test.
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v2/requests/status/n8n-credential-check',
			method: 'GET',
			ignoreHttpStatusErrors: true,
			// The key is a custom header, which n8n's redirect follower would carry to any host.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'statusCode',
					value: 401,
					message: 'The subscription key was rejected. Copy it again from your Pixazo account.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'statusCode',
					value: 403,
					message: 'This subscription key is not allowed to use the API. Check your Pixazo plan.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'statusCode',
					value: 429,
					message:
						'Pixazo is rate limiting this key right now (HTTP 429). Wait a minute, then test again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'details',
					value: undefined,
					message:
						'This Base URL did not answer like the Pixazo gateway (or it redirects elsewhere, and the key is never sent on a redirect). Use https://gateway.pixazo.ai (just the host).',
				},
			},
		],
	};
}
