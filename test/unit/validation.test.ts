/**
 * Unit tests for the zod helpers behind the node parameter checks, and for reading provider answers
 * against a schema. Parameter checks run before any request, so a wrong value must be refused here
 * with a message that says what is allowed.
 */
import { z } from 'zod';

import { intInRange, oneOf, parseAnswer } from '../../nodes/shared/validation';

/** The first issue's message, or undefined when the value is accepted. */
function messageFor(schema: z.ZodTypeAny, value: unknown): string | undefined {
	const parsed = schema.safeParse(value);
	return parsed.success ? undefined : parsed.error.issues[0].message;
}

describe('intInRange', () => {
	const schema = intInRange(1, 10);
	const ALLOWED = 'Allowed: a whole number from 1 to 10';

	test.each([
		[1, 1],
		[5, 5],
		[10, 10],
		['1', 1],
		['7', 7],
		['10', 10],
		[' 7 ', 7],
		['7.0', 7],
		[7.0, 7],
	])('%p is accepted as %p', (value, expected) => {
		expect(schema.parse(value)).toBe(expected);
	});

	test.each([
		['below the minimum', 0],
		['above the maximum', 11],
		['a numeric string above the maximum', '11'],
		['negative', -1],
		['a decimal', 2.5],
		['a decimal string', '2.5'],
		['a tiny fraction', 1.0000001],
		['not a number', 'abc'],
		['a number with a unit', '5px'],
		['NaN', Number.NaN],
		['Infinity', Number.POSITIVE_INFINITY],
		['the string Infinity', 'Infinity'],
		['undefined', undefined],
		['an object', { value: 5 }],
		['true (from an expression)', true],
		['false (from an expression)', false],
		['a list of one number', [5]],
		['a list of one numeric string', ['5']],
	])('%s is refused with a message naming the range', (_name, value) => {
		expect(messageFor(schema, value)).toBe(ALLOWED);
	});

	test('a range below zero works with negative numeric strings', () => {
		const negative = intInRange(-5, 5);
		expect(negative.parse('-5')).toBe(-5);
		expect(negative.parse(-3)).toBe(-3);
		expect(messageFor(negative, '-6')).toBe('Allowed: a whole number from -5 to 5');
	});

	test('the full 32-bit seed range', () => {
		const seed = intInRange(0, 2147483647);
		expect(seed.parse('2147483647')).toBe(2147483647);
		expect(messageFor(seed, '2147483648')).toBe('Allowed: a whole number from 0 to 2147483647');
	});

	test('a single-value range', () => {
		const only = intInRange(3, 3);
		expect(only.parse(3)).toBe(3);
		expect(messageFor(only, 4)).toBe('Allowed: a whole number from 3 to 3');
	});

	// z.coerce.number alone would turn '', '  ' and null into 0.
	test('an empty, blank or null value is refused, not read as 0', () => {
		const fromZero = intInRange(0, 10);
		expect(messageFor(fromZero, '')).toBe('Allowed: a whole number from 0 to 10');
		expect(messageFor(fromZero, '   ')).toBe('Allowed: a whole number from 0 to 10');
		expect(messageFor(fromZero, null)).toBe('Allowed: a whole number from 0 to 10');
	});

	test('an empty value is refused when 0 is out of range', () => {
		expect(messageFor(schema, '')).toBe(ALLOWED);
		expect(messageFor(schema, null)).toBe(ALLOWED);
	});
});

describe('oneOf', () => {
	const schema = oneOf(['png', 'jpeg', 'webp']);
	const ALLOWED = 'Allowed: png, jpeg, webp';

	test.each(['png', 'jpeg', 'webp'])('%p is accepted', (value) => {
		expect(schema.parse(value)).toBe(value);
	});

	test.each([
		['another value', 'gif'],
		['a different case', 'PNG'],
		['surrounding spaces', ' png'],
		['an empty string', ''],
		['undefined', undefined],
		['null', null],
		['a number', 1],
		['an array of an allowed value', ['png']],
	])('%s is refused with a message listing the allowed values', (_name, value) => {
		expect(messageFor(schema, value)).toBe(ALLOWED);
	});

	test('a custom message replaces the list', () => {
		const custom = oneOf(['a', 'b'], 'Pick a or b');
		expect(custom.parse('b')).toBe('b');
		expect(messageFor(custom, 'c')).toBe('Pick a or b');
	});

	test('a single allowed value', () => {
		expect(messageFor(oneOf(['only']), 'other')).toBe('Allowed: only');
	});

	test('inside an object, the message still lists the values and the path names the field', () => {
		const parsed = z.object({ outputFormat: schema }).safeParse({ outputFormat: 'bmp' });
		expect(parsed.success).toBe(false);
		if (!parsed.success) {
			expect(parsed.error.issues[0].path).toEqual(['outputFormat']);
			expect(parsed.error.issues[0].message).toBe(ALLOWED);
		}
	});
});

describe('parseAnswer', () => {
	const statusAnswer = z.object({
		status: z.string(),
		output: z.array(z.string()).optional(),
	});

	test('a matching answer is returned', () => {
		expect(parseAnswer(statusAnswer, { status: 'COMPLETED', output: ['https://x/a.png'] })).toEqual(
			{ status: 'COMPLETED', output: ['https://x/a.png'] },
		);
	});

	test('optional fields may be missing', () => {
		expect(parseAnswer(statusAnswer, { status: 'QUEUED' })).toEqual({ status: 'QUEUED' });
	});

	test('keys the schema does not name are dropped', () => {
		expect(parseAnswer(statusAnswer, { status: 'QUEUED', extra: 1, debug: { a: 1 } })).toEqual({
			status: 'QUEUED',
		});
	});

	test.each([
		['a missing required field', { output: [] }],
		['a field of the wrong type', { status: 200 }],
		['a nested field of the wrong type', { status: 'COMPLETED', output: [1] }],
		['null', null],
		['undefined', undefined],
		['a string', 'COMPLETED'],
		['an array', [{ status: 'COMPLETED' }]],
	])('%s gives undefined instead of throwing', (_name, value) => {
		expect(parseAnswer(statusAnswer, value)).toBeUndefined();
	});

	test("the schema's transforms and defaults apply", () => {
		const schema = z.object({
			status: z.string().transform((value) => value.toUpperCase()),
			attempts: z.number().default(0),
		});
		expect(parseAnswer(schema, { status: 'done' })).toEqual({ status: 'DONE', attempts: 0 });
	});
});
