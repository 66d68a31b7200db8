/**
 * Error bounds linear in the residual of the per-class scalar problems (./scalar.ts) for the invariants
 * the claims compare with a closed form: class-mean norms, the classifier Gram and classifier norms
 * (docs/resolution.md, "Linear bounds"). On the collapsed orthogonal structure (THEORY.md §1; the
 * assumption of ./scalar.ts) every one of them is a function of the margins s* = (s_1*, …, s_K*):
 * - ‖h̄_k*‖² = q_k s_k*, q_k = sqrt(λ_W (K−1)/(λ_H K n_k)) (./bounds.ts `classScales`);
 * - w_k* = Σ_m (δ_km − 1/K) b_m ĥ_m with orthonormal ĥ_m and b_m² = s_m* / q_m, so
 *   ⟨w_j*, w_k*⟩ = Σ_m γ_jkm s_m* / q_m with γ_jkm = (δ_jm − 1/K)(δ_km − 1/K).
 * A measured value v is then within |v − F(x)| + |F(x) − F(s*)| of the optimum's F(s*), for any x:
 * the first term is measured (x = the solver's margins, or the margin its norm implies), the second is
 * bounded by |x_m − s_m*| ≤ D_m (./scalar.ts), which is linear in the scalar residual.
 *
 * Every bound also covers the float64 rounding of the closed form it is compared with: a margin carries
 * {@link marginRoundoff}, added to D_m, and each derived value ≤ 16ε relative (the square roots,
 * products and sums after it), as does our own evaluation of F and of the measured value.
 */
import { EPS } from '../policy.ts';
import type { PerClassScalarProblems } from './scalar.ts';

/**
 * The rounding of a margin s = log((K−1)(1 − c)/c) evaluated in float64 from the instance's data: c
 * carries ≤ 5ε relative, so 1 − c carries 5εc/(1 − c) ≤ 5(K−1)ε relative (an alive class has
 * c < (K−1)/K), the product and quotient 3ε, and the log adds ε|s| absolute: (5K + 3 + |s|)ε; doubled.
 * @example
 * ```ts
 * marginRoundoff(4, 2.5); // ≈ 1.1e-14
 * ```
 */
export function marginRoundoff(K: number, s: number): number {
  return 2 * (5 * K + 3 + Math.abs(s)) * EPS;
}

/**
 * The largest change of a non-negative norm v whose square may change by τ: |v − v*| = |v² − v*²|/(v + v*)
 * with v* ≥ sqrt(max(0, v² − τ)), and ≤ sqrt(τ) always. The one copy for ./bounds.ts and this file.
 */
export function normFromSquare(tau: number, v: number): number {
  const below = v + Math.sqrt(Math.max(0, v * v - tau));
  return below > 0 ? Math.min(Math.sqrt(tau), tau / below) : Math.sqrt(tau);
}

/** D_m = |x_m − s_m*| bound plus the closed form's rounding. */
function marginDistances(scalar: PerClassScalarProblems, x: readonly number[]): number[] {
  return x.map((xm, m) => scalar.distance(m, xm) + marginRoundoff(x.length, xm));
}

/**
 * | ‖h̄_k‖ − ‖h̄_k*‖ | for the measured norm a: x = a²/q_k is the margin it implies, so the measured part
 * vanishes and sqrt(q_k)|sqrt(x) − sqrt(s*)| ≤ sqrt(q_k)·{@link normFromSquare}(D, sqrt(x)) remains.
 * @example
 * ```ts
 * classMeanNormBounds(scalar, [0.3, 0.6], [0.05, 0.012]); // one bound per class
 * ```
 */
export function classMeanNormBounds(scalar: PerClassScalarProblems, norms: readonly number[], q: readonly number[]): number[] {
  return norms.map((a, k) => {
    const x = (a * a) / q[k];
    const D = scalar.distance(k, x) + marginRoundoff(norms.length, x);
    return Math.sqrt(q[k]) * normFromSquare(D, Math.sqrt(x)) + 16 * EPS * a;
  });
}

/**
 * |⟨w_j, w_k⟩ − ⟨w_j*, w_k*⟩| for the measured Gram G, from the measured margins x (module comment).
 * @example
 * ```ts
 * classifierGramBounds(scalar, G, [0.5, 2.1], q, 8); // K×K bounds
 * ```
 */
export function classifierGramBounds(scalar: PerClassScalarProblems, G: readonly (readonly number[])[], x: readonly number[], q: readonly number[], d: number): number[][] {
  const K = x.length;
  const D = marginDistances(scalar, x);
  const gamma = (j: number, k: number, m: number): number => ((j === m ? 1 : 0) - 1 / K) * ((k === m ? 1 : 0) - 1 / K);
  return G.map((row, j) => row.map((g, k) => {
    let F = 0;
    let scale = 0;
    let spread = 0;
    for (let m = 0; m < K; m++) {
      const c = gamma(j, k, m);
      F += (c * x[m]) / q[m];
      scale += (Math.abs(c) * Math.abs(x[m])) / q[m];
      spread += (Math.abs(c) * D[m]) / q[m];
    }
    return Math.abs(g - F) + spread + (d + 2 * K + 16) * EPS * (Math.abs(g) + scale);
  }));
}
