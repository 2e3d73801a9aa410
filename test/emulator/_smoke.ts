import { writeFileSync } from 'node:fs';
import { request } from 'undici';
import { startEmulator, TEST_KEYS } from '.';

(async () => {
	const emu = await startEmulator();
	const t0 = Date.now();
	const submit = await request(`${emu.segmindUrl}/v2/smart-banner-resizer`, {
		method: 'POST',
		headers: { 'x-api-key': TEST_KEYS.segmind.valid, 'content-type': 'application/json' },
		body: JSON.stringify({ image_url: `${emu.mediaUrl}/samples/product.png`, target_sizes: ['1080x1080', '1080x1920', '1200x628'], num_images_per_size: 4 }),
	});
	console.log(submit.statusCode, submit.headers, await submit.body.json());
	const jobs = await emu.control.jobs();
	const id = jobs[0].id;
	for (;;) {
		const r = await request(`${emu.segmindUrl}/v2/requests/${id}`, { headers: { 'x-api-key': TEST_KEYS.segmind.valid } });
		const b = (await r.body.json()) as { status: string; output: string[] };
		if (r.statusCode !== 202) { console.log(Date.now() - t0, r.statusCode, JSON.stringify(b).slice(0, 300)); 
			for (const u of b.output) { const m = await request(u); writeFileSync('/tmp/emu/' + u.split('/').pop()!.replace(/^[^_]+_/, ''), Buffer.from(await m.body.arrayBuffer())); }
			break; }
		await new Promise((res) => setTimeout(res, 20));
	}
	for (const [model, body] of [
		['ideogram-reframe', { image_file: `${emu.mediaUrl}/samples/product.png`, resolution: 'RESOLUTION_768_1344' }],
		['segmind-relighting', { image: `${emu.mediaUrl}/samples/product.png`, light_direction: 'left', light_type: 'softbox', light_temperature: 'warm', light_intensity: 'strong' }],
		['segmind-relighting', { image: `${emu.mediaUrl}/samples/product.png`, light_direction: 'back', light_type: 'spotlight', light_temperature: 'cool', light_intensity: 'mood' }],
	] as const) {
		const t = Date.now();
		const r = await request(`${emu.segmindUrl}/v1/${model}`, { method: 'POST', headers: { 'x-api-key': TEST_KEYS.segmind.valid, 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const buf = Buffer.from(await r.body.arrayBuffer());
		console.log(model, r.statusCode, r.headers['content-type'], buf.length, Date.now() - t);
		writeFileSync(`/tmp/emu/${model}-${'light_direction' in body ? body.light_direction : 'x'}.png`, buf);
	}
	console.log((await emu.control.requests()).slice(0, 2));
	await emu.close();
})();
