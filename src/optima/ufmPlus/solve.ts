import { solve } from '../../solver/solver.ts';
import type { InitialPoint, SolveResult } from '../../solver/types.ts';
import { warmStartRoute } from '../../solver-tfjs/route.ts';
import { classMeans, withinClassVariation } from '../../metrics/classMeans.ts';
import { classifierNorms, classMeanNorms, logitMargins } from '../../metrics/classNorms.ts';
import { gramOfColumns } from '../../metrics/classMeanGeometry.ts';
import { transpose } from '../../linalg/dense.ts';
import { admit, claimSolveOptions, DEFAULT_SOLVE, objectiveRoundoff, provenGap, type SolveSettings } from '../policy.ts';
import { type Recorder, shape } from '../ledger.ts';
import { errorBounds } from './bounds.ts';
import type { CertifiedOptimum, UfmPlusInstance } from './types.ts';

/**
 * Solves and certifies one UFM+ instance for the claims, under the one policy of src/optima/policy.ts:
 * inside the theorem's assumptions (d ≥ K) an uncertified point without a small proven gap is refused
 * (UncertifiedError → an inconclusive input); outside them (d < K) it is returned with `certified: false`.
 * With `initial` (a tfjs warm start, ../warmStarts.ts) the float64 solver starts there; its certificate decides.
 * `settings`: the solver's defaults, or the retry of ../policy.ts asked for before an input is inconclusive.
 *
 * @example
 * ```ts
 * const opt = solveUfmPlus({ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }, () => {});
 * opt.classMeanNorms; // [0, 0, …, …]: the two small classes collapse
 * ```
 */
export function solveUfmPlus(instance: UfmPlusInstance, record: Recorder, initial?: InitialPoint, settings: SolveSettings = DEFAULT_SOLVE): CertifiedOptimum {
  const options = claimSolveOptions(settings, instance);
  const seed = options.seed;
  const inside = instance.d >= instance.n.length;
  const r = solve({ n: instance.n, lambdaW: instance.lambdaW, lambdaH: instance.lambdaH, d: instance.d }, { ...options, ...(initial === undefined ? {} : { initial }) });
  const route = initial === undefined ? 'float64' : warmStartRoute(r);
  record({ family: 'ufm-plus', ...shape(instance.n, instance.d), certified: r.certified, certifiable: true, insideAssumptions: inside, escapes: r.escapes, restarts: r.restarts, route, settings: settings.name });
  const opt = optimumOf(instance, r);
  admit({ certified: r.certified, gap: opt.bounds.gap, objective: r.objective }, inside, () =>
    `the UFM+ instance ${JSON.stringify(instance)}: ${r.reason} (ρ = ${r.certificate.dualNormRatio}, KKT residual ${r.kktResidual}); ` +
    `replay: npx ncverify solve --n ${instance.n.join(',')} --lw ${instance.lambdaW} --lh ${instance.lambdaH} --d ${instance.d} --seed ${seed}`);
  return opt;
}

/** The claims' view of a solve: class means, norms, margins (src/metrics) and the proven bounds. */
function optimumOf(instance: UfmPlusInstance, r: SolveResult): CertifiedOptimum {
  const layout = r.problem.layout;
  const means = classMeans(r.H, layout);
  const gap = provenGap(r.certificate.objectiveGap, objectiveRoundoff({ N: layout.N, K: layout.K, d: instance.d }, r.objective));
  const measured = { margins: logitMargins(r.W, means), classMeanNorms: classMeanNorms(means), classifierNorms: classifierNorms(r.W) };
  const shapeOf = { classifierGram: gramOfColumns(transpose(r.W)), d: instance.d };
  return {
    instance,
    layout,
    W: r.W,
    H: r.H,
    objective: r.objective,
    dualNormRatio: r.certificate.dualNormRatio,
    kktResidual: r.kktResidual,
    certified: r.certified,
    escapes: r.escapes,
    restarts: r.restarts,
    classMeans: means,
    ...measured,
    withinClassVariation: withinClassVariation(r.H, layout),
    bounds: errorBounds(gap, instance.n, instance, { ...measured, ...shapeOf }),
  };
}
