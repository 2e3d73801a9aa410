/**
 * The storage example, `examples/ad-set-from-drive.json`: Google Drive Trigger → Google Drive
 * (download) → Smart Resize → Smart Convert → Google Drive (upload). Its Google steps need the user's
 * own account, so they are checked the way the editor checks them (n8n-nodes-base's own descriptions:
 * every parameter valid, nothing missing), and the package's two steps run as configured, on the
 * file the download step would hand them.
 */
import { resolve } from 'node:path';

import { loadExample, outputsOf, packageNodes, startExample } from '../../harness/examples';
import { nodeError, parameterIssues, sourceInto } from '../../harness/n8n';
import { sampleBinaryItem, useEmulator } from '../helpers';

const env = useEmulator();
const example = () =>
	loadExample(resolve(__dirname, '..', '..', 'examples', 'ad-set-from-drive.json'));

test('every node of the example is ready in the editor, once its accounts are chosen', () => {
	const nodes = example().nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	expect(nodes.map((node) => node.type)).toEqual([
		'n8n-nodes-base.googleDriveTrigger',
		'n8n-nodes-base.googleDrive',
		'n8n-nodes-smart-image.smartResize',
		'n8n-nodes-smart-image.smartConvert',
		'n8n-nodes-base.googleDrive',
	]);
	for (const node of nodes) expect([node.name, parameterIssues(node)]).toEqual([node.name, []]);
});

test('one photo becomes ten WebP files named for their ad sizes', async () => {
	const workflow = example();
	const [resize, convert] = packageNodes(workflow);
	// The photo comes in as Google Drive's download hands it on; Drive is where the files would go.
	const run = await startExample(
		{
			nodes: [...sourceInto(resize, [sampleBinaryItem('sneaker.jpg')]).nodes, convert],
			connections: {
				Source: { main: [[{ node: resize.name, type: 'main', index: 0 }]] },
				[resize.name]: workflow.connections[resize.name],
			},
		},
		env.emulator,
	).done;
	expect(nodeError(run, '')).toBeFalsy();
	const files = outputsOf(run, convert).map((item) => [
		item.binary?.data.fileName,
		item.binary?.data.mimeType,
	]);
	expect(files).toHaveLength(10);
	expect(files).toContainEqual(['sneaker_728x90_2.webp', 'image/webp']);
	expect(files).toContainEqual(['sneaker_1080x1920_1.webp', 'image/webp']);
	expect(new Set(files.map(([, mimeType]) => mimeType))).toEqual(new Set(['image/webp']));
});
