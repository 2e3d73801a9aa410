/**
 * The shipped chain example, run in-process as n8n runs it: Read Files → Smart Relight → Smart
 * Reframe (3:1) → Smart Resize (three banner sizes) → Smart Convert (WebP). Every file's name must
 * tell its real size after each node: the size part is rewritten, never appended to.
 */
import { resolve } from 'node:path';

import { sniffImage } from '../../nodes/shared/imageInfo';
import { loadExample, outputsOf, packageNodes, startExample } from '../../harness/examples';
import { binaryBuffer, nodeError } from '../../harness/n8n';
import { useEmulator } from '../helpers';

const env = useEmulator();
const ROOT = resolve(__dirname, '..', '..');

test('file names follow the picture through Relight, Reframe, Resize and Convert', async () => {
	process.env.N8N_RESTRICT_FILE_ACCESS_TO ??= ROOT;
	const cwd = process.cwd();
	process.chdir(ROOT);
	try {
		const example = loadExample('examples/chain-demo.json');
		// The chain without its last step, which would write files into the repository.
		example.nodes = example.nodes.filter((node) => node.name !== 'Write files');
		delete example.connections['Smart Convert'];
		const run = await startExample(example, env.emulator).done;
		expect(nodeError(run, '')).toBeFalsy();

		const named: Record<string, string[]> = {};
		for (const node of packageNodes(example)) {
			named[node.name] = [];
			for (const item of outputsOf(run, node)) {
				const info = sniffImage(await binaryBuffer(item.binary!.data));
				named[node.name].push(`${item.json.fileName} ${info?.width}x${info?.height}`);
				expect(item.binary!.data.fileName).toBe(item.json.fileName);
			}
		}
		expect(named).toEqual({
			'Smart Relight': [expect.stringMatching(/^product_relit\.png \d+x\d+$/)],
			'Smart Reframe': ['product_1536x512_relit_reframed.png 1536x512'],
			'Smart Resize': [
				'product_1500x500_1_relit_reframed.png 1500x500',
				'product_1584x396_1_relit_reframed.png 1584x396',
				'product_970x250_1_relit_reframed.png 970x250',
			],
			'Smart Convert': [
				'product_1500x500_1_relit_reframed.webp 1500x500',
				'product_1584x396_1_relit_reframed.webp 1584x396',
				'product_970x250_1_relit_reframed.webp 970x250',
			],
		});
	} finally {
		process.chdir(cwd);
	}
});
