#!/usr/bin/env node
// Pull the run data out of what `n8n execute --id=<id> --rawOutput` printed.
//
// n8n 2.41 prints the run JSON through its logger (level info, on stdout), after other
// log lines (task broker, license SDK, warnings, and on a fresh user folder ~300
// "migration" lines). JSON.stringify(run, null, 2) puts only the outermost braces at
// column 0, so the run is the text from the first line that is exactly "{" to the next
// line that is exactly "}". The same holds when the workflow failed: n8n then prints
// "Execution error:" / "=====" / the run JSON (status "error") / error text, and exits 1.
//
// CLI:     n8n execute ... --rawOutput | node scripts/e2e/extract-run.cjs   (prints compact JSON)
// Library: const { extractRunData } = require('./scripts/e2e/extract-run.cjs');
'use strict';

function extractRunData(stdout) {
	const lines = String(stdout).split(/\r?\n/);
	const start = lines.indexOf('{');
	const end = start === -1 ? -1 : lines.indexOf('}', start);
	if (start === -1 || end === -1) {
		const tail = lines.slice(-20).join('\n');
		throw new Error(`no run JSON in n8n output; last lines:\n${tail}`);
	}
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** Output items of a node's last run, main output `outputIndex` (default 0). */
function nodeOutput(run, nodeName, outputIndex = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[runs.length - 1]?.data?.main?.[outputIndex] ?? [];
}

module.exports = { extractRunData, nodeOutput };

if (require.main === module) {
	let input = '';
	process.stdin.setEncoding('utf8');
	process.stdin.on('data', (c) => (input += c));
	process.stdin.on('end', () => {
		try {
			process.stdout.write(JSON.stringify(extractRunData(input)) + '\n');
		} catch (e) {
			process.stderr.write(String(e.message) + '\n');
			process.exitCode = 2;
		}
	});
}
