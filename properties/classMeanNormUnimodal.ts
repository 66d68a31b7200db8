/**
 * Claim (class-mean norm ordering): ‖h̄_k‖ is NOT monotone in n_k. With
 * x_k = sqrt(n_k) / (N sqrt(λ_W λ_H (K−1)/K)), ‖h̄_k‖² ∝ log((K−1)(x_k − 1)) / x_k: zero at the
 * threshold, one peak where x/(x−1) = log((K−1)(x−1)), then decreasing. So, listed by increasing
 * n_k, the class-mean norms of an optimum rise (weakly) to a single peak and then fall (weakly):
 * the sequence is unimodal. (Collapsed classes, n_k ≤ T, sit at 0 at the start.)
 * Source: Dang et al., ICML 2024, closed form of the main theorem; THEORY.md §1 "Orderings".
 * Measured on the solver's optimum alone.
 *
 * Tolerance: each norm is within the bound τ_k ≤ e_k of the optimum's (`bounds.classMeanNorm`:
 * src/optima/ufmPlus/bounds.ts and linear.ts), so a violation of unimodality (the smallest
 * total amount by which the sequence must be changed… here: the largest drop before the peak or rise
 * after it, for the best peak position) may be at most 2 max_k τ_k.
 */
import type { Claim } from '../src/runner/claim.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

/** The smallest, over peak positions p, of the largest monotonicity violation of v around p. */
export function unimodalityViolation(v: readonly number[]): number {
  let best = Infinity;
  for (let p = 0; p < v.length; p++) {
    let worst = 0;
    for (let i = 1; i <= p; i++) worst = Math.max(worst, v[i - 1] - v[i]);
    for (let i = p + 1; i < v.length; i++) worst = Math.max(worst, v[i] - v[i - 1]);
    best = Math.min(best, worst);
  }
  return v.length === 0 ? 0 : best;
}

export const classMeanNormUnimodal: Claim<Instance> = {
  id: 'class-mean-norm-unimodal',
  title: 'Class-mean norms unimodal in n_k (not monotone)',
  source: 'Dang et al., ICML 2024; THEORY.md §1 "Orderings"',
  mode: 'assert',
  usesTheory: false,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const order = instance.n.map((nk, k) => ({ nk, k })).sort((a, b) => a.nk - b.nk);
    const sorted = order.map(({ k }) => opt.classMeanNorms[k]);
    return [
      {
        quantity: `unimodality violation of ‖h̄_k‖ sorted by n_k (${sorted.map((x) => x.toPrecision(4)).join(', ')})`,
        value: unimodalityViolation(sorted),
        tolerance: 2 * Math.max(...opt.bounds.classMeanNorm),
      },
    ];
  },
};
