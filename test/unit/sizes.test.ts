/** Unit tests for reading sizes and shapes as people type them. */
import {
	nearestResolution,
	parseAspectRatio,
	RESOLUTIONS,
} from '../../nodes/shared/models/reframe';
import {
	MAX_SIDE,
	MIN_SIDE,
	parseTargetSize,
	splitSizeList,
} from '../../nodes/shared/models/smartResize';

describe('parseTargetSize', () => {
	test.each([
		['1080x1080', { width: 1080, height: 1080 }],
		['1080X1920', { width: 1080, height: 1920 }],
		['1200×628', { width: 1200, height: 628 }],
		['300*250', { width: 300, height: 250 }],
		['  728 x 90  ', { width: 728, height: 90 }],
		[`${MIN_SIDE}x${MAX_SIDE}`, { width: MIN_SIDE, height: MAX_SIDE }],
	])('reads %j', (text, size) => {
		expect(parseTargetSize(text)).toEqual(size);
	});

	test.each([
		'',
		' ',
		'square',
		'1080',
		'1080x',
		'x1080',
		'1080 by 1080',
		'0x0',
		'-100x100',
		'100x-100',
		'10.5x100',
		`${MIN_SIDE - 1}x100`,
		`100x${MAX_SIDE + 1}`,
		'99999x99999',
		'123456x100',
		'１０８０x１０８０',
		'1080x1080x3',
		'1080xx1080',
	])('refuses %j', (text) => {
		expect(parseTargetSize(text)).toBeUndefined();
	});
});

describe('splitSizeList', () => {
	test.each([
		['1080x1080, 1200x628', ['1080x1080', '1200x628']],
		['1080x1080;1200x628', ['1080x1080', '1200x628']],
		['1080x1080\n1200x628\n', ['1080x1080', '1200x628']],
		[' , ,1080x1080,, ', ['1080x1080']],
		['', []],
	])('splits %j', (text, entries) => {
		expect(splitSizeList(text)).toEqual(entries);
	});

	test('keeps an array from an expression as it is, and wraps any other value', () => {
		expect(splitSizeList(['1x1', 2])).toEqual(['1x1', 2]);
		expect(splitSizeList(1080)).toEqual([1080]);
		expect(splitSizeList(null)).toEqual([null]);
	});
});

describe('parseAspectRatio', () => {
	test.each([
		['16:9', 16 / 9],
		['1.91:1', 1.91],
		['9/16', 9 / 16],
		[' 4 x 5 ', 4 / 5],
		['1:4', 0.25],
		['4:1', 4],
	])('reads %j', (text, ratio) => {
		expect(parseAspectRatio(text)).toBeCloseTo(ratio, 10);
	});

	test.each(['', '16', '16:', ':9', '0:1', '1:0', '-16:9', '5:1', '1:5', 'wide', '16:9:1'])(
		'refuses %j',
		(text) => {
			expect(parseAspectRatio(text)).toBeUndefined();
		},
	);
});

describe('nearestResolution', () => {
	test('an exact supported shape maps to that resolution', () => {
		for (const resolution of RESOLUTIONS) {
			const nearest = nearestResolution(resolution.width / resolution.height);
			expect(nearest.width / nearest.height).toBeCloseTo(resolution.width / resolution.height, 10);
		}
	});

	test('ties go to the larger resolution', () => {
		expect(nearestResolution(1).value).toBe('RESOLUTION_1024_1024');
	});
});
