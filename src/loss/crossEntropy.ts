import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { Loss } from './loss.ts';

/**
 * Mean cross-entropy L(Z) = (1/N) Σ_i CE(z_i, y_i), CE(z, k) = −z_k + log Σ_j exp(z_j)
 * (THEORY.md §1), computed with log-sum-exp so that large logits never overflow.
 * The gradient's column i is (softmax(z_i) − e_{y_i}) / N.
 *
 * @example
 * ```ts
 * const L = crossEntropy.evaluate(zeros(3, 4), classLayout([2, 2])); // log 3... (K = 3 logits of 0)
 * ```
 */
export const crossEntropy: Loss = {
  name: 'cross-entropy',
  evaluate(Z: Dense, layout: ClassLayout, grad?: Dense): number {
    const { rows: K, cols: N, data: z } = Z;
    if (K !== layout.K || N !== layout.N) {
      throw new RangeError(`crossEntropy: Z is ${K}×${N}, layout is K = ${layout.K}, N = ${layout.N}`);
    }
    return crossEntropyColumns(z, K, N, layout.labels, 0, N, grad?.data ?? null) / N;
  },
  columnSum: (z, K, N, labels, from, to, grad) => crossEntropyColumns(z, K, N, labels, from, to, grad),
};

/** Columns per pass of {@link crossEntropyColumns}: K rows of this many doubles stay in L2. */
const CE_CHUNK = 256;

/**
 * Σ_{from ≤ i < to} CE(z_i, y_i) on row-major Z (K×N), and the gradient columns
 * (softmax(z_i) − e_{y_i})/N into `grad` when given. Cache-friendly: the columns are taken CE_CHUNK
 * at a time with the loops over k outside (contiguous rows); per column the operations are those of
 * the column-by-column formula in the same order (max, Σ_k exp(z_k − max) for k = 0 … K − 1, then
 * total += max + log Σ − z_y), so the result is bit-identical to it.
 *
 * @example
 * ```ts
 * const sum = crossEntropyColumns(Z.data, K, N, layout.labels, 0, N, null); // N · L(Z)
 * ```
 */
export function crossEntropyColumns(
  z: Float64Array, K: number, N: number, labels: Int32Array, from: number, to: number, grad: Float64Array | null,
): number {
  const max = new Float64Array(Math.min(CE_CHUNK, Math.max(0, to - from)));
  const sum = new Float64Array(max.length);
  let total = 0;
  for (let i0 = from; i0 < to; i0 += CE_CHUNK) {
    const m = Math.min(CE_CHUNK, to - i0);
    max.fill(-Infinity);
    sum.fill(0);
    for (let k = 0; k < K; k++) {
      const r = k * N + i0;
      for (let u = 0; u < m; u++) max[u] = Math.max(max[u], z[r + u]);
    }
    for (let k = 0; k < K; k++) {
      const r = k * N + i0;
      if (grad !== null) {
        // exp evaluated once per entry (kept in grad, then normalised).
        for (let u = 0; u < m; u++) { const e = Math.exp(z[r + u] - max[u]); grad[r + u] = e; sum[u] += e; }
      } else {
        for (let u = 0; u < m; u++) sum[u] += Math.exp(z[r + u] - max[u]);
      }
    }
    for (let u = 0; u < m; u++) total += max[u] + Math.log(sum[u]) - z[labels[i0 + u] * N + i0 + u];
    if (grad !== null) {
      for (let k = 0; k < K; k++) {
        const r = k * N + i0;
        for (let u = 0; u < m; u++) grad[r + u] = grad[r + u] / sum[u] / N;
      }
      for (let u = 0; u < m; u++) grad[labels[i0 + u] * N + i0 + u] -= 1 / N;
    }
  }
  return total;
}
