import sharp from 'sharp';

import { LIGHT_FIELDS } from '../../nodes/shared/models/relight';
import {
	FAST_POLLING,
	imageOf,
	runNode,
	SAMPLE_PNG,
	sampleBinaryItem,
	segmindCredentials,
	useEmulator,
} from '../helpers';

const env = useEmulator();

function relight(parameters: Record<string, unknown> = {}) {
	return {
		operation: 'relight',
		inputSource: 'url',
		imageUrl: `${env.emulator.mediaUrl}/samples/product.png`,
		output: 'binary',
		...parameters,
		options: { ...FAST_POLLING, ...((parameters.options as object) ?? {}) },
	};
}

/** Mean brightness of the left and right thirds of an image. */
async function sideBrightness(data: Buffer) {
	const { data: pixels, info } = await sharp(data)
		.greyscale()
		.raw()
		.toBuffer({ resolveWithObject: true });
	let left = 0;
	let right = 0;
	const third = Math.floor(info.width / 3);
	for (let y = 0; y < info.height; y++) {
		for (let x = 0; x < third; x++) {
			left += pixels[y * info.width + x];
			right += pixels[y * info.width + info.width - 1 - x];
		}
	}
	return { left: left / (third * info.height), right: right / (third * info.height) };
}

describe('Smart Relight', () => {
	test('sends the documented defaults and returns a relit image of the same size', async () => {
		const { items, error } = await runNode(
			'smartRelight',
			relight({ inputSource: 'binary' }),
			[sampleBinaryItem()],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		const original = await sharp(SAMPLE_PNG).metadata();
		const image = await imageOf(items[0]);
		expect([image.width, image.height]).toEqual([original.width, original.height]);
		expect(items[0].json).toMatchObject({
			model: 'segmind-relighting',
			lightDirection: 'top',
			lightType: 'ambient',
			lightTemperature: 'neutral',
			lightIntensity: 'medium',
			fileName: 'product_relit.png',
		});
		expect(Buffer.compare(image.data, SAMPLE_PNG)).not.toBe(0);
	});

	test('light from the left brightens the left side more than light from the right does', async () => {
		const run = (lightDirection: string) =>
			runNode(
				'smartRelight',
				relight({ lightDirection, lightType: 'spotlight', lightIntensity: 'strong' }),
				[{ json: {} }],
				segmindCredentials(env.emulator),
			);
		const [fromLeft, fromRight] = await Promise.all([run('left'), run('right')]);
		const left = await sideBrightness((await imageOf(fromLeft.items[0])).data);
		const right = await sideBrightness((await imageOf(fromRight.items[0])).data);
		expect(left.left - left.right).toBeGreaterThan(right.left - right.right + 5);
	});

	test('a warm light is warmer than a cool one', async () => {
		const run = (lightTemperature: string) =>
			runNode(
				'smartRelight',
				relight({ lightTemperature, lightIntensity: 'bright' }),
				[{ json: {} }],
				segmindCredentials(env.emulator),
			);
		const [warm, cool] = await Promise.all([run('warm'), run('cool')]);
		const warmth = async (data: Buffer) => {
			const { channels } = await sharp(data).stats();
			return channels[0].mean - channels[2].mean;
		};
		expect(await warmth((await imageOf(warm.items[0])).data)).toBeGreaterThan(
			await warmth((await imageOf(cool.items[0])).data),
		);
	});

	const everyValue = Object.entries(LIGHT_FIELDS).flatMap(([field, spec]) =>
		spec.values.map((value) => [field, value] as const),
	);
	test.each(everyValue)('accepts %s = %s and sends it as documented', async (field, value) => {
		const { items, error } = await runNode(
			'smartRelight',
			relight({ [field]: value, output: 'urls' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items[0].json[field]).toBe(value);
	});

	test.each([
		['lightDirection', 'bottom', 'Light Direction'],
		['lightType', 'neon', 'Light Type'],
		['lightTemperature', 'hot', 'Light Temperature'],
		['lightIntensity', 'blinding', 'Light Intensity'],
	])('refuses %s = %s before any request', async (field, value, label) => {
		const { error } = await runNode(
			'smartRelight',
			relight({ [field]: value }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error?.message).toContain(
			`Invalid "${label}": "${value}". Allowed: ${LIGHT_FIELDS[field as keyof typeof LIGHT_FIELDS].values.join(', ')}`,
		);
		expect(await env.emulator.control.requests()).toEqual([]);
	});

	test('the direct (v1) API works too', async () => {
		const { items, error } = await runNode(
			'smartRelight',
			relight({ apiMode: 'sync' }),
			[{ json: {} }],
			segmindCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect((await env.emulator.control.requests()).map((request) => request.path)).toContain(
			'/v1/segmind-relighting',
		);
	});
});
