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
}
