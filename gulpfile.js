const path = require('path');
const { task, src, dest, series } = require('gulp');

// tsc emits only JavaScript; icons and codex files must sit beside the built nodes
// because n8n resolves `file:` icons and `<Node>.node.json` relative to the .js file.
function copyAssets() {
	const nodeAssets = path.resolve('nodes', '**', '*.{png,svg,json}');
	const credentialAssets = path.resolve('credentials', '**', '*.{png,svg}');
	return src([nodeAssets, credentialAssets], { base: '.', encoding: false }).pipe(dest('dist'));
}

task('build:icons', series(copyAssets));
