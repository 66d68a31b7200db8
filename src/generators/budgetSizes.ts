import fc from 'fast-check';
import { arbitrarySizes } from './arbitrarySizes.ts';
import { balancedSizes } from './balancedSizes.ts';
import { longTailedSizes } from './longTailedSizes.ts';
import { stepImbalanceSizes } from './stepImbalanceSizes.ts';
import { BUDGETS, type Budget, capTotal } from './_internals/budgets.ts';
import { requireOneOf } from './_internals/constraints.ts';

export type { Budget };

/**
 * Class sizes within a budget: one of {@link balancedSizes}, {@link stepImbalanceSizes},
 * {@link longTailedSizes}, {@link arbitrarySizes}, then scaled down (n_k ← max(1, ⌊n_k (N_max − K)/N⌋)) when
 * N exceeds the budget's total. Budgets: 'small' K 2–6, n_k ≤ 60, N ≤ 250; 'large' K 2–20, n_k ≤ 1000,
 * N ≤ 5000. Cross-shrinks toward the balanced family, so counterexamples end as small balanced vectors
 * when the failure allows it.
 *
 * @throws InputError when budget is not 'small' or 'large'
 * @example
 * ```ts
 * fc.assert(fc.property(budgetSizes('small'), (n) => n.reduce((a, b) => a + b) <= 250));
 * ```
 */
export function budgetSizes(budget: Budget = 'small'): fc.Arbitrary<number[]> {
  const { minK, maxK, maxSize, maxTotal } = BUDGETS[requireOneOf(budget, 'budget', ['small', 'large'])];
  const maxMinority = Math.max(1, Math.floor(maxSize / 10));
  return fc
    .oneof(
      { withCrossShrink: true },
      balancedSizes({ minK, maxK, maxSize }),
      stepImbalanceSizes({ minK, maxK, maxMinoritySize: maxMinority, minRatio: 2, maxRatio: 10 }),
      longTailedSizes({ minK, maxK, maxHead: maxSize, maxRatio: 100 }),
      arbitrarySizes({ minK, maxK, maxSize }),
    )
    .map((n) => capTotal(n, maxTotal));
}
