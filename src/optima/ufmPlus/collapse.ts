/**
 * Deciding whether class k is alive at the global optimum by the certificate of THEORY.md §1b at the
 * *collapsed candidate* — the certified optimum with class k's features set to zero — instead of by
 * the class mean's norm, whose error bound e_k (./bounds.ts) scales like δ^{1/4} near the collapse
 * threshold and cannot resolve it.
 *
 * At any point where class k's features are zero, its columns of Z = W H are zero whatever W is, so its
 * columns g_i of G = −∇L(Z) are all equal, and the atoms u vᵀ with v ≥ 0 supported on class k reach
 * ρ_k = ‖Σ_{i∈k} g_i‖ / (sqrt(n_k) sqrt(λ_W λ_H)) (v = 1/sqrt(n_k) on class k). If ρ_k > 1, the
 * dual-gauge test fails at every such point, so no point with class k collapsed is a global minimiser
 * (the convex bound F is tight at the certified optimum): class k is alive. If ρ_k < 1, adding class k
 * back is not a descent direction from the candidate. The solver's accuracy does not enter ρ_k — only
 * the rounding of its evaluation does — so the threshold is resolved to about 1e-12 relative.
 */
import { zeros } from '../../linalg/dense.ts';
import { crossEntropy } from '../../loss/crossEntropy.ts';
import { norm } from '../../linalg/vector.ts';
import { EPS } from '../policy.ts';
import type { CertifiedOptimum } from './types.ts';

/** ρ_k at the collapsed candidate, and a bound on its rounding error. */
export interface CollapsedRatio {
  readonly ratio: number;
  /** |computed ρ_k − ρ_k| ≤ error (module comment). */
  readonly error: number;
}

/**
 * ρ_k of the collapsed candidate (module comment). Rounding: each g_i entry is a softmax of zeros
 * (exp(0) = 1 exactly, a sum of K ones, one division) minus the one-hot label, within 3ε relative; the
 * sum over n_k equal columns adds n_k ε, the norm (K + 2)ε, the scalings 3ε; so 2(n_k + K + 8)ε·ρ_k
 * bounds the error with a factor 2 to spare.
 *
 * @example
 * ```ts
 * collapsedRatio(opt, 0); // { ratio: 1.0000003, error: 1.2e-13 }: class 1 is alive
 * ```
 */
export function collapsedRatio(opt: CertifiedOptimum, k: number): CollapsedRatio {
  const { layout, instance } = opt;
  // class k's columns of Z = W H at the candidate are W·0 = 0 exactly, whatever W and the other columns
  // are, and a column's gradient depends on that column alone: evaluating the loss at Z = 0 gives class
  // k's columns of G exactly as at the candidate, without forming W H (K·N work instead of K·d·N)
  const Z = zeros(layout.K, layout.N);
  const grad = zeros(layout.K, layout.N);
  crossEntropy.evaluate(Z, layout, grad);
  const sum = new Float64Array(layout.K);
  for (let c = 0; c < layout.K; c++) for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) sum[c] -= grad.data[c * Z.cols + i];
  const nk = layout.sizes[k];
  const ratio = norm(sum) / (Math.sqrt(nk) * Math.sqrt(instance.lambdaW * instance.lambdaH));
  return { ratio, error: 2 * (nk + layout.K + 8) * EPS * ratio };
}
