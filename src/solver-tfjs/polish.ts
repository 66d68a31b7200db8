import type { Dense } from '../linalg/dense.ts';
import type { CertificateView } from '../solver/certify.ts';
import { compact } from '../solver/compaction.ts';
import { defaultCertifier } from '../solver/defaultCertifier.ts';
import { unpack } from '../solver/pgd.ts';
import type { ValidatedProblem } from '../solver/problem.ts';
import type { SolveCertificate } from '../solver/types.ts';
import { Evaluator } from '../solver/_internals/evaluator.ts';
import { ProjectedLbfgs } from '../solver/_internals/lbfgs.ts';

/** The float64 acceptance thresholds (the defaults of the float64 solver's `SolveOptions`). */
export interface PolishTolerances {
  /** KKT residual. Default 1e-10. */
  readonly tolerance: number;
  /** ρ ≤ 1 + this. Default 1e-6. */
  readonly certificateTolerance: number;
  /** Proven f − f* ≤ this · max(1, |f|). Default 1e-8. */
  readonly gapTolerance: number;
  /** L-BFGS iterations at most. Default 50 000. */
  readonly maxIterations: number;
  /** L-BFGS memory. Default 5. */
  readonly memory: number;
  /** Wall-clock limit (s). Default 120. */
  readonly maxSeconds: number;
}

/** The float64 defaults of {@link PolishTolerances}. */
export const POLISH_DEFAULTS: PolishTolerances = {
  tolerance: 1e-10, certificateTolerance: 1e-6, gapTolerance: 1e-8, maxIterations: 50_000, memory: 5, maxSeconds: 120,
};

/** A float64 point polished from a warm start, with its float64 certificate. */
export interface Polished {
  readonly W: Dense;
  readonly H: Dense;
  readonly b: number[] | null;
  readonly objective: number;
  readonly kktResidual: number;
  readonly certified: boolean;
  readonly certificate: SolveCertificate;
  readonly iterations: number;
  readonly seconds: number;
}

/**
 * Polishes a warm start (W: K×d, H: d×N, b) in float64 and certifies it: the float64 solver's
 * projected L-BFGS runs in `workingDimension` coordinates (the start is moved there by the
 * solver's `compact`: exact when it only drops unused coordinates, else a projection on the class
 * means / the range of H that the polish then corrects), the result is zero-padded back to d
 * and certified by the solver's certificate (THEORY.md §1b). Acceptance mirrors the float64
 * solver: residual ≤ tolerance, ρ ≤ 1 + certificateTolerance, and the proven gap small (or,
 * without a gap, the upper bound of ρ ≤ 1 + certificateTolerance).
 *
 * No escape is tried here: a start in a spurious basin comes back uncertified, and the caller
 * falls back to the full solver. (Interim: the float64 solver's `solve` has no warm-start option
 * yet; with one, this whole step is `solve(problem, { initial })`, escapes included.)
 *
 * @example
 * ```ts
 * const r = polishAndCertify(problem, tf.W, tf.H, tf.b, 8);
 * r.certified; // true when the tfjs stage found the global basin
 * ```
 */
export function polishAndCertify(
  problem: ValidatedProblem, W: Dense, H: Dense, b: readonly number[] | null, workingDimension: number,
  tolerances: PolishTolerances = POLISH_DEFAULTS,
): Polished {
  const t0 = performance.now();
  const full = new Evaluator(problem, problem.d);
  const x = new Float64Array(full.size);
  x.set(W.data, 0);
  x.set(H.data, full.hOffset);
  if (b !== null) x.set(b, full.bOffset);
  const small = workingDimension < problem.d ? new Evaluator(problem, workingDimension) : null;
  const moved = small !== null ? compact(full, x, small) : null;
  const ev = moved !== null ? small! : full;
  const xw = moved !== null ? moved.x : x;
  const local = new ProjectedLbfgs(ev, tolerances.memory).run(xw, {
    tolerance: tolerances.tolerance,
    maxIterations: tolerances.maxIterations,
    deadline: t0 + 1000 * tolerances.maxSeconds,
  });
  const back = ev === full ? xw : compact(ev, xw, full)!.x;
  const g = new Float64Array(full.size);
  const objective = full.evaluate(back, g);
  const kktResidual = full.residual(back, g);
  const point = unpack(full, back);
  const view = defaultCertifier(point.W, point.H, point.b, problem);
  return {
    ...point,
    objective,
    kktResidual,
    certified: accepted(view, objective, kktResidual, tolerances),
    certificate: {
      kind: view.kind, dualNormRatio: view.ratio, dualNormRatioUpper: view.ratioUpper, exact: view.exact, objectiveGap: view.optimalityGap,
    },
    iterations: local.iterations,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The float64 solver's acceptance rule (src/solver/_internals/search.ts, isCertified). */
function accepted(c: CertificateView, objective: number, residual: number, t: PolishTolerances): boolean {
  if (!(residual <= t.tolerance && c.ratio <= 1 + t.certificateTolerance)) return false;
  if (c.optimalityGap !== null) return c.optimalityGap <= t.gapTolerance * Math.max(1, Math.abs(objective));
  return c.ratioUpper <= 1 + t.certificateTolerance;
}
