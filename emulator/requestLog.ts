/**
 * The request log: what each origin received, with every key value redacted. Tests assert on it:
 * "no request was sent", "no key reached the media origin", "the Segmind key never reached Pixazo".
 */
import type { IncomingMessage } from 'node:http';

import type { EmulatorState } from './state';
import type { KeyHeaderName, OriginName, RequestLogEntry } from './types';

export const KEY_HEADERS: readonly KeyHeaderName[] = [
	'x-api-key',
	'ocp-apim-subscription-key',
	'authorization',
];

const redact = (value: string) => `<redacted:${value.length}>`;

export function createLogEntry(
	state: EmulatorState,
	origin: OriginName,
	req: IncomingMessage,
	pathAndQuery: string,
): RequestLogEntry {
	const registered = [...state.keys.values()];
	const presentedKeyIds = new Set<string>();
	const hideKeys = (value: string) => {
		let result = value;
		for (const record of registered) {
			if (result.includes(record.key)) {
				presentedKeyIds.add(record.id);
				result = result.split(record.key).join(redact(record.key));
			}
		}
		return result;
	};

	const headers: Record<string, string> = {};
	const keyHeaders = {
		'x-api-key': false,
		'ocp-apim-subscription-key': false,
		authorization: false,
	} as Record<KeyHeaderName, boolean>;
	let presentedKeyId: string | null = null;
	for (const [name, raw] of Object.entries(req.headers)) {
		if (raw === undefined) continue;
		const value = Array.isArray(raw) ? raw.join(', ') : raw;
		if ((KEY_HEADERS as readonly string[]).includes(name)) {
			keyHeaders[name as KeyHeaderName] = true;
			const presented = value.replace(/^bearer\s+/i, '').trim();
			const record = state.keys.get(presented);
			if (record) presentedKeyIds.add(record.id);
			// The first key header decides; a registered key wins over an unknown value in another header.
			if (presentedKeyId === null || (presentedKeyId === 'unknown' && record))
				presentedKeyId = record?.id ?? 'unknown';
			headers[name] = redact(value);
		} else {
			headers[name] = hideKeys(value);
		}
	}

	return {
		seq: state.nextLogSeq(),
		time: new Date().toISOString(),
		origin,
		method: req.method ?? 'GET',
		path: hideKeys(pathAndQuery),
		headers,
		keyHeaders,
		receivedApiKey: Object.values(keyHeaders).some(Boolean),
		presentedKeyId,
		presentedKeyIds: [...presentedKeyIds],
		status: 0,
	};
}
