/**
 * Runs a credential type's `test` block the way n8n's credential tester does when a user saves a
 * credential: the declared request goes through n8n-core's RoutingNode, authenticated by the type's
 * own `authenticate` block; a failed request is judged by the `responseCode` rules, a successful one
 * by the `responseSuccessBody` rules.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	INode,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';

import { additionalDataFor, credentialTypes } from './n8n';

export type CredentialTestResult = { status: 'OK' } | { status: 'Error'; message: string };

export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = credentialTypes[type];
	const test = credentialType.test!;
	const probe: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	} as INodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test', name: 'test' } },
	};
	const nodeTypes = {
		getByName: () => probe,
		getByNameAndVersion: () => probe,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor({ [type]: data });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const rules = (test.rules ?? []) as Array<
		IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody
	>;
	let response;
	try {
		response = await new RoutingNode(context, probe, {
			id: 'test',
			name: 'test',
			type,
			data,
		}).runNode();
	} catch (error) {
		const status = (error as { cause?: { response?: { status?: number } } }).cause?.response
			?.status;
		const matched = rules.find(
			(rule) => rule.type === 'responseCode' && rule.properties.value === status,
		);
		return { status: 'Error', message: matched?.properties.message ?? (error as Error).message };
	}
	const body = response?.[0]?.[0]?.json as Record<string, unknown> | undefined;
	for (const rule of rules) {
		if (
			rule.type === 'responseSuccessBody' &&
			body?.[rule.properties.key] === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK' };
}
