/**
 * @jest-environment ./test/unit/support/newYorkTimeEnvironment.ts
 */
/*
 * Unit tests for reading providers' rate-limit and billing headers.
 *
 * The whole file runs with the process time zone set to America/New_York (see the environment
 * above). Setting process.env.TZ at the top of a test file has no effect under jest, whose sandbox
 * gets a copy of process.env, so the zone is set by the environment on the real process. A reset
 * time without a zone is then read wrongly if the code takes it as local time, which a UTC machine
 * would hide.
 */
import { billingFromHeaders, rateLimitResetAt } from '../../nodes/shared/transport/headers';

describe('rateLimitResetAt', () => {
	const NOW = Date.parse('2026-01-01T11:59:00Z');
	const RESET = 'x-rate-limit-reset-at-utc';

	beforeEach(() => {
		jest.spyOn(Date, 'now').mockReturnValue(NOW);
	});

	afterEach(() => {
		jest.restoreAllMocks();
	});

	test('this file really runs in a zone that is not UTC (guards the tests below)', () => {
		// New York is UTC-5 in January; getTimezoneOffset() counts minutes west of UTC.
		expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(300);
	});

	test('no headers: undefined', () => {
		expect(rateLimitResetAt({})).toBeUndefined();
	});

	test('ISO 8601 with Z', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T12:00:00Z' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});

	test('ISO 8601 with milliseconds and Z', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T12:00:00.250Z' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.250Z',
		);
	});

	test('ISO 8601 with an offset', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T14:00:00+02:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T07:00:00-05:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});

	test('epoch seconds', () => {
		expect(rateLimitResetAt({ [RESET]: '1767268800' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});

	test('fractional epoch seconds', () => {
		expect(rateLimitResetAt({ [RESET]: '1767268800.5' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.500Z',
		);
	});

	test('an array header value uses the first entry', () => {
		expect(
			rateLimitResetAt({
				[RESET]: ['2026-01-01T12:00:00Z', '2030-01-01T00:00:00Z'],
			})?.toISOString(),
		).toBe('2026-01-01T12:00:00.000Z');
	});

	test('Retry-After in seconds counts from now', () => {
		expect(rateLimitResetAt({ 'retry-after': '30' })?.getTime()).toBe(NOW + 30_000);
	});

	test('Retry-After of 0 means now', () => {
		expect(rateLimitResetAt({ 'retry-after': '0' })?.getTime()).toBe(NOW);
	});

	test('Retry-After as an HTTP date', () => {
		expect(
			rateLimitResetAt({ 'retry-after': 'Thu, 01 Jan 2026 12:00:00 GMT' })?.toISOString(),
		).toBe('2026-01-01T12:00:00.000Z');
	});

	test('when both headers are present, the reset time wins over Retry-After', () => {
		const resetAt = rateLimitResetAt({ [RESET]: '2026-01-01T12:05:00Z', 'retry-after': '30' });
		expect(resetAt?.toISOString()).toBe('2026-01-01T12:05:00.000Z');
	});

	test('when the reset time is unreadable, Retry-After is used', () => {
		const resetAt = rateLimitResetAt({ [RESET]: 'soon', 'retry-after': '30' });
		expect(resetAt?.getTime()).toBe(NOW + 30_000);
	});

	test.each([
		['empty', ''],
		['a word', 'soon'],
		['N/A', 'N/A'],
		['a dashed word', 'not-a-date'],
		['an impossible date', '2026-13-45T99:00:00Z'],
		['digits and letters', '12345abc'],
	])('a reset time that is %s, with no Retry-After: undefined', (_name, value) => {
		expect(rateLimitResetAt({ [RESET]: value })).toBeUndefined();
	});

	test.each([
		['empty', ''],
		['a word', 'later'],
		['infinite', 'Infinity'],
		['an unreadable date', 'Someday, 99 Foo 2026'],
	])('a Retry-After that is %s: undefined', (_name, value) => {
		expect(rateLimitResetAt({ 'retry-after': value })).toBeUndefined();
	});

	// V8's lenient Date parser would read a number among words as a year ("window 60" -> 1960).
	test('a reset time of words with a number in them is not read as a date', () => {
		expect(rateLimitResetAt({ [RESET]: 'window 60' })).toBeUndefined();
	});

	// JavaScript reads a time without a zone as local time; the header (…-utc) means UTC.
	test('a reset time without a zone, "2026-01-01 12:00:00", is read as UTC', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01 12:00:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});

	// The same in the ISO form with T, which JavaScript also reads as local time.
	test('a reset time without a zone, "2026-01-01T12:00:00", is read as UTC', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T12:00:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});
});

describe('billingFromHeaders', () => {
	test('all numbers and the request id', () => {
		expect(
			billingFromHeaders({
				'x-remaining-credits': '12.75',
				'x-cost': '0.04',
				'x-request-id': 'req-123',
				'x-generation-time': '3.2',
				'x-seed-value': '424242',
			}),
		).toEqual({
			remainingCredits: 12.75,
			cost: 0.04,
			providerRequestId: 'req-123',
			seed: 424242,
		});
	});

	test('no headers give an object without keys', () => {
		const billing = billingFromHeaders({});
		expect(Object.keys(billing)).toEqual([]);
	});

	test('zero is kept (it is not a missing value)', () => {
		expect(billingFromHeaders({ 'x-remaining-credits': '0', 'x-cost': '0' })).toEqual({
			remainingCredits: 0,
			cost: 0,
		});
	});

	test('negative and surrounded-by-space numbers are read', () => {
		expect(billingFromHeaders({ 'x-remaining-credits': '-1.5', 'x-cost': ' 2 ' })).toEqual({
			remainingCredits: -1.5,
			cost: 2,
		});
	});

	test('blank values leave their key out', () => {
		const billing = billingFromHeaders({
			'x-remaining-credits': '',
			'x-cost': '   ',
			'x-generation-time': '\t',
			'x-seed-value': undefined,
		});
		expect(Object.keys(billing)).toEqual([]);
	});

	test('values that are not finite numbers leave their key out', () => {
		const billing = billingFromHeaders({
			'x-remaining-credits': 'unlimited',
			'x-cost': 'NaN',
			'x-generation-time': 'Infinity',
			'x-seed-value': '12abc',
		});
		expect(Object.keys(billing)).toEqual([]);
	});

	test('an array header value uses its first entry', () => {
		expect(
			billingFromHeaders({
				'x-cost': ['0.5', '9'],
				'x-request-id': ['first', 'second'],
			}),
		).toEqual({ cost: 0.5, providerRequestId: 'first' });
	});

	test('an empty array header value leaves its key out', () => {
		expect(Object.keys(billingFromHeaders({ 'x-cost': [], 'x-request-id': [] }))).toEqual([]);
	});

	test('unrelated headers are ignored', () => {
		expect(
			billingFromHeaders({ 'content-type': 'application/json', 'x-ratelimit-remaining': '5' }),
		).toEqual({});
	});
});
