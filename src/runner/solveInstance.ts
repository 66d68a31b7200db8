import type { Dense } from '../linalg/dense.ts';
import { solve } from '../solver/solver.ts';
import type { SolveResult } from '../solver/types.ts';
import { classMeans, withinClassVariation } from '../metrics/classMeans.ts';
import { type CertifiedOptimum, type SolvedInstance, UncertifiedError } from './optimum.ts';
import { errorBounds, objectiveRoundoff } from './tolerance.ts';

/**
 * The solver's seed for an instance: a hash of the instance, so that the same instance is always
 * solved from the same start and different instances from different ones (FNV-1a of its JSON).
 */
export function instanceSeed(i: SolvedInstance): number {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify([i.n, i.lambdaW, i.lambdaH, i.d])) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export { UncertifiedError } from './optimum.ts';

/**
 * Solves and certifies one instance for the claims (src/runner/claim.ts). Inside the theorem's
 * assumptions (d ≥ K) an uncertified answer is an error — the claims never run on a point that is
 * not a proven global minimiser. Outside them (d < K) the point is returned with `certified: false`
 * when the certificate fails, for claims that only record.
 *
 * @example
 * ```ts
 * const opt = solveInstance({ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 });
 * opt.classMeanNorms; // [0, 0, …, …]: the two small classes collapse
 * ```
 */
export function solveInstance(instance: SolvedInstance): CertifiedOptimum {
  const r = solve({ n: instance.n, lambdaW: instance.lambdaW, lambdaH: instance.lambdaH, d: instance.d }, { seed: instanceSeed(instance), maxSeconds: 600 });
  if (!r.certified && instance.d >= instance.n.length) {
    throw new UncertifiedError(
      `the solver did not certify a global optimum of ${JSON.stringify(instance)}: ${r.reason} ` +
        `(ρ = ${r.certificate.dualNormRatio}, KKT residual ${r.kktResidual}); replay: npx ncverify solve --n ${instance.n.join(',')} --lw ${instance.lambdaW} --lh ${instance.lambdaH} --d ${instance.d} --seed ${instanceSeed(instance)}`,
    );
  }
  return optimumOf(instance, r);
}

/** s_k = (W h̄_k)_k − max_{j≠k} (W h̄_k)_j, the logit gap of each class mean. */
function measuredMargins(W: Dense, means: Dense): number[] {
  const K = W.rows;
  const d = W.cols;
  return Array.from({ length: K }, (_, k) => {
    const z = Array.from({ length: K }, (_, j) => {
      let s = 0;
      for (let r = 0; r < d; r++) s += W.data[j * d + r] * means.data[r * K + k];
      return s;
    });
    return z[k] - Math.max(...z.filter((_, j) => j !== k));
  });
}

function optimumOf(instance: SolvedInstance, r: SolveResult): CertifiedOptimum {
  const layout = r.problem.layout;
  const K = layout.K;
  const means = classMeans(r.H, layout);
  const norms = (M: { rows: number; cols: number; data: Float64Array }, byRow: boolean): number[] =>
    Array.from({ length: K }, (_, k) => {
      let s = 0;
      if (byRow) for (let j = 0; j < M.cols; j++) s += M.data[k * M.cols + j] ** 2;
      else for (let j = 0; j < M.rows; j++) s += M.data[j * M.cols + k] ** 2;
      return Math.sqrt(s);
    });
  const roundoff = objectiveRoundoff({ N: layout.N, K, d: instance.d }, r.objective);
  const gap = Math.max(r.certificate.objectiveGap ?? Infinity, roundoff);
  const classMeanNorms = norms(means, false);
  const classifierNorms = norms(r.W, true);
  const margins = measuredMargins(r.W, means);
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
    classMeanNorms,
    classifierNorms,
    withinClassVariation: withinClassVariation(r.H, layout),
    bounds: errorBounds(gap, instance.n, instance, { margins, classMeanNorms, classifierNorms }),
  };
}
