/**
 * Bad input, fuzzed: every parameter of every node, read from the node's description as the editor
 * shows it, gets generated wrong values (out of range, wrong type as an expression would give it,
 * unknown choices, blanks, unicode look-alikes, too long, too many). Each case must fail the item
 * with `Invalid "<label>"`, coded INVALID_INPUT and not billed, with Continue On Fail as one error
 * item paired with its input, and without it as the run's error naming the item; and the emulator
 * must not have received a single request. Binary inputs that are empty, missing, not images or
 * too large are fuzzed the same way. One property feeds good values, so the checks cannot pass by
 * refusing everything.
 *
 * Values are passed as stored node parameters (n8n keeps what the user typed), or through an
 * expression (`={{ $json.v }}`) that resolves to them; in expression mode without Continue On Fail
 * a good item comes first, so the run must fail before that item is submitted.
 */
import fc from 'fast-check';
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import type { FixtureItem } from '../../harness/n8n';
import { SmartConvert } from '../../nodes/SmartConvert/SmartConvert.node.ts';
import { SmartReframe } from '../../nodes/SmartReframe/SmartReframe.node.ts';
import { SmartRelight } from '../../nodes/SmartRelight/SmartRelight.node.ts';
import { SmartResize } from '../../nodes/SmartResize/SmartResize.node.ts';
import { PixazoSmartResize } from '../../packages/n8n-nodes-pixazo/nodes/PixazoSmartResize/PixazoSmartResize.node.ts';
import { pixazoProvider } from '../../packages/n8n-nodes-pixazo/providers/pixazo';
import {
	FAST_POLLING,
	pixazoCredentials,
	runNode,
	SAMPLE_PNG,
	sampleUrl,
	segmindCredentials,
	useEmulator,
} from '../helpers';
import type { NodeRun } from '../helpers';
import { SIZE_PRESETS } from '../../nodes/shared/models/smartResize';

const env = useEmulator();

/**
 * Cases per property. A refused run through the engine costs a few milliseconds; FUZZ_SCALE=10
 * fuzzes ten times as long, for a deeper search on a developer machine.
 */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));
const RUNS = Object.fromEntries(
	Object.entries({
		modelField: 64,
		commonField: 24,
		binary: 64,
		tooLarge: 3,
		good: 48,
		cross: 8,
	}).map(([name, runs]) => [name, Math.round(runs * SCALE)]),
) as Record<'modelField' | 'commonField' | 'binary' | 'tooLarge' | 'good' | 'cross', number>;
/** Each writes a file over 10 MB: not scaled. */
RUNS.tooLarge = 3;

type NodeKey =
	| 'smartResize'
	| 'smartReframe'
	| 'smartRelight'
	| 'smartConvert'
	| 'pixazoSmartResize';

interface NodeUnderTest {
	key: NodeKey;
	type: INodeType;
	operation: string;
	/** Parameters that make a valid run, over which each case sets one bad value. */
	base: IDataObject;
	/** Runs with the Pixazo credential (the sibling package's node). */
	pixazo?: boolean;
}

const NODES: NodeUnderTest[] = [
	{
		key: 'smartResize',
		type: new SmartResize(),
		operation: 'resize',
		base: { sizePresets: ['iabMobileBanner'], customSizes: '', variantsPerSize: 1 },
	},
	{ key: 'smartReframe', type: new SmartReframe(), operation: 'reframe', base: {} },
	{ key: 'smartRelight', type: new SmartRelight(), operation: 'relight', base: {} },
	{ key: 'smartConvert', type: new SmartConvert(), operation: 'convert', base: {} },
];

/**
 * The Pixazo package's node: the Smart Resize model on Pixazo. Its shared fields are fuzzed on Smart
 * Resize above; here only the fields Pixazo declares for itself.
 */
const PIXAZO_NODE: NodeUnderTest = {
	...NODES[0],
	key: 'pixazoSmartResize',
	type: new PixazoSmartResize(),
	pixazo: true,
};
const PIXAZO_OWN_FIELDS = new Set(Object.keys(pixazoProvider.models.smartResize.fields ?? {}));

const COMMON_FIELDS = new Set([
	'operation',
	'inputSource',
	'binaryPropertyName',
	'imageUrl',
	'apiMode',
	'waitForCompletion',
	'requestId',
	'ifStillRunning',
	'fileNamePrefix',
	'output',
	'downloadLimitMb',
	'maxWaitSeconds',
	'outputBinaryField',
	'parallelJobs',
	'onTimeout',
	'pollIntervalSeconds',
	'requestsPerMinute',
	'retryRateLimited',
]);

// ---------------------------------------------------------------------------------------------
// Generators of bad values, by what the editor says a field is.

/** n8n reads a stored string that starts with "=" as an expression; a typed value never does. */
const notExpression = (text: string) => !text.startsWith('=');
const anyText = fc.string({ unit: 'grapheme', maxLength: 24 }).filter(notExpression);
const blank = fc.constantFrom('', ' ', '   ', '\t', '\n', ' \u00a0 ');
const fullWidth = (text: string) =>
	text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
const objectValue = fc.dictionary(
	fc.stringMatching(/^[a-z]{1,6}$/),
	fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()),
	{ maxKeys: 3 },
);
const listValue = fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 6 })), { maxLength: 3 });
/** What an expression gives where text or a number was expected: objects and lists. */
const structured = fc.oneof(objectValue, listValue);

function swapCase(text: string): string {
	return [...text]
		.map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()))
		.join('');
}

/**
 * Null means "not set" inside the Options collection (n8n then gives the default), so it is a
 * bad value only for a top-level field.
 */
const nullIf = (topLevel: boolean) => (topLevel ? [fc.constant(null)] : []);

function badChoice(values: string[], topLevel: boolean): fc.Arbitrary<unknown> {
	const caseVariants = values.filter((value) => !values.includes(swapCase(value)));
	return fc.oneof(
		anyText.filter((text) => !values.includes(text)),
		fc.constantFrom(...values).map((value) => ` ${value}`),
		fc.constantFrom(...values).map((value) => `${value}\u200b`),
		fc.constantFrom(...values).map((value) => `${value},${value}`),
		...(caseVariants.length > 0 ? [fc.constantFrom(...caseVariants).map(swapCase)] : []),
		fc.integer(),
		fc.boolean(),
		fc.constantFrom(...values).map((value) => [value]),
		objectValue,
		...nullIf(topLevel),
	);
}

function badChoices(values: string[]): fc.Arbitrary<unknown> {
	const unknown = anyText.filter((text) => !values.includes(text));
	return fc.oneof(
		// A list with at least one value the field does not offer, among offered ones.
		fc
			.tuple(
				fc.subarray(values, { maxLength: 3 }),
				fc.array(unknown, { minLength: 1, maxLength: 2 }),
			)
			.chain(([known, bad]) =>
				fc.shuffledSubarray([...known, ...bad], { minLength: known.length + bad.length }),
			),
		fc.constantFrom(...values), // one value, not in a list
		fc.constantFrom(...values).map((value) => value.toUpperCase()),
		fc.integer(),
		fc.boolean(),
		objectValue,
		fc.constant(null),
	);
}

interface NumberRange {
	min: number;
	max: number;
	integer: boolean;
	/** Empty is allowed and means "not set" (a seed, an optional limit). */
	optional: boolean;
}

function badNumber({ min, max, integer, optional }: NumberRange, topLevel: boolean) {
	const outside = (value: number) =>
		!(value >= min && value <= max) || (integer && !Number.isInteger(value));
	const inRange = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
	return fc.oneof(
		fc.integer({ min: -(2 ** 40), max: Math.ceil(min) - 1 }),
		fc.integer({ min: Math.floor(max) + 1, max: 2 ** 53 }),
		fc.double().filter(outside),
		fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e300, -1e300),
		fc.integer({ min: Math.floor(max) + 1, max: 2 ** 40 }).map(String),
		fc.integer({ min: -(2 ** 40), max: Math.ceil(min) - 1 }).map((value) => ` ${value} `),
		...(integer ? [inRange.map((value) => `${value}.5`)] : []),
		// Text JavaScript itself would not read as a number: words, units, unicode digits.
		anyText.filter((text) => Number.isNaN(Number(text))),
		inRange.map((value) => `${value}px`),
		inRange.filter((value) => value > 0).map((value) => fullWidth(String(value))),
		// An expression's wrong type: a boolean, a list holding a good number, an object.
		fc.boolean(),
		inRange.map((value) => [value]),
		inRange.map((value) => [String(value)]),
		inRange.map((value) => ({ value })),
		...(optional ? [] : [blank]),
		...(optional ? [] : nullIf(topLevel)),
	);
}

function badFlag(topLevel: boolean) {
	return fc.oneof(
		fc.constantFrom('true', 'false', 'yes', 'on', '1', '0', ''),
		anyText,
		fc.integer({ min: 0, max: 1 }),
		fc.constant([true]),
		objectValue,
		...nullIf(topLevel),
	);
}

// Sizes (Smart Resize's Custom Sizes): one bad entry makes the whole list bad.
const side = fc.integer({ min: 16, max: 8192 });
const separator = fc.constantFrom(',', ', ', ';', '\n', ' ,\n ');
const goodSize = fc
	.tuple(side, side, fc.constantFrom('x', 'X', '×', '*', ' x ', ' × '))
	.map(([width, height, by]) => `${width}${by}${height}`);
const badSizeEntry = fc.oneof(
	side.map((height) => `0x${height}`),
	side.map((width) => `${width}x0`),
	fc.tuple(side, side).map(([width, height]) => `-${width}x${height}`),
	fc.tuple(side, side).map(([width, height]) => `${width}x-${height}`),
	fc.tuple(fc.integer({ min: 1, max: 15 }), side).map(([small, other]) => `${small}x${other}`),
	fc.tuple(side, fc.integer({ min: 8193, max: 99999 })).map(([other, big]) => `${other}x${big}`),
	fc
		.tuple(fc.integer({ min: 100000, max: 2 ** 31 }), side)
		.map(([huge, other]) => `${huge}x${other}`),
	fc.tuple(side, side).map(([width, height]) => fullWidth(`${width}x${height}`)),
	fc.tuple(side, side).map(([width, height]) => `${width}÷${height}`),
	fc.tuple(side, side).map(([width, height]) => `${width}x${height}px`),
	fc.tuple(side, side).map(([width, height]) => `${width}.5x${height}`),
	fc.tuple(side, side).map(([width, height]) => `${width} by ${height}`),
	side.map((width) => `${width}x`),
	fc.stringMatching(/^[a-zA-Z\u00c0-\u024f]{1,12}$/),
);
const badSizeList = fc.oneof(
	fc
		.tuple(
			fc.array(goodSize, { maxLength: 3 }),
			fc.array(badSizeEntry, { minLength: 1, maxLength: 2 }),
			separator,
		)
		.chain(([good, bad, sep]) =>
			fc
				.shuffledSubarray([...good, ...bad], { minLength: good.length + bad.length })
				.map((entries) => entries.join(sep)),
		),
	// From an expression: a list with a non-text entry, a number, an object, a boolean.
	fc.tuple(side, side).map(([width, height]) => [width, height]),
	fc.tuple(goodSize, fc.integer()).map(([good, bad]) => [good, bad]),
	side,
	objectValue,
	fc.boolean(),
	fc.constant(null),
);

const badRatio = fc.oneof(
	fc
		.tuple(
			fc.integer({ min: 1, max: 1000 }),
			fc.integer({ min: 1, max: 1000 }),
			fc.constantFrom(':', 'x', '×', '/'),
		)
		.filter(([width, height]) => width / height > 4.01 || width / height < 0.249)
		.map(([width, height, by]) => `${width}${by}${height}`),
	fc.integer({ min: 1, max: 100 }).map((value) => `0:${value}`),
	fc.integer({ min: 1, max: 100 }).map((value) => `${value}:0`),
	fc
		.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
		.map(([a, b]) => `-${a}:${b}`),
	fc
		.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
		.map(([a, b]) => fullWidth(`${a}:${b}`)),
	fc
		.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
		.map(([a, b]) => `${a}:${b}:1`),
	fc.stringMatching(/^[a-z]{1,10}$/),
	blank,
	fc.double({ min: 0.3, max: 3.9, noNaN: true }),
	fc.boolean(),
	structured,
	fc.constant(null),
);

const badUrl = fc.oneof(
	fc
		.constantFrom('ftp://', 'file:///', 'javascript:', 'mailto:', 'data:image/png;base64,', 'ws://')
		.chain((scheme) => fc.stringMatching(/^[a-z0-9./]{1,20}$/).map((rest) => `${scheme}${rest}`)),
	fc.stringMatching(/^[a-z]{1,10}\.(png|jpg)$/), // a file name, no scheme
	fc.stringMatching(/^\/[a-z]{1,10}\/[a-z]{1,10}\.png$/), // a relative path
	fc.constantFrom('https://', 'http://', 'http:// /a.png', 'https://exa mple.com/a.png'),
	// Any text that does not start with http(s): is either no URL or another scheme.
	anyText.filter((text) => !/^\s*https?:/i.test(text)),
	blank,
	fc.integer(),
	fc.boolean(),
	structured,
	fc.constant(null),
);

// ---------------------------------------------------------------------------------------------
// One case per parameter, derived from the node's description.

interface FieldCase {
	node: NodeUnderTest;
	name: string;
	/** The label in the message, quoted as the message quotes it. */
	quoted: string;
	/** The collection the field sits in, if any. */
	collection?: Collection;
	/** The node version the field is shown in (version 2 moved the image's settings). */
	typeVersion: number;
	/** Parameters that make the field shown (its display conditions, each met by its first value). */
	show: IDataObject;
	bad: fc.Arbitrary<unknown>;
	/**
	 * The bad values that can be stored as they are. n8n stores null in a text field as its default,
	 * and refuses to start a workflow whose required text field is empty ("Parameter ... is
	 * required"), so those reach the node only through an expression.
	 */
	badStored: fc.Arbitrary<unknown>;
	/** What the good item before the bad one carries, in expression mode. */
	good: unknown;
	expressions: boolean;
	pixazo: boolean;
	/** Checked once for the whole run, before any item: the run's error names no item. */
	runLevel: boolean;
}

/** The editor sets no limits on Smart Resize's seed; the node takes a signed 32-bit one. */
const RANGE_OVERRIDES: Record<string, Partial<NumberRange>> = {
	'smartResize.seed': { min: 0, max: 2147483647 },
	'pixazoSmartResize.seed': { min: 0, max: 2147483647 },
};

function numberRange(node: NodeUnderTest, property: INodeProperties): NumberRange {
	const options = property.typeOptions ?? {};
	const range = {
		min: options.minValue ?? -Infinity,
		max: options.maxValue ?? Infinity,
		integer: options.numberPrecision === undefined,
		optional: property.default === '',
		...RANGE_OVERRIDES[`${node.key}.${property.name}`],
	};
	if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
		throw new Error(`${node.key}.${property.name}: no range known`);
	}
	return range;
}

function badText(name: string, topLevel: boolean): { bad: fc.Arbitrary<unknown>; good?: unknown } {
	switch (name) {
		case 'binaryPropertyName':
			return {
				bad: fc.oneof(
					blank,
					anyText.filter((text) => text.trim() !== 'data'),
					fc.stringMatching(/^[a-z]{1,8}$/).filter((text) => text !== 'data'),
					fc.integer(),
					structured,
					fc.constant(null),
				),
			};
		case 'imageUrl':
			return { bad: badUrl };
		case 'customSizes':
			return { bad: badSizeList };
		case 'customAspectRatio':
			return { bad: badRatio, good: '7:5' };
		case 'requestId':
			return { bad: fc.oneof(blank, structured, fc.constant(null)), good: 'a-request-id' };
		case 'fileNamePrefix':
			return { bad: structured };
		case 'outputBinaryField':
			return { bad: fc.oneof(blank, structured, ...nullIf(topLevel)) };
		case 'prompt':
			return {
				bad: fc.oneof(
					fc.string({ unit: 'grapheme', minLength: 5001, maxLength: 5300 }).filter(notExpression),
					fc.integer({ min: 5001, max: 6000 }).map((length) => ' '.repeat(length)),
					fc.integer({ min: 5001, max: 6000 }).map((length) => 'é'.repeat(length)),
					fc.integer(),
					fc.boolean(),
					structured,
				),
			};
		default:
			throw new Error(`no bad values defined for the text field "${name}"`);
	}
}

type Collection = 'options' | 'imageSettings';

/** The node version a property is shown in, by its '@version' condition: `gte` N or `lt` N. */
function versionShowing(...properties: INodeProperties[]): number {
	for (const property of properties) {
		const [condition] = (property.displayOptions?.show?.['@version'] ?? []) as Array<{
			_cnd?: { gte?: number; lt?: number };
		}>;
		if (condition?._cnd?.gte !== undefined) return condition._cnd.gte;
		if (condition?._cnd?.lt !== undefined) return condition._cnd.lt - 1;
	}
	return 1;
}

function caseFor(
	node: NodeUnderTest,
	property: INodeProperties,
	collection?: INodeProperties,
): FieldCase {
	const show: IDataObject = {};
	const conditions = property.displayOptions?.show ?? {};
	if (property.displayOptions?.hide) throw new Error(`${property.name}: hide is not handled`);
	for (const [key, values] of Object.entries(conditions)) {
		if (key === '@version') continue;
		show[key.replace(/^\//, '')] = (values as unknown[])[0] as string;
	}
	const topLevel = collection === undefined;
	let bad: fc.Arbitrary<unknown>;
	let good: unknown = property.default;
	switch (property.type) {
		case 'options':
			bad = badChoice(
				(property.options as Array<{ value: string }>).map((choice) => choice.value),
				topLevel,
			);
			break;
		case 'multiOptions':
			bad = badChoices(
				(property.options as Array<{ value: string }>).map((choice) => choice.value),
			);
			break;
		case 'number':
			bad = badNumber(numberRange(node, property), topLevel);
			break;
		case 'boolean':
			bad = badFlag(topLevel);
			break;
		case 'string': {
			const text = badText(property.name, topLevel);
			bad = text.bad;
			if ('good' in text) good = text.good;
			break;
		}
		default:
			throw new Error(`${property.name}: no bad values for type ${property.type}`);
	}
	if (property.name === 'imageUrl') good = 'https://example.com/product.png';
	// The good item has no binary file, unless the field is shown only for binary input.
	if (property.name === 'inputSource') good = 'url';
	const isText = property.type === 'string' || property.type === 'multiOptions';
	const badStored = bad.filter(
		(value) => !(isText && (value === null || (property.required && value === ''))),
	);
	return {
		node,
		name: property.name,
		quoted: `"${property.displayName}"`,
		collection: collection?.name as Collection | undefined,
		typeVersion: versionShowing(property, ...(collection ? [collection] : [])),
		show,
		bad,
		badStored,
		good,
		expressions: property.noDataExpression !== true,
		pixazo: node.pixazo === true,
		runLevel: property.name === 'operation',
	};
}

function casesOf(node: NodeUnderTest): FieldCase[] {
	const properties = node.type.description.properties;
	const cases: FieldCase[] = [];
	for (const property of properties) {
		if (property.name === 'options' || property.name === 'imageSettings') {
			for (const option of property.options as INodeProperties[]) {
				cases.push(caseFor(node, option, property));
			}
		} else cases.push(caseFor(node, property));
	}
	return cases;
}

// ---------------------------------------------------------------------------------------------
// Running a case.

function binaryItem(data: Buffer, mimeType = 'image/png', field = 'data'): FixtureItem {
	return { json: {}, binary: { [field]: { data, fileName: 'input.png', mimeType } } };
}

function parametersFor(
	node: NodeUnderTest,
	show: IDataObject,
	set: IDataObject,
	options: IDataObject,
) {
	const parameters: IDataObject = {
		operation: node.operation,
		inputSource: 'url',
		imageUrl: sampleUrl(env.emulator),
		requestId: 'a-request-id',
		waitForCompletion: false,
		...node.base,
		...show,
		...set,
	};
	parameters.options = { ...FAST_POLLING, ...options };
	return parameters;
}

function credentialsFor(pixazo: boolean) {
	return pixazo ? pixazoCredentials(env.emulator) : segmindCredentials(env.emulator);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The run refused the item at `itemIndex` for `quoted`, and nothing reached the emulator. A
 * run-level check (Operation) names no item in the run's error.
 */
async function expectRefused(
	run: NodeRun,
	quoted: string,
	itemIndex: number,
	continueOnFail: boolean,
	runLevel = false,
) {
	const message = new RegExp(`^Invalid ${escapeRegExp(quoted)}: `);
	if (continueOnFail) {
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		expect(item.json.error).toMatch(message);
		expect(item.json).toMatchObject({
			errorCode: 'INVALID_INPUT',
			billed: false,
			retryable: false,
		});
		expect(item.json.requestId).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: itemIndex });
		expect(item.binary).toBeUndefined();
	} else {
		expect(run.items).toEqual([]);
		expect(run.error?.message).toMatch(message);
		const context = (run.error as { context?: IDataObject } | undefined)?.context ?? {};
		expect(context).toMatchObject({ errorCode: 'INVALID_INPUT', billed: false });
		if (!runLevel) expect(context.itemIndex).toBe(itemIndex);
	}
	expect(await env.emulator.control.requests()).toEqual([]);
}

/** Cases run per property, for the summary line. */
const tally = new Map<string, number>();
const count = (title: string) => tally.set(title, (tally.get(title) ?? 0) + 1);

afterAll(() => {
	const cases = [...tally.values()].reduce((sum, value) => sum + value, 0);
	console.log(`bad-input fuzz: ${tally.size} properties, ${cases} cases run through the engine`);
});

async function runFieldCase(
	field: FieldCase,
	value: unknown,
	continueOnFail: boolean,
	viaExpression: boolean,
) {
	const { node } = field;
	const placed = (viaExpression ? '={{ $json.v }}' : value) as IDataObject[string];
	const parameters =
		field.collection === 'options'
			? parametersFor(node, field.show, {}, { [field.name]: placed })
			: field.collection === 'imageSettings'
				? parametersFor(node, field.show, { imageSettings: { [field.name]: placed } }, {})
				: parametersFor(node, field.show, { [field.name]: placed }, {});
	const withBinary = field.show.inputSource === 'binary';
	const item = (json: IDataObject): FixtureItem =>
		withBinary ? { ...binaryItem(SAMPLE_PNG), json } : { json };
	// In expression mode without Continue On Fail, a good item first: it must not be submitted.
	const items =
		viaExpression && !continueOnFail
			? [item({ v: field.good as never }), item({ v: value as never })]
			: [item(viaExpression ? { v: value as never } : {})];
	const run = await runNode(node.key, parameters, items, credentialsFor(field.pixazo), {
		continueOnFail,
		typeVersion: field.typeVersion,
	});
	await expectRefused(run, field.quoted, items.length - 1, continueOnFail, field.runLevel);
}

const NODE_LABEL: Record<NodeKey, string> = {
	smartResize: 'Smart Resize',
	smartReframe: 'Smart Reframe',
	smartRelight: 'Smart Relight',
	smartConvert: 'Smart Convert',
	pixazoSmartResize: 'Pixazo Smart Resize',
};

const NODE_CASES: Array<[string, NodeUnderTest, FieldCase[]]> = [
	...NODES.map((node): [string, NodeUnderTest, FieldCase[]] => [
		NODE_LABEL[node.key],
		node,
		casesOf(node),
	]),
	[
		NODE_LABEL.pixazoSmartResize,
		PIXAZO_NODE,
		casesOf(PIXAZO_NODE).filter((field) => PIXAZO_OWN_FIELDS.has(field.name)),
	],
];

describe.each(NODE_CASES)('%s', (_, node, fieldCases) => {
	const cases = fieldCases.map((field) => {
		const runs = COMMON_FIELDS.has(field.name) ? RUNS.commonField : RUNS.modelField;
		const where = field.collection === 'options' ? 'option ' : field.collection ? 'setting ' : '';
		const version = field.typeVersion > 1 ? ` (v${field.typeVersion})` : '';
		return [`${where}${field.quoted}${version}: ${runs} bad values refused`, field, runs] as const;
	});

	test.each(cases)('%s', async (title, field, runs) => {
		await fc.assert(
			fc.asyncProperty(
				(field.expressions ? fc.boolean() : fc.constant(false)).chain((viaExpression) =>
					fc.tuple(fc.constant(viaExpression), viaExpression ? field.bad : field.badStored),
				),
				fc.boolean(),
				async ([viaExpression, value], continueOnFail) => {
					count(`${node.key} ${title}`);
					await runFieldCase(field, value, continueOnFail, viaExpression);
				},
			),
			{ numRuns: runs },
		);
	});
});

// ---------------------------------------------------------------------------------------------
// Smart Resize: no size at all, or more than 10 different ones once duplicates are dropped.

const COUNT_LABEL = '"Preset Sizes" and "Custom Sizes"';
const sizeKey = (width: number, height: number) => `${width}x${height}`;
const presetSize = (value: string) => SIZE_PRESETS.find((preset) => preset.value === value)!.size;
const spelled = (width: number, height: number) =>
	fc.constantFrom('x', 'X', '×', '*', ' x ', ' × ').map((by) => `${width}${by}${height}`);

interface SizeChoice {
	presets: string[];
	custom: string;
	/** Different sizes in both fields together, counted here rather than by the node. */
	distinct: number;
}

/**
 * Presets and custom sizes with duplicates: presets repeated, custom sizes written twice in other
 * spellings, preset sizes typed again as custom ones. `distinct` is how many different sizes remain.
 */
function sizeChoice(distinctMin: number, distinctMax: number): fc.Arbitrary<SizeChoice> {
	return fc
		.tuple(
			fc.subarray(
				SIZE_PRESETS.map((preset) => preset.value),
				{ maxLength: Math.min(distinctMax, SIZE_PRESETS.length) },
			),
			fc.uniqueArray(fc.tuple(side, side), {
				maxLength: distinctMax,
				selector: ([width, height]) => sizeKey(width, height),
			}),
		)
		.map(([presets, custom]) => {
			const taken = new Set(presets.map(presetSize));
			const extra = custom.filter(([width, height]) => !taken.has(sizeKey(width, height)));
			return { presets, extra, distinct: taken.size + extra.length };
		})
		.filter(({ distinct }) => distinct >= distinctMin && distinct <= distinctMax)
		.chain(({ presets, extra, distinct }) => {
			const presetSides = presets.map((value) => presetSize(value).split('x').map(Number));
			const typed = [...extra, ...presetSides];
			return fc
				.tuple(
					fc.tuple(...extra.map(([width, height]) => spelled(width, height))),
					typed.length > 0
						? fc.array(
								fc.constantFrom(...typed).chain(([width, height]) => spelled(width, height)),
								{ maxLength: 4 },
							)
						: fc.constant([] as string[]),
					presets.length > 0
						? fc.array(fc.constantFrom(...presets), { maxLength: 3 })
						: fc.constant([] as string[]),
					separator,
				)
				.chain(([once, again, presetAgain, sep]) =>
					fc
						.shuffledSubarray([...once, ...again], { minLength: once.length + again.length })
						.map((entries) => ({
							presets: [...presets, ...presetAgain],
							custom: entries.join(sep),
							distinct,
						})),
				);
		});
}

const noSizes: fc.Arbitrary<SizeChoice> = fc
	.oneof(blank, fc.constantFrom(',', ' , ;\n ', '\n\n', ';;'))
	.map((custom) => ({ presets: [], custom, distinct: 0 }));

test(`Smart Resize ${COUNT_LABEL}: ${RUNS.modelField * 2} size choices with none or more than 10 different sizes refused`, async () => {
	const node = NODES[0];
	await fc.assert(
		fc.asyncProperty(
			fc.oneof(noSizes, sizeChoice(11, 24)),
			fc.boolean(),
			async (choice, continueOnFail) => {
				count('smartResize size count');
				const parameters = parametersFor(
					node,
					{},
					{ sizePresets: choice.presets, customSizes: choice.custom },
					{},
				);
				const run = await runNode(node.key, parameters, [{ json: {} }], credentialsFor(false), {
					continueOnFail,
				});
				await expectRefused(run, COUNT_LABEL, 0, continueOnFail);
				const text = continueOnFail ? String(run.items[0]?.json.error) : run.error?.message;
				expect(text).toContain(
					choice.distinct === 0 ? 'No size is chosen.' : `(${choice.distinct} given)`,
				);
			},
		),
		{ numRuns: RUNS.modelField * 2 },
	);
});

// ---------------------------------------------------------------------------------------------
// Binary input: empty, missing, not an image, too large.

/** First bytes of the image formats the node reads, so random bytes are known not to be one. */
function looksLikeAnImage(bytes: Uint8Array): boolean {
	const ascii = Buffer.from(bytes).toString('latin1');
	return (
		(bytes[0] === 0x89 && bytes[1] === 0x50) ||
		(bytes[0] === 0xff && bytes[1] === 0xd8) ||
		/^(RIFF|GIF8|BM|II|MM)/.test(ascii)
	);
}

const badBinaryItem: fc.Arbitrary<[string, FixtureItem]> = fc.oneof(
	fc.constant(['an empty file', binaryItem(Buffer.alloc(0))] as [string, FixtureItem]),
	fc.constant(['no binary at all', { json: {} }] as [string, FixtureItem]),
	fc
		.stringMatching(/^[a-zA-Z_]{1,10}$/)
		.filter((name) => name !== 'data')
		.map((name): [string, FixtureItem] => [
			`the file under "${name}"`,
			binaryItem(SAMPLE_PNG, 'image/png', name),
		]),
	fc
		.string({ unit: 'grapheme', maxLength: 400 })
		.filter((text) => !/^(GIF8|RIFF|BM|II|MM)/.test(text))
		.map((text): [string, FixtureItem] => [
			'text labelled image/png',
			binaryItem(Buffer.from(text)),
		]),
	fc
		.tuple(fc.constantFrom('1.4', '1.7', '2.0'), fc.string({ maxLength: 300 }))
		.map(([version, body]): [string, FixtureItem] => [
			'a PDF labelled image/png',
			binaryItem(Buffer.from(`%PDF-${version}\n${body}\n%%EOF\n`)),
		]),
	fc
		.uint8Array({ maxLength: 64 })
		.filter((bytes) => !looksLikeAnImage(bytes))
		.map((bytes): [string, FixtureItem] => [
			'random bytes labelled image/png',
			binaryItem(Buffer.from(bytes)),
		]),
);

describe.each(NODES.map((node) => [NODE_LABEL[node.key], node] as const))('%s', (_, node) => {
	test(`"Input File Field": ${RUNS.binary} files that are empty, missing or not images refused`, async () => {
		await fc.assert(
			fc.asyncProperty(badBinaryItem, fc.boolean(), async ([, item], continueOnFail) => {
				count(`${node.key} binary`);
				const parameters = parametersFor(node, { inputSource: 'binary' }, {}, {});
				const run = await runNode(node.key, parameters, [item], credentialsFor(false), {
					continueOnFail,
				});
				await expectRefused(run, '"Input File Field"', 0, continueOnFail);
			}),
			{ numRuns: RUNS.binary },
		);
	});
});

test(`Smart Reframe "Input File Field": ${RUNS.tooLarge} PNG files over the 10 MB input limit refused`, async () => {
	const node = NODES[1];
	const header = SAMPLE_PNG.subarray(0, 33);
	await fc.assert(
		fc.asyncProperty(
			fc.integer({ min: 10 * 2 ** 20 + 1, max: 12 * 2 ** 20 }),
			fc.boolean(),
			async (bytes, continueOnFail) => {
				count('smartReframe too large');
				const data = Buffer.alloc(bytes);
				header.copy(data);
				const parameters = parametersFor(node, { inputSource: 'binary' }, {}, {});
				const run = await runNode(node.key, parameters, [binaryItem(data)], credentialsFor(false), {
					continueOnFail,
				});
				await expectRefused(run, '"Input File Field"', 0, continueOnFail);
			},
		),
		{ numRuns: RUNS.tooLarge },
	);
});

// ---------------------------------------------------------------------------------------------
// Values that are fine alone but not together.

test(`"Output": ${RUNS.cross} runs of Links Only with How to Run: Direct refused on every node that has it`, async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...NODES.slice(1)),
			fc.boolean(),
			async (node, continueOnFail) => {
				count('output with sync');
				const parameters = parametersFor(node, {}, { apiMode: 'sync', output: 'urls' }, {});
				const run = await runNode(node.key, parameters, [{ json: {} }], credentialsFor(false), {
					continueOnFail,
				});
				await expectRefused(run, '"Output"', 0, continueOnFail);
			},
		),
		{ numRuns: RUNS.cross },
	);
});

test(`"Input Image": ${RUNS.cross} binary files for Pixazo without the data URI option refused`, async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(false, undefined),
			fc.boolean(),
			async (dataUri, continueOnFail) => {
				count('pixazo binary');
				const parameters = parametersFor(
					PIXAZO_NODE,
					{ inputSource: 'binary' },
					{},
					dataUri === undefined ? {} : { sendBinaryAsDataUri: dataUri },
				);
				const run = await runNode(
					'pixazoSmartResize',
					parameters,
					[binaryItem(SAMPLE_PNG)],
					credentialsFor(true),
					{
						continueOnFail,
					},
				);
				await expectRefused(run, '"Input Image"', 0, continueOnFail);
			},
		),
		{ numRuns: RUNS.cross },
	);
});

// ---------------------------------------------------------------------------------------------
// Good values are accepted: the checks above do not pass by refusing everything.

const choicesOf = (node: NodeUnderTest, name: string) => {
	const property = node.type.description.properties.find((candidate) => candidate.name === name)!;
	return (property.options as Array<{ value: string }>).map((choice) => choice.value);
};
/** A number as a user or an expression may give it: a number, or text with spaces around. */
const numberAsGiven = (value: number) => fc.constantFrom(value, String(value), ` ${value} `);
const goodText = fc
	.string({ unit: 'grapheme', maxLength: 120 })
	.filter((text) => notExpression(text) && !text.includes('emulate:'));

interface GoodCase {
	node: NodeUnderTest;
	set: IDataObject;
	options: IDataObject;
	/** Smart Resize: the credits the job should cost, from the sizes and variants it asked for. */
	cost?: number;
}

const goodOptions = fc.record(
	{
		downloadLimitMb: fc.integer({ min: 1, max: 1024 }).chain(numberAsGiven),
		maxWaitSeconds: fc.integer({ min: 1, max: 3600 }).chain(numberAsGiven),
		pollIntervalSeconds: fc.double({ min: 0.1, max: 60, noNaN: true }),
		parallelJobs: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 1000 })),
		requestsPerMinute: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 6000 })),
		retryRateLimited: fc.boolean(),
		outputBinaryField: fc.oneof(
			fc.stringMatching(/^[a-zA-Z_]{1,10}$/),
			fc.integer({ min: 0, max: 9 }),
		),
		onTimeout: fc.constantFrom('fail', 'returnPending'),
	},
	{ requiredKeys: [] },
);

const goodCase: fc.Arbitrary<GoodCase> = fc.oneof(
	fc
		.record({
			sizes: sizeChoice(1, 10),
			variants: fc.integer({ min: 1, max: 4 }),
			variantsAs: fc.constantFrom('number', 'text'),
			outputFormat: fc.constantFrom('png', 'jpeg', 'webp'),
			resolution: fc.constantFrom('1K', '2K', '4K'),
			seed: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 2147483647 }).chain(numberAsGiven)),
			prompt: goodText,
			safetyTolerance: fc.integer({ min: 1, max: 6 }).chain(numberAsGiven),
			options: goodOptions,
		})
		.map(({ sizes, variants, variantsAs, options, ...rest }) => ({
			node: NODES[0],
			set: {
				sizePresets: sizes.presets,
				customSizes: sizes.custom,
				variantsPerSize: variantsAs === 'text' ? ` ${variants} ` : variants,
			},
			options: { ...options, ...rest },
			cost: 0.15 * sizes.distinct * variants * (rest.resolution === '4K' ? 2 : 1),
		})),
	fc
		.record({
			size: fc.oneof(
				fc.constantFrom(...choicesOf(NODES[1], 'resolution')).map((resolution) => ({
					resolutionMode: 'resolution',
					resolution,
				})),
				fc
					.constantFrom(...choicesOf(NODES[1], 'aspectRatio').filter((ratio) => ratio !== 'custom'))
					.map((aspectRatio) => ({ resolutionMode: 'aspectRatio', aspectRatio })),
				fc
					.tuple(
						fc.integer({ min: 1, max: 400 }),
						fc.integer({ min: 1, max: 400 }),
						fc.constantFrom(':', 'x', '×', '/', ' : '),
					)
					.filter(([width, height]) => width / height >= 0.26 && width / height <= 3.9)
					.map(([width, height, by]) => ({
						resolutionMode: 'aspectRatio',
						aspectRatio: 'custom',
						customAspectRatio: ` ${width}${by}${height} `,
					})),
			),
			styleType: fc.constantFrom(...choicesOf(NODES[1], 'styleType')),
			seed: fc.oneof(fc.constant(''), fc.integer({ min: 100, max: 999999 }).chain(numberAsGiven)),
			options: goodOptions,
		})
		.map(({ size, styleType, seed, options }) => ({
			node: NODES[1],
			set: { ...size, styleType, apiMode: 'queue' },
			options: { ...options, seed },
		})),
	fc
		.record({
			lightDirection: fc.constantFrom(...choicesOf(NODES[2], 'lightDirection')),
			lightType: fc.constantFrom(...choicesOf(NODES[2], 'lightType')),
			lightTemperature: fc.constantFrom(...choicesOf(NODES[2], 'lightTemperature')),
			lightIntensity: fc.constantFrom(...choicesOf(NODES[2], 'lightIntensity')),
			options: goodOptions,
		})
		.map(({ options, ...set }) => ({ node: NODES[2], set: { ...set, apiMode: 'queue' }, options })),
	fc
		.record({
			targetFormat: fc.constantFrom(...choicesOf(NODES[3], 'targetFormat')),
			options: goodOptions,
		})
		.map(({ options, ...set }) => ({ node: NODES[3], set: { ...set, apiMode: 'queue' }, options })),
);

test(`${RUNS.good} good values on every node are accepted and submitted once`, async () => {
	await fc.assert(
		fc.asyncProperty(goodCase, async ({ node, set, options, cost }) => {
			count('good values');
			const before = (await env.emulator.control.jobs()).length;
			// A stuck job is accepted and charged but never rendered: no 8192-pixel images in the background.
			const imageUrl = `${sampleUrl(env.emulator)}?emulate:stuck`;
			const parameters = parametersFor(node, {}, { imageUrl, ...set }, options);
			const run = await runNode(node.key, parameters, [{ json: {} }], credentialsFor(false));
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({ status: 'QUEUED', requestId: expect.any(String) });
			expect((await env.emulator.control.jobs()).length).toBe(before + 1);
			if (cost !== undefined) expect(run.items[0].json.jobCostCredits).toBeCloseTo(cost, 6);
		}),
		{ numRuns: RUNS.good },
	);
});
