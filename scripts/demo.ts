/**
 * The README's demo: runs an example workflow (importable into n8n as it is) through n8n's own
 * execution engine, against the provider emulator, and writes the generated images to disk.
 *
 *   npx tsx scripts/demo.ts [examples/smart-resize-demo.json ...]
 *
 * Without arguments it runs every example of both packages: the main package's examples/ and the
 * Pixazo package's packages/n8n-nodes-pixazo/examples/.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { sniffImage } from '../nodes/shared/imageInfo';
import { startEmulator } from '../emulator';
import { loadExample, outputsOf, packageNodes, startExample } from '../harness/examples';
import { binaryBuffer, nodeError, useFilesystemBinaryData } from '../harness/n8n';

const root = resolve(__dirname, '..');
process.chdir(root);

async function main(): Promise<void> {
	const files = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
	const examples =
		files.length > 0
			? files
			: [
					'examples/smart-resize-demo.json',
					'examples/chain-demo.json',
					// The sibling package's example (Pixazo Smart Resize).
					'packages/n8n-nodes-pixazo/examples/pixazo-demo.json',
				];
	const outDir = join(root, 'out', 'demo');
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });

	// n8n 2.x lets Read/Write Files touch only ~/.n8n-files unless told otherwise; the example reads
	// the bundled sample and writes to out/, both inside the repository.
	process.env.N8N_RESTRICT_FILE_ACCESS_TO ??= root;
	await useFilesystemBinaryData();
	const emulator = await startEmulator();
	console.log(
		`Provider emulator on ${emulator.segmindUrl} (media on ${emulator.mediaUrl}); no credits are spent.\n`,
	);
	let failed = false;
	try {
		for (const file of examples) {
			const example = loadExample(file);
			console.log(`Running "${example.name}" (${file})`);
			const started = Date.now();
			const run = await startExample(example, emulator).done;
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			const error = nodeError(run, '');
			if (error) {
				console.error(
					`  failed after ${seconds} s: ${error.message}${error.description ? ` (${error.description})` : ''}`,
				);
				failed = true;
				continue;
			}
			for (const node of packageNodes(example)) {
				const items = outputsOf(run, node);
				console.log(`\n  ${node.name}: ${items.length} item(s)`);
				console.log(
					`  ${'file'.padEnd(44)} ${'size'.padEnd(10)} ${'variant'.padEnd(7)} ${'format'.padEnd(6)} ${'KB'.padStart(7)}`,
				);
				for (const item of items) {
					const binary = item.binary?.data;
					const data = binary ? await binaryBuffer(binary) : undefined;
					const info = data ? sniffImage(data) : undefined;
					const size = info?.width ? `${info.width}x${info.height}` : String(item.json.size ?? '');
					console.log(
						`  ${String(item.json.fileName ?? item.json.url ?? item.json.error).padEnd(44)} ${size.padEnd(10)} ${String(item.json.variant ?? '').padEnd(7)} ${String(info?.format ?? item.json.format ?? '').padEnd(6)} ${(data ? (data.length / 1024).toFixed(1) : '').padStart(7)}`,
					);
				}
			}
			console.log(`\n  finished in ${seconds} s`);
		}
		const written = listWritten(outDir);
		console.log(`\n${written.length} file(s) written to ${outDir}`);
		if (written.length === 0) failed = true;
	} finally {
		await emulator.close();
	}
	if (failed) process.exitCode = 1;
}

function listWritten(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
