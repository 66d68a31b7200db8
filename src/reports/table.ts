/**
 * A plain-text table: a header row, a rule, then the rows, each column padded to its widest cell.
 * Numbers are right-aligned, other cells left-aligned.
 *
 * @example
 * ```ts
 * textTable(['k', 'n_k'], [['0', '10'], ['1', '40']]);
 * // "k  n_k\n-  ---\n0   10\n1   40"
 * ```
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+(e[-+]?\d+)?%?$|^—$/.test(r[j] ?? '')));
  const line = (r: readonly string[]): string =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
