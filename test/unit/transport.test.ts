/**
 * Unit tests for the pure helpers of the transport: where a redirect points, which links may carry
 * the API key, how a network failure is named, and what the billing headers say.
 */
import {
	billingFromHeaders,
	joinUrl,
	networkErrorCode,
	redirectTarget,
	sameOriginOr,
} from '../../nodes/shared/transport';

const API = 'https://api.example.com/v1/jobs/123';

describe('redirectTarget', () => {
	test.each([
		['an absolute path', '/v2/jobs/123', 'https://api.example.com/v2/jobs/123'],
		['a relative path', 'result', 'https://api.example.com/v1/jobs/result'],
		['a parent path with a query', '../status?id=9', 'https://api.example.com/v1/status?id=9'],
		['a query only', '?page=2', 'https://api.example.com/v1/jobs/123?page=2'],
		['an absolute https URL', 'https://other.example.org/x', 'https://other.example.org/x'],
		['an absolute http URL', 'http://api.example.com/x', 'http://api.example.com/x'],
		['a protocol-relative URL', '//cdn.example.net/x.png', 'https://cdn.example.net/x.png'],
		['an upper-case scheme and host', 'HTTPS://API.Example.COM/a', 'https://api.example.com/a'],
		['a path with a space', '/a b', 'https://api.example.com/a%20b'],
	])('%s', (_name, location, expected) => {
		expect(redirectTarget(API, location)).toBe(expected);
	});

	test('a protocol-relative URL keeps the scheme of the page that redirected', () => {
		expect(redirectTarget('http://api.example.com/a', '//cdn.example.net/x')).toBe(
			'http://cdn.example.net/x',
		);
	});

	test.each([
		['missing', undefined],
		['empty', ''],
		['ftp', 'ftp://files.example.com/x'],
		['file', 'file:///etc/passwd'],
		['javascript', 'javascript:alert(1)'],
		['data', 'data:text/plain,hello'],
		['mailto', 'mailto:someone@example.com'],
		['an unclosed IPv6 host', 'http://[::1/x'],
		['a host with a space', 'https://exa mple.com/'],
		['a port out of range', 'https://api.example.com:99999/'],
	])('a location that is %s gives undefined', (_name, location) => {
		expect(redirectTarget(API, location)).toBeUndefined();
	});

	test('a relative location against an unreadable base gives undefined', () => {
		expect(redirectTarget('not a url', '/x')).toBeUndefined();
	});
});

describe('joinUrl', () => {
	test.each([
		['https://api.example.com', 'v1/jobs', 'https://api.example.com/v1/jobs'],
		['https://api.example.com/', 'v1/jobs', 'https://api.example.com/v1/jobs'],
		['https://api.example.com', '/v1/jobs', 'https://api.example.com/v1/jobs'],
		['https://api.example.com/', '/v1/jobs', 'https://api.example.com/v1/jobs'],
		['https://api.example.com///', '///v1/jobs', 'https://api.example.com/v1/jobs'],
		['https://api.example.com/base', 'x', 'https://api.example.com/base/x'],
		['https://api.example.com/base/', 'a//b/', 'https://api.example.com/base/a//b/'],
		['https://api.example.com', '', 'https://api.example.com/'],
	])('joinUrl(%p, %p) -> %p', (base, path, expected) => {
		expect(joinUrl(base, path)).toBe(expected);
	});
});

describe('sameOriginOr', () => {
	const BASE = 'https://api.example.com/v1';
	const FALLBACK = 'https://api.example.com/v1/requests/1';

	test.each([
		['the same origin', 'https://api.example.com/v1/requests/1/status'],
		['an explicit default port', 'https://api.example.com:443/status'],
		['an upper-case host', 'https://API.EXAMPLE.COM/status'],
	])('a candidate on %s is used', (_name, candidate) => {
		expect(sameOriginOr(candidate, BASE, FALLBACK)).toBe(candidate);
	});

	test.each([
		['missing', undefined],
		['empty', ''],
		['on another host', 'https://evil.example.net/status'],
		['on a subdomain', 'https://eu.api.example.com/status'],
		['over plain http', 'http://api.example.com/status'],
		['on another port', 'https://api.example.com:8443/status'],
		['relative', '/v1/requests/1/status'],
		['unreadable', 'https://[bad'],
		['a userinfo trick', 'https://api.example.com@evil.example.net/status'],
		['a fragment trick', 'https://evil.example.net#@api.example.com'],
	])('a candidate that is %s gives the fallback', (_name, candidate) => {
		expect(sameOriginOr(candidate, BASE, FALLBACK)).toBe(FALLBACK);
	});

	test('an unreadable base URL gives the fallback', () => {
		expect(sameOriginOr('https://api.example.com/x', 'not a url', FALLBACK)).toBe(FALLBACK);
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
			generationSeconds: 3.2,
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
