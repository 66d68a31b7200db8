/**
 * Claim (deep-linear optimal value, M = 2, bias-free): the global minimum of
 * (1/(2N))‖W_2 W_1 H − Y‖² + (λ_W/2)(‖W_1‖² + ‖W_2‖²) + (λ_H/2)‖H‖² is f* = Σ_k g_k(x_k), with x_k
 * the global minimiser of the per-class scalar problem (root vs x = 0 compared by value) —
 * predictMseDeepLinear (layers = 2). Two directions:
 * - no point has a lower objective: a solver value below f* beyond rounding REFUTES the closed form
 *   (rigorous, on every input);
 * - the best of the seeded starts attains f*, asserted only where the starts reproduce the best
 *   value (at least two agree): there, f − f* ≤ the agreement tolerance τ.
 * Source: Dang et al., ICML 2023 (imbalanced deep linear); THEORY.md §4(a); docs/theory-mse-L.md §1.
 *
 * Tolerances: the rounding of f (src/optima/ufmPlus/bounds.ts objectiveRoundoff) below f*; above, τ =
 * max(1e-9 |f|, rounding) (src/solver/deepLinear.ts): starts stop at an N-scaled gradient ≤ 1e-10,
 * so a start that reached f*'s basin is within ‖∇f‖²/λ ≪ 1e-9 |f| of it.
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { objectiveRoundoff } from '../../src/optima/policy.ts';
import { predictMseDeepLinear } from '../../src/theory/mseDeepLinear.ts';
import { deepInstance, type DeepInstance } from './deepLinear.ts';

export const mseDeepLinearObjective: Claim<DeepInstance> = {
  id: 'mse-deep-linear-objective',
  title: 'MSE deep linear (M = 2): f* never beaten; attained by the best reproducible start',
  source: 'Dang et al., ICML 2023; THEORY.md §4(a)',
  mode: 'assert',
  usesTheory: true,
  runs: 20,
  arbitrary: deepInstance,
  check(instance, ctx) {
    const o = ctx.optima.deepLinear(instance);
    const f = o.result.objective;
    const fStar = predictMseDeepLinear(instance).objective;
    const roundoff = objectiveRoundoff({ N: o.result.layout.N, K: o.result.layout.K, d: instance.d }, fStar);
    const out: Measurement[] = [{
      quantity: `THEOREM REFUTED if positive beyond rounding: f* − f (f* = ${fStar}, solver ${f}, ${JSON.stringify(instance)})`,
      value: Math.max(0, fStar - f),
      tolerance: roundoff,
    }];
    if (o.reproducible) {
      out.push({
        quantity: `f − f* of the best start (${o.result.spread.agreeing}/${o.result.starts.length} starts agree; f = ${f}, f* = ${fStar})`,
        value: Math.max(0, f - fStar),
        tolerance: o.result.spread.agreementTolerance + roundoff,
      });
    }
    return out;
  },
};
