/**
 * Billing: 5 items with n8n's Retry On Fail at 3 tries, every result download refused (404), so the
 * execution fails; then the faults cleared and the workflow run again with the static data the
 * failed execution left, as n8n does for production executions.
 */
import type { Bench } from '../common';
import { binaryItem, isSubmit, runSmartResize } from '../common';
import type { Row } from '../report';

const ITEMS = 5;

export async function billingScenario(bench: Bench) {
	const { control } = bench.emulator;
	await bench.reset();
	await control.configure({ queueMs: 0, processingMs: 200 });
	const parameters = { sizePresets: [], customSizes: '320x100', variantsPerSize: 1, options: {} };
	const items = () => Array.from({ length: ITEMS }, (_, index) => binaryItem({ index }));
	const submits = async () => (await control.requests()).filter(isSubmit).length;

	await control.injectFault({
		origin: 'media',
		method: 'GET',
		pathPrefix: '/media/',
		fault: { type: 'status', status: 404 },
		times: 1000,
	});
	const failed = await runSmartResize(bench, parameters, items(), {
		retryOnFail: { maxTries: 3, waitBetweenTries: 0 },
		mode: 'trigger',
	});
	const firstSubmits = await submits();
	const refusedDownloads = (await control.requests({ origin: 'media' })).filter(
		(entry) => entry.status === 404,
	).length;

	await control.clearFaults();
	const rerun = await runSmartResize(bench, parameters, items(), {
		mode: 'trigger',
		staticData: failed.staticData,
	});
	const moreSubmits = (await submits()) - firstSubmits;
	const delivered = rerun.items.filter((item) => item.binary?.data).length;

	const scenario = `billing, ${ITEMS} items, Retry On Fail x3`;
	const rows: Row[] = [
		{
			scenario,
			figure: `execution with downloads refused: ${failed.error ? 'failed' : 'succeeded'}`,
			target: 'fails',
			met: failed.error !== undefined,
		},
		{
			scenario,
			figure: `submits over 3 tries: ${firstSubmits}`,
			target: `${ITEMS}`,
			met: firstSubmits === ITEMS,
		},
		{
			scenario,
			figure: `re-run with its static data: ${moreSubmits} more submits`,
			target: '0',
			met: moreSubmits === 0,
		},
		{
			scenario,
			figure: `re-run: ${delivered} files delivered${rerun.error ? `, error: ${rerun.error.message}` : ''}`,
			target: `${ITEMS}`,
			met: delivered === ITEMS && !rerun.error,
		},
	];
	return {
		rows,
		figures: {
			items: ITEMS,
			firstRunError: failed.error?.message ?? null,
			firstRunSubmits: firstSubmits,
			refusedDownloads,
			rerunSubmits: moreSubmits,
			rerunDelivered: delivered,
			rerunReusedJobs: rerun.items.filter((item) => item.json.reusedJob === true).length,
		},
	};
}
