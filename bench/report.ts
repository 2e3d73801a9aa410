/** The bench's table: one row per figure, with its baseline, the ratio and the target it is held to. */

export interface Row {
	scenario: string;
	/** What was measured and its value, e.g. "node at defaults: 3.62 s". */
	figure: string;
	baseline?: string;
	ratio?: string;
	target?: string;
	/** Undefined for a figure that is reported without a target. */
	met?: boolean;
	/** The raw numbers behind the row, for out/bench.json. */
	values?: Record<string, number | string | boolean | null>;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const times = (ratio: number) => `${ratio.toFixed(2)}x`;

const COLUMNS: Array<[string, (row: Row) => string]> = [
	['scenario', (row) => row.scenario],
	['figure', (row) => row.figure],
	['baseline', (row) => row.baseline ?? ''],
	['ratio', (row) => row.ratio ?? ''],
	['target', (row) => row.target ?? ''],
	['met?', (row) => (row.met === undefined ? '' : row.met ? 'yes' : 'MISSED')],
];

/** A Markdown table, aligned so it reads in a terminal and pastes into the README as is. */
export function table(rows: Row[]): string {
	const cells = [
		COLUMNS.map(([name]) => name),
		...rows.map((row) => COLUMNS.map(([, cell]) => cell(row).replace(/\|/g, '\\|'))),
	];
	const widths = COLUMNS.map((_, column) => Math.max(...cells.map((line) => line[column].length)));
	const line = (values: string[]) =>
		`| ${values.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
	return [
		line(cells[0]),
		line(widths.map((width) => '-'.repeat(width))),
		...cells.slice(1).map(line),
	].join('\n');
}

/** One line per missed target, with the measured figure. */
export function missed(rows: Row[]): string[] {
	return rows
		.filter((row) => row.met === false)
		.map(
			(row) =>
				`${row.scenario}: ${row.figure}${row.baseline ? ` against ${row.baseline}` : ''}${row.ratio ? ` (${row.ratio})` : ''}, target ${row.target}`,
		);
}
