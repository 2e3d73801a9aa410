/** Unit tests for the URL helpers: where a redirect points, and which links may carry the API key. */
import { joinUrl, redirectTarget, sameOriginOr } from '../../nodes/shared/transport/urls';

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
