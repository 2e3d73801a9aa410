/** A small byte-bounded LRU map (Map keeps insertion order; a hit re-inserts the entry). */
export class LruCache<V> {
	private readonly entries = new Map<string, { value: V; size: number }>();
	private total = 0;

	constructor(
		private readonly maxBytes: number,
		private readonly sizeOf: (value: V) => number,
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry.value;
	}

	/** `size` overrides `sizeOf`, e.g. once a cached promise has resolved and its size is known. */
	set(key: string, value: V, size = this.sizeOf(value)): void {
		this.delete(key);
		if (size > this.maxBytes) return;
		this.entries.set(key, { value, size });
		this.total += size;
		for (const [oldKey] of this.entries) {
			if (this.total <= this.maxBytes) break;
			this.delete(oldKey);
		}
	}

	delete(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.total -= entry.size;
	}

	clear(): void {
		this.entries.clear();
		this.total = 0;
	}
}
