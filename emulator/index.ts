/**
 * Provider emulator: Segmind, Pixazo and a media CDN on loopback, for tests, benchmarks and building
 * workflows without spending credits. See README.md beside this file.
 */
import { EmulatorControl } from './controlClient';
import { EmulatorServer } from './server';
import type { EmulatorConfig } from './types';

export { DEFAULT_CONFIG } from './config';
export { EmulatorControl } from './controlClient';
export { TEST_KEYS } from './keys';
export { COSTS, IDEOGRAM_RESOLUTIONS } from './models';
export type * from './types';

export interface EmulatorOptions {
	/** Default 127.0.0.1. Use a loopback address: the emulator has no authentication of its own. */
	host?: string;
	/** 0 or absent: an ephemeral port. */
	segmindPort?: number;
	pixazoPort?: number;
	mediaPort?: number;
	config?: Partial<EmulatorConfig>;
	/** Let models fetch input images from non-loopback hosts (default false: such jobs fail). */
	allowRemoteFetch?: boolean;
}

export interface Emulator {
	/** Segmind origin, the credential's "Base URL", e.g. http://127.0.0.1:41234 */
	segmindUrl: string;
	/** `${segmindUrl}/upload-asset`, the credential's "Upload URL". */
	uploadUrl: string;
	pixazoUrl: string;
	/** Origin of result files and uploads (`/media/...`) and bundled samples (`/samples/...`). */
	mediaUrl: string;
	control: EmulatorControl;
	close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const server = await EmulatorServer.start({
		host: opts.host ?? '127.0.0.1',
		ports: {
			segmind: opts.segmindPort ?? 0,
			pixazo: opts.pixazoPort ?? 0,
			media: opts.mediaPort ?? 0,
		},
		config: opts.config ?? {},
		allowRemoteFetch: opts.allowRemoteFetch ?? false,
	});
	const { segmindUrl, pixazoUrl, mediaUrl } = server.urls;
	return {
		segmindUrl,
		uploadUrl: `${segmindUrl}/upload-asset`,
		pixazoUrl,
		mediaUrl,
		control: new EmulatorControl(segmindUrl),
		close: () => server.close(),
	};
}
