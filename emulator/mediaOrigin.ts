/** The media origin: result files and uploads (a stand-in for the providers' CDNs), plus bundled samples. */
import type { RequestContext } from './context';
import { errorReply } from './faults';
import { bytes, decodeSegment, htmlErrorPage, type Outcome } from './http';
import { readSample } from './samples';

export async function handleMedia(ctx: RequestContext): Promise<Outcome> {
	if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return htmlErrorPage(405);
	// No authentication at all, like a public CDN: whether a key was sent anyway is in the request log.
	const match = /^\/(media|samples)\/([^/]+)$/.exec(ctx.path);
	const name = match ? decodeSegment(match[2]) : '';
	if (match?.[1] === 'media') {
		const file = ctx.state.media.get(name);
		if (file) {
			const maxAge = Math.max(0, Math.floor((file.expiresAt - Date.now()) / 1000));
			return bytes(200, file.bytes, file.contentType, {
				'cache-control': `public, max-age=${maxAge}`,
			});
		}
	}
	if (match?.[1] === 'samples') {
		const sample = readSample(name);
		if (sample)
			return bytes(200, sample.bytes, sample.contentType, {
				'cache-control': 'public, max-age=3600',
			});
	}
	return errorReply('media', 404, 'The specified key does not exist.');
}
