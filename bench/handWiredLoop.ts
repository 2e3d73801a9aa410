/**
 * The loop users build today out of real n8n-nodes-base nodes, run through the same n8n-core
 * harness as the package's node:
 *
 *   Extract from File (binary -> base64) -> HTTP Request (POST upload-asset, data URL)
 *   -> HTTP Request (POST /v2/smart-banner-resizer) -> Wait 5 s -> HTTP Request (GET status_url)
 *   -> If (status == COMPLETED; false loops back to the Wait) -> HTTP Request (GET response_url)
 *   -> Split Out (output) -> HTTP Request (GET each URL, response as a file)
 */
import type { INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { sourceInto, startWorkflow } from '../harness/n8n';
import type { FixtureItem, WorkflowDefinition } from '../harness/n8n';
import type { Bench } from './common';
import { BENCH_KEY } from './common';

export interface LoopOptions {
	sizes: string[];
	waitSeconds: number;
}

const HTTP = { type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2 };
const keyHeader = {
	sendHeaders: true,
	specifyHeaders: 'keypair',
	headerParameters: { parameters: [{ name: 'x-api-key', value: BENCH_KEY }] },
};

function node(name: string, x: number, rest: Omit<INode, 'id' | 'name' | 'position'>): INode {
	return { id: name, name, position: [x, 0], ...rest } as INode;
}

/** The workflow, fed by a fixture source of binary items (field `data`, a PNG). */
export function handWiredLoop(
	bench: Bench,
	items: FixtureItem[],
	options: LoopOptions,
): WorkflowDefinition {
	const { segmindUrl, uploadUrl } = bench.emulator;
	const base = sourceInto(
		{
			name: 'Extract from File',
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1,
			parameters: {
				operation: 'binaryToPropery',
				binaryPropertyName: 'data',
				destinationKey: 'base64',
				options: {},
			},
		},
		items,
	);
	const nodes: INode[] = [
		...base.nodes,
		node('Upload', 400, {
			...HTTP,
			parameters: {
				method: 'POST',
				url: uploadUrl,
				...keyHeader,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: "={{ JSON.stringify({ data_urls: ['data:image/png;base64,' + $json.base64] }) }}",
				options: {},
			},
		}),
		node('Submit', 600, {
			...HTTP,
			parameters: {
				method: 'POST',
				url: `${segmindUrl}/v2/smart-banner-resizer`,
				...keyHeader,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ image_url: $json.urls[0], target_sizes: ${JSON.stringify(options.sizes)}, num_images_per_size: 1 }) }}`,
				options: {},
			},
		}),
	];
	nodes.push(
		node('Wait', 800, {
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			parameters: { resume: 'timeInterval', amount: options.waitSeconds, unit: 'seconds' },
			webhookId: 'bench-wait',
		}),
		node('Get Status', 1000, {
			...HTTP,
			parameters: {
				method: 'GET',
				// On the way round the loop the item is the last status answer, which names no URL.
				url: "={{ $('Submit').item.json.status_url }}",
				...keyHeader,
				options: {},
			},
		}),
		node('Completed?', 1200, {
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'completed',
							leftValue: '={{ $json.status }}',
							rightValue: 'COMPLETED',
							operator: { type: 'string', operation: 'equals' },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		}),
		node('Get Result', 1400, {
			...HTTP,
			parameters: {
				method: 'GET',
				url: "={{ $('Submit').item.json.response_url }}",
				...keyHeader,
				options: {},
			},
		}),
		node('Split Out', 1600, {
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'output', include: 'noOtherFields', options: {} },
		}),
		node('Download', 1800, {
			...HTTP,
			parameters: {
				method: 'GET',
				url: '={{ $json.output }}',
				options: { response: { response: { responseFormat: 'file' } } },
			},
		}),
	);
	const to = (target: string) => [{ node: target, type: 'main' as const, index: 0 }];
	const connections = {
		...base.connections,
		'Extract from File': { main: [to('Upload')] },
		Upload: { main: [to('Submit')] },
		Submit: { main: [to('Wait')] },
		Wait: { main: [to('Get Status')] },
		'Get Status': { main: [to('Completed?')] },
		'Completed?': { main: [to('Get Result'), to('Wait')] },
		'Get Result': { main: [to('Split Out')] },
		'Split Out': { main: [to('Download')] },
	};
	return { nodes, connections };
}

/** Every file the loop's last node produced, over all the times the loop reached it. */
export function loopDownloads(run: IRun): INodeExecutionData[] {
	return (run.data.resultData.runData.Download ?? []).flatMap((task) => task.data?.main?.[0] ?? []);
}

export async function runHandWiredLoop(bench: Bench, items: FixtureItem[], options: LoopOptions) {
	const started = performance.now();
	const run = await startWorkflow(handWiredLoop(bench, items, options), bench.credentials()).done;
	const ms = performance.now() - started;
	const error = run.data.resultData.error;
	if (error) {
		const failed = run.data.resultData.lastNodeExecuted ?? 'a node';
		throw new Error(`the hand-wired loop failed in ${failed}: ${error.message}`);
	}
	const runData = run.data.resultData.runData;
	return {
		ms,
		files: loopDownloads(run),
		statusRounds: runData['Get Status']?.length ?? 0,
	};
}
