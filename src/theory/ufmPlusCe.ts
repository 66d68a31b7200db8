/**
 * The closed form of every global minimiser of the UFM+ problem with cross-entropy and class
 * imbalance (THEORY.md §1; Dang, Tran, Nguyen, Ho, "Neural collapse for cross-entropy
 * class-imbalanced learning with unconstrained ReLU features model", ICML 2024, arXiv 2401.02058):
 *
 *     min_{W, H ≥ 0} (1/N) Σ_k Σ_i CE(W h_{k,i}, k) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F²,   d ≥ K.
 *
 * Pure functions, no I/O. Every function validates its inputs (InputError naming the parameter).
 * The numerics (double-double threshold, cancellation-free margins) are in
 * ./_internals/ufmPlusClosedForm.ts, whose header documents the precision strategy.
 */
import { type Dense, zeros } from '../linalg/dense.ts';
import { InputError } from '../errors.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../problem/validate.ts';
import {
  type ClosedForm, classifierNormsSquared, gramFromBSquared, ufmPlusClosedForm,
} from './_internals/ufmPlusClosedForm.ts';
import type { ClassPrediction, UfmInstance, UfmPlusPrediction, UfmPlusTheory } from './types.ts';

export type { ClassPrediction, UfmInstance, UfmPlusPrediction, UfmPlusTheory } from './types.ts';

/** The theory's name, as used by `ncverify predict --theory`. */
export const UFM_PLUS_CE = 'ufm-plus-ce';

function closedForm(n: readonly number[], lambdaW: number, lambdaH: number): ClosedForm {
  const sizes = validateClassSizes(n, 'n');
  return ufmPlusClosedForm(sizes, validateRegulariser(lambdaW, 'lambdaW'), validateRegulariser(lambdaH, 'lambdaH'));
}

/**
 * The minority-collapse threshold T = N² λ_W λ_H K/(K−1) (THEORY.md §1): class k is alive
 * (h̄_k ≠ 0) iff n_k > T, equivalently c_k < (K−1)/K. Computed in double-double and rounded once.
 *
 * @example
 * ```ts
 * minorityCollapseThreshold([10, 10, 40, 40], 5e-3, 5e-3); // 100² · 25e-6 · 4/3 ≈ 0.3333
 * ```
 */
export function minorityCollapseThreshold(n: readonly number[], lambdaW: number, lambdaH: number): number {
  return closedForm(n, lambdaW, lambdaH).threshold;
}

/**
 * The per-class constants c_k = N sqrt(λ_W λ_H (K−1)/(K n_k)) of the scalar problems
 * min_s log(1 + (K−1)e^{−s}) + c_k s (THEORY.md §1).
 *
 * @example
 * ```ts
 * classConstants([1, 1], 0.5, 0.5); // [2 · 0.5 · sqrt(1/2), …] = [0.7071…, 0.7071…]
 * ```
 */
export function classConstants(n: readonly number[], lambdaW: number, lambdaH: number): number[] {
  return closedForm(n, lambdaW, lambdaH).c;
}

/**
 * The margins s_k = log((K−1)(1−c_k)/c_k) for alive classes, 0 for collapsed ones (THEORY.md §1):
 * the logit gap (W h̄_k)_k − (W h̄_k)_j, j ≠ k, at the optimum.
 *
 * @example
 * ```ts
 * classMargins([50, 50], 1e-3, 1e-3); // c_k = 100 · 1e-3 · sqrt(1/100) = 0.01 → s_k = log(0.99/0.01) = log 99: [4.595…, 4.595…]
 * ```
 */
export function classMargins(n: readonly number[], lambdaW: number, lambdaH: number): number[] {
  return closedForm(n, lambdaW, lambdaH).s;
}

/**
 * The class-mean norms ‖h̄_k‖ = sqrt( s_k sqrt(λ_W (K−1)/(λ_H K n_k)) ) (THEORY.md §1); 0 for a
 * collapsed class. Unimodal (not monotone) in n_k.
 *
 * @example
 * ```ts
 * classMeanNorms([10, 10, 40, 40], 5e-3, 5e-3); // [0.897…, 0.897…, 0.712…, 0.712…]
 * ```
 */
export function classMeanNorms(n: readonly number[], lambdaW: number, lambdaH: number): number[] {
  return closedForm(n, lambdaW, lambdaH).meanNormSq.map(Math.sqrt);
}

/**
 * The classifier norms ‖w_k‖, ‖w_k‖² = (1 − 1/K)² b_k² + (1/K²) Σ_{m≠k} b_m² with
 * b_k² = s_k sqrt(λ_H K n_k/(λ_W (K−1))) (THEORY.md §1); non-decreasing in n_k.
 *
 * @example
 * ```ts
 * classifierNorms([10, 40], 1e-2, 1e-2); // two equal norms (K = 2: w_2 = −w_1)
 * ```
 */
export function classifierNorms(n: readonly number[], lambdaW: number, lambdaH: number): number[] {
  return classifierNormsSquared(closedForm(n, lambdaW, lambdaH).bSq).map(Math.sqrt);
}

/**
 * The classifier Gram W Wᵀ (K×K): ⟨w_j, w_k⟩ = −(1/K)(b_j² + b_k²) + (1/K²) Σ_m b_m² for j ≠ k and
 * ‖w_k‖² on the diagonal (THEORY.md §1). Rows sum to 0 (Σ_k w_k = 0).
 *
 * @example
 * ```ts
 * classifierGram([30, 30, 30], 1e-3, 1e-3); // simplex ETF: off-diagonal / diagonal = −1/2
 * ```
 */
export function classifierGram(n: readonly number[], lambdaW: number, lambdaH: number): number[][] {
  return gramFromBSquared(closedForm(n, lambdaW, lambdaH).bSq);
}

/**
 * The Gram H̄ᵀH̄ of the class means (K×K): diag(‖h̄_k‖²), the means being mutually orthogonal
 * (THEORY.md §1, NC2 for ReLU features).
 *
 * @example
 * ```ts
 * featureGram([10, 40], 1e-2, 1e-2); // [[‖h̄_1‖², 0], [0, ‖h̄_2‖²]]
 * ```
 */
export function featureGram(n: readonly number[], lambdaW: number, lambdaH: number): number[][] {
  return diagonal(closedForm(n, lambdaW, lambdaH).meanNormSq);
}

function diagonal(v: readonly number[]): number[][] {
  return v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
}

/**
 * The optimal value f* = Σ_k (n_k/N) [log(1 + (K−1)e^{−s_k}) + c_k s_k] (THEORY.md §1); a collapsed
 * class contributes (n_k/N) log K, and f* = log K under complete collapse.
 *
 * @example
 * ```ts
 * optimalObjective([1, 1], 10, 10); // complete collapse: Math.log(2)
 * ```
 */
export function optimalObjective(n: readonly number[], lambdaW: number, lambdaH: number): number {
  return closedForm(n, lambdaW, lambdaH).objective;
}

/**
 * True iff every class collapses (every n_k ≤ T): then (W, H) = (0, 0) is the minimiser (THEORY.md §1).
 *
 * @example
 * ```ts
 * isCompleteCollapse([1, 1], 10, 10);   // true
 * isCompleteCollapse([50, 50], 1e-3, 1e-3); // false
 * ```
 */
export function isCompleteCollapse(n: readonly number[], lambdaW: number, lambdaH: number): boolean {
  return !closedForm(n, lambdaW, lambdaH).alive.some(Boolean);
}

function validateInstance(instance: UfmInstance): ClosedForm {
  if (instance === null || typeof instance !== 'object') {
    throw new InputError('instance', 'must be an object { n, lambdaW, lambdaH, d? }', `got ${String(instance)}`);
  }
  const cf = closedForm(instance.n, instance.lambdaW, instance.lambdaH);
  if (instance.d !== undefined) validateDimension(instance.d, cf.K, true, 'd');
  return cf;
}

/**
 * The full prediction of THEORY.md §1 for one instance (validated; `d`, if given, must be an integer ≥ K).
 *
 * @example
 * ```ts
 * const p = predictUfmPlus({ n: [10, 10, 40, 40], lambdaW: 5e-2, lambdaH: 5e-2 });
 * p.threshold;                        // 100² · 25e-4 · 4/3 = 33.33…
 * p.classes.map((c) => c.alive);      // [false, false, true, true]
 * ```
 */
export function predictUfmPlus(instance: UfmInstance): UfmPlusPrediction {
  const cf = validateInstance(instance);
  const n = instance.n as number[];
  const wNormSq = classifierNormsSquared(cf.bSq);
  const classes: ClassPrediction[] = n.map((nk, k) => ({
    n: nk,
    alive: cf.alive[k],
    c: cf.c[k],
    margin: cf.s[k],
    featureNorm: Math.sqrt(cf.meanNormSq[k]),
    b: Math.sqrt(cf.bSq[k]),
    classifierNorm: Math.sqrt(wNormSq[k]),
  }));
  return {
    theory: UFM_PLUS_CE,
    K: cf.K,
    N: cf.N,
    lambdaW: instance.lambdaW,
    lambdaH: instance.lambdaH,
    threshold: cf.threshold,
    completeCollapse: !cf.alive.some(Boolean),
    objective: cf.objective,
    classes,
    classifierGram: gramFromBSquared(cf.bSq),
    featureGram: diagonal(cf.meanNormSq),
    alignment: { weights: n.map(Math.sqrt), constant: cf.alignmentConstant },
  };
}

/**
 * The built-in theory of THEORY.md §1 as a {@link UfmPlusTheory}.
 *
 * @example
 * ```ts
 * ufmPlusCe.name; // 'ufm-plus-ce'
 * ufmPlusCe.predict({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2 }).objective;
 * ```
 */
export const ufmPlusCe: UfmPlusTheory = { name: UFM_PLUS_CE, predict: predictUfmPlus };

/**
 * An explicit global minimiser (W, H) (K×d, d×N; columns of H by {@link classLayout}) for an instance
 * with d ≥ K: every column of an alive class k carries ‖h̄_k‖ on coordinate k (NC1, H ≥ 0, disjoint
 * supports, so orthogonal means); collapsed classes have zero features; coordinates K…d−1 are unused.
 * W follows the classifier formula w_k = C (sqrt(n_k) h̄_k − (1/K) Σ_m sqrt(n_m) h̄_m),
 * C = sqrt(λ_H K/(λ_W (K−1))), i.e. W[k][j] = C sqrt(n_j) ‖h̄_j‖ (δ_kj − 1/K) for j < K.
 *
 * @throws {@link InputError} when `d` is missing, not an integer or below K
 * @example
 * ```ts
 * const { W, H } = optimalPair({ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 });
 * ufmObjective(W, H, classLayout([10, 10, 40, 40]), { lambdaW: 5e-3, lambdaH: 5e-3 }); // = f*
 * ```
 */
export function optimalPair(instance: UfmInstance): { W: Dense; H: Dense } {
  const cf = validateInstance(instance);
  if (instance.d === undefined) throw new InputError('d', 'is required for an explicit optimal pair (an integer ≥ K)');
  const { d } = instance;
  const { K, N } = cf;
  const n = instance.n;
  const meanNorm = cf.meanNormSq.map(Math.sqrt);
  const H = zeros(d, N);
  let offset = 0;
  n.forEach((nk, k) => {
    H.data.fill(meanNorm[k], k * N + offset, k * N + offset + nk);
    offset += nk;
  });
  const W = zeros(K, d);
  const scale = n.map((nk, j) => cf.alignmentConstant * Math.sqrt(nk) * meanNorm[j]);
  for (let k = 0; k < K; k++) {
    // `+ 0` turns the −0 of a collapsed class's column into +0
    for (let j = 0; j < K; j++) W.data[k * d + j] = scale[j] * ((k === j ? 1 : 0) - 1 / K) + 0;
  }
  return { W, H };
}
