/**
 * The L-BFGS two-loop recursion (Nocedal 1980; Nocedal & Wright, Numerical Optimization, Alg. 7.4),
 * written once for both of the solver's L-BFGS codes: the UFM two-metric projected L-BFGS
 * (src/solver/_internals/lbfgs.ts, pairs restricted to the free variables) and the deep-linear
 * one (src/solver/deepLinear/_internals/lbfgs.ts, unrestricted). What differs — which entries are
 * free and the initial matrix H₀ — comes in through {@link TwoLoopOps}.
 */

/** The stored curvature pairs s_i = x_{i+1} − x_i, y_i = ∇f_{i+1} − ∇f_i, a ring buffer. */
export interface CurvaturePairs {
  readonly S: readonly Float64Array[];
  readonly Y: readonly Float64Array[];
  /** Next slot to write. */
  readonly head: number;
  /** Pairs stored (≤ memory = S.length). */
  readonly count: number;
  /** Scratch of length memory: ρ_i = 1/(s_iᵀy_i), α_i. */
  readonly rho: Float64Array;
  readonly alpha: Float64Array;
}

/** Vector operations on the free variables (p is kept zero outside them). */
export interface TwoLoopOps {
  /** s_iᵀ y_i over the free variables (pairs with a value ≤ 0 are skipped). */
  curvature(s: Float64Array, y: Float64Array): number;
  /** ⟨a, p⟩. */
  dot(a: Float64Array, p: Float64Array): number;
  /** p ← p + c·y on the free variables. */
  axpy(c: number, y: Float64Array, p: Float64Array): void;
  /** p ← H₀ p (the initial inverse Hessian, e.g. a Barzilai–Borwein scale). */
  initial(p: Float64Array): void;
}

/**
 * p ← H_k p in place (H_k the L-BFGS inverse-Hessian approximation): call it with p = −∇f for
 * the search direction. Newest pair first in the first loop, oldest first in the second.
 *
 * @example
 * ```ts
 * p.set(g); for (let i = 0; i < n; i++) p[i] = -p[i];
 * twoLoop(p, pairs, plainOps(gamma));
 * ```
 */
export function twoLoop(p: Float64Array, pairs: CurvaturePairs, ops: TwoLoopOps): void {
  const { S, Y, rho, alpha, head, count } = pairs;
  const memory = S.length;
  for (let c = 0; c < count; c++) {
    const i = (head - 1 - c + memory) % memory;
    const sy = ops.curvature(S[i], Y[i]);
    if (!(sy > 0)) { rho[i] = 0; alpha[i] = 0; continue; }
    rho[i] = 1 / sy;
    alpha[i] = rho[i] * ops.dot(S[i], p);
    ops.axpy(-alpha[i], Y[i], p);
  }
  ops.initial(p);
  for (let c = count - 1; c >= 0; c--) {
    const i = (head - 1 - c + memory) % memory;
    if (rho[i] === 0) continue;
    const beta = alpha[i] - rho[i] * ops.dot(Y[i], p);
    ops.axpy(beta, S[i], p);
  }
}
