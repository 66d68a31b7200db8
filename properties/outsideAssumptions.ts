/**
 * Recorded, not asserted (outside the theorem's assumptions): with d < K there are not enough
 * coordinates for K orthogonal non-negative class means, so the theorem (which assumes d ≥ K) says
 * nothing. This records what the solver finds: how far its objective lies above the d ≥ K optimum
 * f*, relative to its certificate gap. The solver's certificate still applies (THEORY.md §1b holds
 * for any d), but the optimum need not be certified here; the report shows it as 'recorded'.
 * Source: Dang et al., ICML 2024 (assumption d ≥ K); THEORY.md §1.
 */
import fc from 'fast-check';
import type { Claim } from '../src/runner/claim.ts';
import { ufmInstance } from '../src/generators/index.ts';
import { budgetSizes } from '../src/generators/index.ts';
import type { Instance } from './_internals/instances.ts';

export const outsideAssumptions: Claim<Instance> = {
  id: 'outside-assumptions-d-below-K',
  title: 'd < K (outside the theorem): objective above the d ≥ K optimum — recorded',
  source: 'Dang et al., ICML 2024 (assumes d ≥ K); THEORY.md §1',
  mode: 'record',
  usesTheory: true,
  runs: 40,
  arbitrary: (budget) =>
    ufmInstance({ budget, sizes: budgetSizes(budget).filter((n) => n.length >= 3) }).chain((i) =>
      fc.integer({ min: 1, max: i.n.length - 1 }).map((d) => ({ ...i, d })),
    ),
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const fStar = ctx.theory.predict({ n: instance.n, lambdaW: instance.lambdaW, lambdaH: instance.lambdaH }).objective;
    return [{ quantity: `f(d = ${instance.d} < K) − f*(d ≥ K), certified ${opt.certified}`, value: opt.objective - fStar, tolerance: opt.bounds.gap }];
  },
};
