/**
 * Cancellation (nodes/shared/cancellation.ts): stopping an execution, as n8n's "stop" does, ends the
 * node's waiting promptly.
 */
import { requestsTo, segmindCredentials, segmindResize, startNode, useEmulator } from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);
const modelRequests = (pathPrefix: string) => requestsTo(env.emulator, pathPrefix);

describe('cancellation', () => {
	test('cancelling the execution stops polling within about a second', async () => {
		await env.emulator.control.failNextJobs({ times: 1, kind: 'stuck' });
		const running = startNode(
			'smartResize',
			resize({ options: { pollIntervalSeconds: 0.2 } }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await modelRequests('/v2/requests/')).length).toBeGreaterThan(2);
		running.cancel();
		await running.done.catch(() => undefined);
		// A second of grace, then the node must have stopped polling for good.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const pollsAfterGrace = (await modelRequests('/v2/requests/')).length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await modelRequests('/v2/requests/')).length).toBe(pollsAfterGrace);
	});
});
