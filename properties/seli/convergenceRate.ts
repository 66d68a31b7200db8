/**
 * Record (SELI convergence rate vs imbalance): per instance, the imbalance ratio R = max n_k/min n_k,
 * the distance d(λ) of the normalised W Wᵀ to SELI at λ = 1e-4 and 1e-5, and the per-decade ratio
 * d(1e-5)/d(1e-4). The paper warns that convergence slows as imbalance grows (THEORY.md §3 measured
 * ratios 0.71–0.83 per decade, d ≈ 1/log(1/λ)); the relation is recorded, never asserted.
 * Source: Thrampoulidis et al., NeurIPS 2022; THEORY.md §3.
 *
 * Recorded value: the per-decade ratio; its "tolerance" is 1 (a ratio below 1 means the distance
 * still falls), for the report only. Balanced inputs (d = 0 to rounding) record nothing.
 */
import type { Claim } from '../../src/runner/claim.ts';
import { seliInput, seliPathOf, type SeliInput } from './path.ts';

export const seliConvergenceRate: Claim<SeliInput> = {
  id: 'seli-convergence-rate',
  title: 'SELI: per-decade decrease of the distance to SELI against the imbalance ratio (recorded)',
  source: 'Thrampoulidis et al., NeurIPS 2022; THEORY.md §3',
  mode: 'record',
  usesTheory: false,
  runs: 40,
  arbitrary: seliInput,
  check(input, ctx) {
    const path = seliPathOf(input, ctx);
    const [a, b] = path.slice(-2);
    // A distance within its own error bound is 0 to the solver's accuracy: no ratio to record.
    if (!(a.gramDistance > a.gramDistanceError && b.nonZero)) return [];
    const R = Math.max(...input.n) / Math.min(...input.n);
    return [{
      quantity: `R = ${R.toPrecision(4)}, K = ${input.n.length}: d(1e-4) = ${a.gramDistance.toPrecision(4)}, d(1e-5) = ${b.gramDistance.toPrecision(4)}, ratio`,
      value: b.gramDistance / a.gramDistance,
      tolerance: 1,
    }];
  },
};
