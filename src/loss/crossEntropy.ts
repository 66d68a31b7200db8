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
    const labels = layout.labels;
    const g = grad?.data;
    let total = 0;
    for (let i = 0; i < N; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[k * N + i]);
      let sum = 0;
      if (g) {
        // exp evaluated once per entry (kept in g, then normalised): the same values as before.
        for (let k = 0; k < K; k++) {
          const e = Math.exp(z[k * N + i] - max);
          g[k * N + i] = e;
          sum += e;
        }
      } else {
        for (let k = 0; k < K; k++) sum += Math.exp(z[k * N + i] - max);
      }
      const y = labels[i];
      total += max + Math.log(sum) - z[y * N + i];
      if (g) {
        for (let k = 0; k < K; k++) g[k * N + i] = g[k * N + i] / sum / N;
        g[y * N + i] -= 1 / N;
      }
    }
    return total / N;
  },
};
