/**
 * The numerics of the UFM+ cross-entropy closed form (THEORY.md §1; Dang, Tran, Nguyen, Ho,
 * ICML 2024, arXiv 2401.02058), computed once per instance. Internal to src/theory: the public,
 * validated API is src/theory/ufmPlusCe.ts. Inputs here are assumed valid.
 *
 * Precision strategy (every quantity to a few ulps relative, also next to the threshold):
 * - T = N² λ_W λ_H K/(K−1) is formed in double-double on the mantissas of λ_W, λ_H (exponents
 *   kept apart, so nothing over- or underflows), then rounded once: `threshold` is that rounding.
 * - alive_k is decided by `n_k > threshold` (the rounded T): so `alive` agrees with the reported
 *   threshold by construction, and, n_k being an integer and the rounding monotone, it agrees with
 *   the exact comparison n_k > T on the input doubles unless T lies within 2^-100 (relative) of n_k.
 * - With r_k = T/n_k = (c_k/c*)², c* = (K−1)/K, and q_k = sqrt(r_k) = c_k/c*, the margin is
 *   s_k = log((K−1)(1−c_k)/c_k) = log1p(K (1 − q_k)/q_k), and 1 − q_k = (1 − r_k)/(1 + q_k) with
 *   1 − r_k = ((n_k − T_hi) − T_lo)/n_k: the one subtraction is exact (Sterbenz) near the threshold,
 *   so s_k keeps full relative precision as n_k → T⁺ (the naive log of (K−1)(1−c)/c does not).
 * - f* uses log(1 + (K−1)e^{−s_k}) = −log1p(−c_k) (at the optimum (K−1)e^{−s_k} = c_k/(1−c_k)).
 * - Gram entries (Σ_m b_m² − K b_j² − K b_k²)/K² are accumulated in double-double.
 */
import {
  type DoubleDouble, ddAdd, ddDiv, ddMul, ddSum, frexp, ldexp, twoProd, twoSum,
} from './doubleDouble.ts';

/** Everything the closed form predicts, per class and overall (unvalidated, internal). */
export interface ClosedForm {
  readonly K: number;
  readonly N: number;
  /** T rounded once to double. */
  readonly threshold: number;
  readonly alive: boolean[];
  /** c_k. */
  readonly c: number[];
  /** s_k. */
  readonly s: number[];
  /** ‖h̄_k‖². */
  readonly meanNormSq: number[];
  /** b_k². */
  readonly bSq: number[];
  /** C = sqrt(λ_H K/(λ_W (K−1))). */
  readonly alignmentConstant: number;
  /** f*. */
  readonly objective: number;
}

/** T = N² λ_W λ_H K/(K−1) as a double-double, with log T available where T underflows. */
interface Threshold {
  readonly T: DoubleDouble;
  /** log T, accurate also when T is subnormal or 0 in double. */
  readonly logT: number;
}

function thresholdDD(N: number, K: number, lambdaW: number, lambdaH: number): Threshold {
  const w = frexp(lambdaW);
  const h = frexp(lambdaH);
  // M = N² m_W m_H K/(K−1) with m ∈ [1, 2): at most ≈ 4e18 · 2, far from Dekker's overflow bound.
  const M = ddDiv(ddMul(ddMul(ddMul(twoProd(N, N), w.m), h.m), K), K - 1);
  const E = w.e + h.e;
  const hi = ldexp(M.hi, E);
  const lo = ldexp(M.lo, E);
  return { T: { hi, lo }, logT: Math.log(M.hi) + E * Math.LN2 };
}

/** s_k for an alive class (n_k > T_hi), by the log1p route described in the header. */
function aliveMargin(nk: number, K: number, th: Threshold): number {
  const r = th.T.hi / nk;
  if (r >= 2 ** -1000) {
    const oneMinusR = (nk - th.T.hi - th.T.lo) / nk; // n_k − T_hi exact when T_hi ≥ n_k/2
    const q = Math.sqrt(r);
    return Math.log1p((K * oneMinusR) / ((1 + q) * q));
  }
  // T/n_k below 2^-1000 (λ_W λ_H ≲ 1e-300): far from the threshold, s = log(K − (K−1)q) − log q
  // with q = √(T/n_k) < 2^-500, below half an ulp of K: K − (K−1)q = K exactly in double.
  const logR = th.logT - Math.log(nk);
  return Math.log(K) - logR / 2;
}

/** Σ_k (n_k/N) [log(1 + (K−1)e^{−s_k}) + c_k s_k]; a collapsed class contributes log K. */
function objectiveValue(n: readonly number[], N: number, alive: boolean[], c: number[], s: number[]): number {
  const K = n.length;
  if (!alive.some(Boolean)) return Math.log(K);
  const terms = n.map((nk, k) => nk * (alive[k] ? -Math.log1p(-c[k]) + c[k] * s[k] : Math.log(K)));
  return ddSum(terms).hi / N;
}

/**
 * The closed form for valid inputs (n positive integers, K ≥ 2, λ's finite and > 0).
 *
 * @example
 * ```ts
 * ufmPlusClosedForm([10, 10, 40, 40], 5e-3, 5e-3).alive; // [false, false, true, true]
 * ```
 */
export function ufmPlusClosedForm(n: readonly number[], lambdaW: number, lambdaH: number): ClosedForm {
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const th = thresholdDD(N, K, lambdaW, lambdaH);
  const threshold = th.T.hi;
  const alive = n.map((nk) => nk > threshold);
  const sqW = Math.sqrt(lambdaW);
  const sqH = Math.sqrt(lambdaH);
  const ratio = sqH / sqW; // sqrt(λ_H/λ_W), without forming λ_H/λ_W
  const c = n.map((nk) => N * sqW * sqH * Math.sqrt((K - 1) / (K * nk)));
  const s = n.map((nk, k) => (alive[k] ? aliveMargin(nk, K, th) : 0));
  const meanNormSq = n.map((nk, k) => (s[k] / ratio) * Math.sqrt((K - 1) / (K * nk)));
  const bSq = n.map((nk, k) => s[k] * ratio * Math.sqrt((K * nk) / (K - 1)));
  const alignmentConstant = ratio * Math.sqrt(K / (K - 1));
  const objective = objectiveValue(n, N, alive, c, s);
  return { K, N, threshold, alive, c, s, meanNormSq, bSq, alignmentConstant, objective };
}

/**
 * W Wᵀ from b²: ⟨w_j, w_k⟩ = (Σ_m b_m² − K b_j² − K b_k²)/K² (j ≠ k), ‖w_k‖² = (K(K−2) b_k² + Σ_m b_m²)/K²,
 * the latter equal to (1−1/K)² b_k² + (1/K²) Σ_{m≠k} b_m² (THEORY.md §1). The numerators are formed in
 * double-double (Σ_m b_m² and the products K b_j² exactly), so each entry is within 1 ulp of the
 * formula on the given b², with no cancellation loss. O(K²) time, no allocation per entry.
 *
 * @example
 * ```ts
 * gramFromBSquared([1, 1]); // [[0.25, -0.25], [-0.25, 0.25]]
 * ```
 */
export function gramFromBSquared(bSq: readonly number[]): number[][] {
  const K = bSq.length;
  const S = ddSum(bSq);
  const K2 = K * K;
  const diag = classifierNormsSquared(bSq);
  // A_j = S − K b_j² (double-double), P_k = K b_k² (exact double-double)
  const P = bSq.map((b2) => twoProd(K, b2));
  const A = P.map((p) => ddAdd(S, { hi: -p.hi, lo: -p.lo }));
  return bSq.map((_, j) => bSq.map((__, k) => (k === j ? diag[j] : offDiagonal(A[j], P[k], K2))));
}

/** (A_j − P_k)/K²: TwoSum on the high parts plus the low parts, rounded once. */
function offDiagonal(a: DoubleDouble, p: DoubleDouble, K2: number): number {
  const { hi, lo } = twoSum(a.hi, -p.hi);
  return (hi + (lo + (a.lo - p.lo))) / K2;
}

/**
 * ‖w_k‖² for every k, in O(K) (the diagonal of {@link gramFromBSquared}).
 *
 * @example
 * ```ts
 * classifierNormsSquared([1, 1]); // [0.25, 0.25]
 * ```
 */
export function classifierNormsSquared(bSq: readonly number[]): number[] {
  const K = bSq.length;
  const S = ddSum(bSq);
  return bSq.map((b2) => ddDiv(ddAdd(S, twoProd(K * (K - 2), b2)), K * K).hi);
}
