/**
 * The harness runs real n8n-nodes-base nodes as n8n does, versioned ones included: a node's
 * typeVersion picks that version's class (If 1 and If 2.2 read different parameters).
 */
import type { IConnections, INode } from 'n8n-workflow';

import { sourceInto, startWorkflow } from '../../harness/n8n';

const items = ['COMPLETED', 'PROCESSING', 'COMPLETED'].map((status, index) => ({
	json: { index, status, output: [`a${index}`, `b${index}`] },
}));

/** Source -> `ifNode` -> Split Out (output) on the true branch. */
async function run(ifNode: Omit<INode, 'id' | 'position'>) {
	const workflow = sourceInto(ifNode, items);
	const splitOut: INode = {
		id: 'split',
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [600, 0],
		parameters: { fieldToSplitOut: 'output', include: 'noOtherFields', options: {} },
	};
	const connections: IConnections = {
		...workflow.connections,
		[ifNode.name]: { main: [[{ node: 'Split Out', type: 'main', index: 0 }], []] },
	};
	const result = await startWorkflow({ nodes: [...workflow.nodes, splitOut], connections }, {})
		.done;
	expect(result.data.resultData.error).toBeUndefined();
	const runData = result.data.resultData.runData;
	return {
		completed: runData[ifNode.name][0].data!.main[0]!.map((item) => item.json.index),
		notYet: runData[ifNode.name][0].data!.main[1]!.map((item) => item.json.index),
		split: runData['Split Out'][0].data!.main[0]!.map((item) => item.json.output),
	};
}

describe('n8n-nodes-base nodes in the harness', () => {
	test('If 2.2 (filter conditions) routes by status, and Split Out splits the true branch', async () => {
		const outcome = await run({
			name: 'If',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'done',
							leftValue: '={{ $json.status }}',
							rightValue: 'COMPLETED',
							operator: { type: 'string', operation: 'equals' },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		});
		expect(outcome).toEqual({
			completed: [0, 2],
			notYet: [1],
			split: ['a0', 'b0', 'a2', 'b2'],
		});
	});

	test('If 1 (its own condition format) runs as version 1', async () => {
		const outcome = await run({
			name: 'If',
			type: 'n8n-nodes-base.if',
			typeVersion: 1,
			parameters: {
				conditions: {
					string: [{ value1: '={{ $json.status }}', operation: 'equal', value2: 'COMPLETED' }],
				},
			},
		});
		expect(outcome.completed).toEqual([0, 2]);
		expect(outcome.notYet).toEqual([1]);
	});
});
