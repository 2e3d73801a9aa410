export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

/**
 * A provider may answer with its own status and result links. They are used only when they point
 * at the same origin as the configured Base URL, since the API key is sent with them.
 */
export function sameOriginOr(
	candidate: string | undefined,
	baseUrl: string,
	fallback: string,
): string {
	return candidate && sameOrigin(candidate, baseUrl) ? candidate : fallback;
}

/** Where a redirect points, resolved against the URL that answered it; undefined when unreadable. */
export function redirectTarget(from: string, location: string | undefined): string | undefined {
	if (!location) return undefined;
	try {
		const target = new URL(location, from);
		return target.protocol === 'http:' || target.protocol === 'https:'
			? target.toString()
			: undefined;
	} catch {
		return undefined;
	}
}

/** The host of a URL for messages; never the path, which may carry a token. */
export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'invalid URL';
	}
}
