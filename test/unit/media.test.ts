/**
 * Unit tests for reading result links out of provider answers. The shape of `output` is not
 * documented for multi-image models, and Pixazo documents two contradictory shapes, so every shape
 * seen or documented is fed in here.
 */
import { decodeDataUrl, extractMediaRefs } from '../../nodes/shared/media';

const PNG_BYTES = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000185d3a5b50000000049454e44ae426082',
	'hex',
);
const PNG_BASE64 = PNG_BYTES.toString('base64');
const PNG_DATA_URI = `data:image/png;base64,${PNG_BASE64}`;

const A = 'https://cdn.example.com/results/a.png';
const B = 'https://cdn.example.com/results/b.jpg';
const C = 'http://media.example.net/c.webp';

describe('extractMediaRefs: strings', () => {
	test('an https URL', () => {
		expect(extractMediaRefs(A)).toEqual([{ url: A }]);
	});

	test('an http URL, with surrounding whitespace trimmed', () => {
		expect(extractMediaRefs(`  ${C}\n`)).toEqual([{ url: C }]);
	});

	test('the scheme is matched case-insensitively', () => {
		expect(extractMediaRefs('HTTPS://CDN.example.com/X.PNG')).toEqual([
			{ url: 'HTTPS://CDN.example.com/X.PNG' },
		]);
	});

	test('a data: URI is kept as a URL, to be decoded when fetched', () => {
		expect(extractMediaRefs(PNG_DATA_URI)).toEqual([{ url: PNG_DATA_URI }]);
	});

	test('raw base64 without a prefix (at least 64 characters) becomes bytes', () => {
		expect(PNG_BASE64.length).toBeGreaterThanOrEqual(64);
		const refs = extractMediaRefs(PNG_BASE64);
		expect(refs).toHaveLength(1);
		expect(refs[0]).toEqual({ data: PNG_BYTES });
	});

	test('raw base64 wrapped over several lines (MIME style) becomes the same bytes', () => {
		const wrapped = PNG_BASE64.replace(/(.{40})/g, '$1\r\n');
		expect(extractMediaRefs(wrapped)).toEqual([{ data: PNG_BYTES }]);
	});

	test('base64 shorter than 64 characters is not taken for an image', () => {
		expect(extractMediaRefs('QUJD'.repeat(15))).toEqual([]);
	});

	test.each([
		['an empty string', ''],
		['whitespace', '   \n\t'],
		['a word', 'succeeded'],
		['a job id', 'req_01HZX4Q9M2'],
		['a relative path', '/results/a.png'],
		['a host without a scheme', 'cdn.example.com/a.png'],
		['an ftp URL', 'ftp://cdn.example.com/a.png'],
		['a file URL', 'file:///etc/passwd'],
		['a javascript URL', 'javascript:alert(1)'],
		['a short sentence', 'Image generation failed, please retry.'],
	])('%s gives no result', (_name, value) => {
		expect(extractMediaRefs(value)).toEqual([]);
	});

	// 64+ characters of plain words must not be mistaken for base64.
	test('a long message of plain words is not decoded as base64 image bytes', () => {
		const message =
			'Your image is being processed and will be available shortly so please check back later';
		expect(extractMediaRefs(message)).toEqual([]);
	});
});

describe('extractMediaRefs: values that are not results', () => {
	test.each([
		['null', null],
		['undefined', undefined],
		['a number', 42],
		['zero', 0],
		['NaN', Number.NaN],
		['true', true],
		['false', false],
		['an empty object', {}],
		['an empty array', []],
		['an object without any known key', { status: 'COMPLETED', id: 'abc' }],
		['known keys holding nothing usable', { url: '', images: [], output: null, data: 7 }],
		['an array of junk', [null, undefined, 1, '', 'nope', {}, []]],
	])('%s -> []', (_name, value) => {
		expect(extractMediaRefs(value)).toEqual([]);
	});
});

describe('extractMediaRefs: arrays and objects', () => {
	test('an array of URL strings keeps their order', () => {
		expect(extractMediaRefs([A, B, C])).toEqual([{ url: A }, { url: B }, { url: C }]);
	});

	test('an array mixing URLs, a data: URI, base64 and junk keeps only the usable ones', () => {
		expect(extractMediaRefs([A, null, PNG_DATA_URI, '', PNG_BASE64, 3, 'nope'])).toEqual([
			{ url: A },
			{ url: PNG_DATA_URI },
			{ data: PNG_BYTES },
		]);
	});

	test('nested arrays are flattened in order', () => {
		expect(extractMediaRefs([[A], [[B]], [[], [[C]]]])).toEqual([
			{ url: A },
			{ url: B },
			{ url: C },
		]);
	});

	test.each([
		['url', { url: A }],
		['media_url', { media_url: A }],
		['image_url', { image_url: A }],
		['image', { image: A }],
		['images', { images: [A] }],
		['urls', { urls: [A] }],
		['file_urls', { file_urls: [A] }],
		['output', { output: A }],
		['data', { data: A }],
	])('an object with "%s"', (_key, value) => {
		expect(extractMediaRefs(value)).toEqual([{ url: A }]);
	});

	test('{ data: base64 } becomes bytes', () => {
		expect(extractMediaRefs({ data: PNG_BASE64 })).toEqual([{ data: PNG_BYTES }]);
	});

	test('{ images: [base64, base64] } becomes two sets of bytes', () => {
		expect(extractMediaRefs({ images: [PNG_BASE64, PNG_BASE64] })).toEqual([
			{ data: PNG_BYTES },
			{ data: PNG_BYTES },
		]);
	});

	test('an array of objects each with a url', () => {
		expect(extractMediaRefs([{ url: A }, { url: B }])).toEqual([{ url: A }, { url: B }]);
	});

	test('a key with nothing usable falls through to the next known key', () => {
		expect(extractMediaRefs({ url: '', image_url: null, images: [], urls: [B] })).toEqual([
			{ url: B },
		]);
	});

	test('the first key with results wins; later keys are not merged in', () => {
		expect(extractMediaRefs({ url: A, images: [B, C] })).toEqual([{ url: A }]);
	});

	test('deeply nested output objects are followed', () => {
		expect(extractMediaRefs({ output: { data: { output: { images: [{ url: A }] } } } })).toEqual([
			{ url: A },
		]);
	});
});

describe('extractMediaRefs: provider shapes', () => {
	test("Pixazo's documented { output: { media_url: [...], media_type } }", () => {
		const answer = { output: { media_url: [A, B], media_type: 'image' } };
		expect(extractMediaRefs(answer)).toEqual([{ url: A }, { url: B }]);
	});

	test("Pixazo's { output: { media_url: 'single' } }", () => {
		expect(extractMediaRefs({ output: { media_url: A, media_type: 'image' } })).toEqual([
			{ url: A },
		]);
	});

	test("Pixazo's other documented shape { images: [{ file_name, content_type, url }] }", () => {
		const answer = {
			images: [
				{ file_name: 'a.png', content_type: 'image/png', url: A },
				{ file_name: 'b.jpg', content_type: 'image/jpeg', url: B },
			],
		};
		expect(extractMediaRefs(answer)).toEqual([{ url: A }, { url: B }]);
	});

	test('the same images shape under output', () => {
		const answer = {
			status: 'COMPLETED',
			output: { images: [{ file_name: 'a.png', content_type: 'image/png', url: A }] },
		};
		expect(extractMediaRefs(answer)).toEqual([{ url: A }]);
	});

	test('Segmind-style { status, output: [url, url] }', () => {
		expect(extractMediaRefs({ status: 'COMPLETED', output: [A, B] })).toEqual([
			{ url: A },
			{ url: B },
		]);
	});

	test('a synchronous JSON answer { image: base64 }', () => {
		expect(extractMediaRefs({ image: PNG_BASE64 })).toEqual([{ data: PNG_BYTES }]);
	});

	test('{ output: [{ url }, { media_url }] } mixes per entry', () => {
		expect(extractMediaRefs({ output: [{ url: A }, { media_url: B }] })).toEqual([
			{ url: A },
			{ url: B },
		]);
	});
});

describe('decodeDataUrl', () => {
	test('base64 payload with a MIME type', () => {
		expect(decodeDataUrl(PNG_DATA_URI)).toEqual({ data: PNG_BYTES, mimeType: 'image/png' });
	});

	test('base64 payload without a MIME type', () => {
		expect(decodeDataUrl('data:;base64,SGVsbG8=')).toEqual({
			data: Buffer.from('Hello'),
			mimeType: undefined,
		});
	});

	test('percent-encoded payload', () => {
		expect(decodeDataUrl('data:text/plain,Hello%2C%20World%21')).toEqual({
			data: Buffer.from('Hello, World!'),
			mimeType: 'text/plain',
		});
	});

	test('percent-encoded UTF-8 payload without any MIME type', () => {
		expect(decodeDataUrl('data:,caf%C3%A9')).toEqual({
			data: Buffer.from('café', 'utf8'),
			mimeType: undefined,
		});
	});

	test('parameters such as ;charset=utf-8 are dropped from the MIME type', () => {
		expect(decodeDataUrl('data:text/plain;charset=utf-8,hi')).toEqual({
			data: Buffer.from('hi'),
			mimeType: 'text/plain',
		});
	});

	test('parameters before ;base64 do not stop base64 decoding', () => {
		expect(
			decodeDataUrl(`data:image/png;name=result.png;charset=binary;base64,${PNG_BASE64}`),
		).toEqual({ data: PNG_BYTES, mimeType: 'image/png' });
	});

	test('a base64 payload with line breaks decodes to the same bytes', () => {
		const wrapped = PNG_BASE64.replace(/(.{40})/g, '$1\n');
		expect(decodeDataUrl(`data:image/png;base64,${wrapped}`)?.data).toEqual(PNG_BYTES);
	});

	test('a comma inside the payload belongs to the payload', () => {
		expect(decodeDataUrl('data:text/csv,a,b,c')?.data.toString()).toBe('a,b,c');
	});

	test('an empty payload decodes to no bytes', () => {
		expect(decodeDataUrl('data:image/png;base64,')).toEqual({
			data: Buffer.alloc(0),
			mimeType: 'image/png',
		});
	});

	test.each([
		['an empty string', ''],
		['"data:" alone', 'data:'],
		['no comma', `data:image/png;base64${PNG_BASE64}`],
		['an http URL', A],
		['a leading space', ` ${PNG_DATA_URI}`],
		['raw base64', PNG_BASE64],
	])('%s is not a data URI', (_name, value) => {
		expect(decodeDataUrl(value)).toBeUndefined();
	});

	// decodeURIComponent throws URIError on a broken escape.
	test('a malformed percent-escape gives undefined instead of throwing', () => {
		expect(decodeDataUrl('data:text/plain,100%25%E0%A4%A')).toBeUndefined();
	});

	// The scheme and ";base64" are case-insensitive (RFC 2397, WHATWG fetch).
	test('the scheme and the ;base64 token are read case-insensitively', () => {
		expect(decodeDataUrl(`DATA:image/png;base64,${PNG_BASE64}`)).toEqual({
			data: PNG_BYTES,
			mimeType: 'image/png',
		});
		expect(decodeDataUrl(`data:image/png;BASE64,${PNG_BASE64}`)).toEqual({
			data: PNG_BYTES,
			mimeType: 'image/png',
		});
	});
});
