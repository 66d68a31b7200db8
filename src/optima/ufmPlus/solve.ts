import { solve } from '../../solver/solver.ts';
import type { SolveOptions, SolveResult } from '../../solver/types.ts';
import { classMeans, withinClassVariation } from '../../metrics/classMeans.ts';
import { classifierNorms, classMeanNorms, logitMargins } from '../../metrics/classNorms.ts';
import { admit, CLAIM_SOLVE_SECONDS, instanceSeed, objectiveRoundoff, provenGap } from '../policy.ts';
import { type Recorder, shape } from '../ledger.ts';
import { errorBounds } from './bounds.ts';
import type { CertifiedOptimum, UfmPlusInstance } from './types.ts';

/** How hard the solver is asked to work: the default, or `tight` when a verdict needs a smaller gap δ. */
export type Accuracy = 'default' | 'tight';

/**
 * Solver settings of an accuracy. `tight`: the KKT tolerance at 1e-14 (the default 1e-10) and a
 * certificate gap target of 1e-15·max(1, |f|) — the rounding floor (src/optima/policy.ts) is then what
 * bounds δ, as close to float64 as the problem allows. Asked for only when a default solve left a verdict
 * undecided (src/runner: inconclusive), from the default point as a warm start.
 */
export function accuracySettings(accuracy: Accuracy): Pick<SolveOptions, 'tolerance' | 'gapTolerance'> {
  return accuracy === 'tight' ? { tolerance: 1e-14, gapTolerance: 1e-15 } : {};
}

/**
 * Solves and certifies one UFM+ instance for the claims, under the one policy of src/optima/policy.ts:
 * inside the theorem's assumptions (d ≥ K) an uncertified point without a small proven gap is refused
 * (UncertifiedError → an inconclusive input); outside them (d < K) it is returned with `certified: false`.
 *
 * @param warm - a previous point of the same instance to start from (the `tight` re-solve)
 * @example
 * ```ts
 * const opt = solveUfmPlus({ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }, () => {});
 * opt.classMeanNorms; // [0, 0, …, …]: the two small classes collapse
 * ```
 */
export function solveUfmPlus(instance: UfmPlusInstance, record: Recorder, accuracy: Accuracy = 'default', warm?: CertifiedOptimum): CertifiedOptimum {
  const seed = instanceSeed(instance);
  const r = solve(
    { n: instance.n, lambdaW: instance.lambdaW, lambdaH: instance.lambdaH, d: instance.d },
    { seed, maxSeconds: CLAIM_SOLVE_SECONDS, ...accuracySettings(accuracy), ...(warm === undefined ? {} : { initial: { W: warm.W, H: warm.H } }) },
  );
  const inside = instance.d >= instance.n.length;
  record({ family: 'ufm-plus', ...shape(instance.n, instance.d), certified: r.certified, certifiable: true, insideAssumptions: inside, escapes: r.escapes, restarts: r.restarts });
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
    bounds: errorBounds(gap, instance.n, instance, measured),
  };
}
