import fc from 'fast-check';
import { type ClassCountConstraints, classCountBounds, sizeBounds } from './_internals/classCount.ts';

/** Constraints of {@link arbitrarySizes}. */
export interface ArbitrarySizesConstraints extends ClassCountConstraints {
  /** Smallest class size (default 1). */
  readonly minSize?: number;
  /** Largest class size (default 60). */
  readonly maxSize?: number;
}

/**
 * Unstructured class sizes: K ∈ [minK, maxK] classes, each n_k independently in [minSize, maxSize].
 * Shrinks toward K = minK classes of size minSize.
 *
 * @throws InputError when a bound is not a valid integer or a lower bound exceeds its upper bound
 * @example
 * ```ts
 * fc.sample(arbitrarySizes({ minK: 3, maxK: 3, maxSize: 5 }), 1); // e.g. [[2, 5, 1]]
 * ```
 */
export function arbitrarySizes(constraints: ArbitrarySizesConstraints = {}): fc.Arbitrary<number[]> {
  const { minK, maxK } = classCountBounds(constraints, 'arbitrarySizes');
  const size = sizeBounds(constraints.minSize, constraints.maxSize, { min: 1, max: 60 }, {
    min: 'arbitrarySizes.minSize',
    max: 'arbitrarySizes.maxSize',
  });
  return fc.array(fc.integer({ min: size.min, max: size.max }), { minLength: minK, maxLength: maxK });
}
