/**
 * Claim (optimal value): the global minimum of the UFM+ problem is
 * f* = Σ_k (n_k/N) [log(1 + (K−1) e^{−s_k}) + c_k s_k] (log K in complete collapse). Two directions:
 * - no point has a lower objective: if the solver ever finds f(W, H) < f*, the theorem (or the
 *   formula) is REFUTED — reported loudly with the instance, never absorbed in a tolerance;
 * - the certified optimum attains it: f(W, H) − f* ≤ δ, the certificate's gap.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Optimal value".
 *
 * Tolerance: only the rounding of the objective's evaluation (src/optima/ufmPlus/bounds.ts,
 * objectiveRoundoff) below f*; the certificate's gap δ (which includes that rounding) above.
 */
import type { Claim } from '../src/runner/claim.ts';
import { objectiveRoundoff } from '../src/optima/policy.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const optimalValue: Claim<Instance> = {
  id: 'optimal-value',
  title: 'Optimal value f*: never beaten, and attained by the certified optimum',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const fStar = ctx.theory.predict(instance).objective;
    const roundoff = objectiveRoundoff({ N: opt.layout.N, K: opt.layout.K, d: instance.d }, fStar);
    return [
      {
        quantity: `THEOREM REFUTED if positive beyond rounding: f* − f(W,H) = ${fStar - opt.objective} (f* = ${fStar}, solver ${opt.objective}, instance ${JSON.stringify(instance)})`,
        value: Math.max(0, fStar - opt.objective),
        tolerance: roundoff,
      },
      { quantity: `f(W,H) − f* (solver ${opt.objective}, f* = ${fStar})`, value: Math.max(0, opt.objective - fStar), tolerance: opt.bounds.gap + roundoff },
    ];
  },
};
