/** Unit tests for reading providers' error bodies and naming network failures. */
import { networkErrorCode, providerErrorText } from '../../nodes/shared/errors';

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

describe('networkErrorCode', () => {
	test.each([
		'ECONNREFUSED',
		'ECONNRESET',
		'ETIMEDOUT',
		'ECONNABORTED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'EPIPE',
	])('a code property %s', (code) => {
		expect(networkErrorCode(Object.assign(new Error('failed'), { code }))).toBe(code);
	});

	test('a code on a plain object', () => {
		expect(networkErrorCode({ code: 'ECONNREFUSED' })).toBe('ECONNREFUSED');
	});

	test('a code one level down in cause (as fetch reports it)', () => {
		const error = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
		expect(networkErrorCode(error)).toBe('ECONNREFUSED');
	});

	test('a code several levels down in cause', () => {
		const root = Object.assign(new Error('read failed'), { code: 'ECONNRESET' });
		const error = new Error('request failed', {
			cause: new Error('stream failed', { cause: new Error('socket failed', { cause: root }) }),
		});
		expect(networkErrorCode(error)).toBe('ECONNRESET');
	});

	test('the outermost code wins over one in cause', () => {
		const error = Object.assign(new Error('x', { cause: { code: 'ECONNRESET' } }), {
			code: 'ETIMEDOUT',
		});
		expect(networkErrorCode(error)).toBe('ETIMEDOUT');
	});

	test.each([
		['connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED'],
		['read ECONNRESET', 'ECONNRESET'],
		['getaddrinfo ENOTFOUND api.example.com', 'ENOTFOUND'],
		['getaddrinfo EAI_AGAIN api.example.com', 'EAI_AGAIN'],
		['write EPIPE', 'EPIPE'],
		['connect ETIMEDOUT 10.0.0.1:443', 'ETIMEDOUT'],
		['socket hang up', 'ECONNRESET'],
		['Socket Hang Up', 'ECONNRESET'],
		['timeout of 100ms exceeded', 'ETIMEDOUT'],
		['timeout of 60000ms exceeded', 'ETIMEDOUT'],
		['The operation timed out', 'ETIMEDOUT'],
	])('the message %p -> %s', (message, code) => {
		expect(networkErrorCode(new Error(message))).toBe(code);
	});

	test('a message deep in the cause chain', () => {
		const error = new Error('Request failed', { cause: new Error('socket hang up') });
		expect(networkErrorCode(error)).toBe('ECONNRESET');
	});

	test('a code that is not an E-code is skipped and the message is read', () => {
		const error = Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 42 });
		expect(networkErrorCode(error)).toBe('ECONNREFUSED');
		const lower = Object.assign(new Error('read ECONNRESET'), { code: 'econnreset' });
		expect(networkErrorCode(lower)).toBe('ECONNRESET');
	});

	test('a code name inside a longer word does not count', () => {
		expect(networkErrorCode(new Error('XECONNRESETX happened'))).toBeUndefined();
	});

	test.each([
		['undefined', undefined],
		['null', null],
		['a number', 42],
		['an empty object', {}],
		['an error without a known cause', new Error('Bad request')],
	])('%s gives undefined', (_name, error) => {
		expect(networkErrorCode(error)).toBeUndefined();
	});

	test('an error that is its own cause does not hang', () => {
		const error = new Error('loop') as Error & { cause?: unknown };
		error.cause = error;
		expect(networkErrorCode(error)).toBeUndefined();
	});

	test('a cycle of causes without a code does not hang', () => {
		const a: { message: string; cause?: unknown } = { message: 'a' };
		const b = { message: 'b', cause: { message: 'c', cause: a } };
		a.cause = b;
		expect(networkErrorCode(a)).toBeUndefined();
	});

	test('a cause chain that loops back still yields a code found along the way', () => {
		const a: { message: string; cause?: unknown } = { message: 'a' };
		const b = { message: 'b', cause: a };
		a.cause = { message: 'socket hang up', cause: b };
		expect(networkErrorCode(a)).toBe('ECONNRESET');
	});
});
