/** Result files and uploaded assets, served by the media origin. Kept in memory only. */
export interface MediaFile {
	name: string;
	bytes: Buffer;
	contentType: string;
	createdAt: number;
	expiresAt: number;
}

export class MediaStore {
	private readonly files = new Map<string, MediaFile>();
	private totalBytes = 0;

	constructor(private readonly maxBytes: () => number) {}

	put(
		name: string,
		bytes: Buffer,
		contentType: string,
		ttlMs: number,
		now = Date.now(),
	): MediaFile {
		this.remove(name);
		const file: MediaFile = { name, bytes, contentType, createdAt: now, expiresAt: now + ttlMs };
		this.files.set(name, file);
		this.totalBytes += bytes.length;
		// Oldest first: Map iteration follows insertion order. Buffers shared with the render cache are
		// counted once per file, which only makes eviction a little early.
		for (const [oldName, old] of this.files) {
			if (this.totalBytes <= this.maxBytes() || old === file) break;
			this.remove(oldName);
		}
		return file;
	}

	/** The file, or undefined when it never existed, was evicted or has expired. */
	get(name: string, now = Date.now()): MediaFile | undefined {
		const file = this.files.get(name);
		if (!file) return undefined;
		if (now >= file.expiresAt) {
			this.remove(name);
			return undefined;
		}
		return file;
	}

	expireAt(name: string, time: number): void {
		const file = this.files.get(name);
		if (file) file.expiresAt = Math.min(file.expiresAt, time);
	}

	clear(): void {
		this.files.clear();
		this.totalBytes = 0;
	}

	private remove(name: string): void {
		const file = this.files.get(name);
		if (!file) return;
		this.files.delete(name);
		this.totalBytes -= file.bytes.length;
	}
}
