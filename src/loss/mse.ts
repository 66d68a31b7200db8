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

/**
 * MSE with a free bias minimised out: L_c(Z) = min_b (1/(2N)) ‖Z + b 1ᵀ − Y‖_F² = (1/(2N)) ‖(Z − Y) C‖_F²,
 * C = I_N − (1/N) 1 1ᵀ (the optimal bias is b = row means of Y − Z; THEORY.md §4(b), docs/theory-mse-L.md
 * §2.1). Gradient (Z − Y) C / N. L_c is convex with inf L_c = 0, so the bias-free certificate and its
 * generic Fenchel lower bound (src/certificate/lowerBound.ts) apply to it: for any (W, H, b),
 * f(W, H, b) ≥ f_c(W, H) := L_c(W H) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖², and min f = min f_c, so a lower bound
 * of f_c* certifies the free-bias MSE model (whose own certificate has no lower bound with a free bias).
 * Row means are taken first and each centred residual is squared (no cancelling expansion).
 *
 * @example
 * ```ts
 * // Z = 0, labels (0, 1): Y − Z has row means ½, so the centred residuals are ±½: L_c = 4·¼/(2·2) = ¼
 * centredMse.evaluate(zeros(2, 2), classLayout([1, 1])); // 0.25
 * ```
 */
export const centredMse: Loss = {
  name: 'mse-centred',
  evaluate(Z: Dense, layout: ClassLayout, grad?: Dense): number {
    const { rows: K, cols: N, data: z } = Z;
    if (K !== layout.K || N !== layout.N) {
      throw new RangeError(`centredMse: Z is ${K}×${N}, layout is K = ${layout.K}, N = ${layout.N}`);
    }
    if (grad !== undefined && (grad.rows !== K || grad.cols !== N)) {
      throw new RangeError(`centredMse: grad is ${grad.rows}×${grad.cols}, expected ${K}×${N}`);
    }
    const labels = layout.labels;
    const g = grad?.data;
    let total = 0;
    for (let k = 0; k < K; k++) {
      const row = k * N;
      let mean = 0;
      for (let i = 0; i < N; i++) mean += z[row + i] - (labels[i] === k ? 1 : 0);
      mean /= N;
      for (let i = 0; i < N; i++) {
        const r = z[row + i] - (labels[i] === k ? 1 : 0) - mean;
        total += r * r;
        if (g) g[row + i] = r / N;
      }
    }
    return total / (2 * N);
  },
};
