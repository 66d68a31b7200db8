/**
 * The certified plain-UFM optima (cross-entropy, H free, λ_W = λ_H = λ) along a decreasing λ path,
 * and the distances to SELI's geometry (Thrampoulidis et al. NeurIPS 2022; THEORY.md §3) that the
 * SELI claims read. The SELI targets (G_SELI, Ẑ) are given by the caller — the optimum layer knows no
 * theorem; properties/seli passes them from src/theory/seli.ts.
 *
 * Error bounds (the block convention of src/optima/ufmPlus/bounds.ts): with δ ≥ f − f* from the
 * certificate's Fenchel bound (never below the objective's rounding), f(W, ·) is λ-strongly convex
 * (CE is convex in Z = W H), so ‖ΔH‖_F ≤ e_H = sqrt(2δ/λ), and likewise ‖ΔW‖_F ≤ e_W = sqrt(2δ/λ).
 * Then ‖Δ(W Wᵀ)‖_F ≤ e_W (2‖W‖_F + e_W), ‖Δ(W H)‖_F ≤ e_W ‖H‖_F + ‖W‖_F e_H + e_W e_H, and a
 * Frobenius-normalised matrix moves by ‖A/‖A‖ − B/‖B‖‖ ≤ 2‖A − B‖/‖A‖, which bounds how far a
 * measured normalised distance can be from the optimum's.
 */
import { type Dense, matmul, transpose } from '../linalg/dense.ts';
import { frobeniusNorm } from '../linalg/matrixNorms.ts';
import { normalisedDistance } from '../metrics/distances.ts';
import { solve } from '../solver/solver.ts';
import { admit, claimSolveOptions, DEFAULT_SOLVE, objectiveRoundoff, provenGap, type SolveSettings } from './policy.ts';
import { type Recorder, shape } from './ledger.ts';

/** The regularisation path λ_W = λ_H = λ (decreasing). */
export const SELI_PATH: readonly number[] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5];

/** A SELI input: class sizes and the feature dimension (d ∈ [K, 2K]; SELI needs d ≥ K − 1). */
export interface SeliInput {
  readonly n: readonly number[];
  readonly d: number;
}

/** One certified optimum of the path with the measured distances to SELI. */
export interface PathPoint {
  readonly lambda: number;
  readonly W: Dense;
  readonly H: Dense;
  /** δ ≥ f − f*. */
  readonly gap: number;
  /** e_W = e_H = sqrt(2δ/λ). */
  readonly e: number;
  /** W is detectably non-zero: ‖W‖_F > e_W (otherwise the geometry is undefined: complete collapse). */
  readonly nonZero: boolean;
  /** ‖W Wᵀ/‖W Wᵀ‖ − G_SELI/‖G_SELI‖‖_F, and the bound on its error. */
  readonly gramDistance: number;
  readonly gramDistanceError: number;
  /** ‖W H/‖W H‖ − Ẑ/‖Ẑ‖‖_F (W H approaching a positive multiple of Ẑ), and its error bound. */
  readonly logitDistance: number;
  readonly logitDistanceError: number;
}


/** What the path's distances are measured against: SELI's classifier Gram G_SELI and Ẑ (K×N, flat rows). */
export interface SeliTargets {
  readonly classifierGram: ArrayLike<number>;
  readonly logits: ArrayLike<number>;
}

/** Solves and certifies one λ of the path (the plain UFM: H free, λ_W = λ_H = λ). */
function pathPoint(input: SeliInput, lambda: number, targets: SeliTargets, record: Recorder, settings: SolveSettings): PathPoint {
  const n = input.n;
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const instance = { n, lambdaW: lambda, lambdaH: lambda, d: input.d };
  const r = solve({ ...instance, nonNegative: false }, claimSolveOptions(settings, instance));
  record({ family: 'seli-path', ...shape(n, input.d), certified: r.certified, certifiable: true, insideAssumptions: true, escapes: r.escapes, restarts: r.restarts, route: 'float64', settings: settings.name });
  const gap = provenGap(r.certificate.objectiveGap, objectiveRoundoff({ N, K, d: input.d }, r.objective));
  admit({ certified: r.certified, gap, objective: r.objective }, true, () => `the plain UFM ${JSON.stringify(instance)}: ${r.reason} (ρ = ${r.certificate.dualNormRatio})`);
  const e = Math.sqrt((2 * gap) / lambda);
  const gram = matmul(r.W, transpose(r.W));
  const Z = matmul(r.W, r.H);
  const wNorm = frobeniusNorm(r.W);
  const gramError = e * (2 * wNorm + e);
  const zError = e * frobeniusNorm(r.H) + wNorm * e + e * e;
  return {
    lambda,
    W: r.W,
    H: r.H,
    gap,
    e,
    nonZero: wNorm > e,
    gramDistance: normalisedDistance(gram.data, targets.classifierGram),
    gramDistanceError: (2 * gramError) / frobeniusNorm(gram),
    logitDistance: normalisedDistance(Z.data, targets.logits),
    logitDistanceError: (2 * zError) / frobeniusNorm(Z),
  };
}

/**
 * The certified optima of an input along {@link SELI_PATH}, one solve per λ, with the distances to
 * `targets` (SELI's geometry for these sizes).
 *
 * @throws UncertifiedError when a point of the path is neither certified nor has a small proven gap
 * @example
 * ```ts
 * seliPath({ n: [10, 20, 40, 80], d: 8 }, targets, () => {}).map((p) => p.gramDistance); // ≈ 0.66, 0.19, 0.094, 0.067, 0.052
 * ```
 */
export function seliPath(input: SeliInput, targets: SeliTargets, record: Recorder, settings: SolveSettings = DEFAULT_SOLVE): PathPoint[] {
  return SELI_PATH.map((lambda) => pathPoint(input, lambda, targets, record, settings));
}
