import type { SolverProblem } from './problem.ts';
import { defaultCertifier } from './defaultCertifier.ts';
import { solveWith } from './solveWith.ts';
import type { SolveOptions, SolveResult } from './types.ts';

/**
 * Finds and certifies a global minimiser of the full UFM+ / UFM problem (THEORY.md §1, §1b, §2):
 *
 * 1. from a random start (every column of H drawn independently, seedrandom), a two-metric
 *    projected L-BFGS solves to a first-order KKT residual ≤ `tolerance`;
 * 2. the certificate of THEORY.md §1b is computed (src/certificate; the solver never uses a
 *    closed form): ρ ≤ 1 + `certificateTolerance` ⇒ global minimiser;
 * 3. otherwise its witness atom u vᵀ, split into one atom per class, is placed on free (else
 *    least-used) coordinates with a line search on f — a second-order escape from the saddle of
 *    §2 — and the search goes back to 1;
 * 4. the search runs in `workingDimension` (default ⌈1.25 K⌉; enlarged by K zero coordinates when an
 *    escape finds too few free ones) coordinates; the answer is moved to d
 *    exactly (zero-padding, or dropping unused coordinates) or by compaction followed by a
 *    re-solve and a new certificate; restarts from new random points only when an escape fails.
 *
 * Deterministic: the same problem, options and seed give bit-identical W, H, b and figures
 * (except `seconds`), unless the wall-clock budget binds.
 *
 * @throws {@link InputError} for an invalid problem or option
 * @example
 * ```ts
 * const r = solve({ n: [5, 10, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, d: 8 }, { seed: 1 });
 * r.certified; // true
 * r.certificate.dualNormRatio; // ≤ 1 + 1e-6
 * ```
 */
export function solve(problem: SolverProblem, options: SolveOptions = {}): SolveResult {
  return solveWith(problem, options, defaultCertifier);
}
