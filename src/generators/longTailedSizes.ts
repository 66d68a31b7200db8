import fc from 'fast-check';
import { type ClassCountConstraints, classCount, classCountBounds, sizeBounds } from './_internals/classCount.ts';
import { requireOrdered, requirePositive } from './_internals/constraints.ts';
import { logUniform } from './_internals/grid.ts';
import { InputError } from '../errors.ts';

/** Constraints of {@link longTailedSizes}. */
export interface LongTailedSizesConstraints extends ClassCountConstraints {
  /** Smallest head size n_max (default 1). */
  readonly minHead?: number;
  /** Largest head size n_max (default 60). */
  readonly maxHead?: number;
  /** Smallest imbalance ratio r ≥ 1 (default 1, the balanced case). */
  readonly minRatio?: number;
  /** Largest imbalance ratio r (default 100). */
  readonly maxRatio?: number;
}

/**
 * The exponential long-tailed profile n_k = max(1, round(n_max · r^{−k/(K−1)})), k = 0 … K−1 (Cui et al.,
 * CVPR 2019; the CIFAR-LT convention): class 1 is the head with n_max samples, class K the tail with about
 * n_max / r. The ratio r is log-uniform on a grid of 1000 points per decade; when n_max < r the tail is
 * clamped to 1 and the realised ratio n_1 / n_K is below r. Shrinks toward K = minK, n_max = minHead and
 * r = minRatio.
 *
 * @throws InputError when a bound is invalid, r < 1, or a lower bound exceeds its upper one
 * @example
 * ```ts
 * fc.sample(longTailedSizes({ minK: 5, maxK: 5, minHead: 100, maxHead: 100, minRatio: 100, maxRatio: 100 }), 1);
 * // [[100, 32, 10, 3, 1]]
 * ```
 */
export function longTailedSizes(constraints: LongTailedSizesConstraints = {}): fc.Arbitrary<number[]> {
  const { minK, maxK } = classCountBounds(constraints, 'longTailedSizes');
  const head = sizeBounds(constraints.minHead, constraints.maxHead, { min: 1, max: 60 }, {
    min: 'longTailedSizes.minHead',
    max: 'longTailedSizes.maxHead',
  });
  const rMin = requirePositive(constraints.minRatio ?? 1, 'longTailedSizes.minRatio');
  const rMax = requirePositive(constraints.maxRatio ?? Math.max(100, rMin), 'longTailedSizes.maxRatio');
  if (rMin < 1) throw new InputError('longTailedSizes.minRatio', 'the imbalance ratio r must be ≥ 1', `got ${rMin}`);
  requireOrdered(rMin, rMax, 'longTailedSizes.minRatio', 'longTailedSizes.maxRatio');
  return fc
    .tuple(classCount(minK, maxK), fc.integer({ min: head.min, max: head.max }), logUniform(rMin, rMax, rMin))
    .map(([K, nMax, r]) => longTailProfile(K, nMax, r));
}

/** n_k = max(1, round(n_max · r^{−k/(K−1)})) for k = 0 … K−1. */
function longTailProfile(K: number, nMax: number, r: number): number[] {
  return Array.from({ length: K }, (_, k) => Math.max(1, Math.round(nMax * r ** (-k / (K - 1)))));
}
