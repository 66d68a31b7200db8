import { classMeans, withinClassVariation } from '../metrics/classMeans.ts';
import { gramOfColumns } from '../metrics/classMeanGeometry.ts';
import { classifierNorms, classMeanNorms } from '../metrics/classNorms.ts';
import type { SolveResult } from './types.ts';

/** Per-class figures of a solved point. */
export interface ClassSummary {
  /** n_k. */
  n: number;
  /** ‖h̄_k‖, the norm of the class mean. */
  featureNorm: number;
  /** ‖w_k‖, the norm of class k's classifier row. */
  classifierNorm: number;
  /** sqrt((1/n_k) Σ_i ‖h_{k,i} − h̄_k‖²) (0 under NC1). */
  withinClassVariation: number;
}

/** The JSON shape of `ncverify solve --json` (one object). */
export interface SolveSummary {
  n: number[];
  lambdaW: number;
  lambdaH: number;
  d: number;
  variant: 'ufm+' | 'ufm';
  bias: boolean;
  loss: string;
  objective: number;
  kktResidual: number;
  certified: boolean;
  reason: string | null;
  certificate: { kind: 'ufm+' | 'ufm'; dualNormRatio: number; dualNormRatioUpper: number; exact: boolean; objectiveGap: number | null };
  classes: ClassSummary[];
  /** Gram matrix of the class means, H̄ᵀH̄ (K×K). */
  classMeanGram: number[][];
  /** The classifier bias b (with --bias), else null. */
  classifierBias: number[] | null;
  escapes: number;
  restarts: number;
  iterations: number;
  evaluations: number;
  workingDimension: number;
  seconds: number;
}

/**
 * The figures a user of `ncverify solve` reads: objective, KKT residual, certificate, and per
 * class the feature (class-mean) norm, classifier norm and within-class variation, with the
 * class-mean Gram matrix.
 *
 * @example
 * ```ts
 * const s = summariseSolve(solve({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }));
 * s.classes[0].featureNorm;
 * ```
 */
export function summariseSolve(r: SolveResult): SolveSummary {
  const { layout } = r.problem;
  const d = r.W.cols;
  const M = classMeans(r.H, layout);
  const variation = withinClassVariation(r.H, layout);
  const gram = gramOfColumns(M);
  const featureNorms = classMeanNorms(M);
  const wNorms = classifierNorms(r.W);
  const classes = layout.sizes.map((n, k) => ({ n, featureNorm: featureNorms[k], classifierNorm: wNorms[k], withinClassVariation: variation[k] }));
  return {
    n: [...layout.sizes],
    lambdaW: r.problem.lambdaW,
    lambdaH: r.problem.lambdaH,
    d,
    variant: r.problem.nonNegative ? 'ufm+' : 'ufm',
    bias: r.problem.bias,
    loss: r.problem.loss.name,
    objective: r.objective,
    kktResidual: r.kktResidual,
    certified: r.certified,
    reason: r.reason,
    certificate: { ...r.certificate },
    classes,
    classMeanGram: gram,
    classifierBias: r.b,
    escapes: r.escapes,
    restarts: r.restarts,
    iterations: r.iterations,
    evaluations: r.evaluations,
    workingDimension: r.workingDimension,
    seconds: r.seconds,
  };
}
