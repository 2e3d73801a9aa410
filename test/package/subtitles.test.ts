/**
 * Canvas subtitles, evaluated as the editor does: each says what the node will do, spelled as the
 * panel spells it.
 */
import { canvasSubtitle } from '../../harness/n8n';

test.each([
	['smartConvert', { operation: 'convert', targetFormat: 'webp' }, 'To WebP'],
	['smartConvert', { operation: 'convert', targetFormat: 'jpg' }, 'To JPEG (.jpg)'],
	['smartConvert', { operation: 'getResult' }, 'Get Result'],
	[
		'smartRelight',
		{ operation: 'relight', lightType: 'softbox', lightDirection: 'left' },
		'Softbox Light from Left',
	],
	['smartRelight', { operation: 'relight' }, 'Ambient Light from Top'],
	['smartReframe', { operation: 'reframe' }, 'To 16:9'],
	[
		'smartReframe',
		{
			operation: 'reframe',
			resolutionMode: 'aspectRatio',
			aspectRatio: 'custom',
			customAspectRatio: '7:5',
		},
		'To 7:5',
	],
	[
		'smartReframe',
		{ operation: 'reframe', resolutionMode: 'resolution', resolution: 'RESOLUTION_1280_720' },
		'To 1280×720',
	],
	['smartResize', { operation: 'resize' }, 'Resize to 3 Sizes'],
	[
		'smartResize',
		{ operation: 'resize', sizePresets: ['iabLeaderboard'], customSizes: '' },
		'Resize to 1 Size',
	],
	[
		'smartResize',
		{ operation: 'resize', sizePresets: [], customSizes: '300x250, 728x90;160x600' },
		'Resize to 3 Sizes',
	],
])('%s %j: "%s"', (node, parameters, subtitle) => {
	expect(canvasSubtitle(node, parameters)).toBe(subtitle);
});
