/**
 * The deep-linear (M = 2) MSE model of THEORY.md §4(a) solved by src/solver/deepLinear.ts from several
 * seeded starts (no certificate exists for M ≥ 2: the landscape has spurious local minima), and the
 * measured quantities of its best point. Memoised per instance by the optimum layer (./optima.ts).
 *
 * "Reproducible" (the only case the M = 2 claims assert on): at least two starts end within the
 * solver's agreement tolerance τ = max(1e-9 |f|, rounding) of the best value.
 * Error bounds, by the block convention of src/optima/ufmPlus/bounds.ts applied at the reproducibility
 * level δ = max(τ, rounding) — a HEURISTIC, since no certificate proves f − f* ≤ δ for M ≥ 2 (the
 * objective claim checks f − f* ≤ δ separately): with the other blocks fixed, f is λ_W-strongly
 * convex in each W_j and λ_H-strongly convex in H, so each layer is within e_W = sqrt(2δ/λ_W) and H
 * within e_H = sqrt(2δ/λ_H) of its best value; the product W = W_M ⋯ W_1 then moves by at most
 * e_P = Π_j (‖W_j‖₂ + e_W) − Π_j ‖W_j‖₂ (expanding the product), a class mean by e_H/sqrt(n_k).
 */
import { spectralNorm } from '../linalg/matrixNorms.ts';
import { classMeans, withinClassVariation } from '../metrics/classMeans.ts';
import { type DeepLinearResult, solveDeepLinear } from '../solver/deepLinear.ts';
import { instanceSeed, objectiveRoundoff } from './policy.ts';
import { type Recorder, shape } from './ledger.ts';
import { column, row } from '../linalg/dense.ts';

/** A bias-free deep-linear MSE instance (widths d). */
export interface DeepInstance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
  readonly layers: number;
}

/** The best point of the starts, its spread, and the per-class read-outs with their bounds. */
export interface DeepOptimum {
  readonly result: DeepLinearResult;
  /** At least two starts reached the best value (within the solver's agreement tolerance). */
  readonly reproducible: boolean;
  /** δ = max(agreement tolerance, rounding). */
  readonly gap: number;
  /** Rows w_k of W = W_M ⋯ W_1 and class means h̄_k. */
  readonly w: Float64Array[];
  readonly h: Float64Array[];
  readonly withinClass: number[];
  /** e_P ≥ ‖ΔW‖_F, e_k ≥ ‖Δh̄_k‖. */
  readonly eProduct: number;
  readonly eMean: number[];
}

/** Random starts per instance: enough for a reproducibility check, few enough for `npm test`. */
export const DEEP_STARTS = 4;

/**
 * The multi-start best point of a deep-linear instance with its bounds (module comment). Never refused:
 * no certificate exists, and the claims assert only on reproducible points.
 *
 * @example
 * ```ts
 * solveDeep({ n: [2, 4, 6], lambdaW: 0.02, lambdaH: 0.02, d: 3, layers: 2 }, () => {}).reproducible; // true
 * ```
 */
export function solveDeep(instance: DeepInstance, record: Recorder): DeepOptimum {
  const result = solveDeepLinear(instance, { seed: instanceSeed(instance), starts: DEEP_STARTS });
  record({ family: 'deep-linear', ...shape(instance.n, instance.d), certified: false, certifiable: false, insideAssumptions: true, escapes: 0, restarts: 0, route: 'float64', settings: 'default' });
  const { layout } = result;
  const { K, N } = layout;
  const gap = Math.max(result.spread.agreementTolerance, objectiveRoundoff({ N, K, d: instance.d }, result.objective));
  const eW = Math.sqrt((2 * gap) / instance.lambdaW);
  const eH = Math.sqrt((2 * gap) / instance.lambdaH);
  const norms = result.weights.map(spectralNorm);
  const eProduct = norms.reduce((p, s) => p * (s + eW), 1) - norms.reduce((p, s) => p * s, 1);
  const means = classMeans(result.H, layout);
  return {
    result,
    reproducible: result.spread.agreeing >= 2,
    gap,
    w: Array.from({ length: K }, (_, k) => row(result.W, k)),
    h: Array.from({ length: K }, (_, k) => column(means, k)),
    withinClass: withinClassVariation(result.H, layout),
    eProduct,
    eMean: layout.sizes.map((nk) => eH / Math.sqrt(nk)),
  };
}
