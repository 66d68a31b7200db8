import type { EpochRecord } from '../src/train/runLog.ts';

/** The records' value of a numeric metric, per epoch. */
export function series(records: readonly EpochRecord[], key: string): number[] {
  return records.map((r) => r[key] as number);
}

/**
 * Mean of a per-class metric over the classes of each distinct size, in increasing size order
 * (classes of equal n_k are exchangeable in THEORY.md §1, so their mean is what the theory orders).
 */
export function meanBySize(values: readonly number[], sizes: readonly number[]): { n: number; mean: number }[] {
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  return distinct.map((n) => {
    const v = values.filter((_, k) => sizes[k] === n);
    return { n, mean: v.reduce((s, x) => s + x, 0) / v.length };
  });
}

/** max_k |a_k − b_k| / b_k. */
export function maxRelativeError(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((x, k) => Math.abs(x - b[k]) / Math.abs(b[k])));
}

/** The record without its timing fields (the only ones that may differ between identical runs). */
export function withoutTime(r: EpochRecord): Record<string, unknown> {
  const { seconds: _s, cpuSeconds: _c, ...rest } = r;
  return rest;
}
