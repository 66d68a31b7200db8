/**
 * Imbalanced MSE, bias-free, M linear layers (Dang et al., "Neural
 * Collapse in Deep Linear Networks: From Balanced to Imbalanced Data", ICML 2023, arXiv 2301.00437).
 * THEORY.md §4(a). The model:
 *
 *   min (1/(2N)) ‖W_M ⋯ W_1 H − Y‖_F² + (λ_W/2) Σ_j ‖W_j‖_F² + (λ_H/2) ‖H‖_F²
 *
 * (Y one-hot K×N, columns grouped by class; widths ≥ K). At every global minimiser, with
 * W = W_M ⋯ W_1: within-class collapse; the rows w_k of W and the class means h̄_k are mutually
 * orthogonal across classes, w_k ∥ h̄_k; and each class solves its own scalar problem
 *
 *   g_k(x) = (1/(2N)) [ n_k/(1 + x^M) + β x ],  x ≥ 0,  β = M N (N λ_W^M λ_H)^{1/M},
 *
 * where x = s_k²/(Nλ_H)^{1/M} and s_k is the common singular value of every layer W_j in the
 * direction of class k (derivation: docs/theory-mse-L.md §1). Then
 *   ‖w_k‖² = s_k^{2M} = Nλ_H x_k^M,  ‖h̄_k‖² = s_k^{2M}/(s_k^{2M} + Nλ_H)²,  w_kᵀh̄_k = s_k^{2M}/(s_k^{2M} + Nλ_H).
 * g_k(0) = n_k/(2N) is the collapsed class (w_k = h̄_k = 0). M = 1 is convex with the closed form
 * x_k = √n_k/(N√(λ_W λ_H)) − 1, collapse iff n_k ≤ N² λ_W λ_H. For M ≥ 2 g_k is NOT convex and the
 * global minimiser is chosen by comparing g_k at the largest stationary point with g_k(0).
 *
 * Pure functions, no I/O.
 */
import { InputError } from '../errors.ts';
import { validateClassSizes, validateRegulariser } from '../problem/validate.ts';
import {
  logistic,
  logMseBeta,
  mseCollapseThreshold,
  mseScalarObjective,
  softplus,
  solveMseScalar,
  validateLayers,
} from './_internals/mseScalar.ts';

/** Input of {@link predictMseDeepLinear}. */
export interface MseDeepLinearInput {
  /** Class sizes n = (n_1, …, n_K). */
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  /** M, the number of weight matrices W_1 … W_M (M = 1: the plain UFM). */
  readonly layers: number;
}

/** The predicted geometry of one class. */
export interface MseClassGeometry {
  /** n_k. */
  readonly nk: number;
  /** The global minimiser x_k of g_k (0 when the class collapses). */
  readonly x: number;
  /** The largest root of β/n_k = M x^{M−1}/(x^M + 1)², or null when none exists. */
  readonly root: number | null;
  /** s_k = (Nλ_H x_k^M)^{1/(2M)}: the singular value of each layer W_j in class k's direction. */
  readonly s: number;
  /** True when x_k > 0 (the root exists and g_k(root) < g_k(0)). */
  readonly alive: boolean;
  /** ‖w_k‖² = s_k^{2M} (w_k = row k of W_M ⋯ W_1). */
  readonly wNormSquared: number;
  /** ‖h̄_k‖². */
  readonly hNormSquared: number;
  /** w_kᵀ h̄_k (the logit of class k on its own samples; other logits are 0). */
  readonly wDotH: number;
  /** g_k(x_k): class k's share of the optimal objective. */
  readonly objective: number;
  /** g_k(0) = n_k/(2N). */
  readonly objectiveAtZero: number;
  /** g_k(root), or null when there is no root. */
  readonly objectiveAtRoot: number | null;
}

/** The prediction of {@link predictMseDeepLinear}. */
export interface MseDeepLinearPrediction {
  readonly theory: 'mse-deep-linear';
  readonly K: number;
  readonly N: number;
  readonly layers: number;
  /** β = M N (N λ_W^M λ_H)^{1/M}. */
  readonly beta: number;
  /** Class k is alive iff n_k > this: β M/(M − 1)^{(M−1)/M} (= N² λ_W λ_H for M = 1). */
  readonly collapseThreshold: number;
  readonly classes: MseClassGeometry[];
  /** W Wᵀ = diag(‖w_k‖²) (rows of W mutually orthogonal). */
  readonly classifierGram: number[][];
  /** ⟨h̄_k, h̄_l⟩ = diag(‖h̄_k‖²) (class means mutually orthogonal). */
  readonly featureGram: number[][];
  /** The optimal objective value Σ_k g_k(x_k). */
  readonly objective: number;
}

/**
 * β = M N (N λ_W^M λ_H)^{1/M} of Dang et al. 2023 (THEORY.md §4(a)), computed in logs.
 *
 * @example
 * ```ts
 * mseDeepLinearBeta(100, 1e-3, 1e-3, 1); // N² λ_W λ_H = 0.01
 * ```
 */
export function mseDeepLinearBeta(N: number, lambdaW: number, lambdaH: number, layers: number): number {
  return Math.exp(logMseBeta(N, lambdaW, lambdaH, layers));
}

/**
 * The per-class objective g_k(x) = (1/(2N)) [n_k/(1 + x^M) + β x] (x ≥ 0) of Dang et al. 2023 after
 * the per-class reduction and the exact minimisation over ‖h̄_k‖ (docs/theory-mse-L.md §1).
 * g_k(x_k) is class k's share of the optimal value of the full objective.
 *
 * @throws {@link InputError} when x < 0 or NaN
 * @example
 * ```ts
 * mseDeepLinearClassObjective(0, { nk: 10, N: 20, beta: 2, layers: 2 }); // 10/40 = 0.25
 * ```
 */
export function mseDeepLinearClassObjective(
  x: number,
  p: { readonly nk: number; readonly N: number; readonly beta: number; readonly layers: number },
): number {
  if (!(x >= 0)) throw new InputError('x', 'must be a number ≥ 0', `got ${String(x)}`);
  return mseScalarObjective(Math.log(x), p.nk, Math.log(p.beta), p.N, p.layers);
}

/**
 * The global minimiser of the imbalanced deep-linear MSE model (Dang et al. 2023, THEORY.md §4(a)):
 * per class x_k, s_k, collapse, norms, and the objective; the Grams are diagonal.
 *
 * @throws {@link InputError} naming n, lambdaW, lambdaH or layers
 * @example
 * ```ts
 * const p = predictMseDeepLinear({ n: [5, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, layers: 2 });
 * p.classes.map((c) => c.alive); // [false, true, true, true] (threshold 2β ≈ 6.98)
 * ```
 */
export function predictMseDeepLinear(input: MseDeepLinearInput): MseDeepLinearPrediction {
  const sizes = validateClassSizes(input.n);
  const lambdaW = validateRegulariser(input.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(input.lambdaH, 'lambdaH');
  const M = validateLayers(input.layers);
  const N = sizes.reduce((a, b) => a + b, 0);
  const logBeta = logMseBeta(N, lambdaW, lambdaH, M);
  const logNlH = Math.log(N) + Math.log(lambdaH);
  const classes = sizes.map((nk): MseClassGeometry => {
    const sol = solveMseScalar(nk, logBeta, N, M);
    const mLogX = M * sol.logX; // log x^M (−∞ when collapsed: every quantity below is then 0)
    return {
      nk,
      x: sol.x,
      root: sol.root,
      s: Math.exp((logNlH + mLogX) / (2 * M)),
      alive: sol.alive,
      wNormSquared: Math.exp(logNlH + mLogX),
      hNormSquared: Math.exp(mLogX - logNlH - 2 * softplus(mLogX)),
      wDotH: logistic(mLogX),
      objective: sol.objective,
      objectiveAtZero: sol.objectiveAtZero,
      objectiveAtRoot: sol.objectiveAtRoot,
    };
  });
  const diag = (v: number[]) => v.map((a, k) => v.map((_, l) => (k === l ? a : 0)));
  return {
    theory: 'mse-deep-linear',
    K: sizes.length,
    N,
    layers: M,
    beta: Math.exp(logBeta),
    collapseThreshold: mseCollapseThreshold(logBeta, M),
    classes,
    classifierGram: diag(classes.map((c) => c.wNormSquared)),
    featureGram: diag(classes.map((c) => c.hNormSquared)),
    objective: classes.reduce((a, c) => a + c.objective, 0),
  };
}
