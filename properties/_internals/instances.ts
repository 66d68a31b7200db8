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

/**
 * Instances with a class just below, at or just above the threshold T, or in complete collapse.
 * 'above' keeps the class at least 1e-3 samples above T: closer than that, the class's optimal
 * norm (∝ sqrt(n_k − T)) drops below what a float64 certificate resolves (its error bound e_k,
 * src/optima/ufmPlus/bounds.ts), and "alive" could not be told from "collapsed" by any solver.
 */
export function nearThresholdInstance(budget: Budget): fc.Arbitrary<Instance> {
  return fc.oneof(
    thresholdInstance({ where: 'below', budget }),
    thresholdInstance({ where: 'at', budget }),
    thresholdInstance({ where: 'above', budget, gap: { min: 1e-3, max: 0.5 } }),
    thresholdInstance({ where: 'complete-collapse', budget }),
  );
}

/** Balanced instances n_k = N/K. */
export function balancedInstance(budget: Budget): fc.Arbitrary<Instance> {
  return ufmInstance({ budget, sizes: balancedSizes(budget === 'small' ? { minK: 2, maxK: 6, maxSize: 40 } : { minK: 2, maxK: 20, maxSize: 250 }) });
}
