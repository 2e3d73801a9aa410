import { z } from 'zod';

import {
	choiceField,
	decimalField,
	flagField,
	optionalWholeNumberField,
	textField,
	wholeNumberField,
} from './fields';
import { httpUrl } from './validation';

/** The fields every image node shares, declared once; see description.ts for where they go. */

export const GET_RESULT = 'getResult';

/**
 * Text from a field or an expression: a number becomes text, nothing becomes empty. An object or
 * a list is refused rather than read as "[object Object]" or "a,b".
 */
const asText = z
	.unknown()
	.refine(
		(value) => value === null || typeof value !== 'object',
		'Allowed: text, not an object or a list',
	)
	.transform((value) => (value === undefined || value === null ? '' : String(value).trim()));

const requiredName = (allowed: string) => asText.pipe(z.string().min(1, allowed));

/** Where the input image comes from. */
export const INPUT_FIELDS = {
	inputSource: choiceField({
		displayName: 'Input Image',
		options: [
			{
				name: 'File From a Previous Node',
				value: 'binary',
				description: 'An image file from Google Drive, HTTP Request, Read Files or a form',
			},
			{ name: 'Image URL', value: 'url', description: 'A public link to the image' },
		],
		default: 'binary',
		description: 'Where the image comes from',
	}),
	binaryPropertyName: textField({
		displayName: 'Input File Field',
		default: 'data',
		required: true,
		hint: 'The field of the incoming item that holds the image file; usually "data"',
		showWhen: { inputSource: ['binary'] },
		schema: requiredName('Allowed: the name of a binary field, such as "data"'),
	}),
	imageUrl: textField({
		displayName: 'Image URL',
		default: '',
		required: true,
		placeholder: 'https://example.com/product.png',
		hint: 'A public http(s) link: the provider downloads the image from it',
		showWhen: { inputSource: ['url'] },
		schema: httpUrl,
	}),
};

export const API_MODE_FIELD = {
	apiMode: choiceField({
		displayName: 'How to Run',
		options: [
			{
				name: 'Queue (Recommended)',
				value: 'queue',
				description:
					"The provider queues the job and the node checks on it until it is done: best for batches and slow jobs, and the result can be fetched later with Get Result (the provider's async API)",
			},
			{
				name: 'Direct',
				value: 'sync',
				description:
					"One request that waits for the image: simplest for a single quick image (the provider's sync API)",
			},
		],
		default: 'queue',
	}),
};

const waitForCompletion = (showWhen?: { apiMode: string[] }) => ({
	waitForCompletion: flagField({
		displayName: 'Wait for the Images',
		default: true,
		description:
			'Whether to wait until the images are ready. Turn off to get a request ID at once and fetch the images later with the Get Result operation, for example after a Wait node.',
		showWhen,
	}),
});

const FILE_NAME_FIELD = {
	fileNamePrefix: textField({
		displayName: 'File Name Prefix',
		placement: 'image',
		default: '',
		placeholder: 'summer-sale',
		description:
			'Start of the output file names, in place of the input file\'s name: "summer-sale" gives names such as summer-sale_1080x1080_1.png. Empty: the input file\'s name.',
		schema: asText,
	}),
};

/**
 * Waiting, the API mode where the model has a direct one (then waiting applies to the queue only),
 * and how to name the files.
 */
export function runFields(syncModeOffered: boolean) {
	return syncModeOffered
		? { ...API_MODE_FIELD, ...waitForCompletion({ apiMode: ['queue'] }), ...FILE_NAME_FIELD }
		: { ...waitForCompletion(), ...FILE_NAME_FIELD };
}

export const GET_RESULT_FIELDS = {
	requestId: textField({
		displayName: 'Request ID',
		default: '={{ $json.requestId }}',
		required: true,
		description:
			'The requestId output by this node when Wait for the Images was off; the default reads it from the incoming item',
		schema: requiredName(
			'Allowed: the requestId this node outputs when "Wait for the Images" is off',
		),
	}),
	ifStillRunning: choiceField({
		displayName: 'If Still Running',
		options: [
			{
				name: 'Wait for It',
				value: 'wait',
				description: 'Keep checking until the images are ready, or Max Wait runs out',
			},
			{
				name: 'Return Its Status',
				value: 'returnStatus',
				description: 'Output its status at once, to loop with an If and a Wait node',
			},
		],
		default: 'wait',
	}),
	fileNamePrefix: textField({
		displayName: 'File Name Prefix',
		default: '={{ $json.sourceName }}',
		description:
			'Start of the output file names; the default keeps the name of the image the job was made from (the request ID when unknown)',
		schema: asText,
	}),
};

/** What every operation outputs, and the options that tune waiting, downloading and retries. */
export const OUTPUT_FIELDS = {
	output: choiceField({
		displayName: 'Output',
		options: [
			{
				name: 'Image Files',
				value: 'binary',
				description: 'Each image as a file, ready for Google Drive, S3, email or HTTP Request',
			},
			{
				name: 'Links Only',
				value: 'urls',
				description: "The provider's links to the images, without downloading them (links expire)",
			},
		],
		default: 'binary',
	}),
	downloadLimitMb: wholeNumberField({
		displayName: 'Download Size Limit (MB)',
		placement: 'option',
		min: 1,
		max: 1024,
		default: 50,
		description: 'Results larger than this are refused instead of filling memory',
	}),
	maxWaitSeconds: wholeNumberField({
		displayName: 'Max Wait (Seconds)',
		placement: 'option',
		min: 1,
		max: 3600,
		default: 600,
		description:
			'How long an image may take in all, waiting included; then the item fails (or see On Timeout) with its request ID',
	}),
	outputBinaryField: textField({
		displayName: 'Output File Field',
		placement: 'option',
		default: 'data',
		description: 'The field of each output item that holds its image file',
		schema: requiredName('Allowed: a field name such as "data"'),
	}),
	// Stored as parallelJobs by earlier versions, where it meant items processed at once; a
	// workflow that set it keeps that many jobs in flight.
	parallelJobs: optionalWholeNumberField({
		displayName: 'Max Jobs Running at Once',
		placement: 'option',
		placeholder: 'no limit',
		min: 1,
		max: 1000,
		limitInEditor: true,
		description:
			'The most jobs this node keeps running at the provider at once. Leave empty to send every item at once (requests are still paced); set it only if your plan limits running jobs.',
	}),
	onTimeout: choiceField({
		displayName: 'On Timeout',
		placement: 'option',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'The item fails with its request ID once Max Wait runs out',
			},
			{
				name: 'Return Pending',
				value: 'returnPending',
				description:
					'Output the still-running job (requestId, status, timedOut) to fetch later with a Wait node and Get Result',
			},
		],
		default: 'fail',
	}),
	pollIntervalSeconds: decimalField({
		displayName: 'Poll Interval (Seconds)',
		placement: 'option',
		min: 0.1,
		max: 60,
		precision: 1,
		default: 3,
		description:
			"The longest pause between status checks. Checks start half a second after a submit and space out with the job's age (a tenth of it) up to this, to spare your rate limit.",
	}),
	requestsPerMinute: optionalWholeNumberField({
		displayName: 'Requests per Minute',
		placement: 'option',
		placeholder: 'no limit',
		min: 1,
		max: 6000,
		limitInEditor: true,
		description:
			"The most requests per minute this node sends to the provider, submits and status checks together: your plan's limit. Leave empty to go as fast as the provider allows; a rate limit then pauses the whole node and slows it down.",
	}),
	retryRateLimited: flagField({
		displayName: 'Retry When Rate Limited',
		placement: 'option',
		default: true,
		description:
			'Whether to wait for the rate limit to reset and try again, instead of failing at once',
	}),
};
