/**
 * Generates examples/assets/product.png, the bundled sample "product photo" (1200x800): a sneaker on
 * a soft studio gradient, placed off-centre so subject-aware crops have something to find, with a
 * small "SUMMER SALE" tag. Run once: `npx tsx scripts/make-sample-image.ts`; the PNG is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import sharp from 'sharp';

const WIDTH = 1200;
const HEIGHT = 800;
const OUTPUT = resolve(__dirname, '..', 'examples', 'assets', 'product.png');

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <defs>
    <linearGradient id="backdrop" x1="0" y1="0" x2="0.35" y2="1">
      <stop offset="0" stop-color="#fde8d7"/>
      <stop offset="0.55" stop-color="#f7d9e3"/>
      <stop offset="1" stop-color="#dfe4f5"/>
    </linearGradient>
    <radialGradient id="spot" cx="0.68" cy="0.45" r="0.5">
      <stop offset="0" stop-color="#ffffff" stop-opacity="0.75"/>
      <stop offset="1" stop-color="#ffffff" stop-opacity="0"/>
    </radialGradient>
    <radialGradient id="shadow" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#3b2a3f" stop-opacity="0.45"/>
      <stop offset="1" stop-color="#3b2a3f" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="upper" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#ff6b4a"/>
      <stop offset="1" stop-color="#d7263d"/>
    </linearGradient>
    <linearGradient id="sole" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ffffff"/>
      <stop offset="1" stop-color="#d9d9e3"/>
    </linearGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#backdrop)"/>
  <rect width="100%" height="100%" fill="url(#spot)"/>
  <!-- podium -->
  <ellipse cx="810" cy="640" rx="330" ry="60" fill="#efe3ec"/>
  <ellipse cx="810" cy="600" rx="330" ry="60" fill="#fbf4f8"/>
  <ellipse cx="810" cy="585" rx="260" ry="34" fill="url(#shadow)"/>
  <!-- sneaker, side view: heel on the left, toe on the right -->
  <g transform="translate(575 300) rotate(-4 280 160)">
    <path d="M30 250 C 20 200, 25 140, 55 110 C 80 95, 120 100, 150 118 C 175 130, 200 120, 215 95 L 235 60
             C 250 42, 282 48, 288 72 C 300 120, 360 150, 430 175 C 490 195, 540 210, 545 240
             C 548 255, 535 262, 520 262 L 40 262 Z" fill="url(#upper)"/>
    <path d="M62 118 C 90 104, 125 110, 150 124 C 170 134, 192 128, 206 110 C 190 140, 150 145, 120 135 C 95 128, 75 126, 62 118 Z" fill="#7a1426"/>
    <path d="M430 178 C 490 196, 538 212, 544 240 C 545 250, 540 256, 530 258 C 500 230, 470 210, 430 178 Z" fill="#fff1ea" opacity="0.85"/>
    <g stroke="#ffffff" stroke-width="7" stroke-linecap="round">
      <path d="M240 92 L 292 104"/><path d="M258 118 L 312 124"/><path d="M280 140 L 336 142"/><path d="M305 160 L 360 158"/>
    </g>
    <path d="M80 225 C 190 238, 330 205, 455 150" stroke="#1f2a44" stroke-width="18" fill="none" stroke-linecap="round"/>
    <path d="M20 255 L 550 248 C 566 250, 566 280, 545 286 L 40 292 C 14 292, 8 264, 20 255 Z" fill="url(#sole)"/>
    <path d="M34 276 L 545 270" stroke="#b9b9c8" stroke-width="4"/>
  </g>
  <!-- tag -->
  <g transform="translate(70 70)">
    <rect width="290" height="64" rx="32" fill="#1f2a44"/>
    <text x="145" y="42" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="26" font-weight="bold" fill="#ffffff" letter-spacing="2">SUMMER SALE</text>
  </g>
  <text x="72" y="200" font-family="DejaVu Sans, Arial, sans-serif" font-size="22" fill="#5b4b63">Runner One · 30% off</text>
</svg>`;

async function main() {
	mkdirSync(join(OUTPUT, '..'), { recursive: true });
	// A palette PNG keeps the committed file small; gentle dithering hides banding in the gradients.
	const png = await sharp(Buffer.from(svg))
		.png({ palette: true, colours: 256, dither: 0.6, compressionLevel: 9, effort: 10 })
		.toBuffer();
	writeFileSync(OUTPUT, png);
	const { width, height } = await sharp(png).metadata();
	console.log(`wrote ${OUTPUT} (${width}x${height}, ${(png.length / 1024).toFixed(1)} KB)`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
