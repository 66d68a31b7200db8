import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { Loss } from './loss.ts';

/**
 * Mean squared error to one-hot targets, L(Z) = (1/(2N)) ‖Z − Y‖_F² (Y ∈ {0,1}^{K×N} one-hot,
 * columns grouped by class), the data-fit term of the imbalanced MSE models (Dang et al. ICML 2023,
 * arXiv 2301.00437; H. Liu arXiv 2411.17278; THEORY.md §4). Its gradient is ∇L(Z) = (Z − Y)/N.
 * L is convex (indeed (1/N)-strongly convex) in Z, so the convex lower bound of THEORY.md §1b, and
 * with it the solver's certificate, applies unchanged (plain UFM: the spectral-norm test).
 *
 * Each residual is formed once and squared (no expansion ‖Z‖² − 2⟨Z, Y⟩ + ‖Y‖², which would cancel).
 *
 * @example
 * ```ts
 * const L = mse.evaluate(zeros(2, 3), classLayout([1, 2])); // (1/(2·3)) · 3 = 0.5
 * ```
 */
export const mse: Loss = {
  name: 'mse',
  evaluate(Z: Dense, layout: ClassLayout, grad?: Dense): number {
    const { rows: K, cols: N, data: z } = Z;
    if (K !== layout.K || N !== layout.N) {
      throw new RangeError(`mse: Z is ${K}×${N}, layout is K = ${layout.K}, N = ${layout.N}`);
    }
    if (grad !== undefined && (grad.rows !== K || grad.cols !== N)) {
      throw new RangeError(`mse: grad is ${grad.rows}×${grad.cols}, expected ${K}×${N}`);
    }
    const labels = layout.labels;
    const g = grad?.data;
    let total = 0;
    for (let k = 0; k < K; k++) {
      const row = k * N;
      for (let i = 0; i < N; i++) {
        const r = z[row + i] - (labels[i] === k ? 1 : 0);
        total += r * r;
        if (g) g[row + i] = r / N;
      }
    }
    return total / (2 * N);
  },
};
