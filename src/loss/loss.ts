import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';

/**
 * A data-fit term L(Z) of the unconstrained feature model, on logits Z = W H (+ b 1ᵀ) ∈ R^{K×N},
 * averaged over the N samples. Pluggable: the solver and the certificate take any `Loss`.
 */
export interface Loss {
  /** A short name for reports (`cross-entropy`, `mse`). */
  readonly name: string;
  /**
   * L(Z). When `grad` (K×N) is given, ∇L(Z) is written into it.
   *
   * @example
   * ```ts
   * const g = zeros(K, N);
   * const value = crossEntropy.evaluate(Z, classLayout(n), g);
   * ```
   */
  evaluate(Z: Dense, layout: ClassLayout, grad?: Dense): number;
  /**
   * Optional, for a loss that is a mean of per-column terms ℓ(z_i, y_i): Σ_{from ≤ i < to} ℓ(z_i, y_i)
   * (not divided by N) on Z (K×N, row-major), writing ∇L's columns from … to − 1 into `grad` when
   * given (same 1/N scale as {@link evaluate}). Lets the solver evaluate column blocks in parallel
   * (src/solver/objective); `evaluate` must equal the sum over all columns divided by N.
   */
  columnSum?(z: Float64Array, K: number, N: number, labels: Int32Array, from: number, to: number, grad: Float64Array | null): number;
}
