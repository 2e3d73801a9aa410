/**
 * Starts the provider emulator for manual use:
 *   npx tsx scripts/emulator.ts [--port 8787] [--host 127.0.0.1] [--queue-ms N] [--processing-ms N] [--allow-remote-fetch]
 * Segmind listens on --port, Pixazo on port+1, the media origin on port+2. Stops on Ctrl-C.
 */
import { parseArgs } from 'node:util';

import { startEmulator, TEST_KEYS, type EmulatorConfig } from '../emulator';

const USAGE =
	'usage: npx tsx scripts/emulator.ts [--port 8787] [--host 127.0.0.1] [--queue-ms N] [--processing-ms N] [--allow-remote-fetch]';

function parseCommandLine() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			'queue-ms': { type: 'string' },
			'processing-ms': { type: 'string' },
			'allow-remote-fetch': { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const number = (name: string, value: string | undefined) => {
		if (value === undefined) return undefined;
		const parsed = Number(value);
		if (!Number.isInteger(parsed) || parsed < 0)
			throw new Error(`--${name} must be a non-negative integer\n${USAGE}`);
		return parsed;
	};
	const port = number('port', values.port)!;
	const config: Partial<EmulatorConfig> = {};
	const queueMs = number('queue-ms', values['queue-ms']);
	const processingMs = number('processing-ms', values['processing-ms']);
	if (queueMs !== undefined) config.queueMs = queueMs;
	if (processingMs !== undefined) config.processingMs = processingMs;
	return { host: values.host, port, config, allowRemoteFetch: values['allow-remote-fetch'] };
}

async function main() {
	const options = parseCommandLine();
	const emulator = await startEmulator({
		host: options.host,
		segmindPort: options.port,
		pixazoPort: options.port === 0 ? 0 : options.port + 1,
		mediaPort: options.port === 0 ? 0 : options.port + 2,
		config: options.config,
		allowRemoteFetch: options.allowRemoteFetch,
	});
	console.log(`Provider emulator running (no credits are spent, nothing leaves this machine${options.allowRemoteFetch ? ' except input fetches' : ''}).

  Segmind API   ${emulator.segmindUrl}
  Upload URL    ${emulator.uploadUrl}
  Pixazo API    ${emulator.pixazoUrl}
  Media (CDN)   ${emulator.mediaUrl}
  Sample image  ${emulator.mediaUrl}/samples/product.png
  Control API   ${emulator.segmindUrl}/__emulator/health

Test keys:
  Segmind  valid      ${TEST_KEYS.segmind.valid}
           freeTier   ${TEST_KEYS.segmind.freeTier}   (5 requests/min, 1 free credit)
           noCredits  ${TEST_KEYS.segmind.noCredits}  (406 on every model call)
           forbidden  ${TEST_KEYS.segmind.forbidden}  (403)
  Pixazo   valid      ${TEST_KEYS.pixazo.valid}
           noCredits  ${TEST_KEYS.pixazo.noCredits}  (402)

In n8n, create a "Segmind API" credential with
  API Key     ${TEST_KEYS.segmind.valid}
  Base URL    ${emulator.segmindUrl}
  Upload URL  ${emulator.uploadUrl}
(and for Pixazo: the Pixazo key above, Base URL ${emulator.pixazoUrl}).
Put "emulate:fail", "emulate:429", "emulate:slow=3000" ... in a prompt to try error paths; see emulator/README.md.

Ctrl-C to stop.`);

	let stopping = false;
	const stop = async () => {
		if (stopping) process.exit(1); // a second Ctrl-C: stop at once
		stopping = true;
		console.log('\nStopping...');
		await emulator.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
