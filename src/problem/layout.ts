import { validateClassSizes } from './validate.ts';

/**
 * How the N feature columns of H are laid out: grouped by class, class 1 first. Columns
 * `offsets[k] … offsets[k] + sizes[k] − 1` belong to class k (0-based). Every module of ncverify
 * (theory's explicit optimum, solver, certificate, metrics) uses this layout.
 */
export interface ClassLayout {
  /** n = (n_1, …, n_K). */
  readonly sizes: readonly number[];
  /** offsets[k] = n_1 + … + n_{k−1}; offsets[K] = N. */
  readonly offsets: readonly number[];
  /** K, the number of classes. */
  readonly K: number;
  /** N = Σ n_k. */
  readonly N: number;
  /** labels[i] = the class of column i. */
  readonly labels: Int32Array;
}

/**
 * The column layout of a class-size vector (validated).
 *
 * @example
 * ```ts
 * const L = classLayout([2, 3]); // L.offsets = [0, 2, 5], L.labels = [0, 0, 1, 1, 1]
 * ```
 */
export function classLayout(n: readonly number[]): ClassLayout {
  const sizes = validateClassSizes(n);
  const offsets = [0];
  for (const nk of sizes) offsets.push(offsets[offsets.length - 1] + nk);
  const N = offsets[sizes.length];
  const labels = new Int32Array(N);
  sizes.forEach((nk, k) => labels.fill(k, offsets[k], offsets[k] + nk));
  return { sizes, offsets, K: sizes.length, N, labels };
}
