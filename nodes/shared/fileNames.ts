/**
 * Output file names that describe the file, through a whole chain of nodes. Each node rewrites the
 * parts an earlier node of this package wrote (the size, the variant, what was done) instead of
 * appending to them, so Resize → Reframe → Relight gives `product_1280x720_1_reframed_relit.png`,
 * whose size part is the real size of that file, not `product_1080x1080_1_reframed_1280x720_relit`.
 */

/** What was done to the picture; a name lists them in the order they were done. */
const MARKS = ['reframed', 'relit'] as const;
export type Mark = (typeof MARKS)[number];

export interface NameParts {
	/** The name before any part this package writes: the input's own name, or a chosen prefix. */
	stem: string;
	size?: { width: number; height: number };
	/** 1-4: which variant of its size (Smart Resize). */
	variant?: number;
	marks: Mark[];
}

const MARK_SUFFIX = new RegExp(`_(${MARKS.join('|')})$`);
const SIZE_SUFFIX = /_(\d{1,5})x(\d{1,5})(?:_([1-9]))?$/;

/** Splits a base name (no extension) into the parts this package writes and the stem before them. */
export function parseName(baseName: string): NameParts {
	let stem = baseName;
	const marks: Mark[] = [];
	let size: NameParts['size'];
	let variant: number | undefined;
	for (;;) {
		const mark = MARK_SUFFIX.exec(stem);
		if (mark) {
			// Read from the end: each mark found goes before those found already.
			if (!marks.includes(mark[1] as Mark)) marks.unshift(mark[1] as Mark);
			stem = stem.slice(0, mark.index);
			continue;
		}
		const sized = size === undefined ? SIZE_SUFFIX.exec(stem) : null;
		if (sized && sized.index > 0) {
			size = { width: Number(sized[1]), height: Number(sized[2]) };
			variant = sized[3] === undefined ? undefined : Number(sized[3]);
			stem = stem.slice(0, sized.index);
			continue;
		}
		break;
	}
	return { stem, size, variant, marks };
}

export interface Rename {
	/** The real size of this file; written when the node sets the size or the name had one. */
	size?: { width?: number; height?: number };
	/** Whether this node chose the size (Resize, Reframe), so that the name must show it. */
	sizeChanged: boolean;
	variant?: number;
	mark?: Mark;
	/** Replaces the stem: the user's File Name Prefix. */
	prefix?: string;
	extension: string;
}

/** The file name for an output made from an input named `baseName`. */
export function outputFileName(baseName: string, rename: Rename): string {
	const parts = parseName(baseName);
	const known =
		rename.size?.width && rename.size?.height
			? { width: rename.size.width, height: rename.size.height }
			: undefined;
	const size = rename.sizeChanged ? known : parts.size && (known ?? parts.size);
	const variant = rename.variant ?? parts.variant;
	// What was done, in the order it was done: this node's step goes last, once.
	const marks =
		rename.mark && !parts.marks.includes(rename.mark) ? [...parts.marks, rename.mark] : parts.marks;
	const stem = rename.prefix?.trim() ? safeStem(rename.prefix) : parts.stem;
	return [
		stem,
		size ? `_${size.width}x${size.height}` : '',
		size && variant ? `_${variant}` : '',
		...marks.map((mark) => `_${mark}`),
		`.${rename.extension}`,
	].join('');
}

/** A user's prefix as a file-name stem: no path separators or characters storage nodes refuse. */
export function safeStem(text: string): string {
	return (
		text
			.trim()
			.replace(/[^\w.-]+/g, '-')
			.replace(/^[-.]+|-+$/g, '')
			.slice(0, 80) || 'image'
	);
}
