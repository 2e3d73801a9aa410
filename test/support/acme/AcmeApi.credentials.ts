import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** The test-only third provider's credential: its own key header, like any real one. */
export class AcmeApi implements ICredentialType {
	name = 'acmeApi';

	displayName = 'Acme API';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-acme-key': '={{$credentials.apiKey}}' } },
	};
}
