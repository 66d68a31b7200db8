/**
 * The error bounds of a certified UFM+ optimum (Dang et al., ICML 2024; THEORY.md §1), derived —
 * never tuned — from the solver's certificate and the instance's conditioning; every UFM+ claim's
 * tolerance is built from these.
 *
 * Let δ ≥ f(W, H) − f* be the optimality gap the certificate guarantees for the solver's point.
 * For a fixed W, f(W, ·) is λ_H-strongly convex on the convex set {H ≥ 0} (cross-entropy is convex
 * in Z = W H, Z is linear in H, plus (λ_H/2)‖H‖²). So the distance from H to the best H for this W
 * obeys ‖H − H°‖_F² ≤ 2 (f(W, H) − f(W, H°)) / λ_H ≤ 2δ/λ_H; likewise ‖W − W°‖_F² ≤ 2δ/λ_W.
 * Every per-class quantity below is bounded through these two distances:
 * - a class mean moves by at most ‖Δh̄_k‖ ≤ ‖ΔH_k‖_F / sqrt(n_k) ≤ sqrt(2δ / (λ_H n_k))  (Jensen);
 * - a classifier row moves by at most ‖Δw_k‖ ≤ ‖ΔW‖_F ≤ sqrt(2δ / λ_W).
 * The gap δ itself is never taken below the rounding of the objective's evaluation
 * (src/optima/policy.ts): no float64 computation can certify more than that.
 */
import { EPS } from '../policy.ts';
import { classifierGramBounds, classMeanNormBounds, normFromSquare } from './linear.ts';
import { PerClassScalarProblems } from './scalar.ts';

/** How far the solver's point may be from a global optimum, per block. */
export interface ErrorBounds {
  /** δ ≥ f − f*, never below the objective's roundoff. */
  readonly gap: number;
  /** e_k ≥ | ‖h̄_k‖ − ‖h̄_k°‖ | and ≥ ‖h̄_k − h̄_k°‖ (block + growth terms, see {@link errorBounds}). */
  readonly classMean: readonly number[];
  /** e_W ≥ ‖W − W°‖_F (block + growth terms). */
  readonly classifier: number;
  /** e_H ≥ ‖H − H°‖_F = sqrt(2δ/λ_H) + growth terms. */
  readonly features: number;
  /** Δs_k: how far the margin s_k of class k may be from the optimum's. */
  readonly margin: readonly number[];
  /** sqrt(Δs_k / q_k): the largest b_k (class k's own part of its classifier) when b_k° = 0 (collapsed). */
  readonly collapsedScale: readonly number[];
  /** The per-class scalar problems: `scalar.distance(k, x)` ≥ |x − s_k*| for any number x, linear in φ_k'(x) (./scalar.ts). */
  readonly scalar: PerClassScalarProblems;
  /** ≥ | ‖h̄_k‖ − ‖h̄_k*‖ |: the smaller of e_k and the linear bound (./linear.ts). */
  readonly classMeanNorm: readonly number[];
  /** ≥ | ‖w_k‖ − ‖w_k*‖ |: the smaller of e_W and the linear bound (./linear.ts). */
  readonly classifierNorm: readonly number[];
  /** ≥ |⟨w_j, w_k⟩ − ⟨w_j*, w_k*⟩|: the smaller of e_W(‖w_j‖ + ‖w_k‖) + e_W² and the linear bound (./linear.ts). */
  readonly classifierGram: readonly (readonly number[])[];
}

/**
 * ψ''(s) for ψ(s) = log(1 + (K−1)e^{−s}): (K−1)e^{−s} / (1 + (K−1)e^{−s})². Its minimum over
 * [0, s̄] is at an end of the interval (ψ'' rises up to s = log(K−1), then falls).
 */
function curvatureLowerBound(K: number, sBar: number): number {
  const psi2 = (s: number): number => {
    const t = (K - 1) * Math.exp(-s);
    return t / (1 + t) ** 2;
  };
  return Math.min(psi2(0), psi2(sBar));
}

/**
 * The error bounds implied by an optimality gap δ. Two routes, added:
 *
 * 1. Blocks (strong convexity, see the module comment): ‖H − H°(W)‖_F ≤ sqrt(2δ/λ_H), so a class
 *    mean moves by at most sqrt(2δ/(λ_H n_k)); ‖W − W°(H)‖_F ≤ sqrt(2δ/λ_W). These bound the
 *    distance to the best H for the returned W (and vice versa), not to a global optimum.
 * 2. Growth of the per-class problem (THEORY.md §1, derivation sketch): on the collapsed orthogonal
 *    structure, f − f* ≥ (n_k/N)[φ_k(s_k) − φ_k(s_k*)] with φ_k(s) = ψ(s) + c_k s (AM–GM), and φ_k
 *    grows at least quadratically with curvature m_k ≥ min ψ'' over [0, s̄_k], s̄_k = |measured s_k| + 1;
 *    so |s_k − s_k*| ≤ Δs_k = sqrt(2δ N / (n_k m_k)). With ‖h̄_k‖² = q_k s_k,
 *    q_k = sqrt(λ_W (K−1)/(λ_H K n_k)), and |a − a*| ≤ sqrt(|a² − a*²|), the class-mean norm moves by at
 *    most sqrt(q_k Δs_k) — this is the bound that matters near the threshold, where the landscape in
 *    ‖h̄_k‖ is quartic (s = 0 is a degenerate minimum in a = ‖h̄_k‖) and route 1 alone is too tight.
 *    Away from it the sharper |a − a*| = |a² − a*²|/(a + a*) ≤ q_k Δs_k / a (a the measured norm)
 *    holds; the smaller of the two is used. Likewise b_k² = s_k / q_k moves by Δs_k / q_k, so every
 *    ‖w_k‖² (a combination of the b_m² with coefficients ≤ 1) moves by at most S = Σ_m Δs_m / q_m, and
 *    ‖w_k‖ by min(sqrt(S), S / ‖w_k‖).
 * Route 2 bounds norms; the claims use the same scale for vectors (a class mean, a classifier row),
 * which assumes, as the theorem states, that the optimum's directions are unique up to the
 * coordinate permutations every claim is invariant to.
 * 3. Linear (./scalar.ts, ./linear.ts): route 2's interval [s_k − Δs_k, s_k + Δs_k] locates s_k*, and the
 *    scalar residual |φ_k'(x)| then bounds |x − s_k*| linearly; norms and the classifier Gram follow.
 *    Route 2 scales like δ^{1/2} (δ never below the objective's rounding, ~1e-13), route 3 like the
 *    solver's own error (~1e-10 relative at the default KKT tolerance); each field takes the smaller.
 *
 * @param measured - the solver's margins s_k (logit gaps of the class means: only for the curvature
 *   interval), class-mean norms and classifier norms
 * @example
 * ```ts
 * const e = errorBounds(1e-14, [10, 40], { lambdaW: 1e-2, lambdaH: 1e-2 }, { margins: [0.5, 2.1], classMeanNorms: [0.3, 0.6], classifierNorms: [0.4, 0.4], classifierGram: [[0.16, -0.16], [-0.16, 0.16]], d: 2 });
 * e.classMean[0]; // block sqrt(2e-14/(1e-2·10)) plus growth sqrt(q_1 Δs_1)
 * ```
 */
export function errorBounds(
  gap: number,
  n: readonly number[],
  reg: { lambdaW: number; lambdaH: number },
  measured: {
    readonly margins: readonly number[];
    readonly classMeanNorms: readonly number[];
    readonly classifierNorms: readonly number[];
    readonly classifierGram: readonly (readonly number[])[];
    readonly d: number;
  },
): ErrorBounds {
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const q = classScales(n, reg);
  const margin = n.map((nk, k) => Math.sqrt((2 * gap * N) / (nk * curvatureLowerBound(K, Math.abs(measured.margins[k]) + 1))));
  const S = margin.reduce((s, ds, k) => s + ds / q[k], 0);
  const growthH = Math.sqrt(margin.reduce((s, ds, k) => s + n[k] * q[k] * ds, 0));
  const classMean = n.map((nk, k) => Math.sqrt((2 * gap) / (reg.lambdaH * nk)) + normFromSquare(q[k] * margin[k], measured.classMeanNorms[k]));
  const classifier = Math.sqrt((2 * gap) / reg.lambdaW) + normFromSquare(S, Math.min(...measured.classifierNorms));
  const intervals = measured.margins.map((s, k) => ({ lo: Math.max(0, s - margin[k]), hi: Math.max(0, s + margin[k]) }));
  const scalar = new PerClassScalarProblems(n, reg, intervals);
  const w = measured.classifierNorms;
  const gramLinear = classifierGramBounds(scalar, measured.classifierGram, measured.margins, q, measured.d);
  const classifierGram = gramLinear.map((row, j) => row.map((b, k) => Math.min(b, classifier * (w[j] + w[k]) + classifier * classifier)));
  const meanLinear = classMeanNormBounds(scalar, measured.classMeanNorms, q);
  return {
    gap,
    classMean,
    classifier,
    features: Math.sqrt((2 * gap) / reg.lambdaH) + growthH,
    margin,
    collapsedScale: margin.map((ds, k) => Math.sqrt(ds / q[k])),
    scalar,
    classMeanNorm: classMean.map((e, k) => Math.min(e, meanLinear[k])),
    classifierNorm: w.map((v, k) => Math.min(classifier, normFromSquare(gramLinear[k][k], v) + 16 * EPS * v)),
    classifierGram,
  };
}

/**
 * q_k = sqrt(λ_W (K−1)/(λ_H K n_k)): on the collapsed orthogonal structure of THEORY.md §1,
 * ‖h̄_k‖² = q_k s_k and b_k² = s_k/q_k (s_k the margin).
 * @example
 * ```ts
 * classScales([10, 40], { lambdaW: 1e-2, lambdaH: 1e-2 }); // [sqrt(1/20), sqrt(1/80)]
 * ```
 */
export function classScales(n: readonly number[], reg: { lambdaW: number; lambdaH: number }): number[] {
  const K = n.length;
  return n.map((nk) => Math.sqrt((reg.lambdaW * (K - 1)) / (reg.lambdaH * K * nk)));
}
