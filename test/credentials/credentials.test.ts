import { TEST_KEYS } from '../../emulator';
import { testCredential } from '../../harness/credentialTest';
import { expectKeyToReachAnotherHostOnPurpose, useEmulator } from '../helpers';

const env = useEmulator();

describe('Segmind API credential test', () => {
	const segmind = (apiKey: string, baseUrl = env.emulator.segmindUrl) => ({
		apiKey,
		baseUrl,
		uploadUrl: env.emulator.uploadUrl,
	});

	test('a valid key passes, and nothing is billed', async () => {
		const before = await env.emulator.control.credits(TEST_KEYS.segmind.valid);
		expect(await testCredential('segmindApi', segmind(TEST_KEYS.segmind.valid))).toEqual({
			status: 'OK',
		});
		expect(await env.emulator.control.credits(TEST_KEYS.segmind.valid)).toBe(before);
		expect((await env.emulator.control.requests()).map((entry) => entry.path)).toEqual([
			'/v1/get-user-credits',
		]);
	});

	test('a Base URL pasted with spaces and a trailing slash is trimmed, as the nodes trim it', async () => {
		const pasted = `  ${env.emulator.segmindUrl}/  `;
		expect(await testCredential('segmindApi', segmind(TEST_KEYS.segmind.valid, pasted))).toEqual({
			status: 'OK',
		});
		expect(
			await testCredential('pixazoApi', {
				apiKey: TEST_KEYS.pixazo.valid,
				baseUrl: ` ${env.emulator.pixazoUrl}// `,
			}),
		).toEqual({ status: 'OK' });
	});

	test('a wrong key is shown as a rejected key', async () => {
		expect(await testCredential('segmindApi', segmind('not-a-key'))).toEqual({
			status: 'Error',
			message: 'The API key was rejected. Copy it again from the Segmind console (API Keys).',
		});
	});

	test('a forbidden key and a Base URL with a path get their own messages', async () => {
		expect(await testCredential('segmindApi', segmind(TEST_KEYS.segmind.forbidden))).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/not allowed/),
		});
		expect(
			await testCredential(
				'segmindApi',
				segmind(TEST_KEYS.segmind.valid, `${env.emulator.segmindUrl}/v1`),
			),
		).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/just the host/),
		});
	});
});

describe('Pixazo API credential test', () => {
	const pixazo = (apiKey: string, baseUrl = env.emulator.pixazoUrl) => ({ apiKey, baseUrl });

	test('a valid key passes without starting a job', async () => {
		expect(await testCredential('pixazoApi', pixazo(TEST_KEYS.pixazo.valid))).toEqual({
			status: 'OK',
		});
		expect(await env.emulator.control.jobs()).toEqual([]);
	});

	test('a wrong key is shown as a rejected key', async () => {
		expect(await testCredential('pixazoApi', pixazo('not-a-key'))).toEqual({
			status: 'Error',
			message: 'The subscription key was rejected. Copy it again from your Pixazo account.',
		});
	});

	test.each([
		['the Segmind origin', () => env.emulator.segmindUrl],
		['the media origin', () => env.emulator.mediaUrl],
	])('a Base URL pointing at %s does not pass', async (_, baseUrl) => {
		// The user typed another host as the Base URL: the key goes where the credential says.
		expectKeyToReachAnotherHostOnPurpose();
		expect(
			await testCredential('pixazoApi', pixazo(TEST_KEYS.pixazo.valid, baseUrl())),
		).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/did not answer like the Pixazo gateway/),
		});
	});
});
