import { readFileSync } from 'node:fs';

import type { ICredentialDataDecryptedObject, INode, IRun } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { TEST_KEYS } from '../emulator';
import { nodeOutput, PACKAGE, PIXAZO_PACKAGE, startWorkflow } from './n8n';
import type { RunningWorkflow, WorkflowDefinition } from './n8n';

export interface ExampleWorkflow extends WorkflowDefinition {
	name: string;
}

export function loadExample(path: string): ExampleWorkflow {
	const json = JSON.parse(readFileSync(path, 'utf8')) as ExampleWorkflow;
	return { name: json.name, nodes: json.nodes, connections: json.connections };
}

/** The credentials a user would create to point the package at the emulator. */
export function emulatorCredentials(
	emulator: Emulator,
): Record<string, ICredentialDataDecryptedObject> {
	return {
		segmindApi: {
			apiKey: TEST_KEYS.segmind.valid,
			baseUrl: emulator.segmindUrl,
			uploadUrl: emulator.uploadUrl,
		},
		pixazoApi: { apiKey: TEST_KEYS.pixazo.valid, baseUrl: emulator.pixazoUrl },
	};
}

export function startExample(example: WorkflowDefinition, emulator: Emulator): RunningWorkflow {
	return startWorkflow(example, emulatorCredentials(emulator));
}

/** Nodes of this repository's packages in a workflow, in the order they appear. */
export function packageNodes(example: WorkflowDefinition): INode[] {
	return example.nodes.filter((node) =>
		[PACKAGE, PIXAZO_PACKAGE].some((name) => node.type.startsWith(`${name}.`)),
	);
}

export function outputsOf(run: IRun, node: INode) {
	return nodeOutput(run, node.name);
}
