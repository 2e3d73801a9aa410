/**
 * Result downloads (nodes/shared/media.ts), driven through Smart Resize: the API key is never sent
 * to the hosts serving results, and nothing is downloaded when only URLs are asked for.
 */
import {
	runNode,
	sampleBinaryItem,
	segmindCredentials,
	segmindResize,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => segmindResize(env.emulator, parameters);

describe('result downloads', () => {
	test('returns only URLs when asked, without downloading anything', async () => {
		const { items } = await runNode(
			'smartResize',
			resize({ output: 'urls' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(items).toHaveLength(6);
		expect(items[0].binary).toBeUndefined();
		expect(String(items[0].json.url)).toContain(env.emulator.mediaUrl);
		const mediaDownloads = (await env.emulator.control.requests()).filter(
			(request) => request.origin === 'media' && request.path.startsWith('/media/'),
		);
		expect(mediaDownloads).toHaveLength(0);
	});

	test('never sends the API key to the media origin', async () => {
		await runNode(
			'smartResize',
			resize({ inputSource: 'binary' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		const log = await env.emulator.control.requests();
		const media = log.filter((request) => request.origin === 'media');
		expect(media.length).toBeGreaterThanOrEqual(6);
		expect(media.filter((request) => request.receivedApiKey)).toEqual([]);
		expect(
			log
				.filter((request) => request.origin === 'segmind')
				.every((request) => request.receivedApiKey),
		).toBe(true);
	});
});
