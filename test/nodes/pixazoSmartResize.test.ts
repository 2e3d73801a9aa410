/**
 * Pixazo Smart Resize, the node of the sibling package (packages/n8n-nodes-pixazo): its sizes and
 * provider fields, and its inline data URIs (sync_mode).
 */
import type { INodeType } from 'n8n-workflow';

import { sniffImage } from '../../nodes/shared/imageInfo';
import { binaryBuffer } from '../../harness/n8n';
import {
	imageOf,
	pixazoCredentials,
	pixazoResize,
	runNode,
	sampleBinaryItem,
	useEmulator,
} from '../helpers';

const env = useEmulator();
const resize = (parameters?: Record<string, unknown>) => pixazoResize(env.emulator, parameters);

describe('Pixazo Smart Resize', () => {
	test('makes every size and variant as real images, and names the provider', async () => {
		const { items, error } = await runNode(
			'pixazoSmartResize',
			resize(),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(6);
		const sizes = ['1000x1500', '1000x1500', '1600x900', '1600x900', '512x512', '512x512'];
		for (const [index, item] of items.entries()) {
			const image = await imageOf(item);
			expect(`${image.width}x${image.height}`).toBe(sizes[index]);
			expect(item.json).toMatchObject({
				provider: 'pixazo',
				model: 'smart-resize',
				size: sizes[index],
				variant: (index % 2) + 1,
			});
			expect(String(item.json.requestId)).toMatch(/^smart-resize_/);
		}
		const submits = (await env.emulator.control.requests({ origin: 'pixazo' })).filter(
			(request) => request.method === 'POST',
		);
		expect(submits).toHaveLength(1);
		expect(submits[0].path).toBe('/smart-resize/v1/smart-resize-request');
	});

	test('with Return Data URIs (sync_mode) the images arrive inline and nothing is downloaded', async () => {
		const { items, error } = await runNode(
			'pixazoSmartResize',
			resize({
				inputSource: 'binary',
				variantsPerSize: 1,
				options: { dataUris: true, sendBinaryAsDataUri: true },
				imageSettings: { outputFormat: 'webp' },
			}),
			[sampleBinaryItem()],
			pixazoCredentials(env.emulator),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const info = sniffImage(await binaryBuffer(items[2].binary!.data));
		expect(info).toMatchObject({ format: 'webp', width: 512, height: 512 });
		expect(await env.emulator.control.requests({ origin: 'media' })).toEqual([]);
	});
});

describe('what Pixazo documents, and what it does not', () => {
	test('a binary input is refused before any request unless sending it as a data: URI is turned on', async () => {
		const { error } = await runNode(
			'pixazoSmartResize',
			resize({ inputSource: 'binary', variantsPerSize: 1 }),
			[sampleBinaryItem()],
			pixazoCredentials(env.emulator),
		);
		expect(error?.message).toMatch(
			/^Invalid "Input Image": "binary". Pixazo documents only public image URLs/,
		);
		expect(error?.message).toContain('Send Binary as Data URI (Undocumented)');
		expect(await env.emulator.control.requests()).toEqual([]);
	});

	test("Safety Tolerance is described on each provider's own scale, and a blocked job says which way to move it", async () => {
		const { SmartResize } = await import('../../nodes/SmartResize/SmartResize.node.ts');
		const { PixazoSmartResize } = await import(
			'../../packages/n8n-nodes-pixazo/nodes/PixazoSmartResize/PixazoSmartResize.node.ts'
		);
		const safetyOf = (node: INodeType) =>
			(
				node.description.properties.find((p) => p.name === 'imageSettings')?.options as Array<{
					name: string;
					description?: string;
					displayOptions?: { show: Record<string, unknown> };
				}>
			).filter((option) => option.name === 'safetyTolerance');
		const onResize = { '/operation': ['resize'] };
		expect(
			safetyOf(new SmartResize()).map((option) => [option.displayOptions, option.description]),
		).toEqual([
			[
				{ show: { ...onResize, '@version': [{ _cnd: { gte: 2 } }] } },
				expect.stringMatching(/1 is the strictest, 6 the most permissive/),
			],
		]);
		expect(
			safetyOf(new PixazoSmartResize()).map((option) => [
				option.displayOptions,
				option.description,
			]),
		).toEqual([[{ show: onResize }, expect.stringMatching(/higher values are more restrictive/)]]);
		await env.emulator.control.failNextJobs({ times: 1, kind: 'fail', reason: 'safety filter' });
		const { error } = await runNode(
			'pixazoSmartResize',
			resize({ variantsPerSize: 1 }),
			[{ json: {} }],
			pixazoCredentials(env.emulator),
		);
		expect(error?.description).toMatch(/lower "Safety Tolerance" toward 1/);
	});
});
