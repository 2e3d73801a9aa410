/**
 * @jest-environment ./test/unit/support/newYorkTimeEnvironment.ts
 */
/*
 * Unit tests for reading providers' error bodies and rate-limit headers.
 *
 * The whole file runs with the process time zone set to America/New_York (see the environment
 * above). Setting process.env.TZ at the top of a test file has no effect under jest, whose sandbox
 * gets a copy of process.env, so the zone is set by the environment on the real process. A reset
 * time without a zone is then read wrongly if the code takes it as local time, which a UTC machine
 * would hide.
 */
import { providerErrorText, rateLimitResetAt } from '../../nodes/shared/errors';

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('providerErrorText', () => {
	test.each([
		['undefined', undefined],
		['an empty string', ''],
		['whitespace', ' \n\t '],
		['an empty buffer', Buffer.alloc(0)],
	])('%s gives an empty text', (_name, body) => {
		expect(providerErrorText(body)).toBe('');
	});

	test('Segmind { error }', () => {
		expect(providerErrorText(json({ error: 'Invalid API key' }))).toBe('Invalid API key');
	});

	test('Pixazo { error, details } joins both', () => {
		expect(
			providerErrorText(json({ error: 'Bad Request', details: 'prompt must not be empty' })),
		).toBe('Bad Request: prompt must not be empty');
	});

	test('Azure API Management gateway { statusCode, message } gives the message', () => {
		const body = json({
			statusCode: 429,
			message: 'Rate limit is exceeded. Try again in 12 seconds.',
		});
		expect(providerErrorText(body)).toBe('Rate limit is exceeded. Try again in 12 seconds.');
	});

	test('{ detail }', () => {
		expect(providerErrorText(json({ detail: 'Not Found' }))).toBe('Not Found');
	});

	test('the same text under two keys is said once', () => {
		expect(providerErrorText(json({ error: 'Quota exceeded', message: 'Quota exceeded' }))).toBe(
			'Quota exceeded',
		);
	});

	test('a nested error object keeps its message readable', () => {
		const text = providerErrorText(
			json({ error: { code: 'invalid_input', message: 'width must be at most 2048' } }),
		);
		expect(text).toContain('width must be at most 2048');
		expect(text).toContain('invalid_input');
	});

	test('a validation list under detail keeps each message readable', () => {
		const text = providerErrorText(
			json({ detail: [{ loc: ['body', 'width'], msg: 'field required', type: 'missing' }] }),
		);
		expect(text).toContain('field required');
		expect(text).toContain('width');
	});

	test('an empty or false field is skipped', () => {
		expect(providerErrorText(json({ error: '', message: null, details: false, detail: 'x' }))).toBe(
			'x',
		);
	});

	test('a JSON string body is unquoted', () => {
		expect(providerErrorText(json('Model is warming up'))).toBe('Model is warming up');
	});

	test('JSON without any known key falls back to the raw text', () => {
		expect(providerErrorText('{"status":"FAILED","id":"abc"}')).toBe(
			'{"status":"FAILED","id":"abc"}',
		);
	});

	test('a JSON number or array falls back to the raw text', () => {
		expect(providerErrorText('503')).toBe('503');
		expect(providerErrorText('["a","b"]')).toBe('["a","b"]');
	});

	test('plain text is trimmed and its whitespace folded', () => {
		expect(providerErrorText('  Internal   Server\r\n\tError \n')).toBe('Internal Server Error');
	});

	test('a string body is read like a buffer body', () => {
		expect(providerErrorText('{"error":"nope"}')).toBe('nope');
	});

	test('UTF-8 text in a buffer is decoded', () => {
		expect(providerErrorText(Buffer.from('Ungültiger Schlüssel — 🔑', 'utf8'))).toBe(
			'Ungültiger Schlüssel — 🔑',
		);
	});

	test('an HTML error page: scripts and styles dropped, tags removed, whitespace folded', () => {
		const page = `<!DOCTYPE html>
<html>
<head>
	<title>502 Bad Gateway</title>
	<style type="text/css">body { color: red; } h1 > b { font-weight: bold; }</style>
	<script>window.secret = "<b>do not show</b>"; if (a < b && c > d) {}</script>
</head>
<body>
	<h1>502   Bad
		Gateway</h1>
	<p>The upstream <b>server</b> did not answer.</p>
	<!-- request id 42 -->
</body>
</html>`;
		expect(providerErrorText(page)).toBe(
			'502 Bad Gateway 502 Bad Gateway The upstream server did not answer.',
		);
	});

	test('upper-case SCRIPT and STYLE tags with attributes are dropped too', () => {
		const page =
			'<HTML><STYLE media="all">p{}</STYLE><SCRIPT type="text/javascript">alert(1)</SCRIPT>' +
			'<P>Service Unavailable</P></HTML>';
		expect(providerErrorText(page)).toBe('Service Unavailable');
	});

	test('a text of exactly 500 characters is kept whole', () => {
		const text = 'x'.repeat(500);
		expect(providerErrorText(text)).toBe(text);
	});

	test('a longer plain text is cut to 500 characters with an ellipsis', () => {
		const result = providerErrorText('y'.repeat(501));
		expect(result).toBe(`${'y'.repeat(500)}…`);
	});

	test('a long JSON error is cut to 500 characters with an ellipsis', () => {
		const result = providerErrorText(json({ error: 'e'.repeat(2000) }));
		expect(result).toBe(`${'e'.repeat(500)}…`);
	});

	test('a long HTML page is cut after its tags are removed', () => {
		const result = providerErrorText(`<html><body><p>${'z'.repeat(800)}</p></body></html>`);
		expect(result).toBe(`${'z'.repeat(500)}…`);
	});
});

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

	// Bug: V8's lenient Date parser reads a number among words as a year ("window 60" -> 1960).
	test.failing('a reset time of words with a number in them is not read as a date', () => {
		expect(rateLimitResetAt({ [RESET]: 'window 60' })).toBeUndefined();
	});

	// Bug: a reset time without a zone is parsed as local time; the header (…-utc) means UTC.
	test.failing('a reset time without a zone, "2026-01-01 12:00:00", is read as UTC', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01 12:00:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});

	// Bug: same as above, in the ISO form with T, which JavaScript also reads as local time.
	test.failing('a reset time without a zone, "2026-01-01T12:00:00", is read as UTC', () => {
		expect(rateLimitResetAt({ [RESET]: '2026-01-01T12:00:00' })?.toISOString()).toBe(
			'2026-01-01T12:00:00.000Z',
		);
	});
});
