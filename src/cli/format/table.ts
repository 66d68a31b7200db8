/**
 * Plain-text output helpers shared by the CLI commands: a column-aligned table and a compact
 * number format. Pure string functions (the commands do the writing).
 */

/** How one column is aligned: numbers right, words left. */
export type Alignment = 'left' | 'right';

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Per-column alignment; default: right for every column. */
  readonly align?: readonly Alignment[];
  /** Spaces between columns (default 2). */
  readonly gap?: number;
  /** A prefix for every line (default ''). */
  readonly indent?: string;
}

/**
 * Formats rows of cells as a column-aligned table with a header line and a rule of dashes under it.
 * Every row must have as many cells as there are headers.
 *
 * @example
 * ```ts
 * formatTable(['k', 'n_k'], [['1', '10'], ['2', '40']]);
 * // "k  n_k\n-  ---\n1   10\n2   40"
 * ```
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const { align = [], gap = 2, indent = '' } = options;
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new RangeError(`formatTable: row ${i} has ${row.length} cells, expected ${headers.length}`);
    }
  });
  const widths = headers.map((h, j) => Math.max(width(h), ...rows.map((r) => width(r[j]))));
  const line = (cells: readonly string[]) =>
    indent + cells.map((c, j) => pad(c, widths[j], align[j] ?? 'right')).join(' '.repeat(gap)).trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Display width: code points, so that ‖h̄‖ (with combining marks counted) stays roughly aligned. */
function width(s: string): number {
  return [...s.normalize('NFC')].filter((ch) => !/\p{Mn}/u.test(ch)).length;
}

function pad(s: string, w: number, a: Alignment): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return a === 'left' ? s + fill : fill + s;
}

/**
 * A number for human reading: integers as they are, others to `digits` significant digits without
 * trailing zeros, exponent notation outside [1e-4, 1e6); non-finite values as `inf`, `-inf`, `nan`.
 * (JSON output never uses this: it prints doubles in full.)
 *
 * @example
 * ```ts
 * formatNumber(0.333333333333); // "0.333333"
 * formatNumber(2.5e-9);         // "2.5e-9"
 * formatNumber(40);             // "40"
 * ```
 */
export function formatNumber(x: number, digits = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  const fixed = x.toPrecision(digits);
  if (a >= 1e-4 && a < 1e6 && !fixed.includes('e')) return trimZeros(fixed);
  const [mant, exp] = x.toExponential(digits - 1).split('e');
  return `${trimZeros(mant)}e${Number(exp)}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
