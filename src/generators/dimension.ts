import fc from 'fast-check';
import { MAX_CLASSES } from '../problem/validate.ts';
import { requireInteger } from './_internals/constraints.ts';
import { type DimensionConstraints, dimensionFactors } from './_internals/dimensionFactors.ts';

export type { DimensionConstraints };

/**
 * A feature dimension d ∈ [minFactor·K, maxFactor·K] for K classes; UFM+ assumes d ≥ K (THEORY.md §1).
 * Shrinks toward d = minFactor·K.
 *
 * @throws InputError when K < 2, a factor is not a positive integer, or minFactor > maxFactor
 * @example
 * ```ts
 * fc.assert(fc.property(dimension(5, { maxFactor: 4 }), (d) => d >= 5 && d <= 20));
 * ```
 */
export function dimension(K: number, constraints: DimensionConstraints = {}): fc.Arbitrary<number> {
  requireInteger(K, 'dimension.K', 2, MAX_CLASSES);
  const { minFactor, maxFactor } = dimensionFactors(constraints, 'dimension');
  return fc.integer({ min: minFactor * K, max: maxFactor * K });
}
