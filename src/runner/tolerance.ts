/**
 * Tolerances of the property suite, derived — never tuned — from the solver's certificate and the
 * instance's conditioning.
 *
 * Let δ ≥ f(W, H) − f* be the optimality gap the certificate guarantees for the solver's point.
 * For a fixed W, f(W, ·) is λ_H-strongly convex on the convex set {H ≥ 0} (cross-entropy is convex
 * in Z = W H, Z is linear in H, plus (λ_H/2)‖H‖²). So the distance from H to the best H for this W
 * obeys ‖H − H°‖_F² ≤ 2 (f(W, H) − f(W, H°)) / λ_H ≤ 2δ/λ_H; likewise ‖W − W°‖_F² ≤ 2δ/λ_W.
 * Every per-class quantity below is bounded through these two distances:
 * - a class mean moves by at most ‖Δh̄_k‖ ≤ ‖ΔH_k‖_F / sqrt(n_k) ≤ sqrt(2δ / (λ_H n_k))  (Jensen);
 * - a classifier row moves by at most ‖Δw_k‖ ≤ ‖ΔW‖_F ≤ sqrt(2δ / λ_W).
 * The gap δ itself is never taken below the rounding of the objective's evaluation,
 * {@link objectiveRoundoff}: no float64 computation can certify more than that.
 */

/** The unit roundoff of float64. */
export const EPS = 2 ** -52;

/**
 * A bound on the rounding error of evaluating f(W, H) in float64: the N·K log-sum-exp terms and the
 * d(K + N) squares are summed in order, so the error is at most about (N·K + d(K + N)) · ε · (|f| + 1).
 *
 * @example
 * ```ts
 * objectiveRoundoff({ N: 100, K: 4, d: 8 }, 1.2); // ≈ 2e-13
 * ```
 */
export function objectiveRoundoff(size: { N: number; K: number; d: number }, objective: number): number {
  return (size.N * size.K + size.d * (size.K + size.N)) * EPS * (Math.abs(objective) + 1);
}

/** How far the solver's point may be from a global optimum, per block. */
export interface ErrorBounds {
  /** δ ≥ f − f*, never below the objective's roundoff. */
  readonly gap: number;
  /** e_k ≥ ‖h̄_k − h̄_k°‖ = sqrt(2δ/(λ_H n_k)). */
  readonly classMean: readonly number[];
  /** e_W ≥ ‖W − W°‖_F = sqrt(2δ/λ_W). */
  readonly classifier: number;
  /** e_H ≥ ‖H − H°‖_F = sqrt(2δ/λ_H). */
  readonly features: number;
}

/**
 * The error bounds implied by an optimality gap δ (see the module comment for the derivation).
 *
 * @example
 * ```ts
 * const e = errorBounds(1e-14, [10, 40], { lambdaW: 1e-2, lambdaH: 1e-2 });
 * e.classMean[0]; // sqrt(2e-14 / (1e-2 · 10)) ≈ 4.5e-7
 * ```
 */
export function errorBounds(gap: number, n: readonly number[], reg: { lambdaW: number; lambdaH: number }): ErrorBounds {
  return {
    gap,
    classMean: n.map((nk) => Math.sqrt((2 * gap) / (reg.lambdaH * nk))),
    classifier: Math.sqrt((2 * gap) / reg.lambdaW),
    features: Math.sqrt((2 * gap) / reg.lambdaH),
  };
}
