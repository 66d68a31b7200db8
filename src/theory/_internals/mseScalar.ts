import { InputError } from '../../errors.ts';

/**
 * The per-class (per-direction) scalar problem of the imbalanced MSE models (THEORY.md §4; Dang et
 * al. ICML 2023, arXiv 2301.00437, and its bias/L-layer extension, H. Liu arXiv 2411.17278), shared
 * by mseDeepLinear.ts (target τ = n_k) and mseBias.ts (τ = σ_i(Ŷ)²). Derivation: docs/theory-mse-L.md.
 *
 * One direction with M layer singular values s (balanced over layers) and feature singular value t:
 *   f(s, t) = (1/(2N)) (s^M t − √τ)² + (λ_W/2) M s² + (λ_H/2) t².
 * Minimising over t (t = √τ s^M/(s^{2M} + Nλ_H)) and substituting x = s²/(Nλ_H)^{1/M} gives
 *   g(x) = (1/(2N)) [ τ/(1 + x^M) + β x ],   β = M N (N λ_W^M λ_H)^{1/M},   x ≥ 0,
 * with g′(x) = 0 ⇔ β/τ = φ(x) := M x^{M−1}/(x^M + 1)².
 */

/** Natural log of β = M N (N λ_W^M λ_H)^{1/M}, computed in logs (no under/overflow of λ_W^M). */
export function logMseBeta(N: number, lambdaW: number, lambdaH: number, M: number): number {
  return Math.log(M) + Math.log(N) + (Math.log(N) + M * Math.log(lambdaW) + Math.log(lambdaH)) / M;
}

/** log(1 + e^y) without overflow. */
export function softplus(y: number): number {
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

/** 1/(1 + e^{−y}) without overflow. */
export function logistic(y: number): number {
  return y >= 0 ? 1 / (1 + Math.exp(-y)) : Math.exp(y) / (1 + Math.exp(y));
}

/**
 * g(x) = (1/(2N)) [τ/(1 + x^M) + β x], evaluated from log x (x = 0 ⇔ logX = −∞).
 *
 * @example
 * ```ts
 * mseScalarObjective(-Infinity, 10, Math.log(2), 20, 2); // τ/(2N) = 0.25 (collapsed)
 * ```
 */
export function mseScalarObjective(logX: number, tau: number, logBeta: number, N: number, M: number): number {
  if (logX === -Infinity) return tau / (2 * N);
  return (tau * logistic(-M * logX) + Math.exp(logBeta + logX)) / (2 * N);
}

/** The smallest τ for which the direction is alive: τ > β M / (M − 1)^{(M−1)/M} (β for M = 1). */
export function mseCollapseThreshold(logBeta: number, M: number): number {
  return M === 1 ? Math.exp(logBeta) : Math.exp(logBeta + Math.log(M) - ((M - 1) / M) * Math.log(M - 1));
}

/** The solved scalar problem of one class / direction. */
export interface MseScalarSolution {
  /** The chosen global minimiser x ≥ 0 (0 when collapsed). */
  readonly x: number;
  /** log x (−∞ when collapsed). */
  readonly logX: number;
  /** The largest root of β/τ = φ(x), or null when there is none. */
  readonly root: number | null;
  /** True when the root exists and beats x = 0 strictly: g(root) < g(0). */
  readonly alive: boolean;
  /** g at the chosen x. */
  readonly objective: number;
  /** g(0) = τ/(2N). */
  readonly objectiveAtZero: number;
  /** g(root), or null when there is no root. */
  readonly objectiveAtRoot: number | null;
}

/**
 * Solves min_{x ≥ 0} g(x) exactly: the global minimiser is x = 0 or the largest root of
 * β/τ = φ(x) (the only local minimiser with x > 0), and the two OBJECTIVE VALUES are compared.
 * For M ≥ 2 the problem is not convex: x = 0 is always a local minimiser (g′(0) = β/(2N) > 0), so
 * a root can exist and still lose (THEORY.md §4(a) warning). Ties (measure zero) go to x = 0.
 *
 * @param tau - the target τ > 0 (n_k, or σ_i(Ŷ)²; τ = 0 gives x = 0)
 * @example
 * ```ts
 * solveMseScalar(100, Math.log(1), 50, 1).x; // M = 1: √(τ/β) − 1 = 9
 * ```
 */
export function solveMseScalar(tau: number, logBeta: number, N: number, M: number): MseScalarSolution {
  const objectiveAtZero = mseScalarObjective(-Infinity, tau, logBeta, N, M);
  const logRoot = tau > 0 ? largestRootLog(Math.log(tau) - logBeta, M) : null;
  if (logRoot === null) {
    return { x: 0, logX: -Infinity, root: null, alive: false, objective: objectiveAtZero, objectiveAtZero, objectiveAtRoot: null };
  }
  const objectiveAtRoot = mseScalarObjective(logRoot, tau, logBeta, N, M);
  // Compare g(root) with g(0) through their difference, written without cancellation:
  // g(x) − g(0) = (1/(2N)) [β x − τ x^M/(1 + x^M)] < 0  ⇔  log β + log x < log τ + log σ(M log x).
  const alive = logBeta + logRoot < Math.log(tau) - softplus(-M * logRoot);
  const root = Math.exp(logRoot);
  return alive
    ? { x: root, logX: logRoot, root, alive, objective: objectiveAtRoot, objectiveAtZero, objectiveAtRoot }
    : { x: 0, logX: -Infinity, root, alive, objective: objectiveAtZero, objectiveAtZero, objectiveAtRoot };
}

/**
 * log of the largest root of φ(x) = β/τ, or null when there is none; `logRatio` = log(τ/β).
 *
 * Works in t = log x, where G(t) = log φ(e^t) − log(β/τ) = log M + (M−1)t − 2 softplus(Mt) + log(τ/β)
 * is CONCAVE (G″ = −2M² σ(1−σ) < 0), maximal at t* = (1/M) log((M−1)/(M+1)) (the maximiser x* of φ;
 * t* = −∞ for M = 1), and decreasing beyond it.
 * Bracket of the decreasing branch: lo = t* (M ≥ 2; a root exists iff G(t*) ≥ 0) or, for M = 1,
 * lo = log((1 − β/τ)/2) (from 1/(1+x)² ≥ 1 − 2x, so G(lo) ≥ 0); hi = max(lo, log(Mτ/β)/(M+1)),
 * where G ≤ 0 since φ(x) < M/x^{M+1}. Bisection then halves [lo, hi] (G(lo) ≥ 0 ≥ G(hi)) until no
 * double lies strictly between them — about 60 halvings — so the root is found to one ulp of t with
 * no tolerance to tune (a Newton iteration was measured no more accurate, and needs several knobs).
 */
function largestRootLog(logRatio: number, M: number): number | null {
  const G = (t: number) => Math.log(M) + (M - 1) * t - 2 * softplus(M * t) + logRatio;
  let lo: number;
  if (M === 1) {
    if (logRatio <= 0) return null; // τ ≤ β: φ(x) = 1/(1+x)² < 1 ≤ β/τ for every x > 0
    lo = Math.log(-Math.expm1(-logRatio) / 2);
  } else {
    lo = Math.log((M - 1) / (M + 1)) / M;
    if (G(lo) < 0) return null;
  }
  let hi = Math.max(lo, (Math.log(M) + logRatio) / (M + 1));
  for (let mid = (lo + hi) / 2; mid > lo && mid < hi; mid = (lo + hi) / 2) {
    if (G(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Validates the number of linear layers M (an integer in [1, 100]).
 *
 * @example
 * ```ts
 * validateLayers(2); // 2
 * ```
 */
export function validateLayers(layers: unknown, parameter = 'layers'): number {
  if (typeof layers !== 'number' || !Number.isInteger(layers) || layers < 1 || layers > 100) {
    throw new InputError(parameter, 'the number of linear layers M must be an integer in [1, 100]', `got ${String(layers)}`);
  }
  return layers;
}
