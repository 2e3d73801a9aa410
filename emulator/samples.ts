import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/** Bundled sample images (examples/assets/), served under the media origin's /samples/. */
export const SAMPLES_DIR = resolve(__dirname, '..', 'examples', 'assets');

const SAMPLE_TYPES: Record<string, string> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
};

const cache = new Map<string, { bytes: Buffer; contentType: string }>();

/** The sample called `name`, or undefined. Names are plain file names: no path can escape the folder. */
export function readSample(name: string): { bytes: Buffer; contentType: string } | undefined {
	if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return undefined;
	const contentType = SAMPLE_TYPES[extname(name).toLowerCase()];
	if (!contentType) return undefined;
	// Only hits are cached, so a sample generated while the emulator runs is found on the next request.
	if (!cache.has(name)) {
		try {
			cache.set(name, { bytes: readFileSync(join(SAMPLES_DIR, name)), contentType });
		} catch {
			return undefined;
		}
	}
	return cache.get(name);
}

export function listSamples(): string[] {
	try {
		return readdirSync(SAMPLES_DIR).filter((name) => SAMPLE_TYPES[extname(name).toLowerCase()]);
	} catch {
		return [];
	}
}
