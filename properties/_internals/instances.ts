import fc from 'fast-check';
import type { Budget } from '../../src/runner/claim.ts';
import { balancedSizes, thresholdInstance, ufmInstance } from '../../src/generators/index.ts';

/** A generated UFM+ instance with its feature dimension. */
export interface Instance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
}

/**
 * Instances inside the theorem's assumptions (d ≥ K): every kind of class-size vector, λ_W and λ_H
 * log-uniform in [1e-5, 1e-1], d ∈ [K, 4K].
 */
export function theoremInstance(budget: Budget): fc.Arbitrary<Instance> {
  return ufmInstance({ budget });
}

/** The relative distances to T of the 'below' and 'above' instances. */
const NEAR_T = { min: 1e-10, max: 0.1 } as const;

/**
 * Instances with a class just below, at or just above the threshold T, or in complete collapse; below
 * and above at relative distances |n_j − T|/n_j log-uniform in [1e-10, 0.1] (the certificate at the
 * collapsed candidate resolves about 1e-12: properties/collapseThreshold.ts, docs/resolution.md).
 */
export function nearThresholdInstance(budget: Budget): fc.Arbitrary<Instance> {
  return fc.oneof(
    thresholdInstance({ where: 'below', budget, relativeGap: NEAR_T }),
    thresholdInstance({ where: 'at', budget }),
    thresholdInstance({ where: 'above', budget, relativeGap: NEAR_T }),
    thresholdInstance({ where: 'complete-collapse', budget }),
  );
}

/** Balanced instances n_k = N/K. */
export function balancedInstance(budget: Budget): fc.Arbitrary<Instance> {
  return ufmInstance({ budget, sizes: balancedSizes(budget === 'small' ? { minK: 2, maxK: 6, maxSize: 40 } : { minK: 2, maxK: 20, maxSize: 250 }) });
}
