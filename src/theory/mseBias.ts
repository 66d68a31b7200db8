/**
 * Imbalanced MSE with a free (unregularised) bias (H. Liu, "The Exploration of Neural Collapse under
 * Imbalanced Data", arXiv 2411.17278). THEORY.md §4(b). The L-extended model with M weight matrices:
 *
 *   min (1/(2N)) ‖W_M ⋯ W_1 H + b 1ᵀ − Y‖_F² + (λ_W/2) Σ_j ‖W_j‖_F² + (λ_H/2) ‖H‖_F²
 *
 * The bias centres the targets by the sample-weighted label mean; what remains is the K×K matrix
 *   Ŷ = (I_K − (1/N) n 1_Kᵀ) D^{1/2},   D^{1/2} = diag(√n_k),
 * (1ᵀŶ = 0 and Ŷ√n = 0, rank exactly K − 1). At the optimum the global feature mean is 0, so
 * b = (1/N) Y 1 − W H̄ n/N = n/N, and W H̄ D^{1/2} = V diag(z) Uᵀ with Ŷ = V diag(σ) Uᵀ.
 * L = 1 (M = 1): z_i = max(σ_i − N√(λ_W λ_H), 0) (singular value soft-thresholding).
 * Derivation of both cases: docs/theory-mse-L.md §2–§3.
 *
 * Singular vectors of repeated σ_i (e.g. balanced n) are defined only up to a rotation inside their
 * eigenspace; the Grams, the logits and the singular values are unique.
 *
 * Pure functions, no I/O.
 */
import { validateClassSizes, validateRegulariser } from '../problem/validate.ts';
import { thinSvd } from './_internals/spectral.ts';
import {
  logistic,
  logMseBeta,
  mseCollapseThreshold,
  softplus,
  solveMseScalar,
  validateLayers,
} from './_internals/mseScalar.ts';

/** Input of {@link predictMseBias}. */
export interface MseBiasInput {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
}

/** The SVD Ŷ = V diag(σ) Uᵀ of the centred targets. */
export interface CentredTargetSvd {
  /** σ_1 ≥ … ≥ σ_K; σ_K = 0 exactly (1ᵀŶ = 0). */
  readonly singularValues: number[];
  /** leftSingularVectors[i] = v_i (length K); v_K ∝ 1. */
  readonly leftSingularVectors: number[][];
  /** rightSingularVectors[i] = u_i (length K); u_K ∝ √n. */
  readonly rightSingularVectors: number[][];
}

/** The prediction of {@link predictMseBias} / {@link predictMseBiasDeep}. */
export interface MseBiasPrediction extends CentredTargetSvd {
  readonly theory: 'mse-bias' | 'mse-bias-deep';
  readonly K: number;
  readonly N: number;
  readonly layers: number;
  /** Ŷ (K×K). */
  readonly centredTargets: number[][];
  /** Direction i collapses (z_i = 0) iff σ_i² ≤ this (L = 1: (N√(λ_W λ_H))²). */
  readonly collapseThreshold: number;
  /** z_i: the predicted singular values of W_M ⋯ W_1 H̄ D^{1/2}, paired with the σ_i above. */
  readonly predictedSingularValues: number[];
  /** collapsed[i] = (z_i = 0); at least the last one always is. */
  readonly collapsed: boolean[];
  /** The optimal bias b = n/N (class proportions). */
  readonly bias: number[];
  /** W Wᵀ (W = W_M ⋯ W_1): V diag(‖W u-direction‖²) Vᵀ. */
  readonly classifierGram: number[][];
  /** ⟨h̄_k, h̄_l⟩ = [D^{−1/2} U diag(a_i²) Uᵀ D^{−1/2}]_{kl}, a_i = singular values of H̄ D^{1/2}. */
  readonly featureGram: number[][];
  /** W H̄ (K×K): entry [c][k] is the logit of class c on the samples of class k, minus the bias. */
  readonly logits: number[][];
  /** The optimal objective value. */
  readonly objective: number;
}

/**
 * Ŷ = (I_K − (1/N) n 1_Kᵀ) D^{1/2} (Liu 2024; THEORY.md §4(b)): entry [c][k] = √n_k (δ_ck − n_c/N).
 *
 * @example
 * ```ts
 * centredTargets([1, 1]); // [[½, −½], [−½, ½]]
 * ```
 */
export function centredTargets(n: readonly number[]): number[][] {
  const sizes = validateClassSizes(n);
  const N = sizes.reduce((a, b) => a + b, 0);
  return sizes.map((nc, c) => sizes.map((nk, k) => Math.sqrt(nk) * ((c === k ? 1 : 0) - nc / N)));
}

/**
 * The SVD of Ŷ (ml-matrix), sorted, with the structurally zero σ_K set to exactly 0 (otherwise
 * round-off ~1e-16·σ_1 could exceed a tiny collapse threshold).
 *
 * @example
 * ```ts
 * centredTargetSvd([1, 1]).singularValues; // [1, 0]
 * ```
 */
export function centredTargetSvd(n: readonly number[]): CentredTargetSvd {
  const svd = thinSvd(centredTargets(n));
  const singularValues = svd.values.slice();
  singularValues[singularValues.length - 1] = 0;
  return { singularValues, leftSingularVectors: svd.left, rightSingularVectors: svd.right };
}

/** Per-direction results → Grams, logits, prediction. */
function assemble(
  base: { theory: MseBiasPrediction['theory']; sizes: number[]; layers: number; collapseThreshold: number; objective: number },
  svd: CentredTargetSvd,
  directions: { z: number; wSq: number; aSq: number }[],
): MseBiasPrediction {
  const { sizes } = base;
  const K = sizes.length;
  const N = sizes.reduce((a, b) => a + b, 0);
  const V = svd.leftSingularVectors;
  const U = svd.rightSingularVectors;
  const root = sizes.map(Math.sqrt);
  const sumOver = (f: (i: number) => number) => directions.reduce((s, _, i) => s + f(i), 0);
  const grid = (f: (k: number, l: number) => number) => sizes.map((_, k) => sizes.map((__, l) => f(k, l)));
  return {
    theory: base.theory,
    K,
    N,
    layers: base.layers,
    centredTargets: centredTargets(sizes),
    ...svd,
    collapseThreshold: base.collapseThreshold,
    predictedSingularValues: directions.map((d) => d.z),
    collapsed: directions.map((d) => d.z === 0),
    bias: sizes.map((nk) => nk / N),
    classifierGram: grid((k, l) => sumOver((i) => directions[i].wSq * V[i][k] * V[i][l])),
    featureGram: grid((k, l) => sumOver((i) => (directions[i].aSq * U[i][k] * U[i][l]) / (root[k] * root[l]))),
    logits: grid((c, k) => sumOver((i) => (directions[i].z * V[i][c] * U[i][k]) / root[k])),
    objective: base.objective,
  };
}

/**
 * The L = 1 MSE-with-bias prediction (Liu 2024, statements (3)–(4) as in THEORY.md §4(b)):
 * singular values z_i = max(σ_i(Ŷ) − N√(λ_W λ_H), 0) of W H̄ D^{1/2}, left singular vectors those of
 * Ŷ, collapsed directions σ_i ≤ N√(λ_W λ_H), bias n/N, and (optimal split of the factors)
 * W Wᵀ = √(λ_H/λ_W) V diag(z) Vᵀ and (H̄ D^{1/2})ᵀ(H̄ D^{1/2}) = √(λ_W/λ_H) U diag(z) Uᵀ.
 * Optimal value (1/(2N)) Σ (σ_i − z_i)² + √(λ_W λ_H) Σ z_i.
 *
 * @throws {@link InputError} naming n, lambdaW or lambdaH
 * @example
 * ```ts
 * const p = predictMseBias({ n: [10, 20, 40, 80], lambdaW: 1e-3, lambdaH: 1e-3 });
 * p.predictedSingularValues; // σ(Ŷ) ≈ (7.471, 5.056, 3.459, 0) minus 0.15, floored at 0
 * p.bias; // [1/15, 2/15, 4/15, 8/15]
 * ```
 */
export function predictMseBias(input: MseBiasInput): MseBiasPrediction {
  const sizes = validateClassSizes(input.n);
  const lambdaW = validateRegulariser(input.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(input.lambdaH, 'lambdaH');
  const N = sizes.reduce((a, b) => a + b, 0);
  const c = N * Math.sqrt(lambdaW) * Math.sqrt(lambdaH);
  const svd = centredTargetSvd(sizes);
  const directions = svd.singularValues.map((sigma) => {
    const z = Math.max(sigma - c, 0);
    // ratios of square roots: λ_H/λ_W itself overflows for a subnormal λ_W although the result is finite
    return { z, wSq: (Math.sqrt(lambdaH) / Math.sqrt(lambdaW)) * z, aSq: (Math.sqrt(lambdaW) / Math.sqrt(lambdaH)) * z };
  });
  const objective = svd.singularValues.reduce(
    (s, sigma, i) => s + (sigma - directions[i].z) ** 2 / (2 * N) + Math.sqrt(lambdaW) * Math.sqrt(lambdaH) * directions[i].z,
    0,
  );
  return assemble({ theory: 'mse-bias', sizes, layers: 1, collapseThreshold: c * c, objective }, svd, directions);
}

/**
 * EXPERIMENTAL / UNVERIFIED against direct optimisation of the full model (beyond a tiny M = 2
 * instance in tests/theory-mse.test.ts). The MSE-with-bias prediction for M ≥ 1 weight matrices
 * (Liu 2024's L-extended UFM), derived in docs/theory-mse-L.md §3: per direction i of Ŷ, the scalar
 * problem of Dang et al. (mseDeepLinear.ts) with n_k replaced by τ_i = σ_i(Ŷ)²:
 *   g_i(x) = (1/(2N)) [σ_i²/(1 + x^M) + β x],  β = M N (N λ_W^M λ_H)^{1/M},
 * global minimiser x_i (root vs 0 compared by objective value), and then
 *   z_i = σ_i x_i^M/(1 + x_i^M)  (singular value of W_M ⋯ W_1 H̄ D^{1/2}),
 *   ‖W v_i‖²-direction: N λ_H x_i^M,  a_i² = σ_i² x_i^M/(N λ_H (1 + x_i^M)²)  (for H̄ D^{1/2}),
 * bias n/N, objective Σ_i g_i(x_i). For M = 1 it coincides with {@link predictMseBias}.
 *
 * @throws {@link InputError} naming n, lambdaW, lambdaH or layers
 * @example
 * ```ts
 * predictMseBiasDeep({ n: [2, 4, 6], lambdaW: 0.0657, lambdaH: 0.0657, layers: 2 }).collapsed;
 * // [false, true, true]: σ_2² ≈ 2.46 admits a root but x = 0 has the lower objective
 * ```
 */
export function predictMseBiasDeep(input: MseBiasInput & { readonly layers: number }): MseBiasPrediction {
  const sizes = validateClassSizes(input.n);
  const lambdaW = validateRegulariser(input.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(input.lambdaH, 'lambdaH');
  const M = validateLayers(input.layers);
  const N = sizes.reduce((a, b) => a + b, 0);
  const logBeta = logMseBeta(N, lambdaW, lambdaH, M);
  const logNlH = Math.log(N) + Math.log(lambdaH);
  const svd = centredTargetSvd(sizes);
  let objective = 0;
  const directions = svd.singularValues.map((sigma) => {
    const sol = solveMseScalar(sigma * sigma, logBeta, N, M);
    objective += sol.objective;
    // log x^M; the forms below cannot overflow, and a collapsed direction (log x = −∞) gives 0, 0, 0
    const mLogX = M * sol.logX;
    return {
      z: sigma * logistic(mLogX),
      wSq: Math.exp(logNlH + mLogX),
      aSq: sigma * sigma * Math.exp(mLogX - logNlH - 2 * softplus(mLogX)),
    };
  });
  return assemble(
    { theory: 'mse-bias-deep', sizes, layers: M, collapseThreshold: mseCollapseThreshold(logBeta, M), objective },
    svd,
    directions,
  );
}
