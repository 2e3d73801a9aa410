import sharp from 'sharp';
(async () => {
	const names = process.argv.slice(3);
	const tiles = await Promise.all(names.map((n) => sharp(`/tmp/emu/${n}`).resize(300, 300, { fit: 'contain', background: '#333' }).png().toBuffer()));
	const cols = 4;
	const rows = Math.ceil(tiles.length / cols);
	await sharp({ create: { width: cols * 300, height: rows * 300, channels: 3, background: '#222' } })
		.composite(tiles.map((input, i) => ({ input, left: (i % cols) * 300, top: Math.floor(i / cols) * 300 })))
		.png()
		.toFile(process.argv[2]);
})();
