import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SegmindApi implements ICredentialType {
	name = 'segmindApi';

	displayName = 'Segmind API';

	icon: Icon = {
		light: 'file:../nodes/shared/icons/segmind.svg',
		dark: 'file:../nodes/shared/icons/segmind.dark.svg',
	};

	documentationUrl = 'https://docs.segmind.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Segmind API key, from the API Keys page of the Segmind console',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.segmind.com',
			description:
				"Leave as it is. Change it only if your company sends Segmind traffic through its own proxy, or to try workflows against a local test server that spends no credits (see the package's README).",
		},
		{
			displayName: 'Upload URL',
			name: 'uploadUrl',
			type: 'string',
			default: 'https://workflows-api.segmind.com/upload-asset',
			description:
				'Where image files are uploaded so that Segmind can read them. Leave as it is, except for a proxy or a local test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// Reading the balance runs no model, so testing the credential never spends credits.
	test: ICredentialTestRequest = {
		request: {
			// Trimmed as the nodes trim it, so a stray space or slash pasted with the URL does not fail the test.
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v1/get-user-credits',
			method: 'GET',
			// The key is a custom header, which n8n's redirect follower would carry to any host.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was rejected. Copy it again from the Segmind console (API Keys).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This API key is not allowed to use the API. Check the key’s permissions in the Segmind console.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Nothing answers at this Base URL. Use just the host, e.g. https://api.segmind.com (no /v1).',
				},
			},
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message:
						'This Base URL redirects elsewhere, and the key is never sent on a redirect. Use https://api.segmind.com itself.',
				},
			})),
		],
	};
}
