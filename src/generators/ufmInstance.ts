import fc from 'fast-check';
import { budgetSizes } from './budgetSizes.ts';
import type { Budget } from './_internals/budgets.ts';
import { type DimensionConstraints, dimensionAt, dimensionFactors } from './_internals/dimensionFactors.ts';
import { fraction } from './_internals/grid.ts';
import { type RegulariserConstraints, regulariserArb } from './_internals/regulariserArb.ts';
import type { UfmInstance } from './_internals/types.ts';

export type { UfmInstance };

/** Options of {@link ufmInstance}. */
export interface UfmInstanceConstraints {
  /** Class sizes; default {@link budgetSizes}(budget). Used as given (the budget's N cap is not applied). */
  readonly sizes?: fc.Arbitrary<number[]>;
  /** 'small' (default) or 'large'; picks the default sizes. */
  readonly budget?: Budget;
  /** Range of λ_W (default [1e-5, 1e-1], log-uniform). */
  readonly lambdaW?: RegulariserConstraints;
  /** Range of λ_H (default [1e-5, 1e-1], log-uniform). */
  readonly lambdaH?: RegulariserConstraints;
  /** d ∈ [minFactor·K, maxFactor·K] (default [K, 4K]). */
  readonly dimension?: DimensionConstraints;
}

/**
 * A UFM+ instance {n, λ_W, λ_H, d} (THEORY.md §1): sizes from `sizes` (default: the budget's mixture of
 * balanced / step / long-tailed / arbitrary sizes), independent log-uniform λ_W, λ_H, and d ∈ [K, 4K]
 * drawn as a fraction of its range so that it shrinks to d = K without `chain`. Shrinks toward small
 * balanced sizes, λ_W = λ_H = 1e-3 and d = K.
 *
 * @throws InputError when an option is invalid (a bound, the budget name)
 * @example
 * ```ts
 * fc.assert(fc.property(ufmInstance({ budget: 'small' }), ({ n, lambdaW, lambdaH, d }) => d >= n.length));
 * ```
 */
export function ufmInstance(constraints: UfmInstanceConstraints = {}): fc.Arbitrary<UfmInstance> {
  const factors = dimensionFactors(constraints.dimension ?? {}, 'ufmInstance.dimension');
  return fc
    .record({
      n: constraints.sizes ?? budgetSizes(constraints.budget ?? 'small'),
      lambdaW: regulariserArb(constraints.lambdaW ?? {}, 'ufmInstance.lambdaW'),
      lambdaH: regulariserArb(constraints.lambdaH ?? {}, 'ufmInstance.lambdaH'),
      dFraction: fraction(),
    })
    .map(({ n, lambdaW, lambdaH, dFraction }) => ({ n, lambdaW, lambdaH, d: dimensionAt(n.length, dFraction, factors) }));
}
