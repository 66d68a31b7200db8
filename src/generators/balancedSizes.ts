import fc from 'fast-check';
import { type ClassCountConstraints, classCount, classCountBounds, sizeBounds } from './_internals/classCount.ts';

/** Constraints of {@link balancedSizes}. */
export interface BalancedSizesConstraints extends ClassCountConstraints {
  /** Smallest class size (default 1). */
  readonly minSize?: number;
  /** Largest class size (default 60). */
  readonly maxSize?: number;
}

/**
 * Balanced class sizes n = (m, …, m): K ∈ [minK, maxK] classes of a common size m ∈ [minSize, maxSize]
 * (the balanced case of THEORY.md §1, where the class means form an orthogonal frame and W a simplex ETF).
 * Shrinks toward K = minK and m = minSize.
 *
 * @throws InputError when a bound is not a valid integer or a lower bound exceeds its upper bound
 * @example
 * ```ts
 * fc.assert(fc.property(balancedSizes({ minK: 2, maxK: 10, maxSize: 100 }), (n) => n.every((m) => m === n[0])));
 * ```
 */
export function balancedSizes(constraints: BalancedSizesConstraints = {}): fc.Arbitrary<number[]> {
  const { minK, maxK } = classCountBounds(constraints, 'balancedSizes');
  const size = sizeBounds(constraints.minSize, constraints.maxSize, { min: 1, max: 60 }, {
    min: 'balancedSizes.minSize',
    max: 'balancedSizes.maxSize',
  });
  return fc
    .tuple(classCount(minK, maxK), fc.integer({ min: size.min, max: size.max }))
    .map(([K, m]) => new Array<number>(K).fill(m));
}
