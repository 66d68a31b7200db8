import fc from 'fast-check';
import { InputError } from '../errors.ts';
import { type ClassCountConstraints, classCount, classCountBounds, sizeBounds } from './_internals/classCount.ts';
import { fraction, integerAt } from './_internals/grid.ts';

/** Constraints of {@link stepImbalanceSizes}. */
export interface StepImbalanceSizesConstraints extends ClassCountConstraints {
  /** Smallest minority size m (default 1). */
  readonly minMinoritySize?: number;
  /** Largest minority size m (default 10). */
  readonly maxMinoritySize?: number;
  /** Smallest integer ratio R = n_majority / n_minority (default 2; 1 allows the balanced case). */
  readonly minRatio?: number;
  /** Largest integer ratio R (default 10). */
  readonly maxRatio?: number;
  /**
   * Fraction ρ ∈ (0, 1) of majority classes; the majority count is round(ρK) clamped to [1, K−1].
   * When omitted the majority count is drawn from [1, K−1] (shrinking toward 1).
   */
  readonly rho?: number;
}

/**
 * Step-imbalanced class sizes: the first K_maj classes (majorities) have R·m samples, the other K − K_maj
 * classes (minorities) have m — the "step imbalance" of Fang et al. (PNAS 2021) used for minority collapse
 * (THEORY.md §1). K_maj = round(ρK) clamped to [1, K−1], so there is always at least one class of each kind.
 * Majority sizes reach maxMinoritySize · maxRatio. Shrinks toward K = minK, m = minMinoritySize,
 * R = minRatio and a single majority class.
 *
 * @throws InputError when a bound is invalid, a lower bound exceeds its upper one, or ρ ∉ (0, 1)
 * @example
 * ```ts
 * fc.sample(stepImbalanceSizes({ minK: 4, maxK: 4, rho: 0.5, minRatio: 10, maxRatio: 10, maxMinoritySize: 3 }), 1);
 * // e.g. [[20, 20, 2, 2]]
 * ```
 */
export function stepImbalanceSizes(constraints: StepImbalanceSizesConstraints = {}): fc.Arbitrary<number[]> {
  const { minK, maxK } = classCountBounds(constraints, 'stepImbalanceSizes');
  const m = sizeBounds(constraints.minMinoritySize, constraints.maxMinoritySize, { min: 1, max: 10 }, {
    min: 'stepImbalanceSizes.minMinoritySize',
    max: 'stepImbalanceSizes.maxMinoritySize',
  });
  const R = sizeBounds(constraints.minRatio, constraints.maxRatio, { min: 2, max: 10 }, {
    min: 'stepImbalanceSizes.minRatio',
    max: 'stepImbalanceSizes.maxRatio',
  });
  const rho = constraints.rho;
  if (rho !== undefined && !(rho > 0 && rho < 1)) {
    throw new InputError('stepImbalanceSizes.rho', 'the fraction of majority classes must lie in (0, 1)', `got ${rho}`);
  }
  return fc
    .record({
      K: classCount(minK, maxK),
      minority: fc.integer({ min: m.min, max: m.max }),
      ratio: fc.integer({ min: R.min, max: R.max }),
      majorityFraction: fraction(),
    })
    .map(({ K, minority, ratio, majorityFraction }) => {
      const kMaj = rho === undefined ? integerAt(majorityFraction, 1, K - 1) : Math.min(K - 1, Math.max(1, Math.round(rho * K)));
      return Array.from({ length: K }, (_, k) => (k < kMaj ? ratio * minority : minority));
    });
}
