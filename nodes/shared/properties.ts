import type { INodeProperties } from 'n8n-workflow';

/**
 * The fields every image node shares, so the four nodes look and behave alike. A node adds its own
 * model fields between these blocks.
 */
export const GET_RESULT = 'getResult';

export interface RunOperation {
	name: string;
	value: string;
	action: string;
	description: string;
}

/** The node's own operation, plus Get Result for jobs submitted without waiting. */
export function operationProperty(run: RunOperation): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: run.name, value: run.value, action: run.action, description: run.description },
			{
				name: 'Get Result',
				value: GET_RESULT,
				action: 'Get the result of a submitted job',
				description: 'Fetch the images of a job submitted earlier with Wait for Completion off',
			},
		],
		// A template literal, so that the lint rule reading defaults statically accepts a computed one.
		default: `${run.value}`,
	};
}

/**
 * Everything after the model's own fields: API mode (where the model has a direct mode), waiting,
 * Get Result's fields, the output choice, and the Options collection with the model's options.
 */
export function jobProperties(
	runOperation: string,
	syncModeOffered: boolean,
	modelOptions: INodeProperties[] = [],
): INodeProperties[] {
	return [
		...(syncModeOffered ? [apiModeProperty(runOperation)] : []),
		waitProperty(runOperation, syncModeOffered),
		...getResultProperties(),
		outputProperty(),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: sortedOptions([...commonOptions(), ...modelOptions]),
		},
	];
}

export function inputImageProperties(runOperation: string): INodeProperties[] {
	const show = { show: { operation: [runOperation] } };
	return [
		{
			displayName: 'Input Image',
			name: 'inputSource',
			type: 'options',
			options: [
				{
					name: 'Binary File',
					value: 'binary',
					description: 'An image from a previous node (Read Files, HTTP Request, Drive...)',
				},
				{ name: 'Image URL', value: 'url', description: 'A public http(s) link to the image' },
			],
			default: 'binary',
			displayOptions: show,
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the binary field that holds the image',
			displayOptions: { show: { operation: [runOperation], inputSource: ['binary'] } },
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/product.png',
			description: 'A public http(s) URL the provider can download',
			displayOptions: { show: { operation: [runOperation], inputSource: ['url'] } },
		},
	];
}

export function apiModeProperty(runOperation: string): INodeProperties {
	return {
		displayName: 'API Mode',
		name: 'apiMode',
		type: 'options',
		options: [
			{
				name: 'Queue (Async)',
				value: 'queue',
				description: 'Submit to the queue and poll; survives long jobs and allows Get Result later',
			},
			{
				name: 'Direct (Sync)',
				value: 'sync',
				description: 'One request that returns the image when it is ready; simplest for quick jobs',
			},
		],
		default: 'queue',
		displayOptions: { show: { operation: [runOperation] } },
	};
}

export function waitProperty(runOperation: string, syncModeOffered: boolean): INodeProperties {
	return {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait for the images. Turn off to get the request ID at once and fetch the images later with Get Result (for long jobs, or a Wait node in between).',
		displayOptions: {
			show: { operation: [runOperation], ...(syncModeOffered ? { apiMode: ['queue'] } : {}) },
		},
	};
}

export function getResultProperties(): INodeProperties[] {
	const show = { show: { operation: [GET_RESULT] } };
	return [
		{
			displayName: 'Request ID',
			name: 'requestId',
			type: 'string',
			default: '={{ $json.requestId }}',
			required: true,
			description: 'The request ID returned when the job was submitted',
			displayOptions: show,
		},
		{
			displayName: 'If Still Running',
			name: 'ifStillRunning',
			type: 'options',
			options: [
				{
					name: 'Wait for It',
					value: 'wait',
					description: 'Poll until the job finishes or Max Wait runs out',
				},
				{
					name: 'Return Its Status',
					value: 'returnStatus',
					description: 'Output the current status at once, to loop with an If and a Wait node',
				},
			],
			default: 'wait',
			displayOptions: show,
		},
		{
			displayName: 'File Name Prefix',
			name: 'fileNamePrefix',
			type: 'string',
			default: '={{ $json.sourceName }}',
			description: 'Start of the output file names; the request ID is used when empty',
			displayOptions: show,
		},
	];
}

export function outputProperty(): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Binary Files',
				value: 'binary',
				description: 'Download each image into the item as binary data',
			},
			{
				name: 'URLs Only',
				value: 'urls',
				description: 'Return the result links without downloading them',
			},
		],
		default: 'binary',
	};
}

/** Options that tune waiting, downloading and retries, the same on every node. */
export function commonOptions(): INodeProperties[] {
	return [
		{
			displayName: 'Download Size Limit (MB)',
			name: 'downloadLimitMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1024 },
			default: 50,
			description: 'Results larger than this are refused instead of filling memory',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 600,
			description: 'How long to wait for a queued job before giving up with its request ID',
		},
		{
			displayName: 'Output Binary Field',
			name: 'outputBinaryField',
			type: 'string',
			default: 'data',
			description: 'The binary field each output image is written to',
		},
		{
			displayName: 'Parallel Jobs',
			name: 'parallelJobs',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 3,
			description:
				'How many items are sent to the provider at once. Lower it on plans with tight rate limits; 1 processes items one by one.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 60, numberPrecision: 1 },
			default: 3,
			description:
				'The longest pause between status checks. Checks start fast and slow down to this, to spare your rate limit.',
		},
		{
			displayName: 'Retry When Rate Limited',
			name: 'retryRateLimited',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait for the rate limit to reset and try again, instead of failing at once',
		},
	];
}

/** n8n lists collection options in the order given; alphabetical is what its own nodes do. */
export function sortedOptions(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
