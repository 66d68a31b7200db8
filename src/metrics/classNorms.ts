import type { Dense } from '../linalg/dense.ts';
import { scaledNorm as norm } from '../linalg/vector.ts';

/**
 * ‖h̄_k‖ for each column of the class means H̄ (d×K).
 * @example
 * ```ts
 * classMeanNorms(classMeans(H, layout)); // one norm per class
 * ```
 */
export function classMeanNorms(Hbar: Dense): number[] {
  return Array.from({ length: Hbar.cols }, (_, k) => norm(Hbar.data, k, Hbar.rows, Hbar.cols));
}

/**
 * ‖w_k‖ for each row of the classifier W (K×d).
 * @example
 * ```ts
 * classifierNorms(W); // one norm per class
 * ```
 */
export function classifierNorms(W: Dense): number[] {
  return Array.from({ length: W.rows }, (_, k) => norm(W.data, k * W.cols, W.cols));
}

/**
 * The logit margins of the class means, s_k = (W h̄_k)_k − max_{j≠k} (W h̄_k)_j (Dang et al., ICML
 * 2024; THEORY.md §1: s_k > 0 for an alive class, 0 for a collapsed one).
 * @example
 * ```ts
 * logitMargins(W, classMeans(H, layout)); // [s_1, …, s_K]
 * ```
 */
export function logitMargins(W: Dense, Hbar: Dense): number[] {
  const K = W.rows;
  const d = W.cols;
  return Array.from({ length: K }, (_, k) => {
    const z = Array.from({ length: K }, (_, j) => {
      let s = 0;
      for (let r = 0; r < d; r++) s += W.data[j * d + r] * Hbar.data[r * K + k];
      return s;
    });
    return z[k] - Math.max(...z.filter((_, j) => j !== k));
  });
}
